"""Which documents on a site are customizations export should find, and which an app owns."""

import os

import frappe

from frappe_stack.blueprint.registry import ADAPTERS, FRAMEWORK_DOCUMENTS

Key = tuple[str, str]


def customizations(live_documents) -> list[Key]:
	"""Every document on the site that is a customization of a supported doctype; what an
	app owns (standard flags, files in the app, the framework's own records) is left out."""
	found = set()
	for doctype, adapter in ADAPTERS.items():
		if adapter.discover is not None:
			found |= {
				(doctype, name) for name in frappe.get_all(doctype, filters=adapter.discover, pluck="name")
			}
	found -= {("Role", role) for role in _app_roles()}
	found -= {key for key in found if key[0] == "Workspace" and _app_has_file(*key)}
	workflows = live_documents([key for key in found if key[0] == "Workflow"])
	for doc in workflows.values():
		found |= {
			ref
			for ref in ADAPTERS["Workflow"].refs(doc)
			if ref[0] in ("Workflow State", "Workflow Action Master")
		}
	return sorted(found - FRAMEWORK_DOCUMENTS)


def _app_roles() -> set[str]:
	"""Roles an app defines: the automatic ones and those the permissions of standard DocTypes,
	pages and standard reports use (a role made in Desk appears in none of these)."""
	from frappe.permissions import AUTOMATIC_ROLES

	custom = frappe.get_all("DocType", filters={"custom": 1}, pluck="name")
	standard_perms = frappe.get_all(
		"DocPerm", filters={"parent": ("not in", custom or [""])}, pluck="role", distinct=True
	)
	roles = set(AUTOMATIC_ROLES) | set(standard_perms)
	standard_reports = frappe.get_all("Report", filters={"is_standard": "Yes"}, pluck="name")
	roles |= set(frappe.get_all("Has Role", filters={"parenttype": "Page"}, pluck="role", distinct=True))
	roles |= set(
		frappe.get_all(
			"Has Role",
			filters={"parenttype": "Report", "parent": ("in", standard_reports or [""])},
			pluck="role",
		)
	)
	return roles


def _app_has_file(doctype: str, name: str) -> bool:
	"""Whether an app ships this document as a file (a standard Workspace)."""
	module = frappe.db.get_value(doctype, name, "module")
	if not module:
		return False
	try:
		folder = frappe.get_module_path(module)
	except Exception:
		return False
	scrubbed = frappe.scrub(name)
	return os.path.exists(os.path.join(folder, frappe.scrub(doctype), scrubbed, f"{scrubbed}.json"))
