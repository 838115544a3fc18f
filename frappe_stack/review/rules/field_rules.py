"""Rules on field definitions (DocType fields, Custom Fields, and Property Setters overriding a
property of either) that this change adds, modifies or removes. Rules that count rows do so only
for DocTypes already on the site: a new DocType has no data to lose. Rules judging one value of a
definition (label, fieldname, default, link target) judge a Property Setter only when it sets that
value: the rest of the field is its DocType's, not this change's."""

import re

from frappe_stack.blueprint.doctype_adapter import LINK_FIELDTYPES
from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.context import Context
from frappe_stack.review.field_shapes import (
	BREAKS,
	NUMERIC,
	FieldView,
	changed_fields,
	column_length,
	fieldtype,
	has_column,
	is_text,
)
from frappe_stack.review.findings import Finding
from frappe_stack.review.rules.base import hit

NUMERIC_DEFAULTS = frozenset({"Int", "Float", "Currency", "Percent"})
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def _on_site(view: FieldView, context: Context) -> bool:
	return view.parent in context.doctypes()


def removed_with_data(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	found = []
	for view in changed_fields(doc, change, context):
		if not view.removed or not has_column(view.before) or not _on_site(view, context):
			continue
		rows = context.count_filled(view.parent, view.fieldname)
		if rows:
			found.append(
				hit(
					doc,
					view.path,
					f"removing field {view.label} hides or drops values held in {rows} row(s) on the site",
					"migrate the values to another field first, or hide the field instead of removing it",
				)
			)
	return found


def made_mandatory(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	found = []
	for view in changed_fields(doc, change, context):
		row = view.after
		if row is None or not row.get("reqd") or (view.before or {}).get("reqd") or not has_column(row):
			continue
		if not _on_site(view, context):
			continue
		if view.is_new:
			# a new column is empty in every row, unless a default fills it when it is added
			rows = 0 if row.get("default") not in (None, "") else context.count_rows(view.parent)
		else:
			rows = context.count_empty(view.parent, view.fieldname)
		if rows:
			found.append(
				hit(
					doc,
					f"{view.path}.reqd",
					f"field {view.label} becomes mandatory but is empty in {rows} existing row(s), "
					"which then fail to save until someone fills it",
					'fill the existing rows first (a patch), or give the field a "default"',
				)
			)
	return found


def _modified_on_site(doc: ChangedDoc, change: Change, context: Context):
	"""Fields the change modifies (present before and after) on a DocType the site already has."""
	for view in changed_fields(doc, change, context):
		if view.before is not None and view.after is not None and _on_site(view, context):
			yield view


def _options(row: dict | None) -> set[str]:
	return {line.strip() for line in ((row or {}).get("options") or "").split("\n") if line.strip()}


def select_narrowed(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	found = []
	for view in _modified_on_site(doc, change, context):
		if fieldtype(view.before) != "Select" or fieldtype(view.after) != "Select":
			continue
		dropped = sorted(_options(view.before) - _options(view.after))
		rows = context.count_values(view.parent, view.fieldname, dropped) if dropped else 0
		if rows:
			found.append(
				hit(
					doc,
					f"{view.path}.options",
					f"Select {view.label} drops option(s) {', '.join(dropped)} still held by {rows} row(s)",
					"map those rows to a remaining option first (a patch), or keep the options",
				)
			)
	return found


def numeric_from_text(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	found = []
	for view in _modified_on_site(doc, change, context):
		if not is_text(view.before) or fieldtype(view.after) not in NUMERIC:
			continue
		rows = context.count_not_numeric(view.parent, view.fieldname)
		if rows:
			found.append(
				hit(
					doc,
					f"{view.path}.fieldtype",
					f"field {view.label} changes from {fieldtype(view.before)} to {fieldtype(view.after)} "
					f"but {rows} row(s) hold values that are not numbers; they would be lost",
					"clean those values first (a patch), or add a new numeric field beside this one",
				)
			)
	return found


def shortened(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	found = []
	for view in _modified_on_site(doc, change, context):
		if not (is_text(view.before) and is_text(view.after)):
			continue
		old, new = column_length(view.before), column_length(view.after)
		if new is None or (old is not None and new >= old):
			continue
		rows = context.count_too_long(view.parent, view.fieldname, new)
		if rows:
			found.append(
				hit(
					doc,
					view.path,
					f"field {view.label} shrinks to {new} characters but {rows} row(s) hold longer values, "
					"which would be cut",
					"keep the length, or shorten those values first",
				)
			)
	return found


def unknown_link_target(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	found = []
	for view in changed_fields(doc, change, context):
		row = view.after
		decides_target = view.sets("fieldtype") or view.sets("options")
		if row is None or fieldtype(row) not in LINK_FIELDTYPES or not decides_target:
			continue
		target = row.get("options")
		if not target:
			message, fix = f"{fieldtype(row)} field {view.label} names no DocType", 'set "options"'
		elif target in change.head_names("DocType") or target in context.doctypes():
			continue
		else:
			message = f"{fieldtype(row)} field {view.label} points to DocType '{target}', which is neither in the repo nor on the site"
			fix = f"add DocType '{target}' to a blueprint, or correct the options"
		found.append(hit(doc, f"{view.path}.options", message, fix))
	return found


def _non_zero(value) -> bool:
	try:
		return float(value) != 0
	except (TypeError, ValueError):
		return False


def magic_default(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	return [
		hit(
			doc,
			f"{view.path}.default",
			f"field {view.label} defaults to {view.after['default']} with no description saying why",
			'add a "description" explaining the number',
		)
		for view in changed_fields(doc, change, context)
		if view.after is not None
		and view.sets("default")
		and fieldtype(view.after) in NUMERIC_DEFAULTS
		and _non_zero(view.after.get("default"))
		and not view.after.get("description")
	]


def no_label(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	return [
		hit(doc, view.path, f"field {view.label} has no label", 'add a "label" users will see')
		for view in changed_fields(doc, change, context)
		if view.after is not None
		and view.sets("label")
		and fieldtype(view.after) not in BREAKS
		and not view.after.get("label")
	]


def not_snake_case(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	return [
		hit(
			doc,
			f"{view.path}.fieldname",
			f"fieldname '{view.fieldname}' of {view.parent} is not snake_case",
			"use lower-case words joined by underscores, like date_of_birth",
		)
		for view in changed_fields(doc, change, context)
		if view.after is not None and view.sets("fieldname") and not SNAKE_CASE.match(view.fieldname)
	]


def label_problem(label: str) -> str | None:
	"""Labels start with a capital letter (Title Case or Sentence case) and carry no outer spaces."""
	if label != label.strip():
		return "has leading or trailing spaces"
	if label[0].islower():
		return "starts with a lower-case letter"
	return None


def label_style(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	found = []
	for view in changed_fields(doc, change, context):
		label = (view.after or {}).get("label") if view.sets("label") else None
		problem = label_problem(label) if label else None
		if problem:
			found.append(
				hit(
					doc,
					f"{view.path}.label",
					f"label of field {view.label} {problem}",
					"write labels in Title Case or Sentence case, without outer spaces",
				)
			)
	return found


def undescribed_field(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	return [
		hit(doc, view.path, f"new field {view.label} has no description", 'add a "description" for users')
		for view in changed_fields(doc, change, context)
		if view.is_new
		and view.after is not None
		and has_column(view.after)
		and not view.after.get("description")
	]
