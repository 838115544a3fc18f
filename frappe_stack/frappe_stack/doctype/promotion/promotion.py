import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.naming import make_autoname

SERIES = "PROMO-.YYYY.-.####"


class PromotionWriteRefused(frappe.PermissionError):
	pass


class Promotion(Document):
	"""A promotion's record. Only frappe_stack's promote, deploy, rollback and ship write it; people
	read it, and act through those commands (or the form's buttons, which call them)."""

	def autoname(self):
		# production also holds promotions named on staging (deploy keeps their names), which its own
		# series never counted: draw until the name is free, or a deploy --ref would collide
		name = make_autoname(SERIES, self.doctype, self)
		while frappe.db.exists(self.doctype, name):
			name = make_autoname(SERIES, self.doctype, self)
		self.name = name

	def validate(self):
		if not self.flags.written_by_frappe_stack:
			raise PromotionWriteRefused(_("Promotions are written by frappe_stack only"))

	def on_trash(self):
		if not self.flags.written_by_frappe_stack:
			raise PromotionWriteRefused(_("Promotions are kept as the record of what reached production"))
