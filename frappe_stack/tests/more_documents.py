"""One document of each doctype of more_doctypes.py (what a bare Frappe site has), shaped as apps
ship them, and the clean-up that puts a site back as it was (run on the peer by `bench execute`)."""

import frappe

from frappe_stack.tests.utils import purge_managed

NOTE = "Stack Test Note"
ROLE = "Stack Test Reader"
SECRET_KEY = "stack_test_webhook_secret"
# ERPNext's and HRMS's: not on a bare Frappe site, so not in the real-site test
NOT_ON_BARE_FRAPPE = {
	"Terms and Conditions",
	"Selling Settings",
	"Buying Settings",
	"Stock Settings",
	"Accounts Settings",
	"Manufacturing Settings",
	"Projects Settings",
	"HR Settings",
}
SETTINGS = (
	"System Settings",
	"Website Settings",
	"Print Settings",
	"Navbar Settings",
	"Portal Settings",
	"Contact Us Settings",
)

DOCUMENTS = [
	{"doctype": "Role", "name": ROLE, "role_name": ROLE},
	{
		"doctype": "DocType",
		"name": NOTE,
		"custom": 1,
		"module": "Custom",
		"fields": [
			{"fieldname": "title", "fieldtype": "Data", "label": "Title"},
			{"fieldname": "status", "fieldtype": "Select", "label": "Status", "options": "Open\nClosed"},
			{"fieldname": "todo", "fieldtype": "Link", "label": "ToDo", "options": "ToDo"},
		],
		"permissions": [{"role": "System Manager"}, {"role": ROLE, "write": 0, "delete": 0}],
	},
	{
		"doctype": "Email Template",
		"name": "Stack Test Welcome",
		"subject": "Welcome to {{ site }}",
		"response": "<p>Hello {{ first_name }}</p>",
	},
	{
		"doctype": "Role Profile",
		"name": "Stack Test Profile",
		"role_profile": "Stack Test Profile",
		"roles": [{"role": ROLE}],
	},
	{
		"doctype": "Module Profile",
		"name": "Stack Test Modules",
		"module_profile_name": "Stack Test Modules",
		"block_modules": [{"module": "Website"}],
	},
	{
		"doctype": "Letter Head",
		"name": "Stack Test Head",
		"letter_head_name": "Stack Test Head",
		"source": "HTML",
		"content": "<p>Stack Test Head</p>",
		"is_default": 1,  # Frappe makes the first letter head the default
	},
	{
		"doctype": "Print Style",
		"name": "Stack Test Style",
		"print_style_name": "Stack Test Style",
		"css": ".print-format { font-size: 9pt; }",
	},
	{
		"doctype": "Address Template",
		"name": "Iceland",
		"country": "Iceland",
		"template": "{{ address_line1 }}<br>{{ city }}",
		"is_default": 1,  # Frappe makes the first template the default
	},
	{
		"doctype": "Translation",
		"name": "stack-test-translation",
		"language": "de",
		"source_text": "Stack Test Note",
		"translated_text": "Stapeltest-Notiz",
	},
	{
		"doctype": "DocType Link",
		"name": "stack-test-todo-notes",
		"parent": "ToDo",
		"link_doctype": NOTE,
		"link_fieldname": "todo",
		"group": "Stack Test",
		"custom": 1,
	},
	{
		"doctype": "Document Naming Rule",
		"name": "stack-test-note-naming",
		"document_type": NOTE,
		"prefix": "STN-",
		"prefix_digits": 4,
	},
	{"doctype": "List View Settings", "name": NOTE, "disable_count": 1, "disable_sidebar_stats": 1},
	{
		"doctype": "Assignment Rule",
		"name": "Stack Test Note Triage",
		"document_type": NOTE,
		"description": "Open notes go to the administrator",
		"assign_condition": 'status == "Open"',
		"rule": "Round Robin",
		"priority": 1,
		"users": [{"user": "Administrator"}],
		"assignment_days": [{"day": "Monday"}, {"day": "Tuesday"}],
	},
	{
		"doctype": "DocType Layout",
		"name": "Stack Test Note Layout",
		"document_type": NOTE,
		"route": "stack-test-note-layout",
		"fields": [{"fieldname": "title", "label": "Title"}, {"fieldname": "status", "label": "Status"}],
	},
	{
		"doctype": "Kanban Board",
		"name": "Stack Test Notes",
		"kanban_board_name": "Stack Test Notes",
		"reference_doctype": NOTE,
		"field_name": "status",
		"columns": [
			{"column_name": "Open", "indicator": "Blue"},
			{"column_name": "Closed", "indicator": "Green"},
		],
	},
	{
		"doctype": "Webhook",
		"name": "Stack Test Hook",
		"webhook_doctype": NOTE,
		"webhook_docevent": "on_update",
		"request_url": "https://hooks.example.com/notes",
		"request_method": "POST",
		"request_structure": "Form URL-Encoded",
		"webhook_data": [{"fieldname": "name", "key": "id"}],
		"enable_security": 1,
		"webhook_secret": {"site_config": SECRET_KEY},
	},
	{
		"doctype": "Web Form",
		"name": "stack-test-note-form",
		"title": "Stack Test Note Form",
		"route": "stack-test-note-form",
		"doc_type": NOTE,
		"module": "Custom",
		"web_form_fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title"}],
	},
	{
		"doctype": "Web Page",
		"name": "stack-test-page",
		"title": "Stack Test Page",
		"route": "stack-test-page",
		"published": 1,
		"content_type": "Rich Text",
		"main_section": "<p>Stack Test</p>",
	},
	{
		"doctype": "Custom HTML Block",
		"name": "Stack Test Block",
		"html": "<b>Notes</b>",
		"roles": [{"role": ROLE}],
	},
	{
		"doctype": "Form Tour",
		"name": "Stack Test Tour",
		"title": "Stack Test Tour",
		"reference_doctype": NOTE,
		"steps": [
			{
				"title": "Title",
				"description": "Name the note",
				"fieldname": "title",
				"label": "Title",
				"fieldtype": "Data",
			}
		],
	},
	{
		"doctype": "Onboarding Step",
		"name": "Stack Test Write A Note",
		"title": "Write a note",
		"action": "Create Entry",
		"reference_document": NOTE,
	},
	{
		"doctype": "Module Onboarding",
		"name": "Stack Test Onboarding",
		"title": "Notes",
		"subtitle": "Notes",
		"module": "Custom",
		"success_message": "Done",
		"documentation_url": "https://example.com/notes",
		"steps": [{"step": "Stack Test Write A Note"}],
		"allow_roles": [{"role": ROLE}],
	},
	# Singles, by field: a Link to a document above, and a managed field at its default (0)
	{"doctype": "System Settings", "name": "welcome_email_template", "value": "Stack Test Welcome"},
	{"doctype": "System Settings", "name": "deny_multiple_sessions", "value": 0},
	{"doctype": "Website Settings", "name": "title_prefix", "value": "Stack Test"},
	{"doctype": "Print Settings", "name": "print_style", "value": "Stack Test Style"},
	{"doctype": "Portal Settings", "name": "default_role", "value": ROLE},
	{"doctype": "Navbar Settings", "name": "announcement_widget", "value": "<p>Stack Test</p>"},
	{"doctype": "Contact Us Settings", "name": "heading", "value": "Write to Stack Test"},
]


def settings_now(doctype: str | None = None, all_fields: bool = False) -> dict:
	"""The stored values of the managed fields (or of every field) of the test's Singles."""
	if doctype:
		stored = frappe.db.get_singles_dict(doctype)
		if all_fields:
			return dict(stored)
		return {d["name"]: stored.get(d["name"]) for d in DOCUMENTS if d["doctype"] == doctype}
	# returned as JSON by `bench execute` when the test reads the peer's
	return {single: settings_now(single) for single in SETTINGS}


def purge(settings: dict | None = None) -> None:
	"""Put the Singles' fields back (before the documents they link to go), release what Frappe
	refuses to delete while it is the default, and delete every managed document."""
	frappe.db.rollback()
	for doctype, values in (settings or {}).items():
		for fieldname, value in values.items():
			frappe.db.set_single_value(doctype, fieldname, value)
	frappe.db.set_value("Address Template", {"name": "Iceland"}, "is_default", 0)
	# a Role Profile's save locks it until a worker has updated its users; tests run no worker
	profile = frappe.new_doc("Role Profile")
	profile.name = "Stack Test Profile"
	profile.unlock()
	frappe.db.commit()
	keys = [(d["doctype"], d["name"]) for d in DOCUMENTS]
	purge_managed(also=keys)
	frappe.clear_cache(doctype="ToDo")
