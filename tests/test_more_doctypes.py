"""The doctypes of more_doctypes.py, without a site: names, standard guards, dependencies, ignored
fields, and where export groups them (Singles and secret references: test_singles_and_secret_refs)."""

import pytest
from builders import doctype, role

from frappe_stack.blueprint.grouping import KIND_BLUEPRINT, TARGET_FIELD, group_documents
from frappe_stack.blueprint.more_doctypes import MORE_ADAPTERS, SINGLES
from frappe_stack.blueprint.registry import ADAPTERS, managed_form
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import ValidationFailed


def only_problem(repo, schema=None):
	with pytest.raises(ValidationFailed) as excinfo:
		load_blueprint_set(repo.root, schema)
	(error,) = excinfo.value.errors
	assert error.fix
	return error


def loaded(repo, schema=None) -> dict:
	return {doc.key: doc for bp in load_blueprint_set(repo.root, schema).blueprints for doc in bp.documents}


# ---- names --------------------------------------------------------------------------------------

NAMED_BY_A_FIELD = [
	("Role Profile", "role_profile"),
	("Module Profile", "module_profile_name"),
	("Letter Head", "letter_head_name"),
	("Print Style", "print_style_name"),
	("Address Template", "country"),
	("Terms and Conditions", "title"),
	("Kanban Board", "kanban_board_name"),
	("Form Tour", "title"),
]


@pytest.mark.parametrize("doctype_name,fieldname", NAMED_BY_A_FIELD)
def test_a_name_frappe_derives_from_a_field_must_match_it(repo, doctype_name, fieldname):
	document = {"doctype": doctype_name, "name": "Wrong", fieldname: "Right", "reference_doctype": "ToDo"}
	repo.write("x", [document])
	error = only_problem(repo)
	assert error.path == "$.documents[0].name"
	assert "should be 'Right'" in error.message
	repo.write("x", [document | {"name": "Right"}])
	assert ((doctype_name, "Right")) in loaded(repo)


@pytest.mark.parametrize(
	"document",
	[
		{"doctype": "Email Template", "name": "Any Name", "subject": "s"},
		{"doctype": "Translation", "name": "3f2a9c1b7e", "language": "de", "source_text": "Yes"},
		{"doctype": "Document Naming Rule", "name": "a1b2c3", "document_type": "ToDo"},
		{"doctype": "Web Form", "name": "old-title", "title": "New Title", "doc_type": "ToDo"},
		{"doctype": "Web Page", "name": "old-page", "title": "Renamed"},
		{"doctype": "Webhook", "name": "Hook", "webhook_doctype": "ToDo"},
		{"doctype": "Custom HTML Block", "name": "Block"},
		{"doctype": "Onboarding Step", "name": "Step", "title": "Another"},
		{"doctype": "Module Onboarding", "name": "Tour", "title": "Another", "module": "Custom"},
		{"doctype": "List View Settings", "name": "ToDo"},
		{
			"doctype": "DocType Link",
			"name": "x1",
			"parent": "ToDo",
			"link_doctype": "Note",
			"link_fieldname": "todo",
			"custom": 1,
		},
	],
)
def test_a_name_the_user_or_frappe_picks_is_kept_as_the_file_says(repo, document):
	repo.write("x", [document])
	assert (document["doctype"], document["name"]) in loaded(repo)


# ---- what apps own -------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"document,field",
	[
		(
			{"doctype": "Print Style", "name": "Modern", "print_style_name": "Modern", "standard": 1},
			"standard",
		),
		({"doctype": "Form Tour", "name": "T", "title": "T", "is_standard": 1}, "is_standard"),
		({"doctype": "Web Form", "name": "w", "doc_type": "ToDo", "is_standard": "1"}, "is_standard"),
		(
			{
				"doctype": "DocType Link",
				"name": "l",
				"parent": "ToDo",
				"link_doctype": "N",
				"link_fieldname": "t",
			},
			"custom",
		),
		(
			{
				"doctype": "DocType Link",
				"name": "l",
				"parent": "ToDo",
				"link_doctype": "N",
				"link_fieldname": "t",
				"custom": 0,
			},
			"custom",
		),
	],
)
def test_a_document_an_app_owns_is_refused(repo, document, field):
	repo.write("x", [document])
	error = only_problem(repo)
	assert error.path == f"$.documents[0].{field}"
	assert "standard document" in error.message


def test_discovery_skips_what_apps_own_and_singles():
	assert ADAPTERS["Print Style"].discover == {"standard": 0}
	assert ADAPTERS["Form Tour"].discover == {"is_standard": 0}
	assert ADAPTERS["Web Form"].discover == {"is_standard": 0}
	assert ADAPTERS["DocType Link"].discover == {"custom": 1, "parenttype": "DocType"}
	assert ADAPTERS["Kanban Board"].discover == {"private": 0}
	assert ADAPTERS["Onboarding Step"].discover is None
	assert all(ADAPTERS[single].discover is None for single in SINGLES)


# ---- dependencies ------------------------------------------------------------------------------

REFS = [
	({"doctype": "Role Profile", "name": "P", "roles": [{"role": "Clerk"}]}, [("Role", "Clerk")]),
	({"doctype": "Custom HTML Block", "name": "B", "roles": [{"role": "Clerk"}]}, [("Role", "Clerk")]),
	(
		{
			"doctype": "DocType Link",
			"name": "l",
			"parent": "ToDo",
			"link_doctype": "Note",
			"parent_doctype": "Book",
		},
		[("DocType", "ToDo"), ("DocType", "Note"), ("DocType", "Book")],
	),
	({"doctype": "Document Naming Rule", "name": "r", "document_type": "Note"}, [("DocType", "Note")]),
	({"doctype": "List View Settings", "name": "Note"}, [("DocType", "Note")]),
	({"doctype": "Assignment Rule", "name": "a", "document_type": "Note"}, [("DocType", "Note")]),
	({"doctype": "DocType Layout", "name": "l", "document_type": "Note"}, [("DocType", "Note")]),
	({"doctype": "Kanban Board", "name": "k", "reference_doctype": "Note"}, [("DocType", "Note")]),
	({"doctype": "Webhook", "name": "h", "webhook_doctype": "Note"}, [("DocType", "Note")]),
	(
		{"doctype": "Web Form", "name": "w", "doc_type": "Note", "print_format": "Note Sheet"},
		[("DocType", "Note"), ("Print Format", "Note Sheet")],
	),
	(
		{
			"doctype": "Form Tour",
			"name": "t",
			"reference_doctype": "Note",
			"report_name": "R",
			"workspace_name": "W",
		},
		[("DocType", "Note"), ("Report", "R"), ("Workspace", "W")],
	),
	(
		{"doctype": "Onboarding Step", "name": "s", "reference_document": "Note", "form_tour": "t"},
		[("DocType", "Note"), ("Form Tour", "t")],
	),
	(
		{
			"doctype": "Module Onboarding",
			"name": "m",
			"steps": [{"step": "s"}],
			"allow_roles": [{"role": "Clerk"}],
		},
		[("Onboarding Step", "s"), ("Role", "Clerk")],
	),
	(
		{"doctype": "System Settings", "name": "welcome_email_template", "value": "Welcome"},
		[("Email Template", "Welcome")],
	),
	({"doctype": "Print Settings", "name": "print_style", "value": "Mine"}, [("Print Style", "Mine")]),
	({"doctype": "Portal Settings", "name": "default_role", "value": "Clerk"}, [("Role", "Clerk")]),
	({"doctype": "System Settings", "name": "time_zone", "value": "Asia/Kolkata"}, []),
	({"doctype": "Email Template", "name": "e"}, []),
]


@pytest.mark.parametrize("document,refs", REFS)
def test_each_doctype_depends_on_what_it_links_to(document, refs):
	assert list(ADAPTERS[document["doctype"]].refs(document)) == refs


def test_what_a_document_links_to_is_applied_first(repo):
	repo.write(
		"x",
		[
			{"doctype": "System Settings", "name": "welcome_email_template", "value": "Welcome"},
			{
				"doctype": "DocType Link",
				"name": "l",
				"parent": "ToDo",
				"link_doctype": "Note",
				"link_fieldname": "todo",
				"custom": 1,
			},
			{"doctype": "Module Onboarding", "name": "M", "module": "Custom", "steps": [{"step": "S"}]},
			{"doctype": "Onboarding Step", "name": "S", "form_tour": "Note Tour"},
			{"doctype": "Form Tour", "name": "Note Tour", "title": "Note Tour", "reference_doctype": "Note"},
			{"doctype": "Email Template", "name": "Welcome"},
			doctype("Note"),
		],
	)
	(bp,) = load_blueprint_set(repo.root).blueprints
	order = [doc.key for doc in bp.apply_order]
	assert order.index(("Email Template", "Welcome")) < order.index(
		("System Settings", "welcome_email_template")
	)
	assert order.index(("DocType", "Note")) < order.index(("DocType Link", "l"))
	assert order.index(("DocType", "Note")) < order.index(("Form Tour", "Note Tour"))
	assert order.index(("Form Tour", "Note Tour")) < order.index(("Onboarding Step", "S"))
	assert order.index(("Onboarding Step", "S")) < order.index(("Module Onboarding", "M"))


# ---- fields frappe_stack never manages -------------------------------------------------------------


@pytest.mark.parametrize(
	"document,kept",
	[
		(
			{
				"doctype": "Kanban Board",
				"name": "k",
				"columns": [{"column_name": "Open", "order": '["N-1"]'}],
			},
			{"doctype": "Kanban Board", "name": "k", "columns": [{"column_name": "Open"}]},
		),
		(
			{"doctype": "Document Naming Rule", "name": "r", "prefix": "N-", "counter": 41},
			{"doctype": "Document Naming Rule", "name": "r", "prefix": "N-"},
		),
		(
			{"doctype": "Assignment Rule", "name": "a", "rule": "Round Robin", "last_user": "a@example.com"},
			{"doctype": "Assignment Rule", "name": "a", "rule": "Round Robin"},
		),
		(
			{"doctype": "Onboarding Step", "name": "s", "title": "S", "is_complete": 1, "is_skipped": 1},
			{"doctype": "Onboarding Step", "name": "s", "title": "S"},
		),
		(
			{"doctype": "Webhook", "name": "h", "preview_document": "N-1", "enabled": 1},
			{"doctype": "Webhook", "name": "h", "enabled": 1},
		),
		(
			{"doctype": "Translation", "name": "t", "source_text": "a", "contribution_status": "Pending"},
			{"doctype": "Translation", "name": "t", "source_text": "a"},
		),
	],
)
def test_state_frappe_or_users_keep_is_not_managed(document, kept):
	assert managed_form(document) == kept


# ---- where export groups them --------------------------------------------------------------------


def test_every_doctype_has_a_home_for_export():
	homeless = set(ADAPTERS) - set(TARGET_FIELD) - set(KIND_BLUEPRINT) - {"Role"}
	assert homeless == set()


def test_export_groups_the_new_doctypes_by_what_they_customize_or_by_kind():
	docs = [
		{"doctype": "Kanban Board", "name": "k", "reference_doctype": "Sales Note"},
		{"doctype": "DocType Link", "name": "l", "parent": "ToDo", "link_doctype": "Sales Note"},
		{"doctype": "Webhook", "name": "h", "webhook_doctype": "Sales Note"},
		{"doctype": "List View Settings", "name": "Sales Note"},
		{"doctype": "Form Tour", "name": "ui", "title": "ui", "ui_tour": 1},
		{"doctype": "Module Onboarding", "name": "m", "steps": [{"step": "s"}]},
		{"doctype": "Onboarding Step", "name": "s"},
		{"doctype": "System Settings", "name": "time_zone", "value": "UTC"},
		{"doctype": "Website Settings", "name": "title_prefix", "value": "X"},
		{"doctype": "Email Template", "name": "e"},
		{"doctype": "Role Profile", "name": "p", "roles": [{"role": "Clerk"}]},
		{"doctype": "Custom HTML Block", "name": "b", "roles": [{"role": "Clerk"}]},
		role("Clerk"),
	]
	groups, depends = group_documents(docs)
	homes = {(d["doctype"], d["name"]): name for name, members in groups.items() for d in members}
	assert homes == {
		("Kanban Board", "k"): "sales-note",
		("DocType Link", "l"): "todo",
		("Webhook", "h"): "sales-note",
		("List View Settings", "Sales Note"): "sales-note",
		("Form Tour", "ui"): "form-tours",
		("Module Onboarding", "m"): "onboarding",
		("Onboarding Step", "s"): "onboarding",
		("System Settings", "time_zone"): "system-settings",
		("Website Settings", "title_prefix"): "website-settings",
		("Email Template", "e"): "email-templates",
		("Role Profile", "p"): "profiles",
		("Custom HTML Block", "b"): "workspaces",
		("Role", "Clerk"): "roles",
	}
	assert depends == {"profiles": ["roles"], "workspaces": ["roles"]}


def test_the_registry_holds_every_new_adapter_once():
	names = [adapter.doctype for adapter in MORE_ADAPTERS]
	assert len(names) == len(set(names))
	assert all(ADAPTERS[name] is adapter for name, adapter in zip(names, MORE_ADAPTERS, strict=True))
