"""Rules on Query Reports."""

from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Finding
from frappe_stack.review.rules.base import hit, subject
from frappe_stack.review.sql_select import selects_star


def select_star(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	data = doc.after
	if doc.doctype != "Report" or data is None or data.get("report_type") != "Query Report":
		return []
	if not selects_star(data.get("query") or ""):
		return []
	return [
		hit(
			doc,
			f"{doc.path}.query",
			f"{subject(doc)} selects * : new columns (including private ones) appear in it unreviewed",
			"name the columns the report shows",
		)
	]
