"""The site facts rules may ask for. The real Context counts on the target site through Frappe;
tests use a fake. Every count is 0 when the DocType or the column does not exist, so a rule can
ask about a field that is new without failing."""

from typing import Protocol, runtime_checkable


@runtime_checkable
class Context(Protocol):
	def doctypes(self) -> set[str]:
		"""Names of the DocTypes that exist on the target site."""

	def roles(self) -> set[str]:
		"""Names of the Roles that exist on the target site."""

	def field_definition(self, doctype: str, fieldname: str) -> dict | None:
		"""The field as its DocType (or a Custom Field) defines it on the target site, before any
		Property Setter: what a setter overrides, and what removing the setter restores. None when
		the site has no such field."""

	def count_rows(self, doctype: str) -> int: ...

	def count_filled(self, doctype: str, fieldname: str) -> int:
		"""Rows whose value is not empty (NULL or '')."""

	def count_empty(self, doctype: str, fieldname: str) -> int: ...

	def count_values(self, doctype: str, fieldname: str, values: list[str]) -> int:
		"""Rows whose value is one of `values`."""

	def count_too_long(self, doctype: str, fieldname: str, length: int) -> int:
		"""Rows whose value has more than `length` characters."""

	def count_not_numeric(self, doctype: str, fieldname: str) -> int:
		"""Rows with a non-empty value that does not read as a number."""
