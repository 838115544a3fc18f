"""`bench --site STAGING frappe-stack check --target PROD`, end to end: staging (open from start to
end) is examined, the app tests run in their own process, the target (a site of this bench or a
URL, visited once) gives its facts and a verified backup, and the outcome goes into staging's
audit log."""

import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from frappe_stack.checks.app_tests import run_app_tests
from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.checks.checklist import (
	SourceFindings,
	TargetFindings,
	checklist,
	examine_source,
	examine_target,
)
from frappe_stack.checks.result import Checklist, CheckResult
from frappe_stack.config import Settings, load_settings
from frappe_stack.ledger import AuditRow
from frappe_stack.promote.git import head_sha
from frappe_stack.site import bench_ops, promotions, scratch_site
from frappe_stack.site.bench_ops import bench_path
from frappe_stack.site.frappe_site import connected
from frappe_stack.site.other_site import visit
from frappe_stack.statuses import AuditResult
from frappe_stack.workflows.plan_binding import TargetPlan, plan_target
from frappe_stack.workflows.rehearsal import Rehearsal, RehearsalResult, RestoredBackup, rehearsal_check


@dataclass
class CheckRun:
	"""The checklist, and what it was made from (promote reuses it rather than asking again)."""

	checklist: Checklist
	source: SourceFindings
	target: TargetFindings
	settings: Settings
	plan: TargetPlan | None = None  # the plan on the target, made for promote in the same visit


def run_check(
	staging: str,
	target: str,
	path: str | None = None,
	since: str | None = None,
	emergency: str | None = None,
	label: str | None = None,
	at: datetime | None = None,
	rehearse: bool = False,
	allow_empty: bool = False,
) -> CheckRun:
	with connected(staging) as site:
		return check(site, target, path, since, emergency, label, at, rehearse, allow_empty)


def check(
	site,
	target: str,
	path: str | None = None,
	since: str | None = None,
	emergency: str | None = None,
	label: str | None = None,
	at: datetime | None = None,
	rehearse: bool = False,
	allow_empty: bool = False,
	plan: bool = False,
) -> CheckRun:
	"""The checklist of staging (`site`, open) against `target`; recorded in staging's audit log.
	`rehearse` adds a "rehearsal" result: the checkout deployed on a scratch copy of the target.
	`allow_empty`: a change with no document in it warns instead of failing.
	`plan`: also make the plan of the change on the target (promote saves it)."""
	now = at or datetime.now(timezone.utc)
	label = label or f"check-{now.strftime('%Y%m%d-%H%M%S')}"
	source = examine_source(site, path, since)
	site.commit()  # the app tests write staging from their own process: hold no lock they wait on
	settings = load_settings(source.root)
	app_tests = run_app_tests(
		source.root,
		since or "HEAD",
		settings.test_apps,
		bench_path(),
		settings.test_site or site.site_name(),
		sys.executable,
		settings.coverage_threshold,
	)

	def on_target(other):
		found = examine_target(other, source, label, settings.backup_timeout)
		return found, (plan_target(other, source.root) if plan else None)

	found, planned = visit_target(target, settings, on_target)
	result = checklist(source, found, settings, now, emergency, app_tests, allow_empty)
	if rehearse:
		result.results.append(rehearsal(target, settings, source.root, found.backup))
	site.audit(
		AuditRow(
			"check",
			"",
			AuditResult.FAILED if result.failed else AuditResult.SUCCESS,
			details=_audit_text(result, label),
		)
	)
	site.commit()
	return CheckRun(result, source, found, settings, planned)


def _audit_text(result: Checklist, label: str) -> str:
	counts = result.as_dict()["summary"]
	text = (
		f"target {result.target}: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail"
		+ (f" ({', '.join(r.check for r in result.failed)})" if result.failed else "")
		+ f"; backup {label}"
	)
	return text + (f"; EMERGENCY: {result.emergency}" if result.emergency else "")


def visit_target(name: str, settings: Settings, work):
	"""work(site) on `name`: an environment of frappe-stack.toml, an http(s) URL, or a site of this bench."""
	env = settings.environments.get(name)
	return visit(env.url or env.site, work, env.site_name) if env else visit(name, work)


def rehearsal(name: str, settings: Settings, root, backup: BackupRecord) -> CheckResult:
	"""The checkout deployed on a scratch copy of the target, restored from the check's backup."""
	env = settings.environments.get(name)
	if (env.url if env else name).startswith(("http://", "https://")):
		return rehearsal_check(name, None)
	done = visit_target(name, settings, lambda target: rehearse_checkout(target, Path(root), backup))
	return rehearsal_check(name, done)


def rehearse_checkout(site, root: Path, backup: BackupRecord) -> RehearsalResult:
	"""The checkout `root` as it is, rehearsed on `site` (open, a site of this bench) from the
	check's backup of it."""
	ops = RestoredBackup(bench_ops, backup)
	return Rehearsal(site, site.site_name(), root, "", head_sha(root), promotions, ops, scratch_site).run()
