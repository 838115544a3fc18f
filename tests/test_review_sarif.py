"""The SARIF log validates against the official 2.1.0 schema and points at the right lines."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
from builders import Repo, doctype, role
from fake_context import FakeContext
from hypothesis import given
from hypothesis import strategies as st
from review_cases import PERMS, script

from frappe_stack.blueprint.canonical import canonical_bytes
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.review.engine import review
from frappe_stack.review.findings import Finding, Report
from frappe_stack.review.json_lines import line_of, path_lines
from frappe_stack.review.rules import RULES
from frappe_stack.review.sarif import read_texts, to_sarif

# The official SARIF 2.1.0 schema (OASIS), as Microsoft ships it in @microsoft/jest-sarif 1.0.0-beta.0
# (tests/data/README.md says where it came from): kept in the repo so this test always runs.
SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-rtm.5.json"


@pytest.fixture(scope="module")
def validator():
	schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
	return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.fixture
def reviewed(tmp_path):
	"""A head repo with findings of every level, reviewed against an empty base."""
	repo = Repo(tmp_path / "repo")
	repo.write("roles", [role("Clerk")])
	repo.write(
		"note",
		[
			doctype("Note", [{"fieldname": "size", "fieldtype": "Int", "default": "3"}], permissions=PERMS),
			script("frappe.db.commit()", reference_doctype="Note"),
		],
	)
	report = review(None, load_blueprint_set(repo.root), FakeContext())
	return repo, report


def errors(validator, log) -> list[str]:
	return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(log)]


def test_log_validates_against_the_schema(validator, reviewed):
	repo, report = reviewed
	assert {f.severity for f in report.findings} == {"CRITICAL", "MEDIUM", "LOW"}
	log = to_sarif(report, "0.1.0", read_texts(repo.root, report))
	assert errors(validator, log) == []
	assert log["version"] == "2.1.0" and log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"


def test_an_empty_report_validates(validator):
	assert errors(validator, to_sarif(Report([]), "0.1.0")) == []


def test_the_validator_rejects_a_broken_log(validator):
	log = to_sarif(Report([]), "0.1.0")
	log["runs"][0]["results"] = [{"ruleId": "SS004", "level": "fatal", "message": {"text": "x"}}]
	assert errors(validator, log)


def test_results_carry_level_location_and_properties(reviewed):
	repo, report = reviewed
	log = to_sarif(report, "0.1.0", read_texts(repo.root, report))
	run = log["runs"][0]
	driver = run["tool"]["driver"]
	assert driver["name"] == "frappe-stack" and driver["version"] == "0.1.0"
	assert [r["id"] for r in driver["rules"]] == [rule.id for rule in RULES]
	levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
	assert (levels["SS001"], levels["WF001"], levels["FLD101"], levels["STY001"]) == (
		"error",
		"error",
		"warning",
		"note",
	)

	text = (repo.dir / "note.json").read_text(encoding="utf-8").splitlines()
	by_rule = {r["ruleId"]: r for r in run["results"]}
	commit = by_rule["SS004"]
	assert commit["level"] == "error"
	assert driver["rules"][commit["ruleIndex"]]["id"] == "SS004"
	assert "Fix: remove frappe.db.commit()" in commit["message"]["text"]
	location = commit["locations"][0]
	assert location["physicalLocation"]["artifactLocation"]["uri"] == "blueprints/note.json"
	assert (
		text[location["physicalLocation"]["region"]["startLine"] - 1]
		.strip()
		.startswith('"script": "frappe.db.commit()"')
	)
	assert location["logicalLocations"][0]["fullyQualifiedName"] == "$.documents[1].script"
	assert commit["properties"] == {
		"blueprint": "note",
		"doctype": "Server Script",
		"name": "On Save",
		"severity": "CRITICAL",
	}

	magic = by_rule["FLD101"]
	assert magic["level"] == "warning"
	assert (
		text[magic["locations"][0]["physicalLocation"]["region"]["startLine"] - 1].strip()
		== '"default": "3",'
	)
	assert by_rule["DOC002"]["level"] == "note"


def test_a_missing_file_or_path_falls_back_to_a_valid_line():
	finding = Finding(
		"SS004", "CRITICAL", "a", "blueprints/a.json", "Server Script", "S", "$.documents[9]", "m", "f"
	)
	log = to_sarif(Report([finding]), "0.1.0", {"blueprints/a.json": "not json"})
	assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_path_lines_finds_every_value_and_nearest_ancestor():
	text = '{\n "a": [\n  {\n   "b": 1\n  },\n  {"c": "x\\ny", "d": [true, null]}\n ],\n "e": {}\n}\n'
	lines = path_lines(text)
	assert json.loads(text)  # the sample is valid JSON
	assert lines == {
		"$": 1,
		"$.a": 2,
		"$.a[0]": 3,
		"$.a[0].b": 4,
		"$.a[1]": 6,
		"$.a[1].c": 6,
		"$.a[1].d": 6,
		"$.a[1].d[0]": 6,
		"$.a[1].d[1]": 6,
		"$.e": 8,
	}
	assert line_of(lines, "$.a[0].gone[3].x") == 3
	assert line_of(lines, "$.missing") == 1


def all_paths(value, path="$"):
	yield path
	if isinstance(value, dict):
		for key, item in value.items():
			yield from all_paths(item, f"{path}.{key}")
	elif isinstance(value, list):
		for index, item in enumerate(value):
			yield from all_paths(item, f"{path}[{index}]")


JSON = st.recursive(
	st.none() | st.booleans() | st.integers() | st.text(max_size=5),
	lambda inner: (
		st.lists(inner, max_size=3)
		| st.dictionaries(st.from_regex(r"[a-z_]{1,4}", fullmatch=True), inner, max_size=3)
	),
	max_leaves=12,
)


@given(JSON)
def test_path_lines_knows_every_path_of_canonical_json(value):
	text = canonical_bytes(value).decode("utf-8")
	lines = path_lines(text)
	assert set(lines) == set(all_paths(value))
	# lines as files and GitHub count them: splitlines() would also break at U+0085 or U+2028
	# inside a JSON string
	rows = text.split("\n")
	for path, line in lines.items():
		key = re.search(r"\.([a-z_]+)$", path)
		if key:
			assert rows[line - 1].strip().startswith(f'"{key.group(1)}":')
