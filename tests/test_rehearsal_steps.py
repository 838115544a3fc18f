"""A rehearsal with the bench, production's Promotion store and the scratch sites faked: production
gains only a record of the outcome, the scratch site is dropped whatever happens, and the deploy on
the scratch site runs the deploy's own steps without restoring or opening a revert pull request.
The same on real sites is in frappe_stack/tests/test_rehearsal.py."""

import pytest
from test_deploy_steps import COMMIT, NAME, BenchRun, FakeOps, FakeSite, FakeStore

from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.errors import StackError
from frappe_stack.smoke_plan import SmokeTargets
from frappe_stack.workflows.deployment import Deployment
from frappe_stack.workflows.rehearsal import Rehearsal, deploy_on_scratch, rehearsal_check

SCRATCH = "prod-rehearsal-20261207030000"
DEPLOYED = {
	"status": "Deployed",
	"steps": [{"step": "migrate", "status": "done", "detail": "blueprints applied"}],
	"reason": "",
}
MIGRATE_FAILED = {
	"status": "Failed",
	"steps": [{"step": "migrate", "status": "failed", "detail": "LinkValidationError: Could not find Ward"}],
	"reason": "migrate failed: LinkValidationError: Could not find Ward",
}


class ProductionStore(FakeStore):
	def exists(self, name: str) -> bool:
		return name == NAME


class FakeScratch:
	"""The scratch sites of the bench: what the rehearsal made, deployed on and dropped."""

	def __init__(self, deployed: dict = DEPLOYED, create_error: str = "", drop_problem: str | None = None):
		self.deployed, self.create_error, self.drop_problem = deployed, create_error, drop_problem
		self.calls: list[tuple] = []

	def free_name(self, production: str, stamp: str) -> str:
		return f"{production}-rehearsal-{stamp}"

	def create(self, name, backup_path, root) -> None:
		self.calls.append(("create", name, backup_path))
		if self.create_error:
			raise StackError(self.create_error)

	def deploy(self, name, root, label, commit, backup) -> dict:
		self.calls.append(("deploy", name, commit))
		return self.deployed

	def drop(self, name) -> str | None:
		self.calls.append(("drop", name))
		return self.drop_problem


@pytest.fixture
def backup_file(tmp_path):
	path = tmp_path / "prod-database.sql.gz"
	path.write_bytes(b"dump")
	return str(path)


def rehearse(tmp_path, scratch, ops, promotion=NAME):
	store, site = ProductionStore({"status": "Merged"}), FakeSite()
	result = Rehearsal(site, "prod", tmp_path, promotion, COMMIT, store, ops, scratch).run()
	return result, store, site


def test_a_passing_rehearsal_deploys_on_a_scratch_site_drops_it_and_only_records_the_outcome(
	tmp_path, backup_file
):
	scratch, ops = FakeScratch(), FakeOps(backup_file)
	result, store, site = rehearse(tmp_path, scratch, ops)
	assert result.passed and result.scratch == SCRATCH
	assert [(s["step"], s["status"]) for s in result.steps] == [
		("backup", "done"),
		("scratch site", "done"),
		("deploy: migrate", "done"),
		("deploy", "done"),
		("drop scratch site", "done"),
	]
	assert scratch.calls == [("create", SCRATCH, backup_file), ("deploy", SCRATCH, COMMIT), ("drop", SCRATCH)]
	assert ops.calls == ["backup"]  # production: its backup, nothing else (no maintenance, migrate, restore)
	assert store.record["status"] == "Merged"
	assert store.record["steps"] == []
	[event] = store.record["journal"]
	assert (event["step"], event["status"]) == ("rehearsal", "Merged")
	assert event["detail"] == f"rehearsal on {SCRATCH} at {COMMIT[:12]} passed"
	[audit] = site.audited
	assert (audit.action, audit.result) == ("rehearsal", "Success")
	assert "prod was not changed" in result.text()


def test_a_failing_deploy_on_the_scratch_site_fails_the_rehearsal_with_its_reason(tmp_path, backup_file):
	scratch = FakeScratch(deployed=MIGRATE_FAILED)
	result, store, site = rehearse(tmp_path, scratch, FakeOps(backup_file))
	assert not result.passed
	assert result.reason == "deploy failed: migrate failed: LinkValidationError: Could not find Ward"
	assert ("deploy: migrate", "failed") in [(s["step"], s["status"]) for s in result.steps]
	assert scratch.calls[-1] == ("drop", SCRATCH)
	assert store.record["status"] == "Merged"
	assert store.record["journal"][-1]["detail"].endswith(f"failed: {result.reason}")
	[audit] = site.audited
	assert audit.result == "Failed" and "Could not find Ward" in audit.details
	assert "Reason: deploy failed: migrate failed" in result.text()


def test_a_scratch_site_that_fails_half_made_is_dropped_too(tmp_path, backup_file):
	scratch = FakeScratch(create_error="bench new-site failed: Access denied for user 'root'")
	result, _, _ = rehearse(tmp_path, scratch, FakeOps(backup_file))
	assert (
		result.reason
		== "scratch site failed: StackError: bench new-site failed: Access denied for user 'root'"
	)
	assert [c[0] for c in scratch.calls] == ["create", "drop"]
	assert ("deploy", "skip") in [(s["step"], s["status"]) for s in result.steps]


def test_an_unusable_backup_stops_before_any_scratch_site(tmp_path, backup_file):
	class BadBackup(FakeOps):
		def backup(self, site, label, doctypes):
			return BackupRecord("prod", label, "", problems=["the dump is empty"])

	scratch = FakeScratch()
	result, _, site = rehearse(tmp_path, scratch, BadBackup(backup_file))
	assert result.reason == "backup failed: backup not usable: the dump is empty"
	assert scratch.calls == []
	assert site.audited[0].result == "Failed"


def test_a_scratch_site_left_behind_fails_a_rehearsal_that_passed(tmp_path, backup_file):
	scratch = FakeScratch(drop_problem="bench drop-site failed: ...; drop it by hand")
	result, _, _ = rehearse(tmp_path, scratch, FakeOps(backup_file))
	assert not result.passed
	assert result.reason == "drop scratch site failed: bench drop-site failed: ...; drop it by hand"


def test_a_drop_that_raises_is_reported_and_the_outcome_still_recorded(tmp_path, backup_file):
	class Unreachable(FakeScratch):
		def drop(self, name):
			raise StackError("a rehearsal makes a scratch site and needs the database root password")

	result, store, site = rehearse(tmp_path, Unreachable(), FakeOps(backup_file))
	assert not result.passed
	assert result.reason.startswith("drop scratch site failed: StackError: a rehearsal makes a scratch site")
	assert store.record["journal"][-1]["step"] == "rehearsal"
	assert site.audited[0].result == "Failed"


def test_a_rehearsal_of_a_bare_ref_records_an_audit_row_only(tmp_path, backup_file):
	result, store, site = rehearse(tmp_path, FakeScratch(), FakeOps(backup_file), promotion="")
	assert result.passed
	assert store.record["journal"] == []
	assert site.audited[0].details.startswith(COMMIT)


def test_the_deploy_on_the_scratch_site_keeps_the_restored_backup_and_never_restores_or_reverts(
	tmp_path, backup_file, monkeypatch
):
	monkeypatch.setattr(Deployment, "_targets", lambda self: (SmokeTargets([], [], []), []))
	monkeypatch.setattr(Deployment, "_revert_pull", lambda self, reason: pytest.fail("no revert pull"))
	ops = FakeOps(backup_file, migrate_run=BenchRun(False, "...\nLinkValidationError: Could not find Ward"))
	restored = BackupRecord("prod", "rehearsal-1", backup_file, 1234, "abc")
	result = deploy_on_scratch(FakeSite(), SCRATCH, tmp_path, "rehearsal-1", COMMIT, restored, ops)
	assert result.status == "Failed"
	assert result.reason == "migrate failed: LinkValidationError: Could not find Ward"
	assert ops.calls == ["maintenance on", "migrate", "maintenance off"]  # no backup taken, no restore
	assert not ops.maintenance
	assert result.steps[0]["detail"] == "prod-database.sql.gz, 1234 bytes, verified"


def test_check_rehearse_passes_or_fails_with_the_reason_and_refuses_a_target_by_url(tmp_path, backup_file):
	passed, _, _ = rehearse(tmp_path, FakeScratch(), FakeOps(backup_file), promotion="")
	check = rehearsal_check("prod", passed)
	assert (check.check, check.result) == ("rehearsal", "pass")
	assert check.detail == f"deployed on {SCRATCH}, a copy of prod"
	assert check.data["steps"][-1]["step"] == "drop scratch site"
	failed, _, _ = rehearse(
		tmp_path, FakeScratch(deployed=MIGRATE_FAILED), FakeOps(backup_file), promotion=""
	)
	check = rehearsal_check("prod", failed)
	assert check.result == "fail"
	assert (
		"the deploy fails on a copy of prod: deploy failed: migrate failed: LinkValidationError"
		in check.detail
	)
	by_url = rehearsal_check("https://erp.example.com", None)
	assert by_url.result == "fail"
	assert "deploy --rehearse" in by_url.detail
