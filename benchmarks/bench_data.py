"""The documents the apply benchmark times, in two shapes, and the files that hold them.

- fixture-shaped (generate): what an app's fixtures hold, in the proportions of a real customised
  site: Roles, custom DocTypes with their permissions, Custom Fields spread over 15 standard
  DocTypes, Property Setters.
- Desk-shaped (desk_made): what PMs make in Desk over the years: many Custom Fields on a few
  standard DocTypes (each inserted after the one before, as Customize Form does), DocTypes of 10
  fields, Property Setters of the kinds Customize Form writes, Custom DocPerms, Roles.
"""

import json
import sys
from pathlib import Path

STANDARD_TARGETS = (
	"ToDo",
	"Note",
	"Contact",
	"Address",
	"Event",
	"Email Group",
	"Letter Head",
	"Print Heading",
	"Blog Post",
	"Blog Category",
	"Web Page",
	"Newsletter",
	"Kanban Board",
	"Dashboard",
	"Tag",
)
FIELD_TYPES = ("Data", "Int", "Check", "Select", "Small Text", "Date", "Currency", "Link")
SETTABLE_TYPES = ("Data", "Link", "Select", "Small Text", "Text", "Int", "Check", "Date", "Text Editor")
FIXTURE_ORDER = ("Role", "DocType", "Custom Field", "Property Setter", "Custom DocPerm")
SCRATCH_APP = "stack_bench_fixtures"
STAMP = "2026-01-01 00:00:00.000000"
DESK_TARGETS = ("ToDo", "Contact", "Address", "Event", "Note", "Email Group")
DESK_TYPES = (
	"Data",
	"Int",
	"Check",
	"Select",
	"Date",
	"Currency",
	"Link",
	"Small Text",
	"Text Editor",
	"Float",
)
DESK_SETTERS = 200
DESK_PROPERTIES = (
	("hidden", "Check", "1"),
	("bold", "Check", "1"),
	("in_list_view", "Check", "1"),
	("description", "Text", "Set in Customize Form"),
	("label", "Data", "Renamed In Desk"),
)


def generate(total: int) -> list[dict]:
	"""Documents in the proportions of a real customised site, about `total` of them."""
	import frappe

	scale = total / 1000
	roles = [f"Bench Role {i:03d}" for i in range(int(100 * scale))]
	docs = [{"doctype": "Role", "name": r, "role_name": r} for r in roles]
	for d in range(int(30 * scale)):
		name = f"Bench Thing {d:02d}"
		fields = [_field(f"value_{i:02d}", FIELD_TYPES[i % len(FIELD_TYPES)]) for i in range(12)]
		docs.append(
			{
				"doctype": "DocType",
				"name": name,
				"module": "Custom",
				"custom": 1,
				"fields": fields,
				"permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}],
			}
		)
		for p in range(5):
			role = roles[(d * 5 + p) % len(roles)]
			docs.append(
				{
					"doctype": "Custom DocPerm",
					"name": f"bench-{d:02d}-{p}",
					"parent": name,
					"role": role,
					"read": 1,
					"write": p % 2,
					"permlevel": 0,
				}
			)
	per_target = int(30 * scale)
	for target in STANDARD_TARGETS:
		for i in range(per_target):
			field = _field(f"bench_{i:02d}", FIELD_TYPES[i % len(FIELD_TYPES)])
			docs.append(
				{"doctype": "Custom Field", "name": f"{target}-{field['fieldname']}", "dt": target, **field}
			)
		existing = [df.fieldname for df in frappe.get_meta(target).fields if df.fieldtype in SETTABLE_TYPES]
		for i in range(int(18 * scale) if existing else 0):
			fieldname = existing[(i // 2) % len(existing)]
			prop, kind, value = (("bold", "Check", "1"), ("description", "Text", f"bench note {i}"))[i % 2]
			docs.append(_property_setter(target, fieldname, prop, kind, value))
	return _unique(docs)


def _field(fieldname: str, fieldtype: str) -> dict:
	field = {"fieldname": fieldname, "label": fieldname.replace("_", " ").title(), "fieldtype": fieldtype}
	if fieldtype == "Select":
		field["options"] = "\nLow\nMedium\nHigh"
	if fieldtype == "Link":
		field["options"] = "User"
	return field


def _property_setter(target: str, fieldname: str, prop: str, kind: str, value: str) -> dict:
	return {
		"doctype": "Property Setter",
		"name": f"{target}-{fieldname}-{prop}",
		"doctype_or_field": "DocField",
		"doc_type": target,
		"field_name": fieldname,
		"property": prop,
		"property_type": kind,
		"value": value,
	}


def _unique(docs: list[dict]) -> list[dict]:
	seen, out = set(), []
	for doc in docs:
		if (doc["doctype"], doc["name"]) not in seen:
			seen.add((doc["doctype"], doc["name"]))
			out.append(doc)
	return out


def write_blueprints(docs: list[dict], repo: Path) -> Path:
	"""The documents as blueprint files, grouped as `export` and `adopt` group them: one blueprint
	per DocType they customize, Roles that several use in a shared `roles` blueprint."""
	from frappe_stack.blueprint.canonical import canonical_bytes
	from frappe_stack.blueprint.grouping import group_documents

	groups, depends = group_documents(docs)
	(repo / "blueprints").mkdir(parents=True)
	for name, members in groups.items():
		content = {"blueprint": name, "documents": members}
		if depends.get(name):
			content["depends_on"] = depends[name]
		(repo / "blueprints" / f"{name}.json").write_bytes(canonical_bytes(content))
	return repo


def write_fixture_app(docs: list[dict], apps: Path) -> Path:
	"""A scratch app holding the same documents as Frappe fixture files (what export-fixtures writes)."""
	package = apps / SCRATCH_APP
	(package / "fixtures").mkdir(parents=True)
	(package / "__init__.py").write_text("")
	for doctype in FIXTURE_ORDER:
		rows = [dict(doc, modified=STAMP) for doc in docs if doc["doctype"] == doctype]
		path = package / "fixtures" / f"{doctype.lower().replace(' ', '_')}.json"
		path.write_text(json.dumps(rows, indent=1))
	sys.path.insert(0, str(apps))
	return package


def desk_made() -> list[dict]:
	"""About 940 documents shaped like years of Desk edits (see the module's docstring)."""
	import frappe

	roles = [f"Desk Role {i:02d}" for i in range(50)]
	docs = [{"doctype": "Role", "name": r, "role_name": r} for r in roles]
	for d in range(40):
		fields = [_field(f"detail_{i}", DESK_TYPES[i]) for i in range(10)]
		permissions = [
			{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1},
			{"role": roles[d % len(roles)], "read": 1, "write": 1},
		]
		docs.append(
			{
				"doctype": "DocType",
				"name": f"Desk Item {d:02d}",
				"module": "Custom",
				"custom": 1,
				"fields": fields,
				"permissions": permissions,
			}
		)
	setters = 0
	by_size = sorted(DESK_TARGETS, key=lambda dt: len(frappe.get_meta(dt).fields))
	for position, target in enumerate(by_size):
		after = None
		for i in range(100):
			field = _field(f"desk_{i:03d}", DESK_TYPES[i % len(DESK_TYPES)])
			if after:
				field["insert_after"] = after
			after = field["fieldname"]
			docs.append({"doctype": "Custom Field", "name": f"{target}-{after}", "dt": target, **field})
		standard = [
			df.fieldname
			for df in frappe.get_meta(target).fields
			if df.fieldtype in SETTABLE_TYPES and not df.reqd  # Frappe refuses hidden and mandatory
		]
		# 200 in all, spread evenly; a DocType with few fields to set leaves its share to the others
		share = -(-(DESK_SETTERS - setters) // (len(by_size) - position))
		count = min(share, len(standard) * len(DESK_PROPERTIES))
		setters += count
		for i in range(count):
			prop, kind, value = DESK_PROPERTIES[i % len(DESK_PROPERTIES)]
			fieldname = standard[i // len(DESK_PROPERTIES)]
			docs.append(_property_setter(target, fieldname, prop, kind, value))
	for p in range(49):
		target = DESK_TARGETS[p % len(DESK_TARGETS)]
		docs.append(
			{
				"doctype": "Custom DocPerm",
				"name": f"desk-perm-{p:02d}",
				"parent": target,
				"role": roles[p],
				"read": 1,
				"write": p % 2,
				"permlevel": 0,
			}
		)
	return _unique(docs)
