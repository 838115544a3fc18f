"""Which documents on a site are customizations export should find, and which an app owns."""

import frappe

from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.more_doctypes import REFERENCED_BY, SHIPPED_AS_FILES
from frappe_stack.blueprint.registry import ADAPTERS, FRAMEWORK_DOCUMENTS
from frappe_stack.site.doc_shapes import app_has_file


def customizations(live_documents) -> list[Key]:
	"""Every document on the site that is a customization of a supported doctype; what an
	app owns (standard flags, files in the app, the framework's own records) is left out."""
	found = set()
	for doctype, adapter in ADAPTERS.items():
		# an app's doctype (ERPNext's Terms and Conditions) may not be installed here
		if adapter.discover is not None and frappe.db.exists("DocType", doctype):
			found |= {
				(doctype, name) for name in frappe.get_all(doctype, filters=adapter.discover, pluck="name")
			}
	found -= {("Role", role) for role in _app_roles()}
	found -= {("DocType Link", name) for name in _rows_of_custom_doctypes()}
	found -= _shipped_as_files([key for key in found if key[0] in SHIPPED_AS_FILES])
	users = live_documents([key for key in found if key[0] in REFERENCED_BY])
	referenced = {
		ref
		for (doctype, _), doc in users.items()
		for ref in ADAPTERS[doctype].refs(doc)
		if ref[0] in REFERENCED_BY[doctype]
	}
	found |= referenced - _shipped_as_files([key for key in referenced if key[0] in SHIPPED_AS_FILES])
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


def _rows_of_custom_doctypes() -> list[str]:
	"""Connections of a custom DocType belong to its DocType document, even those marked custom."""
	custom = frappe.get_all("DocType", filters={"custom": 1}, pluck="name")
	return frappe.get_all("DocType Link", filters={"parent": ("in", custom or [""])}, pluck="name")


def _shipped_as_files(keys: list[Key]) -> set[Key]:
	modules = {}
	for doctype in {dt for dt, _ in keys}:
		if frappe.get_meta(doctype).has_field("module"):
			names = [name for dt, name in keys if dt == doctype]
			modules.update(
				{
					(doctype, row.name): row.module
					for row in frappe.get_all(
						doctype, filters={"name": ("in", names)}, fields=["name", "module"]
					)
				}
			)
	return {key for key in keys if app_has_file(key[0], key[1], modules.get(key))}
