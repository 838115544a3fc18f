"""A folder of Frappe fixture files, read as Frappe's fixture sync would load it (no Frappe import).

A file is one of the shapes apps ship: a list of documents (what `bench export-fixtures` writes to
`<app>/fixtures/`), an Export Customizations file (`<app>/<module>/custom/<doctype>.json`:
`{"doctype", "custom_fields", "property_setters", "custom_perms"}`) or one document (an app's
`<module>/doctype/<name>/<name>.json`). Anything else is listed as not loaded, with the reason.

`as_custom` turns an app's standard DocTypes into custom ones (custom=1, module Custom) so a bare
site can hold them. `drop_missing` removes what a bare Frappe site cannot hold (documents for or on
DocTypes that exist neither on the site nor in the folder, Link/Table fields and Connections to
them) and says each thing it removed and why.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

LINK_TYPES = ("Link", "Table", "Table MultiSelect")
# keys naming the DocType a document customizes or reports on (DocType's own document_type is a
# Select, not a target, hence DocType documents are never read through these)
TARGET_KEYS = ("dt", "doc_type", "document_type", "ref_doctype", "reference_doctype")
# load order: what others link to first; everything not named loads after Custom DocPerm
RANKS = {
	"Module Def": 0,
	"Role": 1,
	"Role Profile": 2,
	"Workflow State": 3,
	"Workflow Action Master": 3,
	"DocType": 4,
	"Custom Field": 5,
	"Property Setter": 6,
	"Custom DocPerm": 7,
	"Workflow": 9,
	"Dashboard": 10,
	"Workspace": 11,
}
OTHER_RANK = 8
CUSTOM_MODULE = "Custom"


@dataclass
class FixtureFolder:
	documents: list[dict] = field(default_factory=list)
	origin: dict[int, str] = field(default_factory=dict)  # id(document) -> file it came from
	customizations: list[tuple[str, dict]] = field(default_factory=list)  # (file, content)
	not_loaded: list[str] = field(default_factory=list)  # files that are no fixture, with why
	dropped: list[str] = field(default_factory=list)  # what drop_missing removed, with why
	changed: list[str] = field(default_factory=list)  # values rewritten so a bare site holds them

	def defined_doctypes(self) -> set[str]:
		return {doc["name"] for doc in self.documents if doc.get("doctype") == "DocType"}

	def batches(self) -> list[tuple[str, list[dict]]]:
		"""The documents grouped by DocType, in load order; child-table DocTypes first."""
		groups: dict[str, list[dict]] = {}
		for doc in sorted(self.documents, key=_load_order):
			groups.setdefault(doc["doctype"], []).append(doc)
		return list(groups.items())


def _load_order(doc: dict) -> tuple:
	return (RANKS.get(doc["doctype"], OTHER_RANK), doc["doctype"], not doc.get("istable"))


def read_folder(folder: Path) -> FixtureFolder:
	out = FixtureFolder()
	for path in sorted(folder.rglob("*.json")):
		shown = str(path.relative_to(folder))
		if path.name.startswith("test_"):
			out.not_loaded.append(f"{shown}: test records, not a fixture")
			continue
		try:
			content = json.loads(path.read_text())
		except ValueError as exc:
			out.not_loaded.append(f"{shown}: not JSON ({exc})")
			continue
		if isinstance(content, dict) and "custom_fields" in content and "doctype" in content:
			out.customizations.append((str(path), content))
		elif isinstance(content, dict) and content.get("doctype") and content.get("name"):
			_add(out, [content], shown)
		elif isinstance(content, list) and all(_is_document(d) for d in content):  # [] holds nothing
			_add(out, content, shown)
		else:
			out.not_loaded.append(f"{shown}: neither a document list, a document nor customizations")
	return out


def _is_document(doc) -> bool:
	return isinstance(doc, dict) and bool(doc.get("doctype")) and bool(doc.get("name"))


def _add(out: FixtureFolder, docs: list[dict], shown: str) -> None:
	for doc in docs:
		out.documents.append(doc)
		out.origin[id(doc)] = shown


def as_custom(folder: FixtureFolder) -> None:
	"""An app's standard DocTypes become custom DocTypes of module Custom, as a site would hold
	them had they been built in Desk."""
	for doc in folder.documents:
		if doc["doctype"] == "DocType" and not doc.get("custom"):
			doc["custom"], doc["module"] = 1, CUSTOM_MODULE
			folder.changed.append(f"DocType '{doc['name']}': loaded as a custom DocType of module Custom")
			_one_rule_per_role(doc, folder.changed)
			_one_field_per_name(doc, folder.changed)


def _one_field_per_name(doc: dict, changed: list[str]) -> None:
	"""Same for a fieldname given twice (UniqueFieldnameError): the first row stays."""
	seen, kept = set(), []
	for row in doc.get("fields") or []:
		if row.get("fieldname") and row["fieldname"] in seen:
			changed.append(f"DocType '{doc['name']}': second field named {row['fieldname']} left out")
		else:
			seen.add(row.get("fieldname"))
			kept.append(row)
	if "fields" in doc:
		doc["fields"] = kept


def _one_rule_per_role(doc: dict, changed: list[str]) -> None:
	"""Frappe syncs an app's DocTypes without validating them, so their files may hold two rules
	for one role, level and if_owner; Desk (and a custom DocType's insert) refuses that: the
	first rule stays."""
	seen, kept = set(), []
	for rule in doc.get("permissions") or []:
		key = (rule.get("role"), rule.get("permlevel") or 0, rule.get("if_owner") or 0)
		if key in seen:
			changed.append(
				f"DocType '{doc['name']}': second permission rule for {key[0]} (level {key[1]}) left out"
			)
		else:
			seen.add(key)
			kept.append(rule)
	if "permissions" in doc:
		doc["permissions"] = kept


def drop_missing(folder: FixtureFolder, doctypes: set[str], modules: set[str]) -> None:
	"""Remove what needs a DocType that is neither in `doctypes` (the site's) nor defined in the
	folder; point documents of a Module Def the site lacks at module Custom."""
	known = doctypes | folder.defined_doctypes()
	kept = []
	for doc in folder.documents:
		where = f"{folder.origin[id(doc)]}: {doc['doctype']} '{doc['name']}'"
		why = _missing_need(doc, known)
		if why:
			folder.dropped.append(f"{where}: {why}")
			continue
		if doc["doctype"] == "DocType":
			_drop_fields(doc, known, where, folder.dropped)
		_fix_module(doc, modules, where, folder.changed)
		kept.append(doc)
	folder.documents = kept
	for path, content in folder.customizations:
		_drop_customizations(path, content, known, folder.dropped)


def _missing_need(doc: dict, known: set[str]) -> str:
	if doc["doctype"] not in known:
		return f"its DocType {doc['doctype']} does not exist"
	if doc["doctype"] == "DocType":
		return ""
	keys = TARGET_KEYS + (("parent",) if doc["doctype"] == "Custom DocPerm" else ())
	for key in keys:
		if doc.get(key) and doc[key] not in known:
			return f"{key} is {doc[key]}, a DocType that does not exist"
	if doc["doctype"] == "Custom Field" and _links_missing(doc, known):
		return f"a {doc['fieldtype']} field to {doc['options']}, a DocType that does not exist"
	return ""


def _links_missing(row: dict, known: set[str]) -> bool:
	return row.get("fieldtype") in LINK_TYPES and bool(row.get("options")) and row["options"] not in known


def _drop_fields(doc: dict, known: set[str], where: str, dropped: list[str]) -> None:
	"""Link/Table fields and Connections (`links` rows) to missing DocTypes leave the DocType, and
	so do fetches through the removed Link fields."""
	gone = {f["fieldname"] for f in doc.get("fields", []) if _links_missing(f, known)}
	for f in doc.get("fields", []):
		if f["fieldname"] in gone:
			dropped.append(f"{where}: field {f['fieldname']} ({f['fieldtype']} to {f['options']}, missing)")
		elif (f.get("fetch_from") or "").split(".")[0] in gone:
			dropped.append(f"{where}: fetch_from {f['fetch_from']} of field {f['fieldname']}")
			f.pop("fetch_from")
	doc["fields"] = [f for f in doc.get("fields", []) if f["fieldname"] not in gone]
	if "field_order" in doc:
		doc["field_order"] = [name for name in doc["field_order"] if name not in gone]
	links = doc.get("links") or []
	for row in links:
		if row.get("link_doctype") not in known:
			dropped.append(f"{where}: Connection to {row.get('link_doctype')} (missing)")
	doc["links"] = [row for row in links if row.get("link_doctype") in known]


def _fix_module(doc: dict, modules: set[str], where: str, changed: list[str]) -> None:
	if doc.get("module") and doc["module"] not in modules:
		changed.append(f"{where}: module {doc['module']} does not exist, set to {CUSTOM_MODULE}")
		doc["module"] = CUSTOM_MODULE


def _drop_customizations(path: str, content: dict, known: set[str], dropped: list[str]) -> None:
	if content["doctype"] not in known:
		dropped.append(f"{path}: customizations of {content['doctype']}, a DocType that does not exist")
		for key in ("custom_fields", "property_setters", "custom_perms"):
			content[key] = []
		return
	fields = content.get("custom_fields") or []
	for row in fields:
		if row.get("dt") not in known or _links_missing(row, known):
			dropped.append(
				f"{path}: Custom Field {row.get('dt')}-{row.get('fieldname')} needs a missing DocType"
			)
	content["custom_fields"] = [r for r in fields if r.get("dt") in known and not _links_missing(r, known)]
	setters = content.get("property_setters") or []
	for row in setters:
		if row.get("doc_type") not in known:
			dropped.append(f"{path}: Property Setter {row.get('name')} on {row.get('doc_type')} (missing)")
	content["property_setters"] = [r for r in setters if r.get("doc_type") in known]
