"""Helpers shared by test_export_placement, _rewrites, _secrets_and_targets, _round_trip_and_refusals (split from one test file).

export(): the site's customizations as canonical blueprint files, on the in-memory site."""

import pytest
from builders import Repo, custom_field, doctype, role
from memory_site import MemorySite

from frappe_stack import stack


def keys(documents: list[dict]) -> list[tuple[str, str]]:
	return sorted((d["doctype"], d["name"]) for d in documents)


def beneficiary_feature() -> list[dict]:
	"""A custom DocType with what a PM adds around it in Desk."""
	return [
		doctype(
			"Beneficiary",
			fields=[
				{"fieldname": "full_name", "fieldtype": "Data", "label": "Full Name"},
				{"fieldname": "age", "fieldtype": "Int", "label": "Age"},
				{
					"fieldname": "workflow_state",
					"fieldtype": "Link",
					"options": "Workflow State",
					"hidden": 1,
				},
			],
			permissions=[{"role": "Field Officer", "read": 1, "write": 1}],
		),
		custom_field("Beneficiary", "village", label="Village", insert_after="age"),
		{
			"doctype": "Property Setter",
			"name": "Beneficiary-age-bold",
			"doc_type": "Beneficiary",
			"field_name": "age",
			"property": "bold",
			"property_type": "Check",
			"value": "1",
		},
		{
			"doctype": "Custom DocPerm",
			"name": "perm-0001",
			"parent": "Beneficiary",
			"role": "Program Officer",
			"read": 1,
		},
		{"doctype": "Client Script", "name": "Beneficiary-Form", "dt": "Beneficiary", "script": "// hello"},
		{
			"doctype": "Workflow",
			"name": "Beneficiary Approval",
			"workflow_name": "Beneficiary Approval",
			"document_type": "Beneficiary",
			"workflow_state_field": "workflow_state",
			"states": [
				{"state": "Registered", "allow_edit": "Field Officer"},
				{"state": "Approved", "allow_edit": "Program Officer"},
			],
			"transitions": [
				{
					"state": "Registered",
					"action": "Approve",
					"next_state": "Approved",
					"allowed": "Program Officer",
				}
			],
		},
		{"doctype": "Workflow State", "name": "Registered", "workflow_state_name": "Registered"},
		{"doctype": "Workflow State", "name": "Approved", "workflow_state_name": "Approved"},
		{"doctype": "Workflow Action Master", "name": "Approve", "workflow_action_name": "Approve"},
		role("Field Officer"),
		role("Program Officer"),
	]


def contact_link() -> dict:
	return custom_field("Contact", "beneficiary", fieldtype="Link", options="Beneficiary")


def docperm(parent: str, role_name: str) -> dict:
	return {"doctype": "Custom DocPerm", "name": f"{parent}-{role_name}", "parent": parent, "role": role_name}


def files(repo: Repo) -> dict[str, bytes]:
	return {file.name: file.read_bytes() for file in sorted(repo.dir.glob("*.json"))}


def file_keys(repo: Repo, name: str) -> list[tuple[str, str]]:
	return keys(repo.read(name)["documents"])


def export(site, repo: Repo, **options):
	return stack.export(site, str(repo.root), **options)


@pytest.fixture
def site():
	return MemorySite([*beneficiary_feature(), contact_link()])
