from frappe.model.document import Document


class PromotionStep(Document):
	pass
