"""Law 4 on a real site: a blueprint that fails halfway leaves none of its documents changed,
whether it fails before its schema change is committed or after; dependents are skipped, the
rest apply, and `bench migrate` exits non-zero."""

import frappe
from frappe.installer import update_site_config

from frappe_stack import stack
from frappe_stack.tests.utils import StackTestCase, bench


def role(name: str) -> dict:
	return {"doctype": "Role", "name": name, "role_name": name}


def doctype(name: str, fields: list[dict]) -> dict:
	return {
		"doctype": "DocType",
		"name": name,
		"custom": 1,
		"module": "Custom",
		"fields": fields,
		"permissions": [{"role": "System Manager"}],
	}


HALF_KEYS = [
	("Role", "Stack Test Half Role"),
	("DocType", "Stack Test Half"),
	("Custom Field", "ToDo-as_dict"),
]
# Refused by Frappe only when it checks the DocType's new fields (the name of a controller method):
# a failure inside the blueprint that no validation before the writes can foresee.
CLASHING_FIELD = {
	"doctype": "Custom Field",
	"name": "ToDo-as_dict",
	"dt": "ToDo",
	"fieldname": "as_dict",
	"fieldtype": "Data",
	"label": "Half",
}


class TestAtomicBlueprints(StackTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.sql_ddl("drop table if exists `tabStack Test Half`")

	def write_set(self, broken_documents: list[dict]) -> None:
		self.write_blueprint("independent", [role("Stack Test Independent")])
		self.write_blueprint("broken", broken_documents)
		self.write_blueprint("dependent", [role("Stack Test Dependent")], depends_on=["broken"])
		# needs broken through a document reference, not depends_on
		self.write_blueprint(
			"uses-half",
			[
				{
					"doctype": "Custom DocPerm",
					"name": "stack-test-half-perm",
					"parent": "Stack Test Half",
					"role": "Guest",
				}
			],
		)

	def assert_failed_cleanly(self, result, failing: str) -> None:
		by_name = {r.blueprint: r for r in result.results}
		self.assertEqual(by_name["independent"].status, "applied")
		self.assertEqual(by_name["broken"].status, "failed")
		self.assertIn(failing, by_name["broken"].error)
		self.assertEqual(by_name["dependent"].status, "skipped")
		self.assertEqual(by_name["uses-half"].status, "skipped")
		for doctype, name in HALF_KEYS:
			self.assertFalse(
				frappe.db.exists(doctype, name), f"{doctype} {name} survived the failed blueprint"
			)
		self.assertFalse(frappe.db.table_exists("Stack Test Half"))
		self.assertFalse(frappe.db.exists("Role", "Stack Test Dependent"))
		self.assertTrue(frappe.db.exists("Role", "Stack Test Independent"))
		ledger = self.site.read_ledger()
		self.assertEqual(ledger["broken"].status, "Failed")
		self.assertIn(failing, ledger["broken"].last_error)
		self.assertIn("skipped", ledger["dependent"].last_error)
		failed_rows = frappe.get_all("Stack Audit Log", filters={"blueprint": "broken", "result": "Failed"})
		self.assertEqual(len(failed_rows), 1)

	def test_failure_before_the_schema_change_rolls_back_the_savepoint(self):
		self.write_set(
			[
				role("Stack Test Half Role"),
				doctype("Stack Test Half", [{"fieldname": "title", "fieldtype": "Data", "label": "Title"}]),
				CLASHING_FIELD,
			]
		)
		result = stack.apply(self.site, str(self.repo))
		self.assert_failed_cleanly(result, "Custom Field 'ToDo-as_dict'")
		self.assertFalse(frappe.db.has_column("ToDo", "as_dict"))

	def test_failure_after_the_schema_change_restores_from_snapshots(self):
		# The DocType and its table are committed before the Workflow is written; the Workflow
		# then fails on its missing action, so the committed part must be undone.
		self.write_set(
			[
				role("Stack Test Half Role"),
				doctype(
					"Stack Test Half",
					[
						{"fieldname": "title", "fieldtype": "Data", "label": "Title"},
						{
							"fieldname": "workflow_state",
							"fieldtype": "Link",
							"options": "Workflow State",
							"label": "State",
						},
					],
				),
				{
					"doctype": "Workflow",
					"name": "Stack Test Half Flow",
					"workflow_name": "Stack Test Half Flow",
					"document_type": "Stack Test Half",
					"workflow_state_field": "workflow_state",
					"states": [{"state": "Pending", "allow_edit": "Stack Test Half Role"}],
					"transitions": [
						{
							"state": "Pending",
							"action": "Stack Test No Such Action",
							"next_state": "Pending",
							"allowed": "Stack Test Half Role",
						}
					],
				},
			]
		)
		result = stack.apply(self.site, str(self.repo))
		self.assert_failed_cleanly(result, "Workflow 'Stack Test Half Flow'")
		self.assertFalse(frappe.db.exists("Workflow", "Stack Test Half Flow"))

	def test_migrate_applies_and_exits_non_zero_when_a_blueprint_fails(self):
		self.write_set(
			[
				doctype("Stack Test Half", [{"fieldname": "title", "fieldtype": "Data", "label": "Title"}]),
				CLASHING_FIELD,
			]
		)
		update_site_config("frappe_stack_blueprints", str(self.repo))
		done = bench("migrate")
		self.assertNotEqual(done.returncode, 0, done.stdout[-2000:])
		self.assertIn("broken", done.stdout + done.stderr)
		self.assertTrue(frappe.db.exists("Role", "Stack Test Independent"))
		self.assertFalse(frappe.db.exists("DocType", "Stack Test Half"))
		self.assertEqual(frappe.db.get_value("Blueprint", "broken", "status"), "Failed")


class TestWorkflowNeedsItsStateField(StackTestCase):
	def test_a_workflow_without_its_state_field_fails_with_the_fix_and_writes_nothing(self):
		self.write_blueprint(
			"todo-flow",
			[
				role("Stack Test Reviewer"),
				{
					"doctype": "Workflow",
					"name": "Stack Test ToDo Flow",
					"workflow_name": "Stack Test ToDo Flow",
					"document_type": "ToDo",
					"workflow_state_field": "stack_test_state",
					"states": [{"state": "Pending", "allow_edit": "Stack Test Reviewer"}],
				},
			],
		)
		result = stack.apply(self.site, str(self.repo))
		(outcome,) = result.results
		self.assertEqual(outcome.status, "failed")
		self.assertIn("Workflow 'Stack Test ToDo Flow'", outcome.error)
		self.assertIn("Custom Field 'ToDo-stack_test_state'", outcome.error)
		self.assertFalse(frappe.db.exists("Role", "Stack Test Reviewer"))
		self.assertFalse(frappe.db.exists("Custom Field", "ToDo-stack_test_state"))

		self.write_blueprint(
			"todo-flow",
			[
				role("Stack Test Reviewer"),
				{
					"doctype": "Custom Field",
					"name": "ToDo-stack_test_state",
					"dt": "ToDo",
					"fieldname": "stack_test_state",
					"fieldtype": "Link",
					"options": "Workflow State",
					"hidden": 1,
				},
				{
					"doctype": "Workflow",
					"name": "Stack Test ToDo Flow",
					"workflow_name": "Stack Test ToDo Flow",
					"document_type": "ToDo",
					"workflow_state_field": "stack_test_state",
					"states": [{"state": "Pending", "allow_edit": "Stack Test Reviewer"}],
				},
			],
		)
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])
		self.assertTrue(frappe.db.has_column("ToDo", "stack_test_state"))
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)
