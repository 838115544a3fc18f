"""Per-file checks of the documents in a blueprint (doctype, name, required fields, standard documents,
passwords, tombstones): every bad input names the file, the JSON path and the fix (law 5)."""

import pytest
from builders import custom_field, doctype, role
from loader_helpers import only_problem, problems

from frappe_stack.blueprint.loader import Source, load_file, load_files
from frappe_stack.blueprint.registry import supported_doctypes
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import ValidationFailed


def test_unknown_doctype(repo):
	repo.write("x", [role("A"), {"doctype": "Sales Invoice", "name": "SINV-1"}])
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.documents[1].doctype")
	assert "'Sales Invoice'" in error.message
	assert all(dt in error.fix for dt in supported_doctypes())


def test_document_that_is_not_an_object(repo):
	repo.write("x", ["Role"])
	assert only_problem(repo).path == "$.documents[0]"


@pytest.mark.parametrize("name", [None, "", "   "])
def test_document_without_a_name(repo, name):
	repo.write("x", [{"doctype": "Role", "name": name, "role_name": "A"}])
	error = only_problem(repo)
	assert error.path == "$.documents[0].name"
	assert "Role document has no name" in error.message


def test_missing_required_field(repo):
	field = custom_field("Contact", "beneficiary")
	del field["dt"]
	field["name"] = "Contact-beneficiary"
	repo.write("x", [field])
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.documents[0].dt")
	assert "Custom Field 'Contact-beneficiary' has no dt" in error.message
	assert error.fix == 'add "dt"'


def test_a_field_frappe_defaults_is_not_required(repo):
	# export drops fieldtype "Data" (the default), so such a file must load
	field = custom_field("Contact", "nickname")
	del field["fieldtype"]
	repo.write("x", [field])
	(bp,) = load_blueprint_set(repo.root).blueprints
	assert "fieldtype" not in bp.documents[0].data


def test_every_missing_required_field_is_reported(repo):
	repo.write("x", [{"doctype": "Custom Field", "name": "Contact-x"}])
	paths = sorted(e.path for e in problems(repo))
	assert paths == ["$.documents[0].dt", "$.documents[0].fieldname"]


@pytest.mark.parametrize(
	"document,expected",
	[
		(role("Field Officer") | {"name": "Field officer"}, "Field Officer"),
		(
			{
				"doctype": "Property Setter",
				"name": "x",
				"doc_type": "Contact",
				"field_name": "phone",
				"property": "hidden",
				"value": "1",
			},
			"Contact-phone-hidden",
		),
		(
			{
				"doctype": "Property Setter",
				"name": "x",
				"doc_type": "Contact",
				"property": "sort_field",
				"value": "a",
			},
			"Contact-main-sort_field",
		),
		(
			{"doctype": "Workflow", "name": "W", "workflow_name": "Approval", "document_type": "Contact"},
			"Approval",
		),
	],
)
def test_name_frappe_would_give(repo, document, expected):
	repo.write("x", [document])
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.documents[0].name")
	assert f"should be '{expected}'" in error.message
	assert error.fix == f'set "name": "{expected}"'


@pytest.mark.parametrize("name", ["Trip Ticket-area", "User-hide_my_private_information_from_others"])
def test_a_custom_field_keeps_the_name_a_real_site_gave_it(repo, name):
	"""Frappe keeps an imported field's name, and a renamed DocType keeps its fields' names."""
	repo.write("x", [custom_field("Trips", "area") | {"name": name}])
	(bp,) = load_blueprint_set(repo.root).blueprints
	assert bp.documents[0].name == name


def test_two_custom_fields_for_one_fieldname_are_refused(repo):
	repo.write("x", [custom_field("Trips", "area")])
	repo.write("y", [custom_field("Trips", "area") | {"name": "Trip Ticket-area"}])
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/y.json", "$.documents[0].fieldname")
	assert "as Custom Field 'Trips-area' (x) already does" in error.message


@pytest.mark.parametrize("custom", [0, "0", False, None])
def test_standard_doctype_is_refused(repo, custom):
	document = doctype("Contact", custom=custom)
	if custom is None:
		del document["custom"]
	repo.write("x", [document])
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.documents[0].custom")
	assert "standard document" in error.message
	assert '"custom": 1' in error.fix


@pytest.mark.parametrize("custom", [1, "1", True])
def test_custom_doctype_is_accepted(repo, custom):
	repo.write("x", [doctype("Beneficiary", custom=custom)])
	assert [bp.name for bp in load_blueprint_set(repo.root).blueprints] == ["x"]


def test_standard_report_is_refused(repo):
	report = {"doctype": "Report", "name": "R", "report_name": "R", "ref_doctype": "Contact"}
	repo.write("x", [report | {"report_type": "Report Builder", "is_standard": "Yes"}])
	error = only_problem(repo)
	assert (error.path, "standard document" in error.message) == ("$.documents[0].is_standard", True)
	repo.write("x", [report | {"report_type": "Report Builder", "is_standard": "No"}])
	assert load_blueprint_set(repo.root).blueprints[0].documents[0].name == "R"


@pytest.mark.parametrize(
	"is_standard,refused", [(1, True), ("1", True), (0, False), ("0", False), (None, False)]
)
def test_standard_notification(repo, is_standard, refused):
	notification = {"doctype": "Notification", "name": "N", "document_type": "Contact"}
	if is_standard is not None:
		notification["is_standard"] = is_standard
	repo.write("x", [notification])
	if refused:
		assert only_problem(repo).path == "$.documents[0].is_standard"
	else:
		assert load_blueprint_set(repo.root).blueprints[0].documents[0].name == "N"


def test_child_table_rows_must_be_objects(repo):
	repo.write("x", [doctype("B", fields=["title"])])
	error = only_problem(repo)
	assert error.path == "$.documents[0].fields"


def test_password_field_with_a_value_is_refused(repo):
	schemas = {
		"Server Script": DoctypeSchema(
			"Server Script",
			{
				"script_type": FieldSpec("script_type", "Select"),
				"api_secret": FieldSpec("api_secret", "Password"),
			},
		)
	}
	script = {"doctype": "Server Script", "name": "S", "script_type": "API", "api_secret": "hunter2"}
	repo.write("x", [script])
	error = only_problem(repo, schemas.get)
	assert (error.file, error.path) == ("blueprints/x.json", "$.documents[0].api_secret")
	assert "secret" in error.message
	assert "hunter2" not in str(error)
	assert "site config" in error.fix
	repo.write("x", [script | {"api_secret": ""}])
	assert load_blueprint_set(repo.root, schemas.get).blueprints[0].documents[0].data == {
		"doctype": "Server Script",
		"name": "S",
		"script_type": "API",
	}


def test_custom_field_of_type_password_with_a_default_is_refused(repo):
	repo.write("x", [custom_field("Contact", "token", fieldtype="Password", default="s3cret")])
	error = only_problem(repo)
	assert error.path == "$.documents[0].default"
	assert "Password field 'token'" in error.message and "s3cret" not in str(error)


def test_doctype_password_field_with_a_default_is_refused(repo):
	fields = [
		{"fieldname": "title", "fieldtype": "Data"},
		{"fieldname": "pin", "fieldtype": "Password", "default": "1234"},
	]
	repo.write("x", [doctype("Vault", fields=fields)])
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", "$.documents[0].fields[1].default")
	assert "Password field 'pin'" in error.message


def test_password_field_without_a_default_is_fine(repo):
	fields = [{"fieldname": "pin", "fieldtype": "Password"}]
	repo.write("x", [doctype("Vault", fields=fields), custom_field("Contact", "token", fieldtype="Password")])
	assert len(load_blueprint_set(repo.root).blueprints[0].documents) == 2


@pytest.mark.parametrize(
	"tombstone,path",
	[
		({"doctype": "Custom Field"}, "$.delete[0]"),
		({"doctype": "Custom Field", "name": ""}, "$.delete[0]"),
		({"doctype": "Custom Field", "name": "Contact-x", "extra": 1}, "$.delete[0]"),
		("Contact-x", "$.delete[0]"),
		({"doctype": "Sales Invoice", "name": "SINV-1"}, "$.delete[0].doctype"),
	],
)
def test_bad_tombstone(repo, tombstone, path):
	repo.write("x", [role("A")], delete=[tombstone])
	error = only_problem(repo)
	assert (error.file, error.path) == ("blueprints/x.json", path)


def test_delete_must_be_a_list(repo):
	repo.write("x", [role("A")], delete={"doctype": "Role", "name": "A"})
	assert only_problem(repo).path == "$.delete"


def test_all_problems_of_a_file_are_reported_at_once(repo):
	repo.write(
		"x",
		[{"doctype": "Nope", "name": "a"}, role("B") | {"name": "C"}],
		depends_on="y",
		extra=1,
	)
	paths = sorted(e.path for e in problems(repo))
	assert paths == ["$.depends_on", "$.documents[0].doctype", "$.documents[1].name", "$.extra"]


def test_two_bad_files_give_two_errors(repo):
	repo.write_text("a.json", "{")
	repo.write("b", [{"doctype": "Role", "role_name": "X"}])
	repo.write("c", [role("Fine")])
	errors = problems(repo)
	assert [(e.file, e.path) for e in errors] == [
		("blueprints/a.json", "$"),
		("blueprints/b.json", "$.documents[0].name"),
	]


def test_loaded_documents_are_in_canonical_form_and_rank_order(repo):
	field = custom_field("Contact", "x", modified="2024-01-01", owner="a", label="") | {"docstatus": 0}
	repo.write("x", [field, role("Z"), role("A")], description="Roles and a field")
	bp = load_blueprint_set(repo.root).blueprints[0]
	assert [doc.key for doc in bp.documents] == [("Role", "A"), ("Role", "Z"), ("Custom Field", "Contact-x")]
	assert bp.documents[2].data == custom_field("Contact", "x")
	assert bp.documents[2].path == "$.documents[0]"
	assert bp.description == "Roles and a field"


def test_schema_lookup_drops_defaults_when_loading(repo):
	schema = DoctypeSchema(
		"Role",
		{
			"role_name": FieldSpec("role_name", "Data"),
			"desk_access": FieldSpec("desk_access", "Check", default="1"),
		},
	)
	repo.write("x", [role("A", desk_access=1), role("B", desk_access="0")])
	bp = load_blueprint_set(repo.root, {"Role": schema}.get).blueprints[0]
	assert [doc.data for doc in bp.documents] == [role("A"), role("B", desk_access=0)]


def test_source_accepts_the_blueprints_folder_itself(repo):
	repo.write("x", [role("A")])
	found, errors = load_files(Source(repo.dir, "app:"))
	assert errors == []
	assert [bp.file for bp in found] == ["app:blueprints/x.json"]
	nested, _ = load_files(Source(repo.root))
	assert [bp.file for bp in nested] == ["blueprints/x.json"]


def test_load_file_shows_the_given_name(repo):
	path = repo.write_text("x.json", "nope")
	bp, errors = load_file(path, "shown/x.json", None)
	assert bp is None and errors[0].file == "shown/x.json"


def test_a_doctype_level_property_setter_is_named_as_frappe_names_it(repo):
	setter = {
		"doctype": "Property Setter",
		"doctype_or_field": "DocType",
		"doc_type": "ToDo",
		"property": "sort_order",
		"property_type": "Data",
		"value": "ASC",
	}
	repo.write("setters", [dict(setter, name="ToDo-main-sort_order")])
	assert load_blueprint_set(repo.root).blueprints[0].documents[0].name == "ToDo-main-sort_order"
	repo.write("setters", [dict(setter, name="ToDo-sort_order")])
	with pytest.raises(ValidationFailed) as caught:
		load_blueprint_set(repo.root)
	assert "should be 'ToDo-main-sort_order'" in str(caught.value)
