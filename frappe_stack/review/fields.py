"""Field definitions in a change, whether they live in a DocType's fields table or in a Custom
Field, as one shape the field rules read: which DocType, which field, before and after."""

from dataclasses import dataclass

from frappe_stack.review.change import ChangedDoc

# The canonical form drops a value equal to its default, so an absent fieldtype means Data.
DEFAULT_FIELDTYPE = "Data"
BREAKS = frozenset({"Section Break", "Column Break", "Tab Break"})
# Fields without a column of their own on the parent table: nothing to count there.
NO_COLUMN = BREAKS | {"HTML", "Button", "Image", "Fold", "Heading", "Table", "Table MultiSelect"}
NUMERIC = frozenset({"Int", "Float", "Currency", "Percent", "Check"})
# varchar columns (Frappe's default length 140) and unbounded text columns
VARCHAR = frozenset(
	{"Data", "Link", "Dynamic Link", "Select", "Read Only", "Autocomplete", "Color", "Barcode", "Phone"}
)
TEXT = frozenset(
	{"Small Text", "Text", "Long Text", "Code", "Text Editor", "Markdown Editor", "HTML Editor", "JSON"}
)
DEFAULT_LENGTH = 140


@dataclass(frozen=True)
class FieldView:
	doc: ChangedDoc
	parent: str  # the DocType the field belongs to
	fieldname: str
	before: dict | None
	after: dict | None
	path: str  # the row (or Custom Field) in head; for a removed DocField, the fields table

	@property
	def is_new(self) -> bool:
		return self.before is None

	@property
	def removed(self) -> bool:
		return self.after is None

	@property
	def label(self) -> str:
		return f"{self.parent}.{self.fieldname}"


def fieldtype(row: dict | None) -> str:
	return (row or {}).get("fieldtype") or DEFAULT_FIELDTYPE


def has_column(row: dict | None) -> bool:
	return fieldtype(row) not in NO_COLUMN


def column_length(row: dict) -> int | None:
	"""Characters the column holds; None for unbounded text (and for non-text columns)."""
	kind = fieldtype(row)
	if kind in VARCHAR:
		return int(row.get("length") or DEFAULT_LENGTH)
	return None


def is_text(row: dict) -> bool:
	return fieldtype(row) in VARCHAR | TEXT


def changed_fields(doc: ChangedDoc) -> list[FieldView]:
	"""Field definitions this change adds, modifies or removes; unchanged rows are left out."""
	if doc.doctype == "DocType":
		return _doctype_fields(doc)
	if doc.doctype == "Custom Field":
		return _custom_field(doc)
	return []


def _doctype_fields(doc: ChangedDoc) -> list[FieldView]:
	if doc.after is None:
		return []  # the DocType itself goes; its own rule says what that costs
	old = {row.get("fieldname"): row for row in (doc.before or {}).get("fields", [])}
	views = []
	new_names = set()
	for index, row in enumerate(doc.after.get("fields", [])):
		fieldname = row.get("fieldname") or ""
		new_names.add(fieldname)
		if old.get(fieldname) != row:
			views.append(
				FieldView(doc, doc.name, fieldname, old.get(fieldname), row, f"{doc.path}.fields[{index}]")
			)
	for fieldname, row in old.items():
		if fieldname not in new_names:
			views.append(FieldView(doc, doc.name, fieldname or "", row, None, f"{doc.path}.fields"))
	return views


def _custom_field(doc: ChangedDoc) -> list[FieldView]:
	row = doc.after or doc.before
	if row is not None:
		parent, fieldname = row.get("dt") or "", row.get("fieldname") or ""
	else:
		# a tombstone for a field no blueprint held: Frappe names it "<dt>-<fieldname>" and a
		# fieldname has no "-"
		parent, _, fieldname = doc.name.rpartition("-")
	if doc.after is None and not doc.tombstoned:
		return []  # released: the field stays on the site
	return [FieldView(doc, parent, fieldname, doc.before, doc.after, doc.path)]
