"""The ledger and the audit log are written by code only; the audit log is append-only for
everyone, Administrator included; the roles ship with the app."""

import frappe

from frappe_stack import stack
from frappe_stack.frappe_stack.doctype.blueprint.blueprint import LedgerWriteRefused
from frappe_stack.frappe_stack.doctype.stack_audit_log.stack_audit_log import AuditLogAppendOnly
from frappe_stack.ledger import AuditRow
from frappe_stack.shipped_roles import STACK_ROLES
from frappe_stack.tests.utils import StackTestCase


class TestRecords(StackTestCase):
	def test_audit_log_rows_cannot_be_changed_or_deleted(self):
		self.site.audit(AuditRow("apply", "some-blueprint", "Success", details="first"))
		self.site.commit()
		name = frappe.get_all("Stack Audit Log", pluck="name")[0]
		row = frappe.get_doc("Stack Audit Log", name)
		row.details = "rewritten"
		with self.assertRaises(AuditLogAppendOnly):
			row.save(ignore_permissions=True)
		with self.assertRaises(AuditLogAppendOnly):
			frappe.delete_doc("Stack Audit Log", name, ignore_permissions=True)
		with self.assertRaises(AuditLogAppendOnly):
			frappe.get_doc({"doctype": "Stack Audit Log", "action": "forged", "result": "Success"}).insert(
				ignore_permissions=True
			)
		self.assertEqual(frappe.db.get_value("Stack Audit Log", name, "details"), "first")

	def test_ledger_cannot_be_written_by_hand(self):
		self.write_blueprint(
			"hand", [{"doctype": "Role", "name": "Stack Test Hand", "role_name": "Stack Test Hand"}]
		)
		stack.apply(self.site, str(self.repo))
		doc = frappe.get_doc("Blueprint", "hand")
		doc.status = "Failed"
		with self.assertRaises(LedgerWriteRefused):
			doc.save(ignore_permissions=True)

	def test_roles_ship_and_only_read_is_granted_to_people(self):
		for role in STACK_ROLES:
			self.assertTrue(frappe.db.exists("Role", role))
		for doctype in ("Blueprint", "Stack Audit Log"):
			for perm in frappe.get_meta(doctype).permissions:
				self.assertEqual((perm.write, perm.create, perm.delete), (0, 0, 0), f"{doctype} {perm.role}")
			self.assertEqual(
				{p.role for p in frappe.get_meta(doctype).permissions}, {"System Manager", *STACK_ROLES}
			)
