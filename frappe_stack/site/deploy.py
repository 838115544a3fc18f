"""`bench --site PROD frappe-stack deploy --promotion ID | --ref SHA`, what CI runs after merge, and
`rollback`. Deploy holds the site's deploy lock, checks the config repo is at the merged commit, takes
a verified backup, turns maintenance mode on, runs `bench migrate` (the applier runs in it), runs the
post-deploy smoke checks and turns maintenance off. Any failure after the backup restores it, and
the Promotion says Rolled Back with the reason; a revert pull request is opened when GitHub is set.

Every step is journaled on the Promotion as it starts and ends, so a deploy killed half way is
resumed by running it again (the backup taken before it is kept as the restore point), or undone
with `rollback --promotion ID`. The restore also rewinds the Promotion row itself, so the journal is
kept in memory and written again after a restore."""

import json
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import frappe
from frappe.installer import update_site_config
from frappe.utils import get_bench_path, now
from frappe.utils.file_lock import LockTimeoutError
from frappe.utils.synchronization import filelock

from frappe_stack import git_command, stack
from frappe_stack.checks.backup import BackupRecord
from frappe_stack.config import load_settings
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow
from frappe_stack.promote import git
from frappe_stack.promote.github import GitHub, env_token
from frappe_stack.review.change import compute_change
from frappe_stack.site import promotions
from frappe_stack.site.backup import take_backup
from frappe_stack.site.frappe_site import connected
from frappe_stack.site.promote import PROMOTIONS_DIR
from frappe_stack.site.smoke import run_post_deploy
from frappe_stack.smoke import smoke_targets

LOCK_NAME = "frappe_stack_deploy"  # sites/<site>/locks/frappe_stack_deploy.lock
STEP_TIMEOUT = 3600  # seconds for migrate or a restore
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

	@property
	def ok(self) -> bool:
		return self.status == "Deployed"

	def as_dict(self) -> dict:
		return dict(self.__dict__)

	def text(self) -> str:
		lines = [f"Deploy {self.promotion} at {self.commit[:12]}: {self.status}"]
		lines += [
			f"  {s['status']:<7} {s['step']}" + (f": {s['detail']}" if s["detail"] else "")
			for s in self.steps
		]
		if self.reason:
			lines.append(f"Reason: {self.reason}")
		if self.revert_pr:
			lines.append(f"Revert pull request: {self.revert_pr}")
		return "\n".join(lines)


class DeployFailed(Exception):
	def __init__(self, step: str, reason: str):
		self.step, self.reason = step, reason
		super().__init__(reason)


def run_deploy(site_name: str, promotion: str | None, ref: str | None, path: str | None, wait: float = 0):
	if bool(promotion) == bool(ref):
		raise StackError("say what to deploy: --promotion ID (a merged promotion) or --ref SHA")
	with connected(site_name) as site:
		root = _checkout(site, path)
		commit = git.head_sha(root)
		if ref:
			wanted = (
				git_command.git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
				or ""
			).strip()
			if wanted != commit:
				raise StackError(
					f"{root} is at {commit[:12]}, not at {ref}: check out the merged commit first "
					f"(git fetch && git checkout {ref})"
				)
		name = _promotion_record(root, promotion, commit, site_name)
		with _deploy_lock(site_name, wait):
			return Deployment(site, site_name, root, name, commit).run()


def _checkout(site, path: str | None) -> Path:
	"""The config repo migrate will apply: the site's configured source, clean."""
	configured = site.configured_source()
	if not configured:
		raise StackError(
			"the site has no frappe_stack_blueprints: set it to the config repo checkout "
			"(bench --site SITE set-config frappe_stack_blueprints /path/to/config-repo), so migrate applies it"
		)
	root = stack.config_root(site, path)
	if path and stack.config_root(site) != root:
		raise StackError(
			f"--path {path} is not the site's frappe_stack_blueprints ({configured}); migrate applies that "
			"one: deploy from it, or change the site config"
		)
	git.ensure_clean(root)
	return root


def _promotion_record(root: Path, promotion: str | None, commit: str, target: str) -> str:
	"""The Promotion on this site that journals the deploy: the one promote recorded in the repo
	(its manifest), created here on the first deploy, or one for a bare --ref."""
	if promotion:
		manifest_file = root / PROMOTIONS_DIR / f"{promotion}.json"
		if not manifest_file.is_file():
			raise StackError(
				f"{manifest_file} is not in the checkout: {promotion} is not merged into {commit[:12]}; "
				"check out the merge commit of its pull request"
			)
		if frappe.db.exists("Promotion", promotion):
			record = promotions.get(promotion)
			if record["status"] == "Deployed":
				raise StackError(f"{promotion} is already Deployed on {target}; nothing to do")
			return promotion
		manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
		return promotions.create(
			{
				"name": promotion,
				"label": manifest.get("label", ""),
				"source_environment": manifest.get("source", ""),
				"target_environment": target,
				"status": "Merged",
				"emergency": int(bool(manifest.get("emergency"))),
				"emergency_reason": manifest.get("emergency") or "",
				"merge_commit": commit,
			},
			manifest.get("checks", []),
			manifest.get("blueprints", []),
			f"merged as {commit[:12]}",
		)
	unfinished = promotions.unfinished_deploy(commit)
	if unfinished:
		return unfinished  # a deploy of this commit died half way: this run resumes it
	return promotions.create(
		{
			"label": f"ref-{commit[:12]}",
			"target_environment": target,
			"status": "Merged",
			"merge_commit": commit,
		},
		[],
		[],
		f"deploy of {commit[:12]}",
	)


@contextmanager
def _deploy_lock(site_name: str, wait: float):
	"""One deploy (or rollback) per site at a time, through Frappe's own site lock file (locks/
	under the site): an flock, so a deploy that dies releases it; `wait` seconds are given to one
	that is running."""
	try:
		with filelock(LOCK_NAME, timeout=wait):
			yield
	except LockTimeoutError:
		raise StackError(
			f"another deploy is running on {site_name}; wait for it, or pass --wait SECONDS"
		) from None


class Deployment:
	def __init__(self, site, site_name: str, root: Path, name: str, commit: str):
		self.site, self.site_name, self.root, self.name, self.commit = site, site_name, root, name, commit
		record = promotions.get(name)
		self.events = [{k: e.get(k) for k in EVENT_FIELDS} for e in record.get("journal", [])]
		self.resuming = record["status"] == "Deploying"
		done = {e["step"] for e in self.events if (e.get("detail") or "").startswith("done")}
		self.done = done if self.resuming else set()
		self.backup = BackupRecord(
			record.get("backup_site") or "",
			name,
			record.get("backup_path") or "",
			record.get("backup_size") or 0,
		)
		self.result = DeployResult(name, "Deploying", commit)

	def run(self) -> DeployResult:
		self._journal(
			"deploy",
			"start",
			{"status": "Deploying", "started_at": now()},
			"resumed" if self.resuming else "",
		)
		try:
			self._step("backup", self._backup)
		except DeployFailed as failed:
			return self._fail("Failed", failed)  # nothing was changed yet
		try:
			self._step("maintenance on", lambda: self._maintenance(True))
			self._step("migrate", self._migrate)
			self._step("smoke", self._smoke)
			self._step("maintenance off", lambda: self._maintenance(False))
		except DeployFailed as failed:
			return self._roll_back(failed)
		self.result.status = "Deployed"
		self._journal(
			"deploy", "done", {"status": "Deployed", "finished_at": now()}, f"{self.commit[:12]} is live"
		)
		self.site.audit(AuditRow("deploy", "", "Success", details=f"{self.name} at {self.commit}"))
		self.site.commit()
		return self.result

	def _step(self, step: str, work) -> None:
		if step in self.done and step != "maintenance on":
			self.result.steps.append(
				{"step": step, "status": "skip", "detail": "done before the interruption"}
			)
			return
		self._journal(step, "start")
		try:
			detail = work() or ""
		except DeployFailed:
			raise
		except Exception as exc:
			raise DeployFailed(step, self.site.error_text(exc)) from exc
		self._journal(step, "done", detail=detail)

	def _journal(self, step: str, state: str, values: dict | None = None, detail: str = "") -> None:
		values = values or {}
		note = f"{state}" + (f": {detail}" if detail else "")
		self.events.append(
			{"at": now(), "status": values.get("status", "Deploying"), "step": step, "detail": note}
		)
		if step != "deploy":
			self.result.steps.append({"step": step, "status": state, "detail": detail})
		promotions.update(self.name, values, note, step=step)

	def _backup(self) -> str:
		if self.resuming and self.backup.path and Path(self.backup.path).is_file():
			return f"kept {self.backup.path} (taken before the interrupted deploy)"
		tables = [
			f"tab{doctype}" for doctype in self._targets()[0].doctypes if frappe.db.table_exists(doctype)
		]
		record = take_backup(self.site, self.name, tables)
		if not record.verified:
			raise DeployFailed("backup", f"backup not usable: {'; '.join(record.problems)}")
		self.backup = record
		promotions.update(self.name, self._backup_values())
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

	def _maintenance(self, on: bool) -> str:
		update_site_config("maintenance_mode", int(on))
		frappe.local.conf.maintenance_mode = int(on)
		return "on" if on else "off"

	def _migrate(self) -> str:
		frappe.db.commit()  # nothing of ours may hold a lock that migrate's DDL would wait on
		done = bench(self.site_name, "migrate")
		frappe.db.rollback()  # a new snapshot: see what migrate wrote
		frappe.clear_cache()
		if done.returncode != 0:
			raise DeployFailed("migrate", _tail(done.stdout + done.stderr))
		return "blueprints applied"

	def _smoke(self) -> str:
		answer = bench(self.site_name, "execute", "frappe.ping")
		if "pong" not in answer.stdout:
			raise DeployFailed("smoke", f"the site does not answer: {_tail(answer.stdout + answer.stderr)}")
		targets, workflows = self._targets()
		report = run_post_deploy(targets, workflows, self.site.error_text)
		failed = [f"{r.test}: {r.detail}" for r in report.results if r.result == "fail"]
		if failed:
			raise DeployFailed("smoke", "; ".join(failed))
		return f"site answers; {len(report.results)} check(s) passed"

	def _targets(self):
		"""What this commit changes: the repo at the commit against its first parent."""
		parent = (
			git_command.git(self.root, "rev-parse", "--verify", "--quiet", f"{self.commit}^1", check=False)
			or ""
		).strip()
		base, head, _ = stack.base_and_head(self.site, str(self.root), parent or None)
		if not parent:
			base = None
		change = compute_change(base, head)
		workflows = sorted({doc.name for doc in change.docs if doc.doctype == "Workflow" and doc.after})
		return smoke_targets(change), workflows

	def _roll_back(self, failed: DeployFailed) -> DeployResult:
		reason = f"{failed.step} failed: {failed.reason}"
		restored = restore(self.site_name, self.backup.path)
		self._maintenance(False)
		self.result.steps.append(
			{
				"step": "restore",
				"status": "done" if restored is None else "failed",
				"detail": restored or self.backup.path,
			}
		)
		# the restore rewound this row too: write back the backup and the whole journal, then the outcome
		frappe.db.rollback()
		frappe.clear_cache()
		promotions.rewrite(self.name, self._backup_values(), self.events)
		status = "Rolled Back" if restored is None else "Failed"
		detail = reason if restored is None else f"{reason}; the restore failed too: {restored}"
		self._finish(status, detail)
		self.result.revert_pr = self._revert_pull(reason)
		self.site.audit(AuditRow("deploy", "", "Failed", details=f"{self.name}: {detail}"))
		self.site.commit()
		return self.result

	def _revert_pull(self, reason: str) -> str:
		settings = load_settings(self.root)
		token = env_token()
		if not (settings.github_repo and token):
			return ""
		branch = f"revert/{self.name}"
		try:
			git.revert_branch(self.root, branch, self.commit)
			git.push(
				self.root, settings.remote, branch, protected=[settings.base_branch, *settings.protected]
			)
			pull = GitHub(settings.github_repo, token, settings.github_api).open_revert_pull(
				branch,
				settings.base_branch,
				f"Revert {self.name}: deploy rolled back",
				f"Deploy of {self.name} ({self.commit[:12]}) to {self.site_name} was rolled back.\n\n"
				f"Reason: {reason}\n\nThe site was restored from `{self.backup.path}`.",
				["promotion", "revert"],
			)
		except StackError as e:
			promotions.update(self.name, {}, f"revert pull request not opened: {e}", step="revert")
			return ""
		promotions.update(self.name, {}, f"revert pull request #{pull.number}", step="revert")
		return pull.url

	def _fail(self, status: str, failed: DeployFailed) -> DeployResult:
		self._finish(status, f"{failed.step} failed: {failed.reason}")
		return self.result

	def _finish(self, status: str, detail: str) -> None:
		self._journal(
			"deploy",
			status.lower(),
			{"status": status, "failure_reason": detail, "finished_at": now()},
			detail,
		)
		self.result.status, self.result.reason = status, detail


def restore(site_name: str, backup_path: str) -> str | None:
	"""Restore the database from `backup_path` (Frappe's own restore); None when it worked, else why."""
	if not backup_path or not Path(backup_path).is_file():
		return f"no backup file at {backup_path or '(none recorded)'}"
	frappe.db.commit()
	done = bench(site_name, "restore", backup_path, "--force")
	return None if done.returncode == 0 else _tail(done.stdout + done.stderr)


def bench(site_name: str, *args: str) -> subprocess.CompletedProcess:
	"""`bench --site SITE ARGS` as its own process, as an operator would run it."""
	return subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", site_name, *args],
		cwd=Path(get_bench_path()) / "sites",
		capture_output=True,
		text=True,
		timeout=STEP_TIMEOUT,
	)


def _tail(output: str, lines: int = 3) -> str:
	kept = [line.strip() for line in output.splitlines() if line.strip()]
	return " | ".join(kept[-lines:]) or "no output"


@dataclass
class RollbackResult:
	what: str  # "backup" or "config"
	status: str
	detail: str

	def as_dict(self) -> dict:
		return dict(self.__dict__)

	def text(self) -> str:
		return f"Rollback ({self.what}): {self.status}. {self.detail}"


def run_rollback(site_name: str, promotion: str, wait: float = 0) -> RollbackResult:
	"""Restore the backup taken before `promotion` was deployed (data written since is lost)."""
	with connected(site_name) as site:
		return _rollback(site, site_name, promotion, wait)


def _rollback(site, site_name: str, promotion: str, wait: float) -> RollbackResult:
	record = promotions.get(promotion)
	path = record.get("backup_path")
	events = [{k: e.get(k) for k in EVENT_FIELDS} for e in record.get("journal", [])]
	with _deploy_lock(site_name, wait):
		update_site_config("maintenance_mode", 1)
		problem = restore(site_name, path)
		update_site_config("maintenance_mode", 0)
		frappe.db.rollback()
		frappe.clear_cache()
		values = {k: record.get(k) for k in ("backup_site", "backup_path", "backup_size", "backup_sha256")}
		promotions.rewrite(promotion, values, events)
		if problem:
			promotions.update(
				promotion, {"status": "Failed", "failure_reason": f"rollback failed: {problem}"}
			)
			site.audit(AuditRow("rollback", "", "Failed", details=f"{promotion}: {problem}"))
			site.commit()
			return RollbackResult("backup", "Failed", problem)
		promotions.update(
			promotion,
			{"status": "Rolled Back", "failure_reason": "rolled back by hand", "finished_at": now()},
			f"restored {path}",
			step="rollback",
		)
		site.audit(AuditRow("rollback", "", "Success", details=f"{promotion}: restored {path}"))
		site.commit()
	return RollbackResult("backup", "Rolled Back", f"{site_name} restored from {path}")


def run_config_rollback(site_name: str, ref: str, path: str | None = None) -> RollbackResult:
	"""Apply the blueprints as they were at `ref`: configuration goes back, data stays."""
	import tempfile

	from frappe_stack.sources import blueprints_at, resolve_sources

	with connected(site_name) as site:
		source = resolve_sources(site, path)[0]
		with tempfile.TemporaryDirectory(prefix="frappe_stack_rollback_") as scratch:
			blueprints_at(source, ref, Path(scratch))
			result = stack.apply(site, scratch)
		if result.failed:
			failed = "; ".join(f"{r.blueprint}: {r.error}" for r in result.failed)
			return RollbackResult("config", "Failed", failed)
		site.audit(AuditRow("rollback", "", "Success", details=f"blueprints as at {ref} applied"))
		site.commit()
	return RollbackResult(
		"config",
		"Applied",
		f"blueprints as at {ref} applied on {site_name}; the config repo still holds the newer ones, so "
		"revert them in git too or the next migrate applies them again",
	)


def rollback_job(promotion: str) -> None:
	"""The Promotion form's Rollback button, in a background job (a restore outlives a request)."""
	from frappe_stack.site.frappe_site import FrappeSite

	result = _rollback(FrappeSite(), frappe.local.site, promotion, wait=60)
	if result.status != "Rolled Back":
		raise StackError(f"rollback of {promotion} failed: {result.detail}")
