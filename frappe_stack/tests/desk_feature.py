"""The example feature built the way a PM builds it in Desk: document by document through
Frappe's own API, with Frappe filling in its defaults. Nothing here knows about blueprints."""

import json

import frappe

ROLES = ("Manager", "Field Officer", "Program Officer")
KEYS = [
	*[("Role", role) for role in ROLES],
	("Workflow State", "Registered"),
	("Workflow State", "Under Review"),
	("Workflow Action Master", "Submit for Review"),
	("DocType", "Beneficiary"),
	("Custom Field", "Contact-outreach_channel"),
	("Custom Field", "Contact-beneficiary"),
	("Workflow", "Beneficiary Approval"),
	("Number Card", "Active Beneficiaries"),
	("Dashboard Chart", "Beneficiaries by Village"),
]


def build() -> list[tuple[str, str]]:
	for role in ROLES:
		frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert()
	for state, style in (("Registered", "Info"), ("Under Review", "Warning")):
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": state, "style": style}).insert()
	frappe.get_doc(
		{"doctype": "Workflow Action Master", "workflow_action_name": "Submit for Review"}
	).insert()
	frappe.get_doc(
		{
			"doctype": "DocType",
			"name": "Beneficiary",
			"module": "Custom",
			"custom": 1,
			"autoname": "BEN-.#####",
			"naming_rule": "Expression (old style)",
			"title_field": "full_name",
			"track_changes": 1,
			"fields": [
				{
					"fieldname": "full_name",
					"label": "Full Name",
					"fieldtype": "Data",
					"reqd": 1,
					"in_list_view": 1,
				},
				{"fieldname": "date_of_birth", "label": "Date of Birth", "fieldtype": "Date"},
				{
					"fieldname": "gender",
					"label": "Gender",
					"fieldtype": "Select",
					"options": "\nFemale\nMale\nOther",
				},
				{"fieldname": "national_id", "label": "National ID", "fieldtype": "Data", "unique": 1},
				{"fieldname": "household_size", "label": "Household Size", "fieldtype": "Int"},
				{"fieldname": "monthly_income", "label": "Monthly Income", "fieldtype": "Currency"},
				{"fieldname": "village", "label": "Village", "fieldtype": "Data", "in_standard_filter": 1},
				{"fieldname": "is_active", "label": "Is Active", "fieldtype": "Check", "default": "1"},
				{
					"fieldname": "workflow_state",
					"label": "Workflow State",
					"fieldtype": "Link",
					"options": "Workflow State",
					"hidden": 1,
				},
			],
			"permissions": [
				{"role": "Manager", "read": 1, "write": 1, "create": 1, "delete": 1},
				{"role": "Field Officer", "read": 1, "write": 1, "create": 1, "delete": 0},
				{"role": "Program Officer", "read": 1, "write": 1, "create": 0, "delete": 0},
			],
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Custom Field",
			"dt": "Contact",
			"fieldname": "outreach_channel",
			"label": "Outreach Channel",
			"fieldtype": "Select",
			"options": "SMS\nPhone Call\nHome Visit",
			"default": "SMS",
			"insert_after": "email_id",
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Custom Field",
			"dt": "Contact",
			"fieldname": "beneficiary",
			"label": "Beneficiary",
			"fieldtype": "Link",
			"options": "Beneficiary",
			"insert_after": "outreach_channel",
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": "Beneficiary Approval",
			"document_type": "Beneficiary",
			"is_active": 1,
			"send_email_alert": 0,
			"workflow_state_field": "workflow_state",
			"states": [
				{"state": "Registered", "doc_status": "0", "allow_edit": "Field Officer"},
				{"state": "Under Review", "doc_status": "0", "allow_edit": "Program Officer"},
				{"state": "Approved", "doc_status": "0", "allow_edit": "Manager"},
			],
			"transitions": [
				{
					"state": "Registered",
					"action": "Submit for Review",
					"next_state": "Under Review",
					"allowed": "Field Officer",
				},
				{
					"state": "Under Review",
					"action": "Approve",
					"next_state": "Approved",
					"allowed": "Program Officer",
					"allow_self_approval": 0,
				},
			],
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Number Card",
			"label": "Active Beneficiaries",
			"document_type": "Beneficiary",
			"function": "Count",
			"is_public": 1,
			"filters_json": json.dumps([["Beneficiary", "is_active", "=", 1, False]]),
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Dashboard Chart",
			"chart_name": "Beneficiaries by Village",
			"chart_type": "Group By",
			"document_type": "Beneficiary",
			"group_by_type": "Count",
			"group_by_based_on": "village",
			"type": "Bar",
			"is_public": 1,
			"filters_json": "[]",
		}
	).insert()
	frappe.db.commit()
	return KEYS
