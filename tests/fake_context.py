"""A review Context over rows held in memory: {doctype: [{fieldname: value}, ...]}, and field
definitions as the site's DocTypes hold them: {doctype: [field row, ...]}. It answers as MariaDB
answers frappe_stack.site.facts' queries (frappe_stack/tests/contract_cases.py holds it to them):
a number column holds numbers, 0 where nothing was entered, and 0 counts as filled."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

# the pattern of FrappeFacts.count_not_numeric, as Python reads it
NUMBER = re.compile(r"\s*-?[0-9]+([.][0-9]+)?\s*")


def _is_number(value) -> bool:
	return isinstance(value, int | float | Decimal)


def _text(value: str) -> str:
	"""Text as the utf8mb4_unicode_ci collation compares it: no case, no trailing spaces."""
	return value.rstrip(" ").casefold()


def _empty(value) -> bool:
	"""`coalesce(value, '') = ''`: NULL, or '' once trailing spaces are left aside. coalesce() of
	a number and '' is text, so 0 reads '0': filled."""
	return value is None or _text(str(value)) == ""


def _equal(value, wanted: str) -> bool:
	if _is_number(value):
		try:
			return value == float(wanted)
		except ValueError:
			return False
	return value is not None and _text(str(value)) == _text(wanted)


def _numeric(value) -> bool:
	return _is_number(value) or NUMBER.fullmatch(str(value)) is not None


@dataclass
class FakeContext:
	rows: dict[str, list[dict]] = field(default_factory=dict)
	extra_doctypes: set[str] = field(default_factory=set)
	# every Frappe site has it (frappe's install creates it) and PERMS grants to it
	site_roles: set[str] = field(default_factory=lambda: {"System Manager"})
	definitions: dict[str, list[dict]] = field(default_factory=dict)

	def doctypes(self) -> set[str]:
		return set(self.rows) | set(self.definitions) | self.extra_doctypes

	def roles(self) -> set[str]:
		return set(self.site_roles)

	def field_definition(self, doctype: str, fieldname: str) -> dict | None:
		return next((row for row in self.definitions.get(doctype, []) if row["fieldname"] == fieldname), None)

	def _values(self, doctype: str, fieldname: str) -> list:
		return [row.get(fieldname) for row in self.rows.get(doctype, [])]

	def count_rows(self, doctype: str) -> int:
		return len(self.rows.get(doctype, []))

	def count_filled(self, doctype: str, fieldname: str) -> int:
		return sum(not _empty(v) for v in self._values(doctype, fieldname))

	def count_empty(self, doctype: str, fieldname: str) -> int:
		return sum(_empty(v) for v in self._values(doctype, fieldname))

	def count_values(self, doctype: str, fieldname: str, values: list[str]) -> int:
		return sum(any(_equal(v, wanted) for wanted in values) for v in self._values(doctype, fieldname))

	def count_too_long(self, doctype: str, fieldname: str, length: int) -> int:
		return sum(v is not None and len(str(v)) > length for v in self._values(doctype, fieldname))

	def count_not_numeric(self, doctype: str, fieldname: str) -> int:
		return sum(not _empty(v) and not _numeric(v) for v in self._values(doctype, fieldname))
