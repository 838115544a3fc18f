"""Where a document would carry a secret: values of Password fields, and defaults of fields
defined as Password. Blueprints refuse them (loader) and export leaves them out (export)."""

from dataclasses import dataclass

from frappe_stack.blueprint.schema import DoctypeSchema
from frappe_stack.blueprint.secret_refs import is_reference

FIELD_DEFINITION_TABLES = {"DocType": "fields"}
# What a report shows instead of a secret held on the site.
SECRET_SHOWN = "(secret)"


@dataclass(frozen=True)
class Secret:
	holder: dict  # the dict that holds the value, so export can drop it
	key: str
	path: str  # JSON path below the document, e.g. ".fields[2].default"
	what: str

	def remove(self) -> None:
		self.holder.pop(self.key, None)

	def mask(self) -> None:
		self.holder[self.key] = SECRET_SHOWN


def find_secrets(doc: dict, schema: DoctypeSchema | None) -> list[Secret]:
	found = []
	if schema is not None:
		for fieldname in schema.password_fields():
			if doc.get(fieldname) and not is_reference(doc[fieldname]):  # a reference is no secret
				found.append(Secret(doc, fieldname, f".{fieldname}", f"Password field '{fieldname}'"))
	definitions = [("", doc)] if doc.get("doctype") == "Custom Field" else []
	table = FIELD_DEFINITION_TABLES.get(doc.get("doctype"))
	if table:
		rows = doc.get(table) or []
		definitions += [(f".{table}[{i}]", row) for i, row in enumerate(rows) if isinstance(row, dict)]
	for path, row in definitions:
		if row.get("fieldtype") == "Password" and row.get("default"):
			what = f"default of Password field '{row.get('fieldname')}'"
			found.append(Secret(row, "default", f"{path}.default", what))
	return found
