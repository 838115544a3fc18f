"""A failed apply's real error outlives the restore: the record migrate writes names each blueprint,
document, error and where it broke; a deploy says it on its migrate step and, once the backup is
restored, marks the blueprints Failed again with it and audits it again."""

import json

from applier_helpers import failing_repo
from builders import role
from memory_site import MemorySite
from test_deploy_steps import NAME, BenchRun, FakeOps, FakeStore, backup_file, no_change_to_examine

from frappe_stack import apply_failures, stack
from frappe_stack.ledger import LedgerEntry
from frappe_stack.statuses import AuditResult, LedgerStatus
from frappe_stack.workflows.deployment import Deployment

__all__ = ["backup_file", "no_change_to_examine"]  # fixtures, used by name


def failed_apply(repo):
	failing_repo(repo)
	site = MemorySite(fail_on={("DocType", "Ledger Book")})
	return apply_failures.record_of(stack.apply(site, str(repo.root)), "prod.test", "2026-12-07 03:00:00")


def test_the_record_names_each_blueprint_its_document_error_and_where_it_broke(repo):
	record = failed_apply(repo)
	assert record["ok"] is False and record["site"] == "prod.test"
	failed = {f["blueprint"]: f for f in record["failed"]}
	assert set(failed) == {"base", "declared", "inferred", "transitive"}
	base = failed["base"]
	assert base["status"] == "failed"
	assert "create DocType 'Ledger Book'" in base["error"] and "LinkValidationError" in base["error"]
	assert "memory_site.py:" in base["trace"] and " in write" in base["trace"]
	assert failed["declared"]["status"] == "skipped" and failed["declared"]["trace"] == ""
	json.dumps(record)  # it goes to a file as it is


def test_the_migrate_message_carries_every_error_not_only_the_names(repo):
	record = failed_apply(repo)
	message = apply_failures.failed_message(record)
	assert message.startswith("blueprint(s) did not apply: base: create DocType 'Ledger Book': ")
	assert "LinkValidationError" in message and " (at " in message and "memory_site.py:" in message
	assert "declared: skipped: needs base, which did not apply" in message


def test_a_clean_apply_records_nothing_failed(repo):
	repo.write("roles", [role("Clerk")])
	record = apply_failures.record_of(stack.apply(MemorySite(), str(repo.root)), "s", "t")
	assert record["ok"] is True and record["failed"] == []
	assert apply_failures.failure_lines(record) == []


def test_short_trace_is_the_innermost_frames_on_one_line():
	def inner():
		raise ValueError("no")

	def outer():
		inner()

	try:
		outer()
	except ValueError as exc:
		trace = apply_failures.short_trace(exc, frames=2)
	assert trace.startswith("tests/test_apply_failures.py:") and trace.endswith(" in inner")
	assert " in outer > " in trace and "\n" not in trace


def test_short_trace_ends_where_a_controller_called_frappes_throw():
	# Frappe's own throw/msgprint, compiled under their real file name
	frappe_init = "/bench/apps/frappe/frappe/__init__.py"
	source = "def _raise_exception(m):\n\traise ValueError(m)\ndef msgprint(m):\n\t_raise_exception(m)\n"
	source += "def throw(m):\n\tmsgprint(m)\n"
	frappe = {}
	exec(compile(source, frappe_init, "exec"), frappe)

	def validate():
		frappe["throw"]("Fieldname x appears twice")

	try:
		validate()
	except ValueError as exc:
		trace = apply_failures.short_trace(exc, frames=2)
	assert trace.endswith(" in validate") and "frappe/__init__.py" not in trace


def test_rerecord_puts_back_the_failed_rows_a_restore_rewound(repo):
	record = failed_apply(repo)
	restored = MemorySite()  # as the backup had it: base applied, no other row
	restored.ledger["base"] = LedgerEntry("base", LedgerStatus.APPLIED, "blueprints/base.json", "old")
	restored.ledger["declared"] = LedgerEntry("declared", LedgerStatus.APPLIED)
	apply_failures.rerecord(restored, record, "deploy of PROMO-0001")
	base = restored.ledger["base"]
	assert base.status == LedgerStatus.FAILED and "LinkValidationError" in base.last_error
	assert restored.ledger["declared"].status == LedgerStatus.PENDING  # skipped, as the applier leaves it
	assert "needs base" in restored.ledger["declared"].last_error
	assert "inferred" not in restored.ledger  # never on the restored site: nothing of it to call Applied
	audited = {(row.blueprint, row.result) for row in restored.audit_log}
	assert ("base", AuditResult.FAILED) in audited and ("declared", AuditResult.SKIPPED) in audited
	assert all(row.details.startswith("deploy of PROMO-0001: ") for row in restored.audit_log)


class LedgerSite(MemorySite):
	def __init__(self):
		super().__init__()
		self.audited = self.audit_log


def test_a_deploy_says_the_real_error_on_its_step_and_records_it_again_after_the_restore(
	repo, tmp_path, backup_file
):
	record = failed_apply(repo)
	store = FakeStore({"status": "Merged"})
	ops = FakeOps(backup_file, migrate_run=BenchRun(False, "BlueprintsFailed: ..."), apply_record=record)
	site = LedgerSite()
	site.ledger["base"] = LedgerEntry("base", LedgerStatus.APPLIED)  # as the backup had it
	result = Deployment(site, "prod", tmp_path, NAME, "c0ffee" * 6, store, ops).run()
	assert result.status == "Rolled Back"
	migrate = next(r for r in store.record["steps"] if r["step"] == "migrate")
	assert "create DocType 'Ledger Book'" in migrate["error"] and "LinkValidationError" in migrate["error"]
	assert "LinkValidationError" in result.reason and "LinkValidationError" in result.text()
	assert "LinkValidationError" in store.record["failure_reason"]
	assert site.ledger["base"].status == LedgerStatus.FAILED
	deploy_row = next(row for row in site.audit_log if row.action == "deploy")
	assert deploy_row.result == AuditResult.FAILED and "LinkValidationError" in deploy_row.details


def test_a_migrate_that_fails_before_any_apply_says_its_own_last_lines(tmp_path, backup_file):
	store = FakeStore({"status": "Merged"})
	ops = FakeOps(backup_file, migrate_run=BenchRun(False, "...\nPatch frappe.x failed"))
	result = Deployment(LedgerSite(), "prod", tmp_path, NAME, "c0ffee" * 6, store, ops).run()
	assert result.reason == "migrate failed: Patch frappe.x failed"


def test_a_repo_that_did_not_validate_says_why_no_blueprint_was_applied(tmp_path, backup_file):
	record = apply_failures.error_record("prod", "t", "1 problem(s) in blueprints; nothing was written: x")
	assert apply_failures.failed_message(record) == (
		"no blueprint was applied: 1 problem(s) in blueprints; nothing was written: x"
	)
	assert apply_failures.failed_message({"ok": True, "failed": []}) is None
	store = FakeStore({"status": "Merged"})
	ops = FakeOps(backup_file, migrate_run=BenchRun(False, "last line"), apply_record=record)
	result = Deployment(LedgerSite(), "prod", tmp_path, NAME, "c0ffee" * 6, store, ops).run()
	assert result.reason.endswith("nothing was written: x")
