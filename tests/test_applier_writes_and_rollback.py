"""The applier on the in-memory site: it creates and records every document, writes nothing the
second time, and is all or nothing per blueprint; drift is overwritten and audited."""

import pytest
from applier_helpers import failing_repo, statuses
from applier_helpers import site as site
from builders import EXAMPLE_REPO, doctype, role
from memory_site import MemorySite

from frappe_stack import render, stack
from frappe_stack.applier import APPLIED, FAILED, SKIPPED, UNCHANGED
from frappe_stack.blueprint.validate import load_blueprint_set


def example_documents() -> dict:
	return {doc.key: doc.data for bp in load_blueprint_set(EXAMPLE_REPO).blueprints for doc in bp.documents}


# ---- applying the example repo ------------------------------------------------------------------


def test_apply_creates_every_document(site):
	result = stack.apply(site, str(EXAMPLE_REPO))
	assert statuses(result) == {"field-roles": APPLIED, "beneficiary": APPLIED}
	assert not result.failed
	assert site.docs == example_documents()
	assert result.summary() == {
		"create": 12,
		"update": 0,
		"delete": 0,
		"noop": 0,
		"drift": 0,
		"orphaned": 0,
		"failed": 0,
		"skipped": 0,
	}
	# dependency order reached the site too
	writes = site.log.writes
	assert writes.index(("Role", "Manager")) < writes.index(("DocType", "Beneficiary"))
	assert writes.index(("DocType", "Beneficiary")) < writes.index(("Workflow", "Beneficiary Approval"))


def test_apply_records_ledger_and_audit(site):
	stack.apply(site, str(EXAMPLE_REPO))
	desired = load_blueprint_set(EXAMPLE_REPO).by_name()
	entry = site.ledger["beneficiary"]
	assert (entry.status, entry.source_path, entry.last_error) == (
		"Applied",
		"blueprints/beneficiary.json",
		"",
	)
	assert entry.content_hash == desired["beneficiary"].content_hash
	assert entry.applied_by == site.user and entry.applied_on
	for doc in desired["beneficiary"].documents:
		recorded = entry.documents[doc.key]
		assert recorded.source_hash == doc.hash == recorded.applied_hash
	audits = [row for row in site.audit_log if row.blueprint == "field-roles"]
	assert [(row.action, row.docname, row.result) for row in audits] == [
		("create", "Field Officer", "Success"),
		("create", "Manager", "Success"),
		("create", "Program Officer", "Success"),
	]
	assert all(row.before_hash is None and row.after_hash for row in audits)
	assert [e.blueprint for e in stack.status(site)] == ["beneficiary", "field-roles"]


def test_second_apply_writes_nothing(site):
	stack.apply(site, str(EXAMPLE_REPO))
	before = dict(site.docs)
	site.reset_log()
	result = stack.apply(site, str(EXAMPLE_REPO))
	assert site.log.empty, site.log
	assert site.log.commits == 0
	assert statuses(result) == {"field-roles": UNCHANGED, "beneficiary": UNCHANGED}
	assert site.docs == before
	plan, _, _ = stack.make_plan(site, str(EXAMPLE_REPO))
	assert not plan.has_changes


def test_converged_site_that_normalizes_documents_writes_nothing_the_second_time(repo):
	site = MemorySite(normalize=lambda doc: doc | {"normalized_by_controller": 1})
	repo.write("roles", [role("A"), role("B")])
	stack.apply(site, str(repo.root))
	entry = site.ledger["roles"]
	assert all(d.source_hash != d.applied_hash for d in entry.documents.values())
	assert entry.documents[("Role", "A")].applied_hash == site.hash_of(("Role", "A"))
	site.reset_log()
	result = stack.apply(site, str(repo.root))
	assert site.log.empty
	assert statuses(result) == {"roles": UNCHANGED}


def test_repo_change_updates_only_what_changed(site, repo):
	repo.write("roles", [role("A"), role("B")])
	stack.apply(site, str(repo.root))
	before = site.hash_of(("Role", "B"))
	repo.write("roles", [role("A"), role("B", desk_access=1)])
	site.reset_log()
	result = stack.apply(site, str(repo.root))
	assert site.log.writes == [("Role", "B")]
	assert site.docs[("Role", "B")] == role("B", desk_access=1)
	[row] = site.log.audits
	assert (row.action, row.docname, row.before_hash, row.after_hash) == (
		"update",
		"B",
		before,
		site.hash_of(("Role", "B")),
	)
	assert result.summary()["update"] == 1 and result.summary()["noop"] == 1


def test_failing_document_rolls_back_its_blueprint_and_skips_its_dependents(repo):
	failing_repo(repo)
	site = MemorySite(fail_on={("DocType", "Ledger Book")})
	result = stack.apply(site, str(repo.root))
	assert statuses(result) == {
		"base": FAILED,
		"declared": SKIPPED,
		"inferred": SKIPPED,
		"other": APPLIED,
		"transitive": SKIPPED,
	}
	# Role Clerk was written before the failure, then rolled back; the Client Script never ran
	assert site.log.writes[:2] == [("Role", "Clerk"), ("DocType", "Ledger Book")]
	assert ("Client Script", "Ledger Book Form") not in site.log.writes
	assert set(site.docs) == {("Role", "Other")}
	base = site.ledger["base"]
	assert base.status == "Failed"
	assert "create DocType 'Ledger Book'" in base.last_error
	assert "LinkValidationError" in base.last_error
	assert base.documents == {}
	[failed] = [r for r in result.results if r.status == FAILED]
	assert failed.error == base.last_error
	assert {r.blueprint for r in result.failed} == {"base", "declared", "inferred", "transitive"}
	assert "needs base" in site.ledger["inferred"].last_error
	assert "needs declared" in site.ledger["transitive"].last_error
	assert site.ledger["declared"].status == "Pending"
	assert site.ledger["other"].status == "Applied"
	audit = {(row.blueprint, row.action, row.result) for row in site.audit_log}
	assert ("base", "apply", "Failed") in audit and ("declared", "apply", "Skipped") in audit
	assert not any(row.blueprint == "base" and row.result == "Success" for row in site.audit_log)
	summary = result.summary()
	assert (summary["failed"], summary["skipped"], summary["create"]) == (1, 3, 1)
	assert result.as_dict()["ok"] is False


def test_rollback_restores_documents_that_existed_before(repo):
	repo.write("base", [role("Clerk", desk_access=1), doctype("Ledger Book")])
	site = MemorySite([role("Clerk")], fail_on={("DocType", "Ledger Book")})
	result = stack.apply(site, str(repo.root))
	assert statuses(result) == {"base": FAILED}
	assert site.docs == {("Role", "Clerk"): role("Clerk")}


def test_failure_after_the_writes_is_rolled_back_too(repo):
	repo.write("base", [role("Clerk")])
	site = MemorySite()
	site.fail_finish = True
	result = stack.apply(site, str(repo.root))
	assert statuses(result) == {"base": FAILED}
	assert site.docs == {}
	assert result.results[0].error == "schema update: SchemaUpdateError: ALTER TABLE failed"


def test_failed_blueprint_applies_once_fixed_and_clears_the_error(repo):
	failing_repo(repo)
	site = MemorySite(fail_on={("DocType", "Ledger Book")})
	stack.apply(site, str(repo.root))
	site.reset_log()
	stack.apply(site, str(repo.root))
	# the failure repeats, but skipped blueprints are not rewritten with the same error
	assert sorted(set(site.log.ledger_saves)) == ["base"]
	site.fail_on.clear()
	result = stack.apply(site, str(repo.root))
	assert set(statuses(result).values()) <= {APPLIED, UNCHANGED}
	assert all(e.status == "Applied" and e.last_error == "" for e in site.ledger.values())
	assert ("Custom Field", "Ledger Book-code") in site.docs


def test_apply_finishes_once_after_its_last_commit(site):
	"""What the site defers to the end of an apply (Frappe's routing caches) is done once, after
	every blueprint's commit."""
	stack.apply(site, str(EXAMPLE_REPO))
	assert site.log.commits == 2
	assert site.log.finished_after_commits == [2]


def test_apply_finishes_once_also_when_blueprints_fail(repo):
	failing_repo(repo)
	site = MemorySite(fail_on={("DocType", "Ledger Book")})
	result = stack.apply(site, str(repo.root))
	assert result.failed
	assert site.log.finished_after_commits == [site.log.commits]


@pytest.mark.parametrize("finish_fails", [False, True], ids=["finish-ok", "finish-fails-too"])
def test_apply_finishes_also_when_it_breaks_off(repo, finish_fails):
	"""An interrupt stays an interrupt (a deploy records it and stops, where an error would be a
	failed step), even when the cleanup after it fails as well."""
	repo.write("first", [role("First")])
	repo.write("second", [role("Second")], depends_on=["first"])
	site = MemorySite()
	site.fail_finish_apply = finish_fails

	def interrupted(index, total, plan):
		if index == 2:
			raise KeyboardInterrupt

	with pytest.raises(KeyboardInterrupt):
		stack.apply(site, str(repo.root), progress=interrupted)
	assert set(site.docs) == {("Role", "First")}
	assert site.log.finished_after_commits == [1]


def test_a_failing_finish_is_reported_when_nothing_else_failed(repo):
	repo.write("first", [role("First")])
	site = MemorySite()
	site.fail_finish_apply = True
	with pytest.raises(ConnectionError, match="Connection refused"):
		stack.apply(site, str(repo.root))
	assert site.log.commits == 1
	assert site.ledger["first"].status == "Applied"


def test_applied_blueprint_that_gets_skipped_becomes_pending(repo):
	repo.write("base", [role("Clerk")])
	repo.write("user", [role("User")], depends_on=["base"])
	site = MemorySite()
	stack.apply(site, str(repo.root))
	repo.write("base", [role("Clerk", desk_access=1)])
	site.fail_on.add(("Role", "Clerk"))
	result = stack.apply(site, str(repo.root))
	assert statuses(result) == {"base": FAILED, "user": SKIPPED}
	assert site.ledger["user"].status == "Pending"
	assert site.ledger["base"].status == "Failed"
	assert site.docs[("Role", "Clerk")] == role("Clerk")
	# what was applied before is still recorded, so the next plan still knows the history
	assert ("Role", "Clerk") in site.ledger["base"].documents


# ---- drift, tombstones, orphans -----------------------------------------------------------------


def test_drift_is_overwritten_and_audited(site):
	stack.apply(site, str(EXAMPLE_REPO))
	key = ("Role", "Manager")
	desired_hash = site.hash_of(key)
	site.put(role("Manager", desk_access=0, two_factor_auth=1))
	edited_hash = site.hash_of(key)
	plan, _, _ = stack.make_plan(site, str(EXAMPLE_REPO))
	[op] = [op for bp in plan.blueprints for op in bp.writes]
	assert (op.key, op.action, op.drift, op.pending) == (key, "update", True, False)
	assert "drift" in render.plan_text(plan, "memory.test")
	site.reset_log()
	result = stack.apply(site, str(EXAMPLE_REPO))
	assert site.log.writes == [key]
	assert site.docs[key] == role("Manager")
	[row] = site.log.audits
	assert (row.action, row.blueprint, row.doctype, row.docname) == (
		"overwrite-drift",
		"field-roles",
		"Role",
		"Manager",
	)
	assert (row.before_hash, row.after_hash) == (edited_hash, desired_hash)
	assert result.summary()["drift"] == 1


def test_document_deleted_on_the_site_is_recreated(site):
	stack.apply(site, str(EXAMPLE_REPO))
	del site.docs[("Role", "Manager")]
	site.reset_log()
	stack.apply(site, str(EXAMPLE_REPO))
	assert site.log.writes == [("Role", "Manager")]
	assert [row.action for row in site.log.audits] == ["overwrite-drift"]
