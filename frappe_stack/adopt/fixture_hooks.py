"""An app's `fixtures` hook as apps write it, and which documents each entry covers.

Entries are plain DocType names, or dicts keyed `dt` or `doctype` with `filters` and/or
`or_filters`. Filters are dicts ({field: value} or {field: [operator, value]}) or lists of
[field, operator, value] / [doctype, field, operator, value] items. Matching follows what the
database does when `bench export-fixtures` runs the query: MariaDB compares text without regard
to case, and Frappe reads a missing value as "" for the negative operators.
"""

import re
from dataclasses import dataclass, field

from frappe_stack.errors import StackError

OPERATORS = ("=", "!=", ">", "<", ">=", "<=", "like", "not like", "in", "not in", "is", "between")


class FilterError(StackError):
	"""A filter this module cannot evaluate (an operator only the database knows, a bad shape)."""


@dataclass(frozen=True)
class Condition:
	fieldname: str
	operator: str
	value: object
	doctype: str | None = None  # a child table's DocType, in the 4-item form

	def as_list(self) -> list:
		return [self.fieldname, self.operator, self.value]


@dataclass
class FixtureEntry:
	"""One item of the `fixtures` list."""

	index: int
	raw: object  # as written in hooks.py, for the suggested new list
	doctype: str
	filters: list[Condition] = field(default_factory=list)
	or_filters: list[Condition] = field(default_factory=list)
	problem: str = ""  # why its filters cannot be evaluated here

	def matches(self, doc: dict) -> bool:
		"""Whether `bench export-fixtures` would export `doc` for this entry."""
		if self.problem:
			raise FilterError(self.problem)
		if doc.get("doctype") != self.doctype:
			return False
		if not all(_holds(doc, c) for c in self.filters):
			return False
		return not self.or_filters or any(_holds(doc, c) for c in self.or_filters)

	def shown(self) -> str:
		return f"fixtures[{self.index}] ({self.doctype})"


def parse_entries(hook: list) -> list[FixtureEntry]:
	"""The hook's entries; one that cannot be read says why in its `problem`."""
	return [parse_entry(index, raw) for index, raw in enumerate(hook or [])]


def parse_entry(index: int, raw) -> FixtureEntry:
	if isinstance(raw, str) and raw:
		return FixtureEntry(index, raw, raw)
	doctype = (raw.get("dt") or raw.get("doctype")) if isinstance(raw, dict) else None
	if not isinstance(doctype, str) or not doctype:
		problem = f"{raw!r} is neither a DocType name nor a dict with 'dt' or 'doctype'"
		return FixtureEntry(index, raw, "", problem=problem)
	try:
		filters = parse_filters(raw.get("filters"))
		or_filters = parse_filters(raw.get("or_filters"))
	except FilterError as e:
		return FixtureEntry(index, raw, doctype, problem=str(e))
	return FixtureEntry(index, raw, doctype, filters, or_filters)


def parse_filters(filters) -> list[Condition]:
	if not filters:
		return []
	if isinstance(filters, dict):
		return [_from_pair(key, value) for key, value in filters.items()]
	if isinstance(filters, list | tuple):
		if filters and isinstance(filters[0], str):  # one filter written flat: ["name", "like", "x%"]
			return [_from_item(filters)]
		return [_from_pair(*next(iter(f.items()))) if isinstance(f, dict) else _from_item(f) for f in filters]
	raise FilterError(f"filters {filters!r} must be a dict or a list")


def _from_pair(fieldname: str, value) -> Condition:
	if isinstance(value, list | tuple):
		if len(value) != 2:
			raise FilterError(f"filter {fieldname!r}: {value!r} must be [operator, value]")
		return _condition(fieldname, value[0], value[1])
	return _condition(fieldname, "=", value)


def _from_item(item) -> Condition:
	if not isinstance(item, list | tuple) or len(item) not in (3, 4):
		raise FilterError(f"filter {item!r} must have 3 items [field, operator, value] or 4 [doctype, ...]")
	if len(item) == 4:
		return _condition(item[1], item[2], item[3], item[0])
	return _condition(*item)


def _condition(fieldname, operator, value, doctype=None) -> Condition:
	if not isinstance(fieldname, str) or not isinstance(operator, str):
		raise FilterError(f"filter on {fieldname!r}: field and operator must be text")
	operator = operator.strip().lower() or "="
	if operator not in OPERATORS:
		raise FilterError(
			f"filter on {fieldname!r}: operator {operator!r} is one only the database can evaluate "
			f"(supported here: {', '.join(OPERATORS)})"
		)
	return Condition(fieldname, operator, value, doctype)


def _holds(doc: dict, condition: Condition) -> bool:
	if condition.doctype in (None, doc.get("doctype")) and condition.fieldname in doc:
		return _compare(doc.get(condition.fieldname), condition.operator, condition.value)
	rows = [
		row
		for value in doc.values()
		if isinstance(value, list)
		for row in value
		if isinstance(row, dict) and condition.fieldname in row
	]
	if rows:  # a filter on a child table's field: the document matches through any of its rows
		return any(
			_compare(row.get(condition.fieldname), condition.operator, condition.value) for row in rows
		)
	return _compare(None, condition.operator, condition.value)


def _compare(actual, operator: str, expected) -> bool:
	if operator == "is":
		is_set = actual not in (None, "")
		return is_set if str(expected).lower() == "set" else not is_set
	if operator in ("in", "not in"):
		options = _options(expected)
		found = any(_equal(actual, option) for option in options)
		return found if operator == "in" else not found
	if operator in ("like", "not like"):
		found = _like(actual, expected)
		return found if operator == "like" else not found
	if operator == "=":
		return _equal(actual, expected)
	if operator == "!=":
		return not _equal(actual, expected)
	if operator == "between":
		low, high = expected
		return _order(actual, low) >= 0 and _order(actual, high) <= 0
	sign = _order(actual, expected)
	return {">": sign > 0, "<": sign < 0, ">=": sign >= 0, "<=": sign <= 0}[operator]


def _options(expected) -> list:
	if isinstance(expected, str):  # Frappe splits "a, b" on commas
		return [part.strip() for part in expected.split(",")]
	return list(expected or [])


def _number(value):
	if isinstance(value, bool):
		return int(value)
	if isinstance(value, int | float):
		return value
	try:
		return float(value)
	except (TypeError, ValueError):
		return None


def _key(actual, expected):
	"""Both sides as the database compares them: numbers when one side is a number, else text."""
	if isinstance(actual, int | float) or isinstance(expected, int | float):
		a, e = _number(actual if actual is not None else 0), _number(expected if expected is not None else 0)
		if a is not None and e is not None:
			return a, e
	return _text(actual), _text(expected)


def _text(value) -> str:
	return "" if value is None else str(value).casefold()


def _equal(actual, expected) -> bool:
	a, e = _key(actual, expected)
	return a == e


def _order(actual, expected) -> int:
	a, e = _key(actual, expected)
	return (a > e) - (a < e)


def _like(actual, pattern) -> bool:
	regex = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in _text(pattern))
	return re.fullmatch(regex, _text(actual), re.S) is not None
