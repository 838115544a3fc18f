"""The plan a promotion is approved with, and what deploy refuses when production moved since."""

import json

import pytest

from frappe_stack.errors import StackError
from frappe_stack.plan import CREATE, NOOP, UPDATE, BlueprintPlan, DocOp, Plan
from frappe_stack.promote import saved_plan


def plan(*ops: tuple[str, str, str, str | None, str | None], blueprint: str = "beneficiary") -> Plan:
	return Plan([BlueprintPlan(blueprint, ops=[DocOp(a, dt, n, live, src) for a, dt, n, live, src in ops])])


APPROVED = plan(
	(UPDATE, "DocType", "Beneficiary", "live1", "repo1"),
	(NOOP, "Workflow", "Beneficiary Approval", "same", "same"),
	(CREATE, "Custom Field", "Contact-village", None, "repo2"),
)


def test_the_saved_plan_round_trips_through_its_file_with_its_hash(tmp_path):
	docs = saved_plan.planned_docs(APPROVED)
	path = saved_plan.save(tmp_path, "PROMO-1", docs)
	assert path.name == "PROMO-1.plan.json"
	loaded, stated = saved_plan.load(path)
	assert loaded == docs
	assert stated == saved_plan.plan_hash(docs)
	assert [d.action for d in loaded] == [CREATE, UPDATE, NOOP]  # sorted by blueprint, doctype, name


def test_the_same_plan_recomputed_has_no_differences():
	assert saved_plan.differences(saved_plan.planned_docs(APPROVED), saved_plan.planned_docs(APPROVED)) == []


def test_a_document_edited_on_production_since_the_approval_is_named():
	now = plan(
		(UPDATE, "DocType", "Beneficiary", "live1", "repo1"),
		(UPDATE, "Workflow", "Beneficiary Approval", "edited", "same"),
		(CREATE, "Custom Field", "Contact-village", None, "repo2"),
	)
	lines = saved_plan.differences(saved_plan.planned_docs(APPROVED), saved_plan.planned_docs(now))
	assert lines == [
		"Workflow 'Beneficiary Approval' (beneficiary): changed on production since the approval "
		"(approved noop of same, now update of edited)"
	]


def test_a_repo_version_other_than_the_approved_one_and_added_or_dropped_documents_are_named():
	now = plan(
		(UPDATE, "DocType", "Beneficiary", "live1", "repo9"),
		(NOOP, "Workflow", "Beneficiary Approval", "same", "same"),
		(CREATE, "Role", "Approver", None, "repo3"),
	)
	lines = saved_plan.differences(saved_plan.planned_docs(APPROVED), saved_plan.planned_docs(now))
	assert lines == [
		"Custom Field 'Contact-village' (beneficiary): approved to create, no longer in the plan",
		"DocType 'Beneficiary' (beneficiary): the repo's version differs from the approved one",
		"Role 'Approver' (beneficiary): not in the approved plan, now create",
	]


def test_a_plan_file_edited_by_hand_fails_its_hash(tmp_path):
	path = saved_plan.save(tmp_path, "PROMO-1", saved_plan.planned_docs(APPROVED))
	data = json.loads(path.read_text())
	data["documents"][0]["live_hash"] = "forged"
	path.write_text(json.dumps(data))
	with pytest.raises(StackError, match=r"PROMO-1.plan.json: hash: the plan does not match its own hash"):
		saved_plan.load(path)


def test_a_missing_or_broken_plan_file_says_how_to_go_on(tmp_path):
	with pytest.raises(
		StackError, match="saved plan is missing; fix: promote again .* or deploy with --replan"
	):
		saved_plan.load(tmp_path / "PROMO-2.plan.json")
	broken = tmp_path / "PROMO-3.plan.json"
	broken.write_text('{"documents": [{"doctype": "Role"}]}')
	with pytest.raises(StackError, match="PROMO-3.plan.json: not a saved plan"):
		saved_plan.load(broken)
