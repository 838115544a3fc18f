"""The saved plan bound to the approval: what promote writes into the pull request body and the
manifest, and what deploy decides (plan_binding.check_saved_plan) on a site that moved since."""

import json

import pytest
from builders import role
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.checks.result import PASS, Checklist, CheckResult
from frappe_stack.errors import StackError
from frappe_stack.promote import saved_plan
from frappe_stack.promote.body import PromotionFacts, pr_body
from frappe_stack.promote.saved_plan import PlanChanged
from frappe_stack.review.findings import Report
from frappe_stack.workflows.deployment import DeployResult
from frappe_stack.workflows.plan_binding import check_saved_plan, plan_on, plan_target, record_replan

PROMOTION = "PROMO-0007"


@pytest.fixture
def production(repo):
	"""Production holding role Clerk as the repo has it, and Auditor as it was before the change."""
	repo.write("roles", [role("Clerk"), role("Auditor", desk_access=0), role("Approver")])
	site = MemorySite([role("Clerk"), role("Auditor")])
	return site


def approve(repo, site) -> dict:
	"""What promote leaves in the checkout: the plan file and the manifest that states its hash."""
	folder = repo.root / "promotions"
	folder.mkdir()
	docs = plan_on(site, repo.root)
	path = saved_plan.save(folder, PROMOTION, docs)
	manifest = {"plan": saved_plan.summary(docs) | {"file": f"promotions/{path.name}"}}
	(folder / f"{PROMOTION}.json").write_text(json.dumps(manifest))
	return manifest


def verdict(repo, site, manifest: dict, replan: bool = False, promotion: str | None = PROMOTION):
	return check_saved_plan(site, repo.root, repo.root / "promotions", promotion, manifest, False, replan)


def test_the_summary_counts_documents_by_action(repo, production):
	summary = saved_plan.summary(plan_on(production, repo.root))
	assert summary["documents"] == 3
	assert summary["actions"] == {"create": 1, "update": 1, "noop": 1}
	assert summary["hash"] == saved_plan.plan_hash(plan_on(production, repo.root))
	assert saved_plan.summary_text(summary) == "3 document(s): 1 create, 1 update, 1 noop"
	assert saved_plan.summary_text({"documents": 0, "actions": {}}) == "0 document(s)"


def test_the_pull_request_body_states_the_plan_hash_and_what_deploy_does_with_it(repo, production):
	plan = saved_plan.summary(plan_on(production, repo.root)) | {"file": "promotions/PROMO-0007.plan.json"}
	body = pr_body(facts(plan))
	section = body[body.index("## Saved plan") : body.index("## Backup")]
	assert f"`{plan['hash']}`" in section
	assert "against **production**" in section
	assert "3 document(s): 1 create, 1 update, 1 noop" in section
	assert "`promotions/PROMO-0007.plan.json`" in section
	assert "refuses, naming each document, when it differs" in section
	assert "`deploy --replan` deploys anyway and records that in the audit log" in section
	assert "## Saved plan" not in pr_body(facts(None))


def test_an_unchanged_production_matches_the_approved_plan(repo, production):
	manifest = approve(repo, production)
	check = verdict(repo, production, manifest)
	assert (
		check.line
		== f"{manifest['plan']['hash'][:12]} matches production (3 document(s): 1 create, 1 update, 1 noop)"
	)
	assert not check.replanned
	assert production.log.empty


def test_a_document_edited_on_production_since_the_approval_refuses_naming_it(repo, production):
	manifest = approve(repo, production)
	production.put(role("Clerk", desk_access=0))  # someone edits it in Desk after the approval
	production.reset_log()
	with pytest.raises(PlanChanged) as refused:
		verdict(repo, production, manifest)
	text = str(refused.value)
	lines = text.splitlines()
	assert lines[0] == (
		f"{PROMOTION}: production changed since the approval (saved plan {manifest['plan']['hash'][:12]}, "
		"1 document(s) differ); nothing was written:"
	)
	assert lines[1].startswith(
		"  Role 'Clerk' (roles): changed on production since the approval (approved noop of "
	)
	assert lines[2] == (
		"fix: review the changes and re-promote, or deploy with --replan (recorded in the audit log)"
	)
	assert refused.value.differences == [lines[1].strip()]
	assert production.log.empty


def test_replan_deploys_past_the_difference_and_records_it(repo, production):
	manifest = approve(repo, production)
	production.put(role("Clerk", desk_access=0))
	check = verdict(repo, production, manifest, replan=True)
	assert check.replanned
	assert check.line.startswith(f"{manifest['plan']['hash'][:12]} differs in 1 document(s), deployed anyway")
	assert "Role 'Clerk' (roles)" in check.line
	store = FakeStore()
	record_replan(production, store, PROMOTION, check)
	(audit,) = production.audit_log
	assert (audit.action, audit.result) == ("replan", "Success")
	assert audit.details.startswith(f"{PROMOTION}: deployed with --replan: Role 'Clerk' (roles): changed on")
	assert store.events == [(PROMOTION, "replan", audit.details.removeprefix(f"{PROMOTION}: "))]
	assert production.log.commits == 1


def test_a_ref_deploy_and_a_resumed_one_say_why_no_plan_is_compared(repo, production):
	assert verdict(repo, production, {}, promotion=None).line.startswith(
		"none: a --ref deploy is bound to no approval"
	)
	resumed = check_saved_plan(production, repo.root, repo.root / "promotions", PROMOTION, {}, True, False)
	assert resumed.line == "checked when the interrupted deploy started; this run resumes it"


def test_a_promotion_made_before_saved_plans_deploys_without_one(repo, production):
	(repo.root / "promotions").mkdir()
	check = verdict(repo, production, {"label": "old"})
	assert check.line == f"none: {PROMOTION} was promoted before plans were saved; deployed without one"


def test_a_plan_file_that_is_not_the_approved_one_refuses_unless_replan(repo, production):
	manifest = approve(repo, production)
	manifest["plan"]["hash"] = "f" * 64  # the file was swapped after the approval
	with pytest.raises(
		StackError, match=r"PROMO-0007.plan.json: hash \w{12} is not the approved ffffffffffff"
	):
		verdict(repo, production, manifest)
	(repo.root / "promotions" / f"{PROMOTION}.plan.json").unlink()
	with pytest.raises(StackError, match="saved plan is missing"):
		verdict(repo, production, manifest)
	check = verdict(repo, production, manifest, replan=True)
	assert check.replanned and "saved plan is missing" in check.line


def test_a_plan_that_cannot_be_made_on_the_target_is_kept_as_its_reason(repo, production):
	repo.write_text("broken.json", "{not json")
	made = plan_target(production, repo.root)
	assert made.docs == [] and "broken.json" in made.error
	with pytest.raises(StackError):
		stack.make_plan(production, str(repo.root))


def test_deploy_prints_what_became_of_the_saved_plan():
	result = DeployResult(PROMOTION, "Deployed", "c0ffee" * 6, plan="abc matches production (1 document(s))")
	assert result.text().splitlines()[1] == "Saved plan: abc matches production (1 document(s))"
	assert result.as_dict()["plan"] == "abc matches production (1 document(s))"


class FakeStore:
	def __init__(self):
		self.events: list[tuple[str, str, str]] = []

	def update(self, name, values, note="", step="", **_):
		self.events.append((name, step, note))


def facts(plan: dict | None) -> PromotionFacts:
	checklist = Checklist("staging", "production", [CheckResult("diff clean", PASS, "clean")])
	return PromotionFacts(
		PROMOTION,
		"sprint-15",
		"staging",
		"production",
		checklist,
		[],
		Report([]),
		BackupRecord("production", "label", "/b.sql.gz", 10),
		"bench --site production frappe-stack rollback --promotion PROMO-0007",
		plan=plan,
	)
