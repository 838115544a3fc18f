"""Run every rule over every changed document."""

from frappe_stack.blueprint.validate import BlueprintSet
from frappe_stack.change_base import nothing_to_examine
from frappe_stack.review.change import compute_change
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Report
from frappe_stack.review.rules import RULES


def review(
	base: BlueprintSet | None,
	head: BlueprintSet,
	context: Context,
	blueprint: str | None = None,
	base_label: str = "the base",
) -> Report:
	"""`base_label`: what the user reads as the base, named when no document changed since it."""
	change = compute_change(base, head, blueprint)
	return Report(
		[finding for doc in change.docs for rule in RULES for finding in rule.run(doc, change, context)],
		nothing="" if change.docs else nothing_to_examine(base_label),
		examined=len(change.docs),
	)
