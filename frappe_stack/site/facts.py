"""The adapter's SiteFacts (frappe_stack.site_protocols): what review rules may ask a real site,
which DocTypes and roles exist, how a field is defined before Property Setters, and how many rows
a change would touch. Table and column names come from blueprint files, so each is checked
against the database before it goes into a query; values always go as parameters."""

from functools import cached_property

import frappe

# What a field definition carries for the review's field rules (review/fields.py).
FIELD_PROPERTIES = ("fieldname", "fieldtype", "label", "options", "reqd", "length", "default", "description")


class FrappeFacts:
	"""Lives for one review: the lists are read once and the rules ask them per document."""

	def __init__(self):
		self._columns: dict[str, set[str]] = {}
		self._definitions: dict[tuple[str, str], dict | None] = {}

	@cached_property
	def _doctypes(self) -> frozenset[str]:
		return frozenset(frappe.get_all("DocType", pluck="name"))

	@cached_property
	def _roles(self) -> frozenset[str]:
		return frozenset(frappe.get_all("Role", pluck="name"))

	def doctypes(self) -> set[str]:
		return set(self._doctypes)

	def roles(self) -> set[str]:
		return set(self._roles)

	def field_definition(self, doctype: str, fieldname: str) -> dict | None:
		"""From the DocField or Custom Field row itself: frappe.get_meta has the Property Setters
		applied already, and the review needs the value a setter overrides."""
		key = (doctype, fieldname)
		if key not in self._definitions:
			row = frappe.db.get_value(
				"DocField",
				{"parent": doctype, "parenttype": "DocType", "fieldname": fieldname},
				list(FIELD_PROPERTIES),
				as_dict=True,
			) or frappe.db.get_value(
				"Custom Field", {"dt": doctype, "fieldname": fieldname}, list(FIELD_PROPERTIES), as_dict=True
			)
			self._definitions[key] = dict(row) if row else None
		return self._definitions[key]

	def count_rows(self, doctype: str) -> int:
		return frappe.db.count(doctype) if self._table(doctype) else 0

	def count_filled(self, doctype: str, fieldname: str) -> int:
		return self._count(doctype, fieldname, "coalesce(`{c}`, '') != ''")

	def count_empty(self, doctype: str, fieldname: str) -> int:
		return self._count(doctype, fieldname, "coalesce(`{c}`, '') = ''")

	def count_values(self, doctype: str, fieldname: str, values: list[str]) -> int:
		if not values:
			return 0
		marks = ", ".join(["%s"] * len(values))
		return self._count(doctype, fieldname, f"`{{c}}` in ({marks})", tuple(values))

	def count_too_long(self, doctype: str, fieldname: str, length: int) -> int:
		return self._count(doctype, fieldname, "char_length(`{c}`) > %s", (int(length),))

	def count_not_numeric(self, doctype: str, fieldname: str) -> int:
		pattern = r"^[[:space:]]*-?[0-9]+([.][0-9]+)?[[:space:]]*$"
		return self._count(
			doctype, fieldname, "coalesce(`{c}`, '') != '' and `{c}` not regexp %s", (pattern,)
		)

	def _table(self, doctype: str) -> bool:
		if doctype not in self._columns:
			exists = frappe.db.table_exists(doctype)
			self._columns[doctype] = set(frappe.db.get_table_columns(doctype)) if exists else set()
		return bool(self._columns[doctype])

	def _count(self, doctype: str, fieldname: str, condition: str, values: tuple = ()) -> int:
		if not self._table(doctype) or fieldname not in self._columns[doctype]:
			return 0
		query = f"select count(*) from `tab{doctype}` where " + condition.format(c=fieldname)
		return frappe.db.sql(query, values)[0][0]
