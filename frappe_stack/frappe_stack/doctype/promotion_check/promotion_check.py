from frappe.model.document import Document


class PromotionCheck(Document):
	pass
