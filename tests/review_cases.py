"""Small documents and a one-document change for the review rule tests."""

from dataclasses import dataclass, field

from builders import custom_field, doctype, role
from fake_context import FakeContext

from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.findings import Finding
from frappe_stack.review.rules import rule_by_id

PERMS = [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]
ROLES = [role("Field Officer"), role("Program Officer")]


@dataclass
class Case:
	after: dict | None
	before: dict | None = None
	context: FakeContext = field(default_factory=FakeContext)
	others: list[dict] = field(default_factory=list)  # the rest of the head documents
	tombstoned: bool = False
	key: tuple[str, str] | None = None


def changed(case: Case) -> tuple[ChangedDoc, Change]:
	"""The case's document as the one change of blueprint "bp", beside the other head documents."""
	data = case.after or case.before
	key = case.key or (data["doctype"], data["name"])
	doc = ChangedDoc(
		"bp", "blueprints/bp.json", "$.documents[0]", key, case.before, case.after, case.tombstoned
	)
	head = {(d["doctype"], d["name"]): d for d in case.others}
	if case.after is not None:
		head[key] = case.after
	return doc, Change([doc], head_docs=head)


def run(rule_id: str, case: Case) -> list[Finding]:
	return rule_by_id()[rule_id].run(*changed(case), case.context)


def script(code: str, **extra) -> dict:
	return {
		"doctype": "Server Script",
		"name": "On Save",
		"script_type": "DocType Event",
		"reference_doctype": "Beneficiary",
		"doctype_event": "Before Save",
		"script": code,
		**extra,
	}


def dt(name: str = "Beneficiary", fields: list[dict] = (), **extra) -> dict:
	extra.setdefault("permissions", PERMS)
	extra.setdefault("description", "People we serve")
	# fields get a description unless the case says description=None (the canonical form drops None)
	rows = [{k: v for k, v in {"description": "d", **f}.items() if v is not None} for f in fields]
	return doctype(name, rows or (), **extra)


def fld(fieldname: str, **extra) -> dict:
	extra.setdefault("label", fieldname.replace("_", " ").title())
	return {"fieldname": fieldname, **extra}


def cf(dt_name: str, fieldname: str, **extra) -> dict:
	extra.setdefault("label", fieldname.replace("_", " ").title())
	extra.setdefault("description", "d")
	return custom_field(dt_name, fieldname, **extra)


def workflow(states: list[tuple], transitions: list[tuple], **extra) -> dict:
	"""states: (state, allow_edit); transitions: (state, action, next_state, allowed[, condition])."""
	return {
		"doctype": "Workflow",
		"name": "Approval",
		"workflow_name": "Approval",
		"document_type": "Beneficiary",
		"states": [{"state": s, "allow_edit": r} if r else {"state": s} for s, r in states],
		"transitions": [
			{"state": t[0], "action": t[1], "next_state": t[2], "allowed": t[3]}
			| ({"condition": t[4]} if len(t) > 4 else {})
			for t in transitions
		],
		**extra,
	}


GOOD_STATES = [("Draft", "Field Officer"), ("Approved", "Program Officer"), ("Rejected", "Program Officer")]
GOOD_TRANSITIONS = [
	("Draft", "Approve", "Approved", "Program Officer"),
	("Draft", "Reject", "Rejected", "Program Officer"),
]


def report(query: str, report_type: str = "Query Report", **extra) -> dict:
	return {
		"doctype": "Report",
		"name": "Village Counts",
		"report_name": "Village Counts",
		"ref_doctype": "Beneficiary",
		"report_type": report_type,
		"query": query,
		**extra,
	}


def setter(
	doc_type: str, field_name: str, prop: str, value: str, property_type: str | None = "Check"
) -> dict:
	"""A Property Setter as Customize Form writes it: the value as text, its fieldtype beside it."""
	data = {
		"doctype": "Property Setter",
		"name": f"{doc_type}-{field_name}-{prop}",
		"doctype_or_field": "DocField",
		"doc_type": doc_type,
		"field_name": field_name,
		"property": prop,
		"value": value,
	}
	return data | ({"property_type": property_type} if property_type else {})


def docperm(role_name: str, parent: str = "Customer") -> dict:
	return {"doctype": "Custom DocPerm", "name": "p1", "parent": parent, "role": role_name, "read": 1}


def workspace(*role_names: str) -> dict:
	return {
		"doctype": "Workspace",
		"name": "Field Work",
		"label": "Field Work",
		"roles": [{"role": r} for r in role_names],
	}


# A standard DocType as its own definition on the site has it (what Property Setters override),
# with the rows it holds.
STANDARD = FakeContext(
	rows={
		"ToDo": [
			{"summary": "Call", "notes": "", "priority": "Low", "code": "ABCDEF"},
			{"summary": "", "notes": "x", "priority": "High", "code": "AB"},
			{"summary": "", "notes": "", "priority": "Low", "code": ""},
		]
	},
	definitions={
		"ToDo": [
			{"fieldname": "summary", "fieldtype": "Data", "label": "Summary"},
			{"fieldname": "notes", "fieldtype": "Text Editor", "label": "Notes", "reqd": 1},
			{
				"fieldname": "priority",
				"fieldtype": "Select",
				"label": "Priority",
				"options": "High\nMedium\nLow",
			},
			{"fieldname": "code", "fieldtype": "Data", "label": "Code"},
			{"fieldname": "assigned", "fieldtype": "Link", "label": "Assigned", "options": "User"},
			# legacy fields breaking the style rules: a setter on them is not the repo's to restyle
			{"fieldname": "RefNo", "fieldtype": "Int", "label": "ref no", "default": "7"},
			{"fieldname": "legacy", "fieldtype": "Data"},
		]
	},
	extra_doctypes={"User"},
)


# A Beneficiary table with one empty village, for rules that read the site's rows.
SITE = FakeContext(rows={"Beneficiary": [{"village": "North"}, {"village": ""}, {"village": "South"}]})


def site(**rows) -> FakeContext:
	return FakeContext(
		rows={
			"Beneficiary": [
				dict(zip(rows, values, strict=True)) for values in zip(*rows.values(), strict=True)
			]
		}
	)
