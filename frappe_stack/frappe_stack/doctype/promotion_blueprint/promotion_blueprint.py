from frappe.model.document import Document


class PromotionBlueprint(Document):
	pass
