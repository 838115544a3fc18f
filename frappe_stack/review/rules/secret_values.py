"""Secrets written into blueprints end up in git history; the message never repeats them."""

import ast

from frappe_stack.review import pyscript
from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Finding
from frappe_stack.review.rules.base import hit, subject
from frappe_stack.review.secret_shapes import find_shapes

FIX = "remove it, revoke it (git history keeps it), and read it at run time from site config"


def token_shapes(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	if doc.after is None:
		return []
	return [
		hit(doc, doc.path + shape.path, f"{subject(doc)}: {shape.path.lstrip('.')} holds {shape.what}", FIX)
		for shape in find_shapes(doc.after)
	]


def literal_credentials(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	if doc.doctype != "Server Script" or doc.after is None or not doc.after.get("script"):
		return []
	tree = pyscript.parse(doc.after["script"])
	if not isinstance(tree, ast.Module):
		return []
	return [
		hit(doc, f"{doc.path}.script", f"{subject(doc)}: line {spot.line}: {spot.what} in the code", FIX)
		for spot in pyscript.literal_credentials(tree)
	]
