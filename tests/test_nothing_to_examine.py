"""A review, smoke or check that finds no change to examine says so in one line, naming the base,
and the checklist's "change" check fails on it unless --allow-empty."""

from builders import Repo, commit_all, doctype, git
from fake_context import FakeContext
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.validate import BlueprintSet
from frappe_stack.checks.checklist import change_check
from frappe_stack.checks.result import FAIL, WARN, Checklist
from frappe_stack.review.change import compute_change
from frappe_stack.review.engine import review
from frappe_stack.review.findings import Report
from frappe_stack.smoke_plan import SmokeReport

LABEL = "merge base with origin/main (1a2b3c4d5e6f)"
NOTHING = f"nothing to examine: no blueprint changed since {LABEL}"
VISIT = doctype("Visit", [{"fieldname": "notes", "fieldtype": "Data", "label": "Notes"}], description="d")


def committed_repo(tmp_path) -> Repo:
	repo = Repo(tmp_path / "config-repo")
	git(repo.root, "init", "-q")
	repo.write("feature", [VISIT])
	commit_all(repo.root, "export")
	return repo


def test_an_empty_change_fails_the_change_check_naming_the_base():
	result = change_check(compute_change(None, _empty_set()), LABEL, allow_empty=False)
	assert result.result == FAIL
	assert result.detail.startswith(NOTHING)
	assert "--allow-empty" in result.detail
	checklist = Checklist("staging", "prod", [result])
	assert checklist.text().splitlines()[-1] == "Blocked: 1 of 1 checks failed (change)."


def test_allow_empty_turns_the_failure_into_a_warning():
	result = change_check(compute_change(None, _empty_set()), LABEL, allow_empty=True)
	assert (result.result, result.detail) == (WARN, f"{NOTHING} (--allow-empty)")


def test_a_change_adds_no_change_check_the_other_checks_examine_it(tmp_path):
	repo = committed_repo(tmp_path)
	repo.write("feature", [VISIT, doctype("Patient", [], description="d")])
	base, head, _, label = stack.base_and_head(MemorySite(), str(repo.root), "HEAD")
	assert label == "HEAD"
	assert change_check(compute_change(base, head), label, allow_empty=False) is None


def test_review_and_smoke_of_a_committed_export_say_so_in_one_line(tmp_path):
	repo = committed_repo(tmp_path)
	base, head, _, label = stack.base_and_head(MemorySite(), str(repo.root), "HEAD")
	report = review(base, head, FakeContext(), base_label=label)
	assert report.text() == "nothing to examine: no blueprint changed since HEAD"
	assert report.as_dict()["nothing_to_examine"] == report.text()
	smoke = stack.smoke(MemorySite(), str(repo.root), "HEAD")
	assert smoke.text() == "nothing to examine: no blueprint changed since HEAD"
	assert smoke.as_dict()["nothing_to_examine"] == smoke.text()


def test_without_since_the_label_names_the_default_base(tmp_path):
	repo = committed_repo(tmp_path)
	_, _, _, label = stack.base_and_head(MemorySite(), str(repo.root), None)
	assert label.startswith("HEAD (") and "origin/main" in label


def test_a_report_with_findings_or_a_change_prints_no_nothing_line():
	assert Report([]).text() == ""
	assert "nothing_to_examine" not in Report([]).as_dict()
	assert SmokeReport().text().startswith("Smoke tests: the change touches no")


def _empty_set() -> BlueprintSet:
	return BlueprintSet([], [], {})
