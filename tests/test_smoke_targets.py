from builders import custom_field, doctype, role

from frappe_stack.blueprint.canonical import canonical_bytes
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.review.change import compute_change
from frappe_stack.smoke_plan import FAIL, PASS, WARN, SmokeReport, SmokeResult, smoke_targets


def _set(tmp_path, name, documents, **extra):
	folder = tmp_path / name / "blueprints"
	folder.mkdir(parents=True)
	(folder / "x.json").write_bytes(canonical_bytes({"blueprint": "x", "documents": documents, **extra}))
	return load_blueprint_set(folder.parent)


CARD = {"doctype": "Number Card", "name": "Open Things", "label": "Open Things", "document_type": "Thing"}
CHART = {"doctype": "Dashboard Chart", "name": "Things", "chart_name": "Things", "document_type": "Thing"}


def test_targets_are_the_doctypes_created_or_customized_and_the_cards_and_charts(tmp_path):
	head = _set(
		tmp_path, "head", [doctype("Thing"), custom_field("Contact", "thing"), role("Clerk"), CARD, CHART]
	)
	targets = smoke_targets(compute_change(None, head))
	assert targets.doctypes == ["Contact", "Thing"]
	assert targets.number_cards == ["Open Things"] and targets.dashboard_charts == ["Things"]


def test_unchanged_and_deleted_documents_are_not_tested(tmp_path):
	base = _set(tmp_path, "base", [doctype("Thing"), custom_field("Contact", "thing")])
	head = _set(
		tmp_path, "head", [doctype("Thing")], delete=[{"doctype": "Custom Field", "name": "Contact-thing"}]
	)
	targets = smoke_targets(compute_change(base, head))
	assert targets.doctypes == [] and targets.number_cards == [] and targets.dashboard_charts == []


def test_report_fails_on_any_failure_and_counts():
	report = SmokeReport(
		[
			SmokeResult("insert A", PASS),
			SmokeResult("walk", WARN, "condition"),
			SmokeResult("card", FAIL, "x"),
		]
	)
	assert report.failed
	assert report.as_dict()["summary"] == {"pass": 1, "warn": 1, "fail": 1}
	assert "fail  card: x" in report.text()
	assert not SmokeReport([SmokeResult("insert A", PASS)]).failed
	assert "touches no DocType" in SmokeReport().text()
