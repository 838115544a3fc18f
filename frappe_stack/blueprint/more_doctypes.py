"""Adapters for the doctypes that public apps ship as fixtures besides the core ones: print and
email building blocks, profiles, website pages and forms, automation rules, onboarding, Connections
added to standard DocTypes, translations, and Singles (settings) managed field by field.

Names follow each controller in Frappe v15: `expected_name` where Frappe derives the name from a
field; None where the user or Frappe picks it (prompt, hash, a title scrubbed once at creation),
so the name in the file is the name on the site. registry.py adds these to the core ones.
"""

from frappe_stack.blueprint.doctype_adapter import (
	DoctypeAdapter,
	doctype_ref,
	field_value,
	role_refs,
	rows,
)
from frappe_stack.blueprint.secret_refs import is_reference
from frappe_stack.blueprint.single_fields import single_field_problems, single_field_refs

Key = tuple[str, str]


def _link(doctype: str, fieldname: str):
	"""refs() of one Link field to a supported doctype."""
	return lambda doc: [(doctype, doc[fieldname])] if doc.get(fieldname) else []


def _all(*parts):
	return lambda doc: [ref for part in parts for ref in part(doc)]


def _doctype_field(fieldname: str):
	return lambda doc: doctype_ref(doc.get(fieldname))


def _roles(table: str):
	return lambda doc: role_refs(rows(doc, table), "role")


def _onboarding_refs(doc: dict) -> list[Key]:
	steps = [("Onboarding Step", row["step"]) for row in rows(doc, "steps") if row.get("step")]
	return steps + role_refs(rows(doc, "allow_roles"), "role")


def _secret_reference_problems(fieldname: str):
	"""A Password field holding a dict that is no well-formed reference: say the form."""

	def problems(doc: dict, schema) -> list[tuple[str, str, str]]:
		value = doc.get(fieldname)
		if isinstance(value, dict) and not is_reference(value):
			return [
				(
					fieldname,
					f"{doc['doctype']} '{doc.get('name')}' has a malformed secret reference",
					f'write "{fieldname}": {{"site_config": "<site config key>"}}',
				)
			]
		return []

	return problems


# Link fields of Singles that point at supported doctypes (so the target is applied first).
SINGLE_LINKS = {
	"System Settings": {
		"welcome_email_template": "Email Template",
		"reset_password_template": "Email Template",
	},
	"Print Settings": {"print_style": "Print Style"},
	"Portal Settings": {"default_role": "Role"},
}
# Settings that apps commonly ship as fixtures; the ERPNext and HRMS ones apply where those apps
# are installed.
SINGLES = (
	"System Settings",
	"Website Settings",
	"Navbar Settings",
	"Print Settings",
	"Portal Settings",
	"Contact Us Settings",
	"Selling Settings",
	"Buying Settings",
	"Stock Settings",
	"Accounts Settings",
	"Manufacturing Settings",
	"Projects Settings",
	"HR Settings",
)

MORE_ADAPTERS = (
	DoctypeAdapter("Email Template", 13),
	DoctypeAdapter(
		"Role Profile",
		13,
		refs=_roles("roles"),
		expected_name=field_value("role_profile"),
		required=("role_profile",),
	),
	DoctypeAdapter(
		"Module Profile",
		13,
		expected_name=field_value("module_profile_name"),
		required=("module_profile_name",),
	),
	DoctypeAdapter(
		"Letter Head", 14, expected_name=field_value("letter_head_name"), required=("letter_head_name",)
	),
	DoctypeAdapter(
		"Print Style",
		14,
		expected_name=field_value("print_style_name"),
		standard_guard=("standard", 1),
		required=("print_style_name",),
		discover={"standard": 0},
	),
	# named by its Country (a Link to a doctype every site has)
	DoctypeAdapter("Address Template", 14, expected_name=field_value("country"), required=("country",)),
	# ERPNext's; named by its title
	DoctypeAdapter("Terms and Conditions", 14, expected_name=field_value("title"), required=("title",)),
	# random names (hash); the file keeps the site's name
	DoctypeAdapter(
		"Translation",
		15,
		required=("language", "source_text"),
		ignored=frozenset({"contribution_status", "contribution_docname"}),
	),
	# Connections (the DocType's "links" table) added to a standard DocType in Customize Form: rows
	# with custom 1, each its own document; those of a custom DocType belong to its DocType document
	DoctypeAdapter(
		"DocType Link",
		33,
		refs=_all(_doctype_field("parent"), _doctype_field("link_doctype"), _doctype_field("parent_doctype")),
		standard_guard=("custom", 0),
		required=("parent", "link_doctype", "link_fieldname"),
		discover={"custom": 1, "parenttype": "DocType"},
	),
	DoctypeAdapter(
		"Document Naming Rule",
		34,
		refs=_doctype_field("document_type"),
		required=("document_type",),
		ignored=frozenset({"counter"}),  # the series' current number: data, not configuration
	),
	# named after the DocType whose list it configures
	DoctypeAdapter("List View Settings", 35, refs=lambda doc: doctype_ref(doc.get("name"))),
	DoctypeAdapter(
		"Assignment Rule",
		63,
		refs=_doctype_field("document_type"),
		required=("document_type",),
		ignored=frozenset({"last_user"}),  # round-robin position
	),
	DoctypeAdapter("DocType Layout", 64, refs=_doctype_field("document_type"), required=("document_type",)),
	DoctypeAdapter(
		"Kanban Board",
		65,
		refs=_doctype_field("reference_doctype"),
		expected_name=field_value("kanban_board_name"),
		required=("kanban_board_name", "reference_doctype"),
		# each column's card order is what users drag around: data, not configuration
		ignored=frozenset({"columns.order"}),
		discover={"private": 0},
	),
	DoctypeAdapter(
		"Webhook",
		66,
		refs=_doctype_field("webhook_doctype"),
		required=("webhook_doctype",),
		# a preview picks a document of the site; the other two are computed from it
		ignored=frozenset({"preview_document", "preview_request_body", "meets_condition"}),
		problems=_secret_reference_problems("webhook_secret"),
	),
	# named by its title, scrubbed once at creation (a later title keeps the name)
	DoctypeAdapter(
		"Web Form",
		67,
		refs=_all(_doctype_field("doc_type"), _link("Print Format", "print_format")),
		standard_guard=("is_standard", 1),
		required=("doc_type",),
		discover={"is_standard": 0},
	),
	DoctypeAdapter("Web Page", 68),
	DoctypeAdapter("Custom HTML Block", 75, refs=_roles("roles"), discover={"private": 0}),
	DoctypeAdapter(
		"Form Tour",
		81,
		refs=_all(
			_doctype_field("reference_doctype"),
			_link("Report", "report_name"),
			_link("Dashboard", "dashboard_name"),
			_link("Workspace", "workspace_name"),
		),
		expected_name=field_value("title"),
		standard_guard=("is_standard", 1),
		required=("title",),
		discover={"is_standard": 0},
	),
	# Onboarding has no standard flag: what an app ships is a file in the app (the site adapter
	# refuses and skips those); steps are exported with the onboarding that uses them
	DoctypeAdapter(
		"Onboarding Step",
		82,
		refs=_all(
			_doctype_field("reference_document"),
			_link("Report", "reference_report"),
			_link("Form Tour", "form_tour"),
		),
		ignored=frozenset({"is_complete", "is_skipped"}),  # a user's progress
		discover=None,
	),
	DoctypeAdapter(
		"Module Onboarding",
		83,
		refs=_onboarding_refs,
		required=("module",),
		ignored=frozenset({"is_complete"}),
	),
	*(
		DoctypeAdapter(
			single,
			90,
			refs=single_field_refs(SINGLE_LINKS.get(single, {})),
			discover=None,  # a singleton's fields are managed only where a blueprint names them
			by_field=True,
			problems=single_field_problems,
		)
		for single in SINGLES
	),
)
# Documents exported on their own only when something exported references them.
REFERENCED_BY = {
	"Workflow": ("Workflow State", "Workflow Action Master"),
	"Module Onboarding": ("Onboarding Step",),
}
# Documents that an app may ship as files in its modules, with no standard flag to say so.
SHIPPED_AS_FILES = ("Workspace", "Module Onboarding", "Onboarding Step")
