"""blueprint.schema.json: a valid JSON Schema that editors and the loader share, which accepts every
blueprint the repo holds and what export writes, and whose errors name the file and JSON path."""

import json

import pytest
from builders import EXAMPLE_REPO, custom_field, doctype, role
from jsonschema import Draft202012Validator

from frappe_stack.blueprint.file_format import SCHEMA, problems
from frappe_stack.blueprint.registry import supported_doctypes
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import ValidationFailed

EXAMPLES = sorted((EXAMPLE_REPO / "blueprints").glob("*.json"))


def test_the_schema_is_a_valid_draft_2020_12_schema():
	assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
	Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_names_exactly_the_supported_doctypes():
	assert SCHEMA["$defs"]["doctype"]["enum"] == supported_doctypes()


@pytest.mark.parametrize("file", EXAMPLES, ids=lambda f: f.name)
def test_every_example_blueprint_validates(file):
	assert list(Draft202012Validator(SCHEMA).iter_errors(json.loads(file.read_text()))) == []


def test_what_export_writes_validates(repo):
	"""Every header key and a tombstone, as the canonical form writes them back."""
	repo.copy_example()
	repo.write(
		"intake",
		[doctype("Intake", permissions=[{"role": "Clerk", "read": 1}]), custom_field("Contact", "intake")],
		description="Intake form",
		depends_on=["roles"],
		requires={"erpnext": "15.20.0", "hrms": ""},
		delete=[{"doctype": "Custom Field", "name": "Contact-old_code"}],
	)
	repo.write("roles", [role("Clerk")])
	blueprints = load_blueprint_set(repo.root).blueprints
	assert len(blueprints) == len(EXAMPLES) + 2
	for bp in blueprints:
		assert list(Draft202012Validator(SCHEMA).iter_errors(bp.as_dict())) == [], bp.name


def test_a_bad_file_gets_its_json_path_and_a_fix(repo):
	documents = [role("A"), role("B"), role("C"), {"doctype": "Sales Order", "name": "SO-1"}]
	repo.write("x", documents)
	with pytest.raises(ValidationFailed) as caught:
		load_blueprint_set(repo.root)
	(error,) = caught.value.errors
	assert str(error).startswith(
		"blueprints/x.json: $.documents[3].doctype: unknown or unsupported doctype 'Sales Order'. "
		"Fix: use one of: Role, "
	)


@pytest.mark.parametrize(
	"raw,paths",
	[
		({"blueprint": "x", "documents": [], "depends_on": [1, 2]}, ["$.depends_on"]),
		(
			{"blueprint": "x", "documents": [{"doctype": "Role", "name": "A", "roles": [1]}]},
			["$.documents[0].roles"],
		),
		({"blueprint": "x", "documents": [{}]}, ["$.documents[0].doctype", "$.documents[0].name"]),
		({"blueprint": "x", "documents": [], "delete": [{"doctype": "Role"}]}, ["$.delete[0]"]),
		({"documents": [], "extra": 1, "other": 2}, ["$.blueprint", "$.extra", "$.other"]),
	],
)
def test_one_problem_per_path_at_the_part_its_message_explains(raw, paths):
	found = problems(raw)
	assert sorted(p.path for p in found) == paths
	assert all(p.message and p.fix for p in found)


def test_a_document_alone_is_checked_against_its_definition():
	(problem,) = problems({"doctype": "Role", "name": " "}, "document")
	assert (problem.path, problem.message) == ("$.name", "Role document has no name")
	assert problems(role("A"), "document") == []
	(problem,) = problems({"name": "A"}, "document")
	assert (problem.path, problem.message) == ("$.doctype", '"doctype" is missing')
	assert problem.fix == f"use one of: {', '.join(supported_doctypes())}"


def test_a_missing_key_is_called_missing_not_described_as_none():
	(problem,) = problems({"documents": []})
	assert (problem.path, problem.message) == ("$.blueprint", '"blueprint" is missing')
	assert problem.fix == 'set "blueprint" to a name like "beneficiary"'
	(problem,) = problems({"blueprint": "Bad Name", "documents": []})
	assert problem.message == "blueprint name 'Bad Name' is missing or not lowercase-kebab"


def test_a_misspelt_doctype_gets_the_supported_one_it_most_looks_like(repo):
	repo.write("x", [{"doctype": "Custom Feild", "name": "ToDo-x", "dt": "ToDo", "fieldname": "x"}])
	with pytest.raises(ValidationFailed) as caught:
		load_blueprint_set(repo.root)
	(error,) = caught.value.errors
	assert (error.path, error.fix) == ("$.documents[0].doctype", 'did you mean "Custom Field"?')


def test_a_file_given_as_the_blueprint_folder_is_called_a_file(repo):
	path = repo.write("x", [role("A")])
	with pytest.raises(ValidationFailed) as caught:
		load_blueprint_set(path)
	(error,) = caught.value.errors
	assert (error.file, error.message) == (str(path), "a file, not a blueprint folder")
	assert "--path DIR" in error.fix
