"""Customizations shaped like those real sites hold, loaded the way Frappe's fixture sync loads an
app's fixtures (import_doc with frappe.flags.in_fixtures set): a 3-DocType link cycle, a
submittable DocType whose child table links back to it and whose Connections name another DocType,
and a Role holding a value for a Custom Field of Role."""

import json
import tempfile
from pathlib import Path

import frappe
from frappe.core.doctype.data_import.data_import import import_doc

PERMISSION = {"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}


def _doctype(name: str, fields: list[dict], **extra) -> dict:
	return {
		"doctype": "DocType",
		"name": name,
		"module": "Custom",
		"custom": 1,
		"fields": fields,
		"permissions": [] if extra.get("istable") else [PERMISSION],
		**extra,
	}


def _link(fieldname: str, options: str, fieldtype: str = "Link", **extra) -> dict:
	return {
		"fieldname": fieldname,
		"label": fieldname.replace("_", " ").title(),
		"fieldtype": fieldtype,
		"options": options,
		**extra,
	}


CYCLE = [
	_doctype(
		"Stack Ward",
		[
			_link("district", "Stack District"),
			{"fieldname": "ward_name", "fieldtype": "Data", "label": "Ward Name"},
		],
	),
	_doctype("Stack District", [_link("region", "Stack Region")]),
	_doctype("Stack Region", [_link("capital", "Stack Ward")]),
]
CLAIM = [
	_doctype(
		"Stack Claim",
		[
			_link("ward", "Stack Ward"),
			{"fieldname": "amount", "fieldtype": "Currency", "label": "Amount"},
			{
				"fieldname": "status",
				"fieldtype": "Select",
				"label": "Status",
				"options": "Stack Open\nStack Paid\nStack Refused",
			},
			_link("items", "Stack Claim Item", "Table"),
		],
		is_submittable=1,
		links=[{"link_doctype": "Stack Claim Note", "link_fieldname": "claim", "group": "Notes"}],
		permissions=[
			PERMISSION | {"submit": 1, "cancel": 1, "amend": 1},
			{"role": "Stack Claims Auditor", "read": 1},
		],
	),
	_doctype(
		"Stack Claim Item",
		[_link("claim", "Stack Claim"), {"fieldname": "qty", "fieldtype": "Int", "label": "Qty"}],
		istable=1,
	),
	_doctype(
		"Stack Claim Note",
		[_link("claim", "Stack Claim"), {"fieldname": "note", "fieldtype": "Small Text", "label": "Note"}],
	),
]
ESCALATE = {
	"doctype": "Custom Field",
	"name": "Role-stack_escalate",
	"dt": "Role",
	"fieldname": "stack_escalate",
	"fieldtype": "Check",
	"label": "Escalate",
	"insert_after": "role_name",
}
AUDITOR = {
	"doctype": "Role",
	"name": "Stack Claims Auditor",
	"role_name": "Stack Claims Auditor",
	"stack_escalate": 1,
}
STATES = [
	{"doctype": "Workflow State", "name": name, "workflow_state_name": name, "style": style}
	for name, style in (("Stack Open", ""), ("Stack Paid", "Success"), ("Stack Refused", "Danger"))
]
ACTIONS = [
	{"doctype": "Workflow Action Master", "name": name, "workflow_action_name": name}
	for name in ("Stack Pay", "Stack Refuse")
]
WORKFLOW = {
	"doctype": "Workflow",
	"name": "Stack Claim Approval",
	"workflow_name": "Stack Claim Approval",
	"document_type": "Stack Claim",
	"workflow_state_field": "status",
	"is_active": 1,
	"states": [
		{"state": "Stack Open", "doc_status": "0", "allow_edit": "System Manager"},
		{"state": "Stack Paid", "doc_status": "1", "allow_edit": "System Manager"},
		{"state": "Stack Refused", "doc_status": "0", "allow_edit": "Stack Claims Auditor"},
	],
	"transitions": [
		{
			"state": "Stack Open",
			"action": "Stack Pay",
			"next_state": "Stack Paid",
			"allowed": "System Manager",
		},
		{
			"state": "Stack Open",
			"action": "Stack Refuse",
			"next_state": "Stack Refused",
			"allowed": "Stack Claims Auditor",
		},
	],
}
# Fixture files as an app ships them; Frappe's sync imports them in file name order.
FILES = {
	"custom_field.json": [ESCALATE],
	"doctype.json": CYCLE + CLAIM,
	"role.json": [AUDITOR],
	"workflow.json": [WORKFLOW],
	"workflow_action_master.json": ACTIONS,
	"workflow_state.json": STATES,
}
KEYS = [(d["doctype"], d["name"]) for docs in FILES.values() for d in docs]
CUSTOM_DOCTYPES = [d["name"] for d in CYCLE + CLAIM]


def load() -> None:
	"""As frappe.utils.fixtures.sync_fixtures does it."""
	frappe.flags.in_fixtures = True
	try:
		with tempfile.TemporaryDirectory(prefix="frappe_stack_fixtures_") as folder:
			for name, docs in sorted(FILES.items()):
				path = Path(folder) / name
				path.write_text(json.dumps(docs))
				import_doc(str(path))
	finally:
		frappe.flags.in_fixtures = False
	frappe.db.commit()


def columns(tables: list[str]) -> list[list]:
	"""The database schema of these DocTypes' tables (called through `bench execute` on a peer)."""
	rows = frappe.db.sql(
		"""select table_name, column_name, column_type, is_nullable, column_default
		from information_schema.columns where table_schema = database() and table_name in %(tables)s
		order by table_name, column_name""",
		{"tables": [f"tab{table}" for table in tables]},
		as_list=True,
	)
	return [list(row) for row in rows]


def add_duplicate_amended_from() -> None:
	"""What Frappe's own importer left on a real site: a second amended_from row."""
	meta_row = frappe.get_all(
		"DocField", filters={"parent": "Stack Claim", "fieldname": "amended_from"}, fields=["*"], limit=1
	)[0]
	row = frappe.get_doc(meta_row | {"doctype": "DocField", "name": None, "idx": 99})
	row.db_insert()
	frappe.db.commit()
	frappe.clear_cache(doctype="Stack Claim")
