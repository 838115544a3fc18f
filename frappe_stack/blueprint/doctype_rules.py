"""What Frappe's DocType validation would refuse, found before the first write (law 5).

Frappe checks a DocType's fields only when it saves it (frappe.core.doctype.doctype.doctype
.validate_fields), so a blueprint it refuses would fail mid-apply, after other blueprints were
written. The checks here are the ones real sites trip over: a fieldname twice (Frappe's own
importer can add `amended_from` a second time), a Link or Table to a DocType that exists nowhere,
a Table whose target is not a child table, options and defaults Frappe rejects.
"""

import re
from collections.abc import Callable

from frappe_stack.blueprint.doctype_adapter import LINK_FIELDTYPES
from frappe_stack.blueprint.model import Blueprint, Document
from frappe_stack.blueprint.schema import TABLE_FIELDTYPES
from frappe_stack.errors import BlueprintError

# Of a list of DocType names, those that exist on the site, each with whether it is a child table.
DoctypeLookup = Callable[[list[str]], dict[str, bool]]
MAX_FIELDNAME = 64  # frappe.db.MAX_COLUMN_LENGTH
SPECIAL_CHARACTER = re.compile(r"\W")  # frappe.database.schema.SPECIAL_CHAR_PATTERN


def frappe_refusals(blueprints: list[Blueprint], doctypes: DoctypeLookup | None) -> list[BlueprintError]:
	"""Every field Frappe would refuse, in the DocTypes and Custom Fields of the set. Without a
	site (`doctypes` None) a target outside the set cannot be judged, so it is not."""
	in_set = {
		doc.name: bool(doc.data.get("istable"))
		for bp in blueprints
		for doc in bp.documents
		if doc.doctype == "DocType"
	}
	fields = [
		(bp, doc, path, row) for bp in blueprints for doc in bp.documents for path, row in _fields_of(doc)
	]
	targets = sorted(
		{
			row["options"]
			for *_, row in fields
			if row.get("fieldtype") in LINK_FIELDTYPES and row.get("options")
		}
		- set(in_set)
	)
	known = dict(doctypes(targets)) if doctypes and targets else {}
	known.update(in_set)
	errors = _field_twins(blueprints)
	for bp in blueprints:
		for doc in bp.documents:
			if doc.doctype == "DocType":
				errors += _duplicates(bp, doc)
	for bp, doc, path, row in fields:
		errors += [
			BlueprintError(bp.file, f"{path}.{where}", f"{_what(doc, row)} {message}", fix)
			for where, message, fix in _field_problems(row, known, doctypes is not None)
		]
	return errors


def _fields_of(doc: Document) -> list[tuple[str, dict]]:
	if doc.doctype == "DocType":
		return [(f"{doc.path}.fields[{i}]", row) for i, row in enumerate(doc.data.get("fields") or [])]
	if doc.doctype == "Custom Field":
		return [(doc.path, doc.data)]
	return []


def _what(doc: Document, row: dict) -> str:
	if doc.doctype == "Custom Field":
		return f"Custom Field '{doc.name}'"
	return f"DocType '{doc.name}' field '{row.get('fieldname') or row.get('label') or '?'}'"


def _duplicates(bp: Blueprint, doc: Document) -> list[BlueprintError]:
	rows: dict[str, list[int]] = {}
	for index, row in enumerate(doc.data.get("fields") or []):
		if row.get("fieldname"):
			rows.setdefault(row["fieldname"], []).append(index)
	return [
		BlueprintError(
			bp.file,
			f"{doc.path}.fields[{at[-1]}].fieldname",
			f"DocType '{doc.name}': fieldname '{name}' appears {len(at)} times "
			f"(fields[{', '.join(map(str, at))}]); Frappe refuses it (UniqueFieldnameError)",
			f"keep one row for '{name}' and remove the other(s)"
			+ (
				" (Frappe adds amended_from to submittable DocTypes by itself)"
				if name == "amended_from"
				else ""
			),
		)
		for name, at in rows.items()
		if len(at) > 1
	]


def _field_twins(blueprints: list[Blueprint]) -> list[BlueprintError]:
	"""Custom Fields of one DocType with one fieldname under two names: Frappe refuses the second."""
	first: dict[tuple[str, str], Document] = {}
	errors = []
	for bp in blueprints:
		for doc in bp.documents:
			if doc.doctype != "Custom Field":
				continue
			field = (doc.data.get("dt"), doc.data.get("fieldname"))
			if field in first:
				errors.append(
					BlueprintError(
						bp.file,
						f"{doc.path}.fieldname",
						f"Custom Field '{doc.name}' adds '{field[1]}' to {field[0]}, as Custom Field "
						f"'{first[field].name}' ({first[field].blueprint}) already does",
						"keep one of the two",
					)
				)
			first.setdefault(field, doc)
	return errors


def _field_problems(row: dict, known: dict[str, bool], on_site: bool) -> list[tuple[str, str, str]]:
	fieldtype, options, fieldname = row.get("fieldtype") or "Data", row.get("options"), row.get("fieldname")
	problems = []
	if fieldname and SPECIAL_CHARACTER.search(fieldname):
		problems.append(("fieldname", "has special characters", "use only letters, digits and underscores"))
	if fieldname and len(fieldname) > MAX_FIELDNAME:
		problems.append(("fieldname", f"is longer than {MAX_FIELDNAME} characters", "shorten the fieldname"))
	if fieldtype in LINK_FIELDTYPES:
		if not options:
			problems.append(
				("options", f"is a {fieldtype} without options", "set options to the DocType it points at")
			)
		elif options not in known and on_site:
			problems.append(
				(
					"options",
					f"points at DocType '{options}', which is neither on the site nor in any blueprint",
					f"add DocType '{options}' to a blueprint, install the app that has it, or change options",
				)
			)
		elif fieldtype in TABLE_FIELDTYPES and options in known and not known[options]:
			problems.append(
				(
					"options",
					f"is a {fieldtype} of '{options}', which is not a child table",
					f"point it at a child table (a DocType with istable 1), or make it a Link to '{options}'",
				)
			)
	default = row.get("default")
	if fieldtype == "Check" and default not in (None, "") and _cint(default) not in (0, 1):
		problems.append(("default", f"is a Check with default {default!r}", "set the default to 0 or 1"))
	if (
		fieldtype == "Select"
		and default not in (None, "")
		and str(default) not in (options or "").split("\n")
	):
		problems.append(
			(
				"default",
				f"has default {default!r}, which is not one of its options",
				"add it to options or change it",
			)
		)
	return problems


def _cint(value) -> int:
	"""frappe.utils.cint: what is not a number counts as 0."""
	try:
		return int(float(value))
	except (TypeError, ValueError):
		return 0
