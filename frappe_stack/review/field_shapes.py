"""Field definitions in a change, whether they live in a DocType's fields table, in a Custom
Field or come from a Property Setter overriding one property of a field, as one shape the field
rules read: which DocType, which field, before and after."""

from dataclasses import dataclass

from frappe_stack.blueprint.schema import coerce
from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.context import Context

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
# A Property Setter holds its value as text and names the property's fieldtype beside it
# (property_type); Frappe always writes that, a hand-written setter may not. These are the numeric
# properties the field rules read, so "0" does not read as a true "reqd".
NUMERIC_PROPERTIES = {"reqd": "Check", "length": "Int"}


@dataclass(frozen=True)
class FieldView:
	doc: ChangedDoc
	parent: str  # the DocType the field belongs to
	fieldname: str
	before: dict | None
	after: dict | None
	# the row, Custom Field or Property Setter in head; for a removed DocField, the fields table
	path: str
	# For a Property Setter, the one property it decides; the rest of the definition is the
	# DocType's (or the repo's), which this change does not touch.
	overrides: str | None = None

	def sets(self, prop: str) -> bool:
		"""Whether this change decides `prop` of the field, so a rule judging that value applies."""
		return self.overrides in (None, prop)

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


def changed_fields(doc: ChangedDoc, change: Change, context: Context) -> list[FieldView]:
	"""Field definitions this change adds, modifies or removes; unchanged rows are left out."""
	if doc.doctype == "DocType":
		return _doctype_fields(doc)
	if doc.doctype == "Custom Field":
		return _custom_field(doc)
	if doc.doctype == "Property Setter":
		return _property_setter(doc, change, context)
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


def _on_field(setter: dict) -> bool:
	# a setter may also customize the DocType itself or one of its links, actions or states
	return bool(setter.get("field_name")) and setter.get("doctype_or_field") in (None, "DocField")


def _definition(parent: str, fieldname: str, change: Change, context: Context) -> dict | None:
	"""The field a setter overrides, as the repo defines it (head) or else as the site does."""
	for row in (change.head_docs.get(("DocType", parent)) or {}).get("fields", []):
		if row.get("fieldname") == fieldname:
			return row
	custom = change.head_docs.get(("Custom Field", f"{parent}-{fieldname}"))
	return custom if custom is not None else context.field_definition(parent, fieldname)


def _overlay(definition: dict, setter: dict | None) -> dict:
	if setter is None:
		return definition  # no setter: the definition's own value holds
	prop = setter["property"]
	kind = setter.get("property_type") or NUMERIC_PROPERTIES.get(prop, "Data")
	return {**definition, prop: coerce(kind, setter.get("value"))}


def _property_setter(doc: ChangedDoc, change: Change, context: Context) -> list[FieldView]:
	if doc.after is None and not doc.tombstoned:
		return []  # released: the setter stays on the site
	# Frappe names a setter after its DocType, field and property and the loader holds blueprints
	# to that name, so before and after override the same property of the same field. A tombstone
	# for a setter no blueprint held gives nothing to compare: its value lives only on the site.
	setter = doc.after or doc.before
	if setter is None or not _on_field(setter):
		return []
	parent, fieldname = setter["doc_type"], setter["field_name"]
	definition = _definition(parent, fieldname, change, context)
	if definition is None:
		return []  # no such field anywhere: nothing it could do to data
	before, after = _overlay(definition, doc.before), _overlay(definition, doc.after)
	if before == after:
		return []
	return [FieldView(doc, parent, fieldname, before, after, doc.path, setter["property"])]
