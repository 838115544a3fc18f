"""The applier on the in-memory site: idempotent, all or nothing per blueprint, drift and orphans."""

import tempfile
from pathlib import Path

import pytest
from builders import EXAMPLE_REPO, Repo, custom_field, doctype, role
from hypothesis import given, settings
from hypothesis import strategies as st
from memory_site import MemorySite

from frappe_stack import render, stack
from frappe_stack.applier import APPLIED, FAILED, ORPHANED, SKIPPED, UNCHANGED
from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import ValidationFailed


def statuses(result) -> dict[str, str]:
	return {r.blueprint: r.status for r in result.results}


def example_documents() -> dict:
	return {doc.key: doc.data for bp in load_blueprint_set(EXAMPLE_REPO).blueprints for doc in bp.documents}


@pytest.fixture
def site():
	return MemorySite()


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


# ---- all or nothing per blueprint ---------------------------------------------------------------


def failing_repo(repo):
	script = {"doctype": "Client Script", "name": "Ledger Book Form", "dt": "Ledger Book", "script": "// hi"}
	repo.write("base", [role("Clerk"), doctype("Ledger Book"), script])
	repo.write("declared", [role("Declared")], depends_on=["base"])
	repo.write("inferred", [custom_field("Ledger Book", "code")])
	repo.write("transitive", [role("Transitive")], depends_on=["declared"])
	repo.write("other", [role("Other")])


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


def test_tombstone_deletes(repo):
	old = custom_field("Contact", "old_code")
	site = MemorySite([old])
	old_hash = site.hash_of(("Custom Field", "Contact-old_code"))
	repo.write("cleanup", [role("A")], delete=[{"doctype": "Custom Field", "name": "Contact-old_code"}])
	stack.apply(site, str(repo.root))
	assert ("Custom Field", "Contact-old_code") not in site.docs
	assert site.log.deletes == [("Custom Field", "Contact-old_code")]
	[row] = [row for row in site.audit_log if row.action == "delete"]
	assert (row.docname, row.before_hash, row.after_hash) == ("Contact-old_code", old_hash, None)
	assert ("Custom Field", "Contact-old_code") not in site.ledger["cleanup"].documents
	site.reset_log()
	stack.apply(site, str(repo.root))
	assert site.log.empty


def test_removed_blueprint_is_orphaned_and_its_documents_stay(repo):
	repo.copy_example()
	site = MemorySite()
	stack.apply(site, str(repo.root))
	documents = dict(site.docs)
	repo.remove("beneficiary")
	site.reset_log()
	result = stack.apply(site, str(repo.root))
	assert statuses(result) == {"field-roles": UNCHANGED, "beneficiary": ORPHANED}
	assert site.docs == documents
	assert site.log.writes == [] and site.log.deletes == []
	assert site.ledger["beneficiary"].status == "Orphaned"
	assert len(site.ledger["beneficiary"].documents) == 9
	assert [(row.action, row.blueprint) for row in site.log.audits] == [("orphan", "beneficiary")]
	assert result.summary()["orphaned"] == 1
	assert "orphaned" in render.apply_text(result, "memory.test")
	site.reset_log()
	stack.apply(site, str(repo.root))
	assert site.log.empty


def test_document_that_leaves_a_blueprint_is_released_not_deleted(repo):
	repo.write("roles", [role("A"), role("B")])
	site = MemorySite()
	stack.apply(site, str(repo.root))
	repo.write("roles", [role("A")])
	site.reset_log()
	result = stack.apply(site, str(repo.root))
	assert ("Role", "B") in site.docs
	assert site.log.writes == [] and site.log.deletes == []
	assert [(row.action, row.docname) for row in site.log.audits] == [("release", "B")]
	assert list(site.ledger["roles"].documents) == [("Role", "A")]
	assert "left the blueprint" in render.apply_text(result, "memory.test")
	site.reset_log()
	stack.apply(site, str(repo.root))
	assert site.log.empty


def test_existing_identical_document_is_adopted_without_a_write(repo):
	site = MemorySite([role("A")])
	repo.write("roles", [role("A")])
	result = stack.apply(site, str(repo.root))
	assert site.log.writes == [] and site.log.audits == []
	assert site.log.ledger_saves == ["roles"]
	assert statuses(result) == {"roles": APPLIED}


def test_schema_defaults_do_not_count_as_changes(repo):
	schema = DoctypeSchema(
		"Role",
		{
			"role_name": FieldSpec("role_name", "Data"),
			"desk_access": FieldSpec("desk_access", "Check", default="1"),
		},
	)
	# the site stores every default explicitly, the file leaves them out
	site = MemorySite([role("A", desk_access=1, creation="2024-01-01")], schemas={"Role": schema})
	repo.write("roles", [role("A", desk_access="1")])
	stack.apply(site, str(repo.root))
	assert site.log.writes == []


# ---- the stack library --------------------------------------------------------------------------


def test_path_beats_the_site_config(repo, tmp_path):
	repo.write("roles", [role("A")])
	site = MemorySite(configured=str(tmp_path / "missing"))
	with pytest.raises(ValidationFailed):
		stack.make_plan(site)
	plan, ledger, desired = stack.make_plan(site, str(repo.root))
	assert [bp.name for bp in desired.blueprints] == ["roles"]
	assert ledger == {}
	assert plan.summary()["create"] == 1


def test_site_config_is_used_without_a_path(repo):
	repo.write("roles", [role("A")])
	site = MemorySite(configured=str(repo.root))
	stack.apply(site)
	assert ("Role", "A") in site.docs


def test_no_blueprint_source(site):
	with pytest.raises(stack.NoBlueprintSource) as excinfo:
		stack.apply(site)
	assert "--path" in str(excinfo.value) and "frappe_stack_blueprints" in str(excinfo.value)
	assert site.log.empty


def test_invalid_repo_writes_nothing(repo):
	repo.write("roles", [role("A")])
	repo.write("broken", [{"doctype": "Nope", "name": "x"}])
	site = MemorySite()
	with pytest.raises(ValidationFailed):
		stack.apply(site, str(repo.root))
	assert site.log.empty and site.docs == {}


def test_app_sources_are_applied_with_the_repo(repo, tmp_path):
	app = Repo(tmp_path / "app")
	app.write("app-roles", [role("App Role")])
	repo.write("roles", [role("A")], depends_on=["app-roles"])
	site = MemorySite(apps=[("my_app", str(app.dir))])
	result = stack.apply(site, str(repo.root))
	assert [r.blueprint for r in result.results] == ["app-roles", "roles"]
	assert site.ledger["app-roles"].source_path == "my_app:blueprints/app-roles.json"


def test_progress_is_called_for_every_blueprint(site):
	seen = []
	stack.apply(
		site, str(EXAMPLE_REPO), progress=lambda index, total, bp: seen.append((index, total, bp.name))
	)
	assert seen == [(1, 2, "field-roles"), (2, 2, "beneficiary")]


# ---- rendering ----------------------------------------------------------------------------------


def test_plan_text_lists_the_changes(site):
	plan, _, _ = stack.make_plan(site, str(EXAMPLE_REPO))
	text = render.plan_text(plan, "memory.test")
	assert "Plan for site memory.test" in text
	assert "+ DocType 'Beneficiary'" in text
	assert "+ Custom Field 'Contact-beneficiary'" in text
	assert "Summary: 12 to create, 0 to update, 0 to delete" in text
	assert "frappe-stack apply" in text


def test_plan_text_when_clean(site):
	stack.apply(site, str(EXAMPLE_REPO))
	plan, _, _ = stack.make_plan(site, str(EXAMPLE_REPO))
	text = render.plan_text(plan, "memory.test")
	assert "Nothing to do." in text
	assert "+ " not in text and "~ " not in text


def test_apply_text_mentions_changed_and_failed_blueprints(repo):
	failing_repo(repo)
	site = MemorySite(fail_on={("DocType", "Ledger Book")})
	text = render.apply_text(stack.apply(site, str(repo.root)), "memory.test")
	assert "+ Role 'Other'" in text
	assert "FAILED: create DocType 'Ledger Book'" in text
	assert "SKIPPED: skipped: needs base" in text
	assert "1 blueprint(s) failed, 3 skipped" in text


def test_status_text(site):
	assert "No blueprint" in render.status_text(stack.status(site), "memory.test")
	stack.apply(site, str(EXAMPLE_REPO))
	text = render.status_text(stack.status(site), "memory.test")
	assert "beneficiary" in text and "Applied" in text


def test_apply_result_as_dict_reports_zero_counts_for_unapplied(repo):
	failing_repo(repo)
	site = MemorySite(fail_on={("DocType", "Ledger Book")})
	blueprints = {b["blueprint"]: b for b in stack.apply(site, str(repo.root)).as_dict()["blueprints"]}
	assert blueprints["base"]["status"] == FAILED and blueprints["base"]["counts"]["create"] == 0
	assert "Ledger Book" in blueprints["base"]["error"]
	assert blueprints["other"]["counts"]["create"] == 1


def test_memory_site_hashes_like_the_core(site):
	site.put(role("A", modified="now"))
	assert site.hash_of(("Role", "A")) == content_hash(role("A"))


# ---- property: law 1 and law 3 on any starting site ---------------------------------------------

names = st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), min_size=1, max_size=5, unique=True)
site_states = st.sampled_from(["absent", "same", "edited", "noise"])


@settings(max_examples=60, deadline=None)
@given(
	wanted=names,
	states=st.dictionaries(st.sampled_from(["A", "B", "C", "D", "E"]), site_states),
	normalizes=st.booleans(),
)
def test_apply_converges_and_then_writes_nothing(wanted, states, normalizes):
	existing = []
	for name, state in states.items():
		if state == "same":
			existing.append(role(name))
		elif state == "edited":
			existing.append(role(name, desk_access=1))
		elif state == "noise":
			existing.append(role(name, modified="2024-01-01", owner="x", docstatus=0))
	site = MemorySite(existing, normalize=(lambda doc: doc | {"search_bar": 1}) if normalizes else None)
	with tempfile.TemporaryDirectory() as folder:
		repo = Repo(Path(folder))
		repo.write("roles", [role(name) for name in wanted])
		first = stack.apply(site, str(repo.root))
		assert not first.failed
		assert all(("Role", name) in site.docs for name in wanted)
		plan, _, _ = stack.make_plan(site, str(repo.root))
		assert not plan.has_changes
		site.reset_log()
		stack.apply(site, str(repo.root))
		assert site.log.empty


def test_a_document_missing_after_its_write_fails_the_blueprint_and_rolls_it_back(site, repo):
	repo.write("roles", [role("Stack Test Vanishing"), role("Stack Test Kept")])
	site.vanish = {("Role", "Stack Test Vanishing")}
	result = stack.apply(site, str(repo.root))
	(outcome,) = result.results
	assert outcome.status == "failed"
	assert "not on the site after writing: Role 'Stack Test Vanishing'" in outcome.error
	assert ("Role", "Stack Test Kept") not in site.docs
	assert site.ledger["roles"].status == "Failed"
