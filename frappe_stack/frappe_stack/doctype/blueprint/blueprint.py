import frappe
from frappe import _
from frappe.model.document import Document


class LedgerWriteRefused(frappe.PermissionError):
	pass


class Blueprint(Document):
	"""The ledger row of one blueprint. Only frappe_stack writes it; people read it."""

	def validate(self):
		if not self.flags.written_by_frappe_stack:
			raise LedgerWriteRefused(_("The blueprint ledger is written by frappe_stack only"))
