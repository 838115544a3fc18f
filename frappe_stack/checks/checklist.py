"""`check`: the pre-promote checklist, gathered in two visits, staging first, then the target (a
site of this bench or a URL), so the command never holds two sites open at once. Pure: it takes
any objects with the site adapter's methods."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frappe_stack import stack
from frappe_stack.blueprint.validate import BlueprintSet
from frappe_stack.change_base import nothing_to_examine
from frappe_stack.checks.app_requirements import (
	environment_check,
	modules_used,
	needs,
	referenced_doctypes,
	with_applier,
)
from frappe_stack.checks.backup_verification import BackupRecord, backup_check
from frappe_stack.checks.change_size import change_size_check, related_sets
from frappe_stack.checks.one_owner import one_owner_check
from frappe_stack.checks.result import FAIL, PASS, WARN, Checklist, CheckResult
from frappe_stack.checks.role_coverage import role_coverage_check, roles_created, roles_used
from frappe_stack.checks.window import window_check
from frappe_stack.config import Settings
from frappe_stack.diff import Diff
from frappe_stack.ledger import LedgerEntry
from frappe_stack.review.change import Change, compute_change
from frappe_stack.review.engine import review
from frappe_stack.review.findings import BLOCKING, Report
from frappe_stack.smoke_plan import SmokeReport, smoke_targets
from frappe_stack.statuses import LedgerStatus


@dataclass
class SourceFindings:
	"""What staging says; everything later checks need from it."""

	site: str
	root: Path  # the config repo
	diff: Diff
	ledger: list[LedgerEntry]
	repo_blueprints: list[str]
	base_blueprints: list[str]  # at the base ref: what the change starts from
	change: Change
	head: BlueprintSet
	report: Report
	smoke: SmokeReport
	facts: dict  # apps, doctype_apps, module_apps, timezone (site.source_facts)
	base_label: str = "the base"  # what the change starts from, as the user reads it

	@property
	def roles(self) -> list[str]:
		return roles_used(self.change)

	@property
	def doctypes(self) -> list[str]:
		"""DocTypes whose presence and tables matter on the target: those the change references,
		and those it creates or customizes (which exist there already unless this change adds them)."""
		return sorted(set(referenced_doctypes(self.change)) | set(smoke_targets(self.change).doctypes))


def examine_source(site, path: str | None, since: str | None) -> SourceFindings:
	# the working tree is loaded once, references judged as `diff` judges them, and serves them all
	base, head, root, label = stack.base_and_head(site, path, since, references=True)
	change = compute_change(base, head)
	return SourceFindings(
		site=site.site_name(),
		root=root,
		diff=stack.diff(site, desired=head),
		ledger=stack.status(site),
		repo_blueprints=sorted(bp.name for bp in head.blueprints),
		base_blueprints=sorted(bp.name for bp in base.blueprints) if base else [],
		change=change,
		head=head,
		report=review(base, head, site.facts(), base_label=label),
		smoke=site.smoke(smoke_targets(change)),
		facts=site.source_facts(referenced_doctypes(change), modules_used(change)),
		base_label=label,
	)


@dataclass
class TargetFindings:
	site: str
	facts: dict  # roles, apps, doctypes (site.target_facts)
	backup: BackupRecord


def examine_target(target, source: SourceFindings, label: str, timeout: int) -> TargetFindings:
	facts = target.target_facts(source.roles, source.doctypes)
	tables = [f"tab{doctype}" for doctype in facts["doctypes"]]
	return TargetFindings(facts["site"], facts, target.backup(label, tables, timeout))


def checklist(
	source: SourceFindings,
	target: TargetFindings,
	settings: Settings,
	now: datetime,
	emergency: str | None,
	app_tests: CheckResult | None,
	allow_empty: bool = False,
) -> Checklist:
	timezone = settings.timezone or source.facts["timezone"] or "UTC"
	need = with_applier(
		needs(source.change, source.head, source.facts["doctype_apps"], source.facts["module_apps"])
	)
	empty = change_check(source.change, source.base_label, allow_empty)
	results = [
		*([empty] if empty else []),
		diff_clean_check(source.diff),
		one_owner_check(source.diff.shared),
		applied_check(source.ledger, source.repo_blueprints, source.site),
		review_check(source.report),
		*([app_tests] if app_tests else []),
		smoke_check(source.smoke),
		backup_check(target.backup),
		role_coverage_check(
			target.facts["roles"],
			target.site,
			roles_created(source.change),
			target.facts.get("roles_absent"),
		),
		window_check(now, timezone, settings.freeze, settings.friday_cutoff, emergency),
		change_size_check(related_sets(source.change, source.head), settings.max_related_sets),
		environment_check(
			need, target.facts["apps"], target.facts["doctypes"], source.facts["apps"], target.site
		),
	]
	return Checklist(source.site, target.site, results, (emergency or "").strip() or None)


def change_check(change: Change, base_label: str, allow_empty: bool) -> CheckResult | None:
	"""A gate that examined nothing must not pass: the other checks of an empty change say nothing.
	None when there is a change: the other checks examine it."""
	if change.docs:
		return None
	nothing = nothing_to_examine(base_label)
	data = {"documents": 0, "base": base_label}
	if allow_empty:
		return CheckResult("change", WARN, f"{nothing} (--allow-empty)", data)
	return CheckResult(
		"change",
		FAIL,
		f"{nothing}; export and commit the change, pass --since REF, or --allow-empty to go on anyway",
		data,
	)


def diff_clean_check(diff: Diff) -> CheckResult:
	summary = diff.summary()
	if diff.is_clean:
		return CheckResult("diff clean", PASS, f"{diff.site} matches the config repo", summary)
	return CheckResult(
		"diff clean",
		FAIL,
		f"{diff.site} and the repo differ: {summary['only_on_site']} only on the site, {summary['only_in_git']} "
		f"only in git, {summary['changed']} changed; run `frappe-stack diff`, then export or apply",
		summary,
	)


def applied_check(ledger: list[LedgerEntry], repo_blueprints: list[str], site: str) -> CheckResult:
	status = {entry.blueprint: entry.status for entry in ledger}
	problems = [f"{name} never applied" for name in repo_blueprints if name not in status]
	problems += [
		f"{entry.blueprint} {entry.status}" + (f" ({entry.last_error})" if entry.last_error else "")
		for entry in ledger
		if entry.blueprint in repo_blueprints and entry.status != LedgerStatus.APPLIED
	]
	data = {"blueprints": len(repo_blueprints), "problems": problems}
	if problems:
		return CheckResult(
			"applied",
			FAIL,
			f"on {site}: {'; '.join(problems)}; run `frappe-stack apply` and fix what fails",
			data,
		)
	return CheckResult("applied", PASS, f"all {len(repo_blueprints)} blueprints Applied on {site}", data)


def review_check(report: Report) -> CheckResult:
	counts = report.counts()
	shown = ", ".join(f"{n} {severity}" for severity, n in counts.items() if n) or "no findings"
	data = {"counts": counts, "rules": sorted({f.rule for f in report.findings})}
	if report.blocking:
		blocking = sorted({f.rule for f in report.findings if f.severity in BLOCKING})
		return CheckResult(
			"review",
			FAIL,
			f"{shown} ({', '.join(blocking)}); fix the CRITICAL and HIGH findings (`frappe-stack review`)",
			data,
		)
	return CheckResult("review", WARN if report.findings else PASS, shown, data)


def smoke_check(report: SmokeReport) -> CheckResult:
	summary = report.as_dict()["summary"]
	failed = [f"{r.test}: {r.detail}" for r in report.results if r.result == FAIL]
	if not report.results:
		return CheckResult("smoke tests", PASS, "the change touches no DocType, card or chart", summary)
	if failed:
		return CheckResult(
			"smoke tests",
			FAIL,
			f"{len(failed)} of {len(report.results)} failed: {'; '.join(failed)}",
			summary,
		)
	if summary[WARN]:
		warned = "; ".join(f"{r.test}: {r.detail}" for r in report.results if r.result == WARN)
		return CheckResult(
			"smoke tests", WARN, f"{summary[PASS]} passed, {summary[WARN]} warned: {warned}", summary
		)
	return CheckResult("smoke tests", PASS, f"{summary[PASS]} passed (rolled back)", summary)
