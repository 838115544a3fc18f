"""The hooks.py change adopt prints: the new fixtures list, the files to delete or trim, the hook line."""

import ast

from frappe_stack.adopt.fixture_hooks import parse_entries
from frappe_stack.adopt.hooks_change import hooks_change, py_literal
from frappe_stack.adopt.shipped_documents import CUSTOMIZATIONS, FIXTURES, Shipped
from frappe_stack.blueprint.registry import ADAPTERS


def shipped(doctype, name, file="demo/fixtures/role.json", via=FIXTURES, **fields):
	return Shipped("demo", file, "$[0]", {"doctype": doctype, "name": name, **fields}, via, True)


ROLES = [shipped("Role", "A"), shipped("Role", "B")]
FIELDS = [
	shipped("Custom Field", "ToDo-x", "demo/fixtures/custom_field.json", module="Demo"),
	shipped("Custom Field", "ToDo-y", "demo/fixtures/custom_field.json", module="Demo"),
]
UNSUPPORTED = [shipped("Blog Category", "abc", "demo/fixtures/blog_category.json")]


def change(hook, documents, managed, folder=None):
	return hooks_change("demo", parse_entries(hook), documents, managed, set(ADAPTERS), folder)


def new_list(result) -> list:
	"""The printed list, read back as Python: what the user pastes must be valid hooks.py."""
	return ast.literal_eval(result.fixtures_text().split("=", 1)[1].strip())


def test_entries_whose_documents_blueprints_all_manage_are_removed_the_rest_kept():
	hook = ["Role", {"dt": "Blog Category"}]
	result = change(hook, ROLES + UNSUPPORTED, {("Role", "A"), ("Role", "B")})
	assert new_list(result) == [{"dt": "Blog Category"}]
	assert [(e.action, e.reason) for e in result.entries] == [
		("removed", "blueprints manage all 2 of its documents"),
		("kept", "Blog Category is not a doctype blueprints support"),
	]


def test_an_entry_partly_managed_is_narrowed_by_name_in_each_filter_form():
	managed = {("Custom Field", "ToDo-x")}
	hook = [
		"Custom Field",
		{"dt": "Custom Field", "filters": {"module": "Demo"}},
		{"doctype": "Custom Field", "filters": {"name": ["like", "ToDo-%"]}},
		{"dt": "Custom Field", "filters": [["module", "=", "Demo"]]},
		{"dt": "Custom Field", "filters": ["module", "=", "Demo"]},
	]
	exclude = ["name", "not in", ["ToDo-x"]]
	assert new_list(change(hook, FIELDS, managed)) == [
		{"dt": "Custom Field", "filters": [exclude]},
		{"dt": "Custom Field", "filters": {"module": "Demo", "name": ["not in", ["ToDo-x"]]}},
		{"doctype": "Custom Field", "filters": [["name", "like", "ToDo-%"], exclude]},
		{"dt": "Custom Field", "filters": [["module", "=", "Demo"], exclude]},
		{"dt": "Custom Field", "filters": [["module", "=", "Demo"], exclude]},
	]


def test_nothing_managed_leaves_hooks_py_alone_and_an_empty_list_is_written_so():
	assert change(["Role"], ROLES, set()).new_fixtures is None
	assert not change(["Role"], ROLES, set()).needed
	result = change(["Role"], ROLES, {("Role", "A"), ("Role", "B")})
	assert result.fixtures_text() == "fixtures = []"


def test_entries_that_match_nothing_or_cannot_be_evaluated_are_kept_as_written():
	hook = [
		{"dt": "Role", "filters": {"name": "Z"}},
		{"dt": "Role", "filters": [["name", "descendants of", "A"]]},
		"Role",
	]
	result = change(hook, ROLES, {("Role", "A"), ("Role", "B")})
	assert [e.action for e in result.entries] == ["kept", "kept", "removed"]
	assert "matches no document" in result.entries[0].reason
	assert "edit it by hand" in result.entries[1].reason
	assert new_list(result) == hook[:2]


def test_files_fully_managed_are_deleted_others_trimmed_by_json_path():
	custom = Shipped(
		"demo",
		"demo/mod/custom/todo.json",
		"$.custom_fields[0]",
		{"doctype": "Custom Field", "name": "ToDo-z"},
		CUSTOMIZATIONS,
		True,
	)
	result = change(
		[],
		ROLES + FIELDS + [custom],
		{("Role", "A"), ("Role", "B"), ("Custom Field", "ToDo-x"), ("Custom Field", "ToDo-z")},
	)
	assert [(f.file, f.action, f.remove) for f in result.files] == [
		("demo/fixtures/custom_field.json", "trim", ["$[0] Custom Field 'ToDo-x'"]),
		("demo/fixtures/role.json", "delete", []),
		("demo/mod/custom/todo.json", "delete", []),
	]
	text = result.text()
	assert "delete demo/fixtures/role.json" in text
	assert "remove from demo/fixtures/custom_field.json: $[0] Custom Field 'ToDo-x'" in text


def test_the_hook_line_when_the_blueprints_live_in_the_app():
	result = change(["Role"], ROLES, {("Role", "A"), ("Role", "B")}, folder="blueprints")
	assert result.hook_line == 'frappe_stack_blueprints = "blueprints"'
	assert 'frappe_stack_blueprints = "blueprints"' in result.text()


def test_py_literal_is_python_not_json():
	value = {"dt": "Role", "filters": [["enabled", "=", True], ["x", "is", None]], "t": ("a",), "n": 1.5}
	assert ast.literal_eval(py_literal(value)) == value
	assert "True" in py_literal(value) and "true" not in py_literal(value)
