"""Keys of a document that its DocType has no field for.

The canonical form keeps only the fields a DocType has. Without this check a misspelt key
("fieldtpye") would be dropped without a word, the document applied with Frappe's default in its
place, and every later plan and diff clean. A key Frappe keeps on every document beside its fields
(name, owner, idx...) is not a field either, nor is a column an older version of the DocType left
in its table (Frappe's as_dict shows those): they are accepted and dropped as before.
"""

from difflib import get_close_matches

from frappe_stack.blueprint.canonical import CHILD_IDENTITY_KEYS, TOP_KEYS_KEPT, VOLATILE_KEYS
from frappe_stack.blueprint.schema import DoctypeSchema

STANDARD_KEYS = frozenset({*TOP_KEYS_KEPT, *VOLATILE_KEYS, *CHILD_IDENTITY_KEYS, "docstatus"})


def unknown_keys(doc: dict, schema: DoctypeSchema) -> list[tuple[str, str, str]]:
	"""(key path, message, fix) for each key of `doc` and of its child rows that is no field."""
	problems = [
		(key, f"{schema.doctype} has no field '{key}'", _fix(key, schema))
		for key in doc
		if _unknown(key, schema)
	]
	for table, child in schema.tables.items():
		rows = doc.get(table)
		for index, row in enumerate(rows if isinstance(rows, list) else []):
			problems += [
				(
					f"{table}[{index}].{key}",
					f"{child.doctype} (a row of {table}) has no field '{key}'",
					_fix(key, child),
				)
				for key in (row if isinstance(row, dict) else {})
				if _unknown(key, child)
			]
	return problems


def _unknown(key: str, schema: DoctypeSchema) -> bool:
	return not (key in STANDARD_KEYS or key in schema.fields or key in schema.tables or key in schema.columns)


def _fix(key: str, schema: DoctypeSchema) -> str:
	close = get_close_matches(key, [*schema.fields, *schema.tables], n=1)
	if close:
		return f'did you mean "{close[0]}"? Rename the key'
	return f"remove the key, or add the field to {schema.doctype} first (a Custom Field in a blueprint)"
