"""Run every rule over every changed document."""

from frappe_stack.blueprint.validate import BlueprintSet
from frappe_stack.review.change import compute_change
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Report
from frappe_stack.review.rules import RULES


def review(
	base: BlueprintSet | None, head: BlueprintSet, context: Context, blueprint: str | None = None
) -> Report:
	change = compute_change(base, head, blueprint)
	return Report(
		[finding for doc in change.docs for rule in RULES for finding in rule.run(doc, change, context)]
	)
