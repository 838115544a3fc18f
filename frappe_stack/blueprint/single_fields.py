"""Single DocTypes (System Settings, Website Settings...) managed field by field.

A singleton holds settings that many owners share: the site's installer, apps, administrators. A
blueprint therefore manages only the fields it names, one document per field:

	{"doctype": "System Settings", "name": "time_zone", "value": "Asia/Kolkata"}

The document's name is the fieldname, so two blueprints may manage different fields of one
singleton and each field has one owner. The form always keeps "value", even when it equals the
field's default or is empty (null): naming the field is what makes it managed, so a managed field
set to its default must not vanish from the file the way defaults vanish from other documents.
"""

from frappe_stack.blueprint.canonical import is_empty
from frappe_stack.blueprint.schema import DoctypeSchema, coerce, normalize_number

VALUE = "value"


def single_field_form(doc: dict, schema: DoctypeSchema | None) -> dict:
	"""The canonical document of one managed field: doctype, name (the fieldname) and value."""
	value = normalize_number(doc.get(VALUE))
	spec = schema.fields.get(doc.get("name")) if schema is not None else None
	if spec is not None:
		value = coerce(spec.fieldtype, value)
	return {"doctype": doc["doctype"], "name": doc.get("name"), VALUE: None if is_empty(value) else value}


def single_field_problems(doc: dict, schema: DoctypeSchema | None) -> list[tuple[str, str, str]]:
	"""Keys besides doctype, name and value would be dropped silently; a name that is not a data
	field of the Single (a typo, a Table field) would manage nothing."""
	problems = [
		(
			key,
			f"{doc['doctype']} '{doc.get('name')}' has key '{key}'; a Single is managed one field per "
			"document",
			f'write {{"doctype": "{doc["doctype"]}", "name": "<fieldname>", "value": ...}} for each field',
		)
		for key in sorted(set(doc) - {"doctype", "name", VALUE})
	]
	spec = schema.fields.get(doc.get("name")) if schema is not None else None
	if schema is not None and spec is None:
		problems.append(
			(
				"name",
				f"{doc['doctype']} has no data field '{doc.get('name')}' (Table fields of a Single are not "
				"managed by field)",
				f"use the fieldname of one of {doc['doctype']}'s fields",
			)
		)
	elif spec is not None and spec.fieldtype == "Password":
		# the value would be the secret itself (or Frappe's mask of it): never in a blueprint
		problems.append(
			(
				"name",
				f"{doc['doctype']} '{doc['name']}' is a Password field; secrets never live in blueprints",
				"remove the document and set the secret on each site (Desk or site config)",
			)
		)
	return problems


def single_field_refs(links: dict[str, str]):
	"""refs() of a Single whose Link fields `links` (fieldname -> doctype) point at supported doctypes."""

	def refs(doc: dict) -> list[tuple[str, str]]:
		target = links.get(doc.get("name"))
		value = doc.get(VALUE)
		return [(target, value)] if target and isinstance(value, str) and value else []

	return refs
