"""Roles a changed document names that exist neither in the repo (head) nor on the site. Frappe
stores the name without checking it, so the permission, report or workflow step silently belongs
to nobody."""

from frappe_stack.blueprint.registry import adapter_for
from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Finding
from frappe_stack.review.rules.base import hit, subject

# Frappe creates these on every site and gives them to users itself.
AUTOMATIC_ROLES = frozenset({"Administrator", "Guest", "All", "Desk User"})


def known_roles(change: Change, context: Context) -> set[str]:
	return change.head_names("Role") | context.roles() | AUTOMATIC_ROLES


def unknown_role(doc: ChangedDoc, path: str, role: str) -> Finding:
	return hit(
		doc,
		path,
		f"{subject(doc)}: role '{role}' exists neither in the repo nor on the site",
		f"add Role '{role}' to a blueprint, or name an existing role",
	)


def _role_path(doc: ChangedDoc, role: str) -> str:
	"""Where the document names `role`: its own "role" (a Custom DocPerm) or the "role" of a child
	row (permissions, report and workspace roles)."""
	data = doc.after
	if data.get("role") == role:
		return f"{doc.path}.role"
	for table, rows in data.items():
		for index, row in enumerate(rows if isinstance(rows, list) else []):
			if row.get("role") == role:
				return f"{doc.path}.{table}[{index}].role"
	return doc.path  # a doctype naming roles elsewhere: the document, at least


def unknown_roles(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	# a Workflow names roles in states and transitions, which WF001 points at one by one
	if doc.after is None or doc.doctype == "Workflow":
		return []
	named = {name for doctype, name in adapter_for(doc.doctype).refs(doc.after) if doctype == "Role"}
	return [
		unknown_role(doc, _role_path(doc, role), role)
		for role in sorted(named - known_roles(change, context))
	]
