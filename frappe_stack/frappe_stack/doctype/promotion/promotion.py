import frappe
from frappe import _
from frappe.model.document import Document


class PromotionWriteRefused(frappe.PermissionError):
	pass


class Promotion(Document):
	"""A promotion's record. Only frappe_stack's promote, deploy, rollback and ship write it; people
	read it, and act through those commands (or the form's buttons, which call them)."""

	def validate(self):
		if not self.flags.written_by_frappe_stack:
			raise PromotionWriteRefused(_("Promotions are written by frappe_stack only"))

	def on_trash(self):
		if not self.flags.written_by_frappe_stack:
			raise PromotionWriteRefused(_("Promotions are kept as the record of what reached production"))
