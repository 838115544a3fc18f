import frappe
from frappe import _
from frappe.model.document import Document


class AuditLogAppendOnly(frappe.PermissionError):
	pass


class StackAuditLog(Document):
	"""Append-only: rows are inserted by frappe_stack and never changed or removed, by anyone."""

	def before_insert(self):
		if not self.flags.written_by_frappe_stack:
			raise AuditLogAppendOnly(_("Stack Audit Log rows are written by frappe_stack only"))

	def validate(self):
		if not self.is_new():
			raise AuditLogAppendOnly(_("Stack Audit Log rows cannot be changed"))

	def on_trash(self):
		raise AuditLogAppendOnly(_("Stack Audit Log rows cannot be deleted"))
