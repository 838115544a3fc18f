"""One deploy of a commit on an open production site, as typed steps (see steps.py): backup,
maintenance on, migrate (the applier runs in it), smoke, maintenance off. A failure after the
backup restores it, and the Promotion says Rolled Back with the reason; a revert pull request is
opened when GitHub is set. Maintenance mode is switched off whatever happens (`finally`), a restore
that times out included.

Each step's row is saved on the Promotion as it changes, so a deploy killed half way is resumed by
running it again (from the first step not Success; the backup taken before it is kept as the
restore point). The restore also rewinds the Promotion row itself, so the journal and the step rows
are kept in memory and written again after a restore.

`store` writes Promotion records (frappe_stack.site.promotions) and `ops` reaches the bench
(frappe_stack.site.bench_ops); tests pass fakes of both."""

from dataclasses import dataclass, field
from pathlib import Path

from frappe_stack import apply_failures, git_command, stack
from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.config import load_settings
from frappe_stack.ledger import AuditRow
from frappe_stack.promote.github import env_token
from frappe_stack.review.change import compute_change
from frappe_stack.smoke_plan import after_deploy_line, smoke_targets
from frappe_stack.statuses import AuditResult, PromotionStatus
from frappe_stack.workflows.revert import open_revert
from frappe_stack.workflows.steps import Step, StepFailed, StepRow, StepRunner, StepStatus

EVENT_FIELDS = ("at", "status", "step", "by", "detail")


@dataclass
class DeployResult:
	promotion: str
	status: str  # Deployed | Rolled Back | Failed
	commit: str = ""
	steps: list[dict] = field(default_factory=list)
	reason: str = ""
	backup: str = ""
	revert_pr: str = ""
	revert_branch: str = ""
	revert_howto: str = ""  # how to open the revert pull request, when none was opened
	plan: str = ""  # what became of the plan saved at the approval (plan_binding.PlanCheck.line)

	@property
	def ok(self) -> bool:
		return self.status == PromotionStatus.DEPLOYED

	def as_dict(self) -> dict:
		return dict(self.__dict__)

	def text(self) -> str:
		lines = [f"Deploy {self.promotion} at {self.commit[:12]}: {self.status}"]
		if self.plan:
			lines.append(f"Saved plan: {self.plan}")
		lines += [
			f"  {s['status']:<7} {s['step']}" + (f": {s['detail']}" if s["detail"] else "")
			for s in self.steps
		]
		if self.reason:
			lines.append(f"Reason: {self.reason}")
		if self.revert_pr:
			lines.append(f"Revert pull request: {self.revert_pr}")
		elif self.revert_howto:
			pushed = (
				f"Revert branch {self.revert_branch} pushed; no pull request opened"
				if self.revert_branch
				else "No revert branch"
			)
			lines.append(f"{pushed}: {self.revert_howto}")
		return "\n".join(lines)


class Deployment:
	def __init__(self, site, site_name: str, root: Path, name: str, commit: str, store, ops):
		self.site, self.site_name, self.root, self.name, self.commit = site, site_name, root, name, commit
		self.store, self.ops = store, ops
		record = store.get(name)
		self.events = [{k: e.get(k) for k in EVENT_FIELDS} for e in record.get("journal", [])]
		self.resuming = record["status"] == "Deploying"
		self.backup = BackupRecord(
			record.get("backup_site") or "",
			name,
			record.get("backup_path") or "",
			record.get("backup_size") or 0,
		)
		self.in_maintenance = False
		self.apply_record: dict = {}  # how migrate's apply went, when it failed
		recorded = (record.get("steps") or []) if self.resuming else []
		self.runner = StepRunner(self.steps(), recorded, self._save_step, ops.timestamp, site.error_text)
		self.result = DeployResult(name, "Deploying", commit, steps=self.runner.report)

	def steps(self) -> list[Step]:
		"""A deploy, in order."""
		return [
			Step("backup", self._backup),
			Step("maintenance on", self._maintenance_on, redo_on_resume=True),
			Step("migrate", self._migrate),
			Step("smoke", self._smoke),
			Step("maintenance off", self._maintenance_off),
		]

	def run(self) -> DeployResult:
		self._journal(
			"start",
			{"status": "Deploying", "started_at": self.ops.timestamp()},
			"resumed" if self.resuming else "",
			steps=self.runner.as_dicts(),
		)
		try:
			self.runner.run()
		except StepFailed as failed:
			if failed.step == "backup":
				return self._finish(
					PromotionStatus.FAILED, f"backup failed: {failed.reason}"
				)  # nothing was changed yet
			return self._roll_back(failed)
		finally:
			self._leave_maintenance()
		self.result.status = PromotionStatus.DEPLOYED
		self._journal(
			"done",
			{"status": PromotionStatus.DEPLOYED, "finished_at": self.ops.timestamp()},
			f"{self.commit[:12]} is live",
		)
		self.site.audit(AuditRow("deploy", "", AuditResult.SUCCESS, details=f"{self.name} at {self.commit}"))
		self.site.commit()
		return self.result

	def _save_step(self, row: StepRow, note: str) -> None:
		if note:
			self.events.append(self._event(row.step, note))
		self.store.save_step(self.name, row.as_dict(), note)

	def _event(self, step: str, note: str, status: str = "Deploying") -> dict:
		return {"at": self.ops.timestamp(), "status": status, "step": step, "by": None, "detail": note}

	def _journal(self, state: str, values: dict, detail: str = "", steps: list[dict] | None = None) -> None:
		note = state + (f": {detail}" if detail else "")
		self.events.append(self._event("deploy", note, values.get("status", "Deploying")))
		self.store.update(self.name, values, note, step="deploy", steps=steps)

	# ---- the steps ------------------------------------------------------------------------------

	def _backup(self) -> str:
		if self.resuming and self.backup.path and Path(self.backup.path).is_file():
			return f"kept {self.backup.path} (taken before the interrupted deploy)"
		record = self.ops.backup(self.site, self.name, self._targets()[0].doctypes)
		if not record.verified:
			raise StepFailed("backup", f"backup not usable: {'; '.join(record.problems)}")
		self.backup = record
		self.store.update(self.name, self._backup_values())
		self.result.backup = record.path
		return f"{Path(record.path).name}, {record.size} bytes, verified"

	def _backup_values(self) -> dict:
		record = self.backup
		return {
			"backup_site": record.site,
			"backup_path": record.path,
			"backup_size": record.size,
			"backup_sha256": record.sha256,
			"backup_taken_at": record.taken_at or None,
			"rollback_command": f"bench --site {self.site_name} frappe-stack rollback --promotion {self.name}",
		}

	def _maintenance_on(self) -> str:
		self.in_maintenance = True  # before the switch: a failure half way still switches it off
		self.ops.set_maintenance(True)
		return "on"

	def _maintenance_off(self) -> str:
		self.ops.set_maintenance(False)
		self.in_maintenance = False
		return "off"

	def _leave_maintenance(self) -> None:
		if self.in_maintenance:
			self._maintenance_off()

	def _migrate(self) -> str:
		done = self.ops.migrate(self.site_name)
		if not done.ok:
			# the real error of each blueprint, kept outside the database the restore rewinds
			self.apply_record = self.ops.last_apply(self.site_name) or {}
			if message := apply_failures.failed_message(self.apply_record):
				raise StepFailed("migrate", message)
			raise StepFailed("migrate", self.ops.tail_of(done.output))
		return "blueprints applied"

	def _smoke(self) -> str:
		answer = self.ops.bench(self.site_name, "execute", "frappe.ping")
		if "pong" not in answer.output:
			raise StepFailed("smoke", f"the site does not answer: {self.ops.tail_of(answer.output)}")
		targets, workflows = self._targets()
		report = self.ops.smoke(targets, workflows, self.site.error_text)
		failed = [f"{r.test}: {r.detail}" for r in report.results if r.result == "fail"]
		if failed:
			raise StepFailed("smoke", "; ".join(failed))
		return after_deploy_line(report)

	def _targets(self):
		"""What this commit changes: the repo at the commit against its first parent."""
		parent = (
			git_command.git(self.root, "rev-parse", "--verify", "--quiet", f"{self.commit}^1", check=False)
			or ""
		).strip()
		base, head, _, _ = stack.base_and_head(self.site, str(self.root), parent or None)
		if not parent:
			base = None
		change = compute_change(base, head)
		workflows = sorted({doc.name for doc in change.docs if doc.doctype == "Workflow" and doc.after})
		return smoke_targets(change), workflows

	# ---- failure --------------------------------------------------------------------------------

	def _roll_back(self, failed: StepFailed) -> DeployResult:
		reason = f"{failed.step} failed: {failed.reason}"
		row = StepRow("restore", StepStatus.RUNNING, self.ops.timestamp())
		self._save_step(row, "start")  # a restore killed half way says so
		try:
			problem = self.ops.restore(self.site_name, self.backup.path)
		except Exception as exc:
			problem = self.site.error_text(exc)
		finally:
			self._leave_maintenance()
		row.status = StepStatus.SUCCESS if problem is None else StepStatus.FAILURE
		row.ended, row.output, row.error = self.ops.timestamp(), self.backup.path, problem or ""
		self.events.append(self._event("restore", f"failed: {problem}" if problem else "done"))
		self.result.steps.append(
			{
				"step": "restore",
				"status": "done" if problem is None else "failed",
				"detail": problem or self.backup.path,
			}
		)
		# the restore rewound this row too: write back the backup, the journal and the steps
		self.store.rewrite(
			self.name, self._backup_values(), self.events, [*self.runner.as_dicts(), row.as_dict()]
		)
		status = PromotionStatus.ROLLED_BACK if problem is None else PromotionStatus.FAILED
		detail = reason if problem is None else f"{reason}; the restore failed too: {problem}"
		self._finish(status, detail)
		if problem is None and self.apply_record:
			apply_failures.rerecord(self.site, self.apply_record, f"deploy of {self.name}")
		self.result.revert_pr = self._revert_pull(reason)
		return self.result

	def _revert_pull(self, reason: str) -> str:
		revert = open_revert(
			self.root,
			load_settings(self.root),
			env_token(),
			self.name,
			self.commit,
			f"Revert {self.name}: deploy rolled back",
			f"Deploy of {self.name} ({self.commit[:12]}) to {self.site_name} was rolled back.\n\n"
			f"Reason: {reason}\n\nThe site was restored from `{self.backup.path}`.",
		)
		self.store.update(self.name, {}, revert.note, step="revert")
		self.result.revert_branch, self.result.revert_howto = revert.branch, revert.howto
		return revert.pull_url

	def _finish(self, status: str, detail: str) -> DeployResult:
		self._journal(
			status.lower(),
			{"status": status, "failure_reason": detail, "finished_at": self.ops.timestamp()},
			detail,
		)
		self.result.status, self.result.reason = status, detail
		self.site.audit(AuditRow("deploy", "", AuditResult.FAILED, details=f"{self.name}: {detail}"))
		self.site.commit()
		return self.result
