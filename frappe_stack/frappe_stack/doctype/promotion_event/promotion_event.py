from frappe.model.document import Document


class PromotionEvent(Document):
	pass
