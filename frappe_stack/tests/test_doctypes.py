"""Every supported doctype goes through the applier on a real site: created, converged (plan is
clean right after), and untouched by a second apply."""

import frappe

from frappe_stack import stack
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.tests.utils import StackTestCase, modified_of

THING = "Stack Test Thing"
DOCUMENTS = [
	{"doctype": "Role", "name": "Stack Test Clerk", "role_name": "Stack Test Clerk"},
	{
		"doctype": "Workflow State",
		"name": "Stack Test Open",
		"workflow_state_name": "Stack Test Open",
		"style": "Info",
	},
	{
		"doctype": "Workflow Action Master",
		"name": "Stack Test Close",
		"workflow_action_name": "Stack Test Close",
	},
	{
		"doctype": "DocType",
		"name": THING,
		"custom": 1,
		"module": "Custom",
		"fields": [
			{"fieldname": "title", "fieldtype": "Data", "label": "Title", "in_list_view": 1},
			{"fieldname": "status", "fieldtype": "Select", "label": "Status", "options": "Open\nClosed"},
			{
				"fieldname": "workflow_state",
				"fieldtype": "Link",
				"label": "State",
				"options": "Workflow State",
			},
		],
		"permissions": [{"role": "System Manager"}, {"role": "Stack Test Clerk", "delete": 0}],
	},
	{
		"doctype": "Custom Field",
		"name": "ToDo-stack_test_thing",
		"dt": "ToDo",
		"fieldname": "stack_test_thing",
		"fieldtype": "Link",
		"label": "Thing",
		"options": THING,
	},
	{
		"doctype": "Property Setter",
		"name": "ToDo-description-bold",
		"doctype_or_field": "DocField",
		"doc_type": "ToDo",
		"field_name": "description",
		"property": "bold",
		"property_type": "Check",
		"value": "1",
	},
	{
		"doctype": "Custom DocPerm",
		"name": "stack-test-todo-clerk",
		"parent": "ToDo",
		"role": "Stack Test Clerk",
	},
	{
		"doctype": "Workflow",
		"name": "Stack Test Thing Flow",
		"workflow_name": "Stack Test Thing Flow",
		"document_type": THING,
		"workflow_state_field": "workflow_state",
		"is_active": 1,
		"states": [
			{"state": "Stack Test Open", "allow_edit": "Stack Test Clerk"},
			{"state": "Approved", "allow_edit": "Stack Test Clerk"},
		],
		"transitions": [
			{
				"state": "Stack Test Open",
				"action": "Stack Test Close",
				"next_state": "Approved",
				"allowed": "Stack Test Clerk",
			}
		],
	},
	{
		"doctype": "Client Script",
		"name": "Stack Test Thing Form",
		"dt": THING,
		"view": "Form",
		"enabled": 1,
		"script": "frappe.ui.form.on('Stack Test Thing', { refresh(frm) { frm.set_intro('managed'); } });",
	},
	{
		"doctype": "Server Script",
		"name": "Stack Test Thing Tidy",
		"script_type": "DocType Event",
		"reference_doctype": THING,
		"doctype_event": "Before Save",
		"script": "doc.title = (doc.title or '').strip()",
	},
	{
		"doctype": "Report",
		"name": "Stack Test Thing List",
		"report_name": "Stack Test Thing List",
		"ref_doctype": THING,
		"report_type": "Report Builder",
		"is_standard": "No",
		"module": "Custom",
		"json": '{"columns": [["title", "Stack Test Thing"]], "filters": []}',
	},
	{
		"doctype": "Print Format",
		"name": "Stack Test Thing Sheet",
		"doc_type": THING,
		"module": "Custom",
		"standard": "No",
		"custom_format": 1,
		"print_format_type": "Jinja",
		"html": "<h1>{{ doc.title }}</h1>",
	},
	{
		"doctype": "Notification",
		"name": "Stack Test Thing Created",
		"subject": "New thing {{ doc.name }}",
		"document_type": THING,
		"event": "New",
		"channel": "System Notification",
		"message": "A thing was created",
		"recipients": [{"receiver_by_role": "Stack Test Clerk"}],
	},
	{
		"doctype": "Number Card",
		"name": "Stack Test Open Things",
		"label": "Stack Test Open Things",
		"document_type": THING,
		"function": "Count",
		"is_public": 1,
		"filters_json": '[["Stack Test Thing", "status", "=", "Open", false]]',
	},
	{
		"doctype": "Dashboard Chart",
		"name": "Stack Test Things by Status",
		"chart_name": "Stack Test Things by Status",
		"chart_type": "Group By",
		"document_type": THING,
		"group_by_based_on": "status",
		"type": "Donut",
		"is_public": 1,
		"filters_json": "[]",
		"from_date": "2026-01-01",  # a Date value must round-trip through the live read
	},
	{
		"doctype": "Dashboard",
		"name": "Stack Test Things",
		"dashboard_name": "Stack Test Things",
		"charts": [{"chart": "Stack Test Things by Status"}],
		"cards": [{"card": "Stack Test Open Things"}],
	},
	{
		"doctype": "Workspace",
		"name": "Stack Test Space",
		"label": "Stack Test Space",
		"title": "Stack Test Space",
		"public": 1,
		"content": '[{"id": "a1", "type": "header", "data": {"text": "Things", "col": 12}}]',
		"links": [{"type": "Link", "label": "Things", "link_type": "DocType", "link_to": THING}],
		"number_cards": [{"number_card_name": "Stack Test Open Things", "label": "Open"}],
		"charts": [{"chart_name": "Stack Test Things by Status", "label": "By Status"}],
		"roles": [{"role": "Stack Test Clerk"}],
	},
]
KEYS = [(doc["doctype"], doc["name"]) for doc in DOCUMENTS]


class TestEverySupportedDoctype(StackTestCase):
	def test_the_list_covers_the_registry(self):
		from frappe_stack.blueprint.more_doctypes import MORE_ADAPTERS

		# the doctypes of more_doctypes.py have their own real-site test (test_more_doctypes)
		more = {adapter.doctype for adapter in MORE_ADAPTERS}
		self.assertEqual({doctype for doctype, _ in KEYS}, set(ADAPTERS) - more)

	def test_each_doctype_applies_converges_and_reapplies_as_a_no_op(self):
		self.write_blueprint("everything", DOCUMENTS)
		first = stack.apply(self.site, str(self.repo))
		self.assertFalse(first.failed, [r.error for r in first.failed])
		for doctype, name in KEYS:
			self.assertTrue(frappe.db.exists(doctype, name), f"{doctype} {name} was not created")
		self.assertEqual(frappe.db.get_value("Report", "Stack Test Thing List", "is_standard"), "No")
		self.assertTrue(frappe.db.has_column("ToDo", "stack_test_thing"))

		plan, _, _ = stack.make_plan(self.site, str(self.repo))
		self.assertFalse(plan.has_changes, [op.as_dict() for bp in plan.blueprints for op in bp.writes])

		before = modified_of(KEYS)
		second = stack.apply(self.site, str(self.repo))
		self.assertFalse(second.failed)
		self.assertEqual(second.summary()["noop"], len(KEYS))
		self.assertEqual(modified_of(KEYS), before)

	def test_an_edit_to_each_doctype_is_an_update_of_exactly_that_document(self):
		self.write_blueprint("everything", DOCUMENTS)
		stack.apply(self.site, str(self.repo))
		edited = [dict(doc) for doc in DOCUMENTS]
		for doc in edited:
			if doc["doctype"] == "Client Script":
				doc["enabled"] = 0
			if doc["doctype"] == "Notification":
				doc["message"] = "A thing was registered"
		self.write_blueprint("everything", edited)
		plan, _, _ = stack.make_plan(self.site, str(self.repo))
		updates = sorted(op.key for bp in plan.blueprints for op in bp.writes)
		self.assertEqual(
			updates,
			[("Client Script", "Stack Test Thing Form"), ("Notification", "Stack Test Thing Created")],
		)
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])
		self.assertEqual(frappe.db.get_value("Client Script", "Stack Test Thing Form", "enabled"), 0)
		self.assertEqual(
			frappe.db.get_value("Notification", "Stack Test Thing Created", "message"),
			"A thing was registered",
		)
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)
