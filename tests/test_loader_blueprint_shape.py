"""Per-file checks of a blueprint's own keys (JSON, name, documents, depends_on, requires): every bad
input names the file, the JSON path and the fix (law 5)."""

import pytest
from builders import role
from loader_helpers import only_problem

from frappe_stack.blueprint.validate import load_blueprint_set


def test_malformed_json_gives_line_and_column(repo):
	repo.write_text("x.json", '{\n "blueprint": "x"\n "documents": []\n}')
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$")
	assert "malformed JSON" in error.message
	assert "line 3 column 2" in error.message
	assert "blueprints/x.json: $: malformed JSON" in str(error)


def test_file_that_is_not_utf8(repo):
	(repo.dir / "x.json").write_bytes(b'{"blueprint": "x", "description": "caf\xe9", "documents": []}')
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$")
	assert "UTF-8" in error.message and "UTF-8" in error.fix


@pytest.mark.parametrize("content", [[], "x", 3, None])
def test_blueprint_must_be_an_object(repo, content):
	repo.write_json("x.json", content)
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$")
	assert "JSON object" in error.message
	assert '"documents"' in error.fix


def test_unknown_top_level_key(repo):
	repo.write("x", [role("A")], documnets=[])
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.documnets")
	assert "unknown key 'documnets'" in error.message
	assert "documents" in error.fix and "depends_on" in error.fix


def test_blueprint_name_must_match_the_file_name(repo):
	repo.write_json("x.json", {"blueprint": "y", "documents": [role("A")]})
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.blueprint")
	assert "'y'" in error.message
	assert "y.json" in error.fix and '"blueprint": "x"' in error.fix


@pytest.mark.parametrize("name", [None, "", "Beneficiary", "two words", "-lead", 7])
def test_blueprint_name_must_be_lowercase_kebab(repo, name):
	repo.write_json("x.json", {"blueprint": name, "documents": []})
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.blueprint")


def test_documents_must_be_a_list(repo):
	repo.write_json("x.json", {"blueprint": "x"})
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.documents")


def test_description_must_be_a_string(repo):
	repo.write("x", [role("A")], description=["a"])
	assert only_problem(repo).path == "$.description"


@pytest.mark.parametrize("depends_on", ["field-roles", [""], [3]])
def test_depends_on_must_be_a_list_of_names(repo, depends_on):
	repo.write("x", [role("A")], depends_on=depends_on)
	error = only_problem(repo)
	assert error.path == "$.depends_on"
	assert '["field-roles"]' in error.fix


@pytest.mark.parametrize(
	"requires", [["erpnext"], {"erpnext": 15}, {"ERPNext": "15.0"}, {"erpnext": ">=15"}, {"erpnext": "15.x"}]
)
def test_requires_maps_apps_to_minimum_versions(repo, requires):
	repo.write("x", [role("A")], requires=requires)
	error = only_problem(repo)
	assert error.path == "$.requires"
	assert '{"erpnext": "15.20.0"}' in error.fix


def test_requires_is_kept_in_canonical_form(repo):
	repo.write("x", [role("A")], requires={"hrms": "", "erpnext": "15.20.0"})
	(bp,) = load_blueprint_set(repo.root).blueprints
	assert bp.requires == {"hrms": "", "erpnext": "15.20.0"}
	assert list(bp.as_dict()["requires"]) == ["erpnext", "hrms"]
