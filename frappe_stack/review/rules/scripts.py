"""Server Script rules. Each reads the parsed code; a script that does not parse gets SS000 only."""

import ast

from frappe_stack.review import pyscript
from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Finding
from frappe_stack.review.rules.base import hit, subject

SERVER_SCRIPT = "Server Script"


def _tree(doc: ChangedDoc) -> ast.Module | SyntaxError | None:
	if doc.doctype != SERVER_SCRIPT or doc.after is None or not doc.after.get("script"):
		return None
	return pyscript.parse(doc.after["script"])


def _spots(doc: ChangedDoc, find, message: str, fix: str) -> list[Finding]:
	tree = _tree(doc)
	if not isinstance(tree, ast.Module):
		return []
	return [
		hit(doc, f"{doc.path}.script", f"{subject(doc)}: line {spot.line}: {spot.what} {message}", fix)
		for spot in find(tree)
	]


def syntax_error(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	tree = _tree(doc)
	if not isinstance(tree, SyntaxError):
		return []
	return [
		hit(
			doc,
			f"{doc.path}.script",
			f"{subject(doc)}: the script does not parse: {tree.msg} at line {tree.lineno}",
			"correct the Python syntax there; no other script rule can read it until then",
		)
	]


def ignore_permissions(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	return _spots(
		doc,
		pyscript.ignore_permissions,
		"skips permission checks, so any user who triggers it acts with full rights",
		"remove ignore_permissions and give the roles that run it the permissions they need",
	)


def guest_api(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	data = doc.after
	if doc.doctype != SERVER_SCRIPT or data is None:
		return []
	if data.get("script_type") != "API" or not data.get("allow_guest"):
		return []
	return [
		hit(
			doc,
			f"{doc.path}.allow_guest",
			f"{subject(doc)}: API method '{data.get('api_method', '')}' can be called by anyone without logging in",
			'set "allow_guest": 0, or move the endpoint into app code with explicit input checks',
		)
	]


def built_sql(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	return _spots(
		doc,
		pyscript.built_sql,
		"(SQL injection)",
		"pass values separately: frappe.db.sql(query, values) with %(name)s placeholders",
	)


def db_commit(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	return _spots(
		doc,
		pyscript.db_commits,
		"commits mid-request, so a later error can no longer roll the request's writes back",
		"remove frappe.db.commit(); Frappe commits when the request succeeds",
	)
