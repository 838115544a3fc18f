"""A rehearsal of a deploy: production's verified backup restored into a scratch site of the same
bench, the deploy's own steps (deployment.py) run there with smoke checks, the scratch site dropped
whatever happens. Production only gains the backup and a record of the outcome: an event on its
Promotion (its status is left alone) and an audit row.

Everything is given as adapters, so the orchestration runs on fakes: `site` is production (open),
`store` its Promotion records (frappe_stack.site.promotions), `ops` the bench
(frappe_stack.site.bench_ops) and `scratch` the scratch sites (frappe_stack.site.scratch_site)."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.checks.result import FAIL, PASS, CheckResult
from frappe_stack.ledger import AuditRow
from frappe_stack.statuses import AuditResult, PromotionStatus
from frappe_stack.workflows.deployment import Deployment, DeployResult
from frappe_stack.workflows.steps import Step, StepFailed, StepRunner


@dataclass
class RehearsalResult:
	site: str
	commit: str
	promotion: str = ""  # "" for a bare --ref
	scratch: str = ""
	passed: bool = False
	steps: list[dict] = field(default_factory=list)
	reason: str = ""

	def as_dict(self) -> dict:
		return dict(self.__dict__)

	def text(self) -> str:
		what = self.promotion or self.commit[:12]
		verdict = "passed" if self.passed else "FAILED"
		lines = [f"Rehearsal of {what} ({self.commit[:12]}) on scratch site {self.scratch}: {verdict}"]
		lines += [
			f"  {s['status']:<7} {s['step']}" + (f": {s['detail']}" if s["detail"] else "")
			for s in self.steps
		]
		if self.reason:
			lines.append(f"Reason: {self.reason}")
		lines.append(f"{self.site} was not changed (the rehearsal is recorded in its audit log).")
		return "\n".join(lines)


class Rehearsal:
	def __init__(self, site, site_name: str, root: Path, promotion: str, commit: str, store, ops, scratch):
		self.site, self.site_name, self.root, self.commit = site, site_name, root, commit
		self.promotion, self.store, self.ops, self.scratch = promotion, store, ops, scratch
		self.backup: BackupRecord | None = None
		self.created = False
		self.result = RehearsalResult(site_name, commit, promotion)

	def run(self) -> RehearsalResult:
		stamp = re.sub(r"\D", "", self.ops.timestamp())[:14]
		self.label = f"rehearsal-{stamp}"
		self.result.scratch = self.scratch.free_name(self.site_name, stamp)
		steps = [
			Step("backup", self._backup),
			Step("scratch site", self._restore),
			Step("deploy", self._deploy),
		]
		runner = StepRunner(steps, [], lambda row, note: None, self.ops.timestamp, self.site.error_text)
		self.result.steps = runner.report
		try:
			runner.run()
			self.result.passed = True
		except StepFailed as failed:
			self.result.reason = f"{failed.step} failed: {failed.reason}"
		finally:
			self._drop()
		self._record()
		return self.result

	def _backup(self) -> str:
		record = self.ops.backup(self.site, self.label, [])
		if not record.verified:
			raise StepFailed("backup", f"backup not usable: {'; '.join(record.problems)}")
		self.backup = record
		return f"{Path(record.path).name}, {record.size} bytes, verified"

	def _restore(self) -> str:
		self.created = True  # before the work: a site made half way is dropped too
		self.scratch.create(self.result.scratch, self.backup.path, self.root)
		return f"{self.result.scratch}, restored from {Path(self.backup.path).name}"

	def _deploy(self) -> str:
		done = self.scratch.deploy(self.result.scratch, self.root, self.label, self.commit, self.backup)
		self.result.steps += [{**s, "step": f"deploy: {s['step']}"} for s in done.get("steps", [])]
		if done.get("status") != PromotionStatus.DEPLOYED:
			raise StepFailed("deploy", done.get("reason") or "the deploy did not finish")
		return f"deployed on {self.result.scratch}"

	def _drop(self) -> None:
		if not self.created:
			return
		try:
			problem = self.scratch.drop(self.result.scratch)
		except Exception as exc:  # the outcome is still recorded on production
			problem = self.site.error_text(exc)
		detail = problem or f"{self.result.scratch} dropped"
		self.result.steps.append(
			{"step": "drop scratch site", "status": "failed" if problem else "done", "detail": detail}
		)
		if problem and self.result.passed:
			self.result.passed, self.result.reason = False, f"drop scratch site failed: {problem}"

	def _record(self) -> None:
		verdict = "passed" if self.result.passed else f"failed: {self.result.reason}"
		note = f"rehearsal on {self.result.scratch} at {self.commit[:12]} {verdict}"
		if self.promotion and self.store.exists(self.promotion):
			self.store.update(self.promotion, {}, note, step="rehearsal")
		result = AuditResult.SUCCESS if self.result.passed else AuditResult.FAILED
		subject = self.promotion or self.commit
		self.site.audit(AuditRow("rehearsal", "", result, details=f"{subject}: {note}"))
		self.site.commit()


def rehearsal_check(target: str, done: RehearsalResult | None) -> CheckResult:
	"""`check --rehearse`'s result; `done` is None for a target reached by URL (not on this bench)."""
	if done is None:
		return CheckResult(
			"rehearsal",
			FAIL,
			f"{target} is reached by URL, and a rehearsal restores the target on this bench: run "
			"`bench --site PROD frappe-stack deploy --rehearse --ref SHA` on production's bench",
		)
	if done.passed:
		return CheckResult(
			"rehearsal", PASS, f"deployed on {done.scratch}, a copy of {target}", done.as_dict()
		)
	return CheckResult(
		"rehearsal",
		FAIL,
		f"the deploy fails on a copy of {target}: {done.reason}; fix it and check again",
		done.as_dict(),
	)


# ---- in the scratch site's own process -------------------------------------------------------


class ScratchRecord:
	"""The Promotion store of a deploy on a scratch site: in memory, since the site is dropped."""

	def __init__(self, name: str):
		self.record = {"name": name, "status": PromotionStatus.MERGED, "journal": [], "steps": []}

	def get(self, name: str) -> dict:
		return self.record

	def update(self, name, values, note="", step="", checks=None, blueprints=None, steps=None) -> dict:
		self.record.update(values)
		return self.record

	def save_step(self, name: str, row: dict, note: str = "") -> None:
		pass

	def rewrite(self, name, values, events, steps=None) -> None:
		pass


class RestoredBackup:
	"""The bench, except that the deploy's backup is the one the scratch site was restored from."""

	def __init__(self, ops, backup: BackupRecord):
		self.ops, self.record = ops, backup

	def backup(self, site, label, doctypes) -> BackupRecord:
		return self.record

	def __getattr__(self, name):
		return getattr(self.ops, name)


class ScratchDeployment(Deployment):
	"""The deploy's own steps. A failure ends it: the scratch site is dropped rather than restored,
	and no revert pull request is opened (a rehearsal merged nothing)."""

	def _roll_back(self, failed: StepFailed) -> DeployResult:
		return self._finish(PromotionStatus.FAILED, f"{failed.step} failed: {failed.reason}")


def deploy_on_scratch(
	site, site_name: str, root: Path, label: str, commit: str, backup: BackupRecord, ops
) -> DeployResult:
	"""The deploy on the scratch site `site` (open), restored from `backup`."""
	return ScratchDeployment(
		site, site_name, root, label, commit, ScratchRecord(label), RestoredBackup(ops, backup)
	).run()
