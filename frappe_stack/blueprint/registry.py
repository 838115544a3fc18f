"""The supported doctypes: one small adapter each, saying how a document is identified, what it
depends on, and which of its fields frappe_stack never manages.

Ranks give the default order when documents do not reference each other: roles and workflow
building blocks first, then DocTypes, then what customizes or uses them.
"""

from frappe_stack.blueprint.canonical import canonical_document
from frappe_stack.blueprint.doctype_adapter import (
	LINK_FIELDTYPES,
	DoctypeAdapter,
	Key,
	doctype_ref,
	field_value,
	role_refs,
	rows,
)
from frappe_stack.blueprint.more_doctypes import MORE_ADAPTERS
from frappe_stack.blueprint.schema import DoctypeSchema
from frappe_stack.blueprint.single_fields import single_field_form


def _field_link_refs(row: dict) -> list[Key]:
	if row.get("fieldtype") in LINK_FIELDTYPES:
		return doctype_ref(row.get("options"))
	return []


def _doctype_refs(doc: dict) -> list[Key]:
	refs = []
	for row in rows(doc, "fields"):
		refs += _field_link_refs(row)
	refs += role_refs(rows(doc, "permissions"), "role")
	# Connections (DocType Link rows): Frappe checks each linked DocType and field on save
	for row in rows(doc, "links"):
		refs += doctype_ref(row.get("link_doctype")) + doctype_ref(row.get("parent_doctype"))
	return [ref for ref in refs if ref != ("DocType", doc.get("name"))]


def _custom_field_refs(doc: dict) -> list[Key]:
	refs = doctype_ref(doc.get("dt")) + _field_link_refs(doc)
	if doc.get("dt") and doc.get("insert_after"):
		refs.append(("Custom Field", f"{doc['dt']}-{doc['insert_after']}"))
	return refs


def _property_setter_refs(doc: dict) -> list[Key]:
	refs = doctype_ref(doc.get("doc_type"))
	if doc.get("field_name"):
		refs.append(("Custom Field", f"{doc['doc_type']}-{doc['field_name']}"))
	return refs


def _property_setter_name(doc: dict) -> str | None:
	if not (doc.get("doc_type") and doc.get("property")):
		return None
	return f"{doc['doc_type']}-{doc.get('field_name') or doc.get('row_name') or 'main'}-{doc['property']}"


def _workflow_refs(doc: dict) -> list[Key]:
	refs = doctype_ref(doc.get("document_type"))
	for row in rows(doc, "states"):
		refs += [("Workflow State", row["state"])] if row.get("state") else []
		refs += [("Role", row["allow_edit"])] if row.get("allow_edit") else []
	for row in rows(doc, "transitions"):
		refs += [("Workflow State", row[f]) for f in ("state", "next_state") if row.get(f)]
		refs += [("Workflow Action Master", row["action"])] if row.get("action") else []
		refs += [("Role", row["allowed"])] if row.get("allowed") else []
	return refs


def _report_refs(doc: dict) -> list[Key]:
	return doctype_ref(doc.get("ref_doctype")) + role_refs(rows(doc, "roles"), "role")


def _card_or_chart_refs(doc: dict) -> list[Key]:
	refs = doctype_ref(doc.get("document_type")) + doctype_ref(doc.get("parent_document_type"))
	if doc.get("report_name"):
		refs.append(("Report", doc["report_name"]))
	return refs


def _dashboard_refs(doc: dict) -> list[Key]:
	refs = [("Dashboard Chart", row["chart"]) for row in rows(doc, "charts") if row.get("chart")]
	return refs + [("Number Card", row["card"]) for row in rows(doc, "cards") if row.get("card")]


def _workspace_refs(doc: dict) -> list[Key]:
	refs = [("Dashboard Chart", r["chart_name"]) for r in rows(doc, "charts") if r.get("chart_name")]
	refs += [
		("Number Card", r["number_card_name"]) for r in rows(doc, "number_cards") if r.get("number_card_name")
	]
	for table, type_field in (("links", "link_type"), ("shortcuts", "type")):
		for row in rows(doc, table):
			if row.get(type_field) in ("DocType", "Report") and row.get("link_to"):
				refs.append((row[type_field], row["link_to"]))
	return refs + role_refs(rows(doc, "roles"), "role")


ADAPTERS: dict[str, DoctypeAdapter] = {
	a.doctype: a
	for a in (
		DoctypeAdapter("Role", 10, expected_name=field_value("role_name"), required=("role_name",)),
		DoctypeAdapter("Workflow State", 11, expected_name=field_value("workflow_state_name"), discover=None),
		DoctypeAdapter(
			"Workflow Action Master", 12, expected_name=field_value("workflow_action_name"), discover=None
		),
		DoctypeAdapter(
			"DocType",
			20,
			refs=_doctype_refs,
			standard_guard=("custom", 0),
			required=("module",),
			ignored=frozenset({"migration_hash"}),
			discover={"custom": 1},
		),
		DoctypeAdapter(
			"Custom Field",
			30,
			refs=_custom_field_refs,
			# no expected name: Frappe names a new field `<dt>-<fieldname>` but keeps the name an
			# import gives it, and a renamed DocType keeps its fields' names (real sites hold both);
			# the applier inserts with the blueprint's name, and two fields for one (dt, fieldname)
			# are refused by validation
			required=("dt", "fieldname"),
			discover={"is_system_generated": 0},
		),
		DoctypeAdapter(
			"Property Setter",
			31,
			refs=_property_setter_refs,
			expected_name=_property_setter_name,
			required=("doc_type", "property"),
			discover={"is_system_generated": 0},
		),
		DoctypeAdapter(
			"Custom DocPerm",
			32,
			refs=lambda d: doctype_ref(d.get("parent")) + ([("Role", d["role"])] if d.get("role") else []),
			required=("parent", "role"),
		),
		DoctypeAdapter("Workflow", 40, refs=_workflow_refs, expected_name=field_value("workflow_name")),
		DoctypeAdapter("Client Script", 50, refs=lambda d: doctype_ref(d.get("dt")), required=("dt",)),
		DoctypeAdapter(
			"Server Script",
			51,
			refs=lambda d: doctype_ref(d.get("reference_doctype")),
		),
		DoctypeAdapter(
			"Report",
			60,
			refs=_report_refs,
			expected_name=field_value("report_name"),
			standard_guard=("is_standard", "Yes"),
			required=("ref_doctype",),
			ignored=frozenset({"prepared_report"}),
			discover={"is_standard": "No"},
		),
		DoctypeAdapter(
			"Print Format",
			61,
			refs=lambda d: doctype_ref(d.get("doc_type")),
			standard_guard=("standard", "Yes"),
			discover={"standard": "No"},
		),
		DoctypeAdapter(
			"Notification",
			62,
			refs=lambda d: doctype_ref(d.get("document_type")),
			standard_guard=("is_standard", 1),
			discover={"is_standard": 0},
		),
		DoctypeAdapter(
			"Number Card",
			70,
			refs=_card_or_chart_refs,
			standard_guard=("is_standard", 1),
			discover={"is_standard": 0},
		),
		DoctypeAdapter(
			"Dashboard Chart",
			71,
			refs=_card_or_chart_refs,
			expected_name=field_value("chart_name"),
			standard_guard=("is_standard", 1),
			discover={"is_standard": 0},
			ignored=frozenset({"last_synced_on"}),
		),
		DoctypeAdapter(
			"Dashboard",
			72,
			refs=_dashboard_refs,
			expected_name=field_value("dashboard_name"),
			standard_guard=("is_standard", 1),
			discover={"is_standard": 0},
		),
		DoctypeAdapter("Workspace", 80, refs=_workspace_refs, discover={"for_user": ("is", "not set")}),
		# the doctypes that public apps ship as fixtures (web, print, email, onboarding, settings...)
		*MORE_ADAPTERS,
	)
}


# Created on every site by Frappe's install (frappe.utils.install.install_basic_docs): the
# framework's, never a customization, although nothing on them says so.
FRAMEWORK_DOCUMENTS = frozenset(
	{
		("Role", "Translator"),
		("Workflow State", "Pending"),
		("Workflow State", "Approved"),
		("Workflow State", "Rejected"),
		("Workflow Action Master", "Approve"),
		("Workflow Action Master", "Reject"),
		("Workflow Action Master", "Review"),
	}
)


def managed_form(doc: dict, schema: DoctypeSchema | None = None) -> dict:
	"""The canonical document without the fields Frappe maintains itself: what blueprints hold and
	hashes cover, whether the document comes from a file or from a site."""
	adapter = ADAPTERS[doc["doctype"]]
	if adapter.by_field:
		return single_field_form(doc, schema)
	data = canonical_document(doc, schema)
	for ignored in adapter.ignored:
		table, _, child_field = ignored.partition(".")  # "columns.order": a field of each row
		if child_field:
			for row in data.get(table) or []:
				row.pop(child_field, None)
		else:
			data.pop(ignored, None)
	return data


def adapter_for(doctype: str) -> DoctypeAdapter | None:
	return ADAPTERS.get(doctype)


def supported_doctypes() -> list[str]:
	return sorted(ADAPTERS, key=lambda dt: ADAPTERS[dt].rank)
