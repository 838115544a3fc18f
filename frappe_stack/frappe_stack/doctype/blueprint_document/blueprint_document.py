from frappe.model.document import Document


class BlueprintDocument(Document):
	pass
