"""Deploy as typed steps, with the bench and the Promotion store faked: rows saved as they change,
resume from the first step not Success, restore on failure, and maintenance mode off whatever
happens (a restore that times out, an interruption). The same runs on real sites are in
frappe_stack/tests/test_deploy.py."""

import copy
from dataclasses import dataclass, field
from itertools import count
from types import SimpleNamespace

import pytest

from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.smoke_plan import SmokeReport, SmokeResult, SmokeTargets
from frappe_stack.workflows.deployment import Deployment
from frappe_stack.workflows.steps import Step, StepFailed, StepRunner, StepStatus

NAME = "PROMO-0001"
COMMIT = "c0ffee" * 6
STEPS = ["backup", "maintenance on", "migrate", "smoke", "maintenance off"]


@dataclass
class BenchRun:
	ok: bool
	output: str


class FakeStore:
	"""The Promotion records, as frappe_stack.site.promotions keeps them; a restore rewinds them."""

	def __init__(self, record: dict):
		self.record = {"journal": [], "steps": [], **record}
		self.saved_steps: list[tuple[str, str, str]] = []  # (step, status, note) in the order saved

	def get(self, name: str) -> dict:
		return copy.deepcopy(self.record)

	def update(self, name, values, note="", step="", checks=None, blueprints=None, steps=None) -> dict:
		self.record.update(values)
		if steps is not None:
			self.record["steps"] = copy.deepcopy(steps)
		if note or step:
			self.record["journal"].append({"status": self.record["status"], "step": step, "detail": note})
		return self.get(name)

	def save_step(self, name: str, row: dict, note: str = "") -> None:
		rows = self.record["steps"]
		index = next((i for i, r in enumerate(rows) if r["step"] == row["step"]), None)
		if index is None:
			rows.append(dict(row))
		else:
			rows[index] = dict(row)
		if note:
			self.record["journal"].append(
				{"status": self.record["status"], "step": row["step"], "detail": note}
			)
		self.saved_steps.append((row["step"], row["status"], note))

	def rewrite(self, name, values, events, steps=None) -> None:
		self.record.update(values)
		self.record["journal"] = copy.deepcopy(events)
		if steps is not None:
			self.record["steps"] = copy.deepcopy(steps)

	def rows(self) -> list[tuple[str, str]]:
		return [(r["step"], r["status"]) for r in self.record["steps"]]


@dataclass
class FakeOps:
	"""The bench: what each step asks of it, and how it answers."""

	backup_path: str
	migrate_run: BenchRun = field(default_factory=lambda: BenchRun(True, "migrated"))
	smoke_report: SmokeReport = field(default_factory=SmokeReport)
	restore_problem: str | None = None
	migrate_raises: BaseException | None = None
	apply_record: dict | None = None  # what migrate's apply left in the site's file
	calls: list[str] = field(default_factory=list)
	maintenance: bool = False
	ticks: count = field(default_factory=count)

	def timestamp(self) -> str:
		return f"2026-12-07 03:00:{next(self.ticks):02d}"

	def backup(self, site, label, doctypes) -> BackupRecord:
		self.calls.append("backup")
		return BackupRecord("prod", label, self.backup_path, 1234, "abc", "2026-12-07 03:00:00")

	def set_maintenance(self, on: bool) -> None:
		self.calls.append(f"maintenance {'on' if on else 'off'}")
		self.maintenance = on

	def migrate(self, site_name) -> BenchRun:
		self.calls.append("migrate")
		if self.migrate_raises:
			raise self.migrate_raises
		return self.migrate_run

	def last_apply(self, site_name) -> dict | None:
		return self.apply_record

	def bench(self, site_name, *args) -> BenchRun:
		return BenchRun(True, "pong")

	def smoke(self, targets, workflows, error_text) -> SmokeReport:
		self.calls.append("smoke")
		return self.smoke_report

	def restore(self, site_name, path) -> str | None:
		self.calls.append("restore")
		return self.restore_problem

	def tail_of(self, output: str) -> str:
		return output.strip().splitlines()[-1]


class FakeSite:
	def __init__(self):
		self.audited = []

	def error_text(self, exc: Exception) -> str:
		return f"{type(exc).__name__}: {exc}"

	def audit(self, row) -> None:
		self.audited.append(row)

	def commit(self) -> None:
		pass


@pytest.fixture
def backup_file(tmp_path):
	path = tmp_path / "before-deploy.sql.gz"
	path.write_bytes(b"dump")
	return str(path)


@pytest.fixture(autouse=True)
def no_change_to_examine(monkeypatch):
	monkeypatch.setattr(Deployment, "_targets", lambda self: (SmokeTargets([], [], []), []))


def deploy(tmp_path, store: FakeStore, ops: FakeOps):
	deployment = Deployment(FakeSite(), "prod", tmp_path, NAME, COMMIT, store, ops)
	return deployment.run()


def test_each_step_is_a_row_saved_running_then_success_with_times_and_output(tmp_path, backup_file):
	store, ops = FakeStore({"status": "Merged"}), FakeOps(backup_file)
	result = deploy(tmp_path, store, ops)
	assert result.status == "Deployed"
	assert [s["step"] for s in result.steps if s["status"] == "done"] == STEPS
	assert store.rows() == [(step, "Success") for step in STEPS]
	assert [(step, status) for step, status, _ in store.saved_steps] == [
		(step, status) for step in STEPS for status in ("Running", "Success")
	]
	migrate = next(r for r in store.record["steps"] if r["step"] == "migrate")
	assert migrate["started"] < migrate["ended"]
	assert migrate["output"] == "blueprints applied"
	assert migrate["duration"] >= 0
	assert ops.calls == ["backup", "maintenance on", "migrate", "smoke", "maintenance off"]
	assert not ops.maintenance
	assert store.record["status"] == "Deployed"


def test_a_deploy_killed_between_two_steps_resumes_from_the_first_step_not_success(tmp_path, backup_file):
	killed = [
		{"step": "backup", "status": "Success", "started": "t1", "ended": "t2", "output": "kept"},
		{"step": "maintenance on", "status": "Success", "started": "t3", "ended": "t4"},
		{"step": "migrate", "status": "Pending"},
		{"step": "smoke", "status": "Pending"},
		{"step": "maintenance off", "status": "Pending"},
	]
	store = FakeStore({"status": "Deploying", "backup_path": backup_file, "steps": killed})
	ops = FakeOps(backup_file)
	result = deploy(tmp_path, store, ops)
	assert result.status == "Deployed"
	assert "backup" not in ops.calls  # the backup taken before the interruption is the restore point
	assert ops.calls == ["maintenance on", "migrate", "smoke", "maintenance off"]  # a switch is set again
	assert {"step": "backup", "status": "skip", "detail": "done before the interruption"} in result.steps
	backup = store.record["steps"][0]
	assert (backup["status"], backup["started"], backup["output"]) == ("Success", "t1", "kept")
	assert store.rows() == [(step, "Success") for step in STEPS]
	assert store.record["journal"][0]["detail"] == "start: resumed"


def test_a_row_left_running_by_a_kill_is_run_again(tmp_path, backup_file):
	killed = [{"step": "backup", "status": "Success"}, {"step": "maintenance on", "status": "Success"}]
	killed.append({"step": "migrate", "status": "Running", "started": "t5"})
	store = FakeStore({"status": "Deploying", "backup_path": backup_file, "steps": killed})
	ops = FakeOps(backup_file)
	assert deploy(tmp_path, store, ops).status == "Deployed"
	assert ops.calls.count("migrate") == 1
	assert store.rows() == [(step, "Success") for step in STEPS]


def test_a_fresh_deploy_starts_every_row_over(tmp_path, backup_file):
	"""A promotion rolled back before is deployed again from the start, not resumed."""
	old = [{"step": step, "status": "Success"} for step in STEPS[:3]]
	store = FakeStore({"status": "Rolled Back", "backup_path": backup_file, "steps": old})
	ops = FakeOps(backup_file)
	deploy(tmp_path, store, ops)
	assert ops.calls[0] == "backup"


def test_a_failing_migrate_restores_skips_the_rest_and_keeps_the_rows_through_the_restore(
	tmp_path, backup_file
):
	store = FakeStore({"status": "Merged"})
	ops = FakeOps(backup_file, migrate_run=BenchRun(False, "...\nSyntaxError in Server Script"))
	result = deploy(tmp_path, store, ops)
	assert result.status == "Rolled Back"
	assert result.reason == "migrate failed: SyntaxError in Server Script"
	assert ops.calls == ["backup", "maintenance on", "migrate", "restore", "maintenance off"]
	assert not ops.maintenance
	assert store.rows() == [
		("backup", "Success"),
		("maintenance on", "Success"),
		("migrate", "Failure"),
		("smoke", "Skipped"),
		("maintenance off", "Skipped"),
		("restore", "Success"),
	]
	assert store.record["steps"][2]["error"] == "SyntaxError in Server Script"
	assert store.record["steps"][5]["output"] == backup_file
	assert ("migrate", "start") in [(e["step"], e["detail"]) for e in store.record["journal"]]
	assert store.record["status"] == "Rolled Back"


def test_a_failing_smoke_check_is_the_steps_error(tmp_path, backup_file):
	report = SmokeReport([SmokeResult("Number Card Active Beneficiaries evaluates", "fail", "no column")])
	store, ops = FakeStore({"status": "Merged"}), FakeOps(backup_file, smoke_report=report)
	result = deploy(tmp_path, store, ops)
	assert result.reason == "smoke failed: Number Card Active Beneficiaries evaluates: no column"
	smoke = next(r for r in store.record["steps"] if r["step"] == "smoke")
	assert (smoke["status"], smoke["error"]) == (
		"Failure",
		"Number Card Active Beneficiaries evaluates: no column",
	)


def test_a_restore_that_times_out_leaves_maintenance_off_and_says_so_on_its_step(tmp_path, backup_file):
	timed_out = "bench restore timed out after 3600 s and was stopped; it said: Restoring..."
	store = FakeStore({"status": "Merged"})
	ops = FakeOps(backup_file, migrate_run=BenchRun(False, "boom"), restore_problem=timed_out)
	result = deploy(tmp_path, store, ops)
	assert not ops.maintenance
	assert ops.calls[-2:] == ["restore", "maintenance off"]
	assert result.status == "Failed"
	assert result.reason == f"migrate failed: boom; the restore failed too: {timed_out}"
	restore = store.record["steps"][-1]
	assert (restore["step"], restore["status"], restore["error"]) == ("restore", "Failure", timed_out)
	assert {"step": "restore", "status": "failed", "detail": timed_out} in result.steps


def test_a_restore_that_raises_still_switches_maintenance_off(tmp_path, backup_file):
	class Broken(FakeOps):
		def restore(self, site_name, path):
			raise OSError("no bench")

	store = FakeStore({"status": "Merged"})
	ops = Broken(backup_file, migrate_run=BenchRun(False, "boom"))
	result = deploy(tmp_path, store, ops)
	assert not ops.maintenance
	assert result.status == "Failed"
	assert store.record["steps"][-1]["error"] == "OSError: no bench"


def test_an_interrupted_deploy_switches_maintenance_off_and_stays_resumable(tmp_path, backup_file):
	store = FakeStore({"status": "Merged"})
	ops = FakeOps(backup_file, migrate_raises=KeyboardInterrupt())
	with pytest.raises(KeyboardInterrupt):
		deploy(tmp_path, store, ops)
	assert not ops.maintenance
	assert "restore" not in ops.calls
	assert store.record["status"] == "Deploying"
	migrate = store.record["steps"][2]
	assert (migrate["status"], migrate["error"]) == ("Failure", "interrupted (KeyboardInterrupt)")


def test_a_backup_that_fails_changes_nothing(tmp_path, backup_file):
	class NoBackup(FakeOps):
		def backup(self, site, label, doctypes):
			return BackupRecord("prod", label, "", problems=["mysqldump: access denied"])

	store, ops = FakeStore({"status": "Merged"}), NoBackup(backup_file)
	result = deploy(tmp_path, store, ops)
	assert result.status == "Failed"
	assert result.reason == "backup failed: backup not usable: mysqldump: access denied"
	assert ops.calls == []
	assert store.rows() == [("backup", "Failure")] + [(step, "Skipped") for step in STEPS[1:]]


def test_the_runner_resumes_at_the_first_row_not_success_even_after_a_failure():
	ran = []
	steps = [Step(name, lambda name=name: ran.append(name) or "") for name in "abc"]
	rows = [
		{"step": "a", "status": "Success"},
		{"step": "b", "status": "Failure"},
		{"step": "c", "status": "Success"},
	]
	saved = []
	runner = StepRunner(steps, rows, lambda row, note: saved.append(row.step), lambda: "t", str)
	assert runner.first_unfinished() == 1
	runner.run()
	assert ran == ["b", "c"]
	assert [row.status for row in runner.rows] == [StepStatus.SUCCESS] * 3


def test_a_step_that_raises_becomes_a_step_failure_with_its_error_text():
	def broken():
		raise ValueError("bad input")

	runner = StepRunner([Step("x", broken)], [], lambda row, note: None, lambda: "t", lambda e: f"E {e}")
	with pytest.raises(StepFailed) as failed:
		runner.run()
	assert (failed.value.step, failed.value.reason) == ("x", "E bad input")
	assert runner.rows[0].as_dict() | {"duration": 0} == {
		"step": "x",
		"status": "Failure",
		"started": "t",
		"ended": "t",
		"duration": 0,
		"output": "",
		"error": "E bad input",
	}


def test_rows_round_trip_through_their_dicts():
	runner = StepRunner([Step("x", lambda: "ok")], [], lambda row, note: None, lambda: "t", str)
	runner.run()
	again = StepRunner([Step("x", lambda: "")], runner.as_dicts(), lambda row, note: None, lambda: "t", str)
	assert again.rows == runner.rows
	assert SimpleNamespace(**again.as_dicts()[0]).status == "Success"
