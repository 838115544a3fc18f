"""Read-only HTTP API behind `frappe-stack ... --url`: a site's customizations, their canonical
documents and hashes, and the ledger, in a few requests. Only System Manager and Stack Manager
may call it; secrets never leave the site (documents come with them removed, hashes cover them)."""

import json

import frappe

from frappe_stack.site.frappe_site import FrappeSite

ALLOWED_ROLES = ("System Manager", "Stack Manager")
PAGE_SIZE = 1000


class StackPermissionError(frappe.PermissionError):
	pass


def _guard() -> None:
	if frappe.session.user == "Guest" or not set(ALLOWED_ROLES) & set(frappe.get_roles()):
		raise StackPermissionError("frappe_stack's API needs the System Manager or Stack Manager role")


@frappe.whitelist(methods=["GET", "POST"])
def describe() -> dict:
	"""Schemas of the supported doctypes, the ledger and the list of customizations."""
	_guard()
	return FrappeSite().describe()


@frappe.whitelist(methods=["POST"])
def documents(keys: str | list) -> dict:
	"""Canonical documents (secrets removed) and their hashes, at most PAGE_SIZE per request."""
	_guard()
	keys = json.loads(keys) if isinstance(keys, str) else keys
	if len(keys) > PAGE_SIZE:
		frappe.throw(f"ask for at most {PAGE_SIZE} documents per request", frappe.ValidationError)
	return FrappeSite().shareable_documents([tuple(key) for key in keys])
