"""Rules on DocTypes as a whole and on who may use them."""

from frappe_stack.review.change import ADDED, DELETED, Change, ChangedDoc
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Finding
from frappe_stack.review.rules.base import hit, subject

PUBLIC_ROLES = ("Guest", "All")
WRITE_RIGHTS = ("write", "create", "delete", "submit", "cancel", "amend")


def no_permissions(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	data = doc.after
	if doc.doctype != "DocType" or data is None or data.get("istable") or data.get("permissions"):
		return []  # child tables take their parent's permissions
	if any(perm.get("parent") == doc.name for perm in change.head_of("Custom DocPerm")):
		return []
	return [
		hit(
			doc,
			doc.path,
			f"{subject(doc)} has no permission rows: only Administrator can open it, and a later "
			"grant made on the site drifts from the repo",
			'add "permissions" rows for the roles that use it (or Custom DocPerm documents)',
		)
	]


def deleted_with_rows(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	if doc.doctype != "DocType" or doc.kind != DELETED or doc.name not in context.doctypes():
		return []
	rows = context.count_rows(doc.name)
	if not rows:
		return []
	return [
		hit(
			doc,
			doc.path,
			f"deleting {subject(doc)} drops its table, which holds {rows} row(s) on the site",
			"export or migrate the data first, or remove the tombstone",
		)
	]


def _public_write(doc: ChangedDoc, perm: dict, path: str, doctype: str) -> list[Finding]:
	if perm.get("role") not in PUBLIC_ROLES:
		return []
	rights = [right for right in WRITE_RIGHTS if perm.get(right)]
	if not rights:
		return []
	return [
		hit(
			doc,
			path,
			f"{subject(doc)} lets role '{perm['role']}' {'/'.join(rights)} {doctype}: that is everyone",
			"grant these rights to a named role instead of Guest or All",
		)
	]


def public_write(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	if doc.after is None:
		return []
	if doc.doctype == "Custom DocPerm":
		return _public_write(doc, doc.after, doc.path, doc.after.get("parent", ""))
	if doc.doctype == "DocType":
		found = []
		for index, perm in enumerate(doc.after.get("permissions", [])):
			found += _public_write(doc, perm, f"{doc.path}.permissions[{index}]", doc.name)
		return found
	return []


def undescribed_doctype(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	if doc.doctype != "DocType" or doc.kind != ADDED or doc.after.get("description"):
		return []
	return [
		hit(
			doc,
			doc.path,
			f"new {subject(doc)} has no description",
			'add "description": what a record of it is and who creates it',
		)
	]
