"""Runs the smoke tests of frappe_stack.smoke_plan on this site, inside a savepoint that is always
rolled back: sample documents, workflow transitions walked as real users holding each role, and
Number Cards and Dashboard Charts evaluated. Nothing they do survives."""

import frappe
from frappe.model.workflow import apply_workflow, get_workflow_name, is_transition_condition_satisfied
from frappe.utils import now_datetime, nowdate

from frappe_stack.checks.result import FAIL, PASS, WARN
from frappe_stack.errors import StackError
from frappe_stack.site.target import role_holders
from frappe_stack.smoke_plan import SmokeReport, SmokeResult, SmokeTargets

SAVEPOINT = "frappe_stack_smoke"
TEXT_TYPES = {
	"Data",
	"Small Text",
	"Text",
	"Long Text",
	"Text Editor",
	"Code",
	"Markdown Editor",
	"HTML Editor",
}
NUMBER_TYPES = {"Int", "Float", "Currency", "Percent", "Duration"}


class NoSample(StackError):
	"""A mandatory field cannot be filled on this site (e.g. a Link to a DocType with no records)."""


def run_smoke(targets: SmokeTargets, error_text) -> SmokeReport:
	report = SmokeReport()
	user = frappe.session.user
	frappe.db.savepoint(SAVEPOINT)
	try:
		# cards and charts first: evaluated after the samples, they would count the samples
		for name in targets.number_cards:
			report.results.append(_evaluate(f"Number Card {name}", lambda n=name: _card(n), error_text))
		for name in targets.dashboard_charts:
			report.results.append(_evaluate(f"Dashboard Chart {name}", lambda n=name: _chart(n), error_text))
		for doctype in targets.doctypes:
			report.results += _doctype(doctype, error_text)
	finally:
		frappe.set_user(user)
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.db.rollback()
	return report


def _doctype(doctype: str, error_text) -> list[SmokeResult]:
	if not frappe.db.exists("DocType", doctype):
		return [SmokeResult(f"insert {doctype}", FAIL, "the DocType does not exist on this site")]
	meta = frappe.get_meta(doctype)
	if meta.issingle or meta.istable:
		return []
	try:
		sample = _insert(doctype)
	except Exception as exc:
		return [SmokeResult(f"insert {doctype}", FAIL, error_text(exc))]
	results = [SmokeResult(f"insert {doctype}", PASS, f"sample {sample.name}")]
	workflow_name = get_workflow_name(doctype)
	if workflow_name:
		workflow = frappe.get_doc("Workflow", workflow_name)
		results += [_transition(doctype, workflow, t, error_text) for t in workflow.transitions]
	return results


def _transition(doctype: str, workflow, transition, error_text) -> SmokeResult:
	test = f"workflow {workflow.name}: {transition.state} -{transition.action}-> {transition.next_state}"
	frappe.set_user("Administrator")
	try:
		doc = _insert(doctype)
		doc.db_set(workflow.workflow_state_field, transition.state)
		if not is_transition_condition_satisfied(transition, doc):
			return SmokeResult(test, WARN, f"the sample does not meet the condition {transition.condition!r}")
		user = _user_with_role(transition.allowed)
		if user is None:
			return SmokeResult(test, FAIL, f"no enabled user holds the role {transition.allowed!r}")
		frappe.set_user(user)
		done = apply_workflow(doc.as_dict(), transition.action)
		state = done.get(workflow.workflow_state_field)
		if state != transition.next_state:
			return SmokeResult(test, FAIL, f"ended in {state!r}")
		return SmokeResult(test, PASS, f"as {user}")
	except Exception as exc:
		return SmokeResult(test, FAIL, error_text(exc))
	finally:
		frappe.set_user("Administrator")


def _user_with_role(role: str) -> str | None:
	people = role_holders([role])[role]
	return people[0] if people else None


def _insert(doctype: str):
	doc = frappe.new_doc(doctype)
	for df in frappe.get_meta(doctype).fields:
		if df.reqd and not doc.get(df.fieldname):
			_fill(doc, df)
	doc.insert(ignore_permissions=True)
	return doc


def _fill(doc, df) -> None:
	if df.fieldtype in ("Table", "Table MultiSelect"):
		row = doc.append(df.fieldname, {})
		for child in frappe.get_meta(df.options).fields:
			if child.reqd and not row.get(child.fieldname):
				row.set(child.fieldname, _sample(child))
	else:
		doc.set(df.fieldname, _sample(df))


def _sample(df):
	if df.fieldtype in TEXT_TYPES:
		if df.options == "Email":
			return f"smoke-{frappe.generate_hash(length=6)}@example.com"
		if df.options == "Phone":
			return "+10000000000"
		return f"Smoke test {frappe.generate_hash(length=6)}"
	if df.fieldtype in NUMBER_TYPES or df.fieldtype == "Check":
		return 1
	if df.fieldtype == "Date":
		return nowdate()
	if df.fieldtype == "Datetime":
		return now_datetime()
	if df.fieldtype == "Time":
		return "10:00:00"
	if df.fieldtype == "Select":
		options = [o for o in (df.options or "").split("\n") if o]
		if options:
			return options[0]
	if df.fieldtype == "Link":
		existing = frappe.get_all(df.options, limit=1, pluck="name")
		if existing:
			return existing[0]
		raise NoSample(
			f"mandatory field {df.fieldname} links to {df.options}, which has no record on this site"
		)
	raise NoSample(f"cannot make a sample value for mandatory {df.fieldtype} field {df.fieldname}")


def run_post_deploy(targets: SmokeTargets, workflows: list[str], error_text) -> SmokeReport:
	"""The read-only checks after a deploy: each changed DocType loads and lists, each changed
	workflow loads, each changed card and chart evaluates. Nothing is written."""
	report = SmokeReport()
	frappe.clear_cache()
	for doctype in targets.doctypes:
		report.results.append(
			_evaluate(f"DocType {doctype} loads and lists", lambda d=doctype: _lists(d), error_text)
		)
	for name in workflows:
		report.results.append(
			_evaluate(
				f"Workflow {name} loads", lambda n=name: len(frappe.get_doc("Workflow", n).states), error_text
			)
		)
	for name in targets.number_cards:
		report.results.append(_evaluate(f"Number Card {name}", lambda n=name: _card(n), error_text))
	for name in targets.dashboard_charts:
		report.results.append(_evaluate(f"Dashboard Chart {name}", lambda n=name: _chart(n), error_text))
	return report


def _lists(doctype: str) -> str:
	frappe.get_meta(doctype)
	return f"{len(frappe.get_list(doctype, limit_page_length=1))} row(s) read"


def _evaluate(test: str, evaluate, error_text) -> SmokeResult:
	try:
		return SmokeResult(test, PASS, f"= {evaluate()}")
	except Exception as exc:
		return SmokeResult(test, FAIL, error_text(exc))


def _card(name: str):
	from frappe.desk.doctype.number_card.number_card import get_result

	card = frappe.get_doc("Number Card", name)
	if card.type != "Document Type":
		return "not a Document Type card: evaluated only in Desk"
	value = get_result(card.as_dict(), card.filters_json)
	# Frappe returns counts as floats: 4.0 reads as a measurement, not a count
	return int(value) if isinstance(value, float) and value.is_integer() else value


def _chart(name: str):
	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get

	data = get(chart_name=name, refresh=1)
	return f"{len((data or {}).get('labels') or [])} label(s)"
