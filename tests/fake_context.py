"""A review Context over rows held in memory: {doctype: [{fieldname: value}, ...]}, and field
definitions as the site's DocTypes hold them: {doctype: [field row, ...]}."""

from dataclasses import dataclass, field


def _empty(value) -> bool:
	return value is None or value == ""


def _numeric(value) -> bool:
	try:
		float(value)
	except (TypeError, ValueError):
		return False
	return True


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
		return sum(v in values for v in self._values(doctype, fieldname))

	def count_too_long(self, doctype: str, fieldname: str, length: int) -> int:
		return sum(not _empty(v) and len(str(v)) > length for v in self._values(doctype, fieldname))

	def count_not_numeric(self, doctype: str, fieldname: str) -> int:
		return sum(not _empty(v) and not _numeric(v) for v in self._values(doctype, fieldname))
