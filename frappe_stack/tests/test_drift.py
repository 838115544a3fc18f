"""Drifted on a real site: a managed document edited in the site makes `diff` (and `status --live`)
mark its blueprint Drifted in the ledger, with audit rows; the next apply makes it Applied again."""

import json

import frappe

from frappe_stack import stack
from frappe_stack.statuses import LedgerStatus
from frappe_stack.tests.utils import StackTestCase, bench

BLUEPRINT = "drift-note"
FIELD = {
	"doctype": "Custom Field",
	"name": "ToDo-drift_note",
	"dt": "ToDo",
	"fieldname": "drift_note",
	"fieldtype": "Data",
	"label": "Drift Note",
	"insert_after": "description",
}


class TestDrifted(StackTestCase):
	def setUp(self):
		super().setUp()
		self.write_blueprint(BLUEPRINT, [FIELD])
		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		self.assertEqual(self.status(), LedgerStatus.APPLIED)

	def status(self) -> str:
		return frappe.db.get_value("Blueprint", BLUEPRINT, "status")

	def edit_in_desk(self, label: str) -> None:
		field = frappe.get_doc("Custom Field", FIELD["name"])
		field.label = label
		field.save()
		frappe.db.commit()

	def drift_rows(self) -> list[dict]:
		return frappe.get_all(
			"Stack Audit Log",
			filters={"blueprint": BLUEPRINT, "action": ("like", "drift%")},
			fields=["action", "result", "document_type", "document_name", "before_hash", "after_hash"],
			order_by="creation asc, name asc",
		)

	def test_an_edit_in_the_site_is_drifted_until_the_next_apply(self):
		applied_hash = frappe.db.get_value(
			"Blueprint Document", {"parent": BLUEPRINT, "document_name": FIELD["name"]}, "applied_hash"
		)
		self.edit_in_desk("Edited In Desk")

		done = bench("frappe-stack", "diff", "--path", str(self.repo))
		self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
		self.assertIn(f"Custom Field '{FIELD['name']}' [drift]", done.stdout)
		self.assertIn(
			f"ledger: {BLUEPRINT}: Applied -> Drifted (Custom Field '{FIELD['name']}' changed on the site "
			"since its last apply)",
			done.stdout,
		)
		self.assertEqual(self.status(), LedgerStatus.DRIFTED)
		[row] = self.drift_rows()
		self.assertEqual(
			(row.action, row.result, row.document_type, row.document_name),
			("drift", "Success", "Custom Field", FIELD["name"]),
		)
		self.assertEqual(row.before_hash, applied_hash)
		self.assertNotEqual(row.after_hash, applied_hash)

		again = bench("frappe-stack", "diff", "--path", str(self.repo))
		self.assertEqual(again.returncode, 2, again.stdout + again.stderr)
		self.assertNotIn("ledger:", again.stdout)
		self.assertEqual(len(self.drift_rows()), 1)  # nothing new to record

		applied = bench("frappe-stack", "apply", "--path", str(self.repo))
		self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)
		self.assertEqual(self.status(), LedgerStatus.APPLIED)
		self.assertEqual(frappe.db.get_value("Custom Field", FIELD["name"], "label"), FIELD["label"])
		self.assertTrue(stack.diff(self.site, str(self.repo)).is_clean)
		self.assertEqual(self.status(), LedgerStatus.APPLIED)

	def test_status_live_marks_drift_and_an_edit_undone_clears_it(self):
		self.edit_in_desk("Edited In Desk")
		plain = bench("frappe-stack", "status", "--json")
		self.assertEqual(plain.returncode, 0, plain.stdout + plain.stderr)
		self.assertEqual(self.status(), LedgerStatus.APPLIED)  # plain status only reads

		live = bench("frappe-stack", "status", "--live", "--json")
		self.assertEqual(live.returncode, 0, live.stdout + live.stderr)
		rows = {row["blueprint"]: row["status"] for row in json.loads(live.stdout)["blueprints"]}
		self.assertEqual(rows[BLUEPRINT], "Drifted")
		self.assertEqual(self.status(), LedgerStatus.DRIFTED)

		self.edit_in_desk(FIELD["label"])
		stack.status(self.site, live=True)
		self.assertEqual(self.status(), LedgerStatus.APPLIED)
		self.assertEqual([row.action for row in self.drift_rows()], ["drift", "drift-resolved"])
