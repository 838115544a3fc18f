"""`bench --site STAGING frappe-stack promote`: check against production; when every check passes,
commit the blueprints on a promote/<label>-<stamp> branch, push it, open (or update) the pull
request with PyGithub, and record it all on a Promotion. Re-running for an open promotion adds
commits to its branch and updates its pull request; nothing is ever force-pushed, and protected
branches are never pushed to. Staging is open from start to end; the target is visited once, by
the check."""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from frappe_stack import git_command, stack
from frappe_stack.config import load_settings
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow
from frappe_stack.promote import checkout, git, saved_plan
from frappe_stack.promote.body import PromotionFacts, pr_body
from frappe_stack.promote.github import GitHub, env_token
from frappe_stack.promote.reviewers import next_reviewers
from frappe_stack.promote.summary import blueprint_changes
from frappe_stack.site import promotions
from frappe_stack.site.frappe_site import connected
from frappe_stack.statuses import AuditResult, PromotionStatus
from frappe_stack.workflows.check import CheckRun, check

PROMOTIONS_DIR = "promotions"  # in the config repo: each promotion's manifest and PR body


@dataclass
class PromoteResult:
	promotion: str
	status: str
	label: str
	branch: str = ""
	commit: str | None = None
	pr_number: int | None = None
	pr_url: str = ""
	reviewers: list[str] = field(default_factory=list)
	body_file: str = ""
	plan: dict = field(default_factory=dict)  # saved_plan.summary and the file it is saved in
	checklist: dict = field(default_factory=dict)
	notes: list[str] = field(default_factory=list)

	@property
	def blocked(self) -> bool:
		return self.status == "Blocked"

	def as_dict(self) -> dict:
		return {k: v for k, v in self.__dict__.items()} | {"blocked": self.blocked}

	def text(self, checklist_text: str) -> str:
		lines = [checklist_text, ""]
		if self.blocked:
			failing = [r["check"] for r in self.checklist["results"] if r["result"] == "fail"]
			lines.append(
				f"Promotion {self.promotion} is Blocked by: {', '.join(failing)}. Nothing was pushed."
			)
			return "\n".join(lines)
		lines.append(f"Promotion {self.promotion} ({self.label}): {self.status}")
		lines.append(f"  branch  {self.branch} @ {self.commit or 'no new commit'}")
		if self.pr_url:
			lines.append(f"  pull request #{self.pr_number}: {self.pr_url}")
		if self.reviewers:
			lines.append(f"  reviewers: {', '.join(self.reviewers)}")
		lines.append(f"  PR body: {self.body_file}")
		if self.plan:
			lines.append(f"  saved plan: {self.plan['file']} {_plan_text(self.plan)}")
		lines += [f"  note: {note}" for note in self.notes]
		return "\n".join(lines)


def run_promote(
	staging: str,
	label: str | None = None,
	emergency: str | None = None,
	path: str | None = None,
	since: str | None = None,
	target: str | None = None,
	at: datetime | None = None,
	allow_empty: bool = False,
) -> tuple[PromoteResult, CheckRun]:
	with connected(staging) as site:
		return promote(site, label, emergency, path, since, target, at, allow_empty)


def promote(
	site,
	label: str | None = None,
	emergency: str | None = None,
	path: str | None = None,
	since: str | None = None,
	target: str | None = None,
	at: datetime | None = None,
	allow_empty: bool = False,
) -> tuple[PromoteResult, CheckRun]:
	"""Promote from staging (`site`, open); the checkout ends on the branch it started on."""
	root = stack.config_root(site, path)
	start = git.current_branch(root)
	try:
		result, run = _promote(site, label, emergency, path, since, target, at, allow_empty)
	except BaseException:
		checkout.return_to(root, start, quiet=True)
		raise
	if result.body_file and git.current_branch(root) != start:
		result.body_file = str(checkout.keep(root, Path(result.body_file)))
	note = checkout.return_to(root, start)
	result.notes += [note] if note else []
	return result, run


def _promote(
	site,
	label: str | None,
	emergency: str | None,
	path: str | None,
	since: str | None,
	target: str | None,
	at: datetime | None,
	allow_empty: bool,
) -> tuple[PromoteResult, CheckRun]:
	now = at or datetime.now(timezone.utc)
	root = stack.config_root(site, path)
	if refusal := git.identity_refusal(root):  # else found at the commit, after the checks and records
		raise StackError(refusal)
	settings = load_settings(root)
	branch_now = git.current_branch(root)
	existing = promotions.open_for(label) if label else promotions.open_on_branch(branch_now)
	if existing:
		name = existing["name"]
	else:
		name = promotions.create(
			{
				"label": label or "",
				"source_environment": site.site_name(),
				"target_environment": target or settings.target,
				"started_at": now.astimezone(timezone.utc).replace(tzinfo=None),
				"emergency": int(bool(emergency)),
				"emergency_reason": emergency or "",
			},
			[],
			[],
			"promote started",
		)
	run = check(
		site,
		target or settings.target,
		path,
		since,
		emergency,
		label=name,
		at=at,
		allow_empty=allow_empty,
		plan=True,
	)
	source = run.source
	changes = blueprint_changes(source.change, source.base_blueprints, source.repo_blueprints)
	label = label or (existing or {}).get("label") or _default_label([c.blueprint for c in changes])
	checks = [{"check": r.check, "result": r.result, "detail": r.detail} for r in run.checklist.results]
	rows = [c.as_dict() for c in changes]
	backup = run.target.backup
	values = {
		"label": label,
		"backup_site": backup.site,
		"backup_path": backup.path,
		"backup_size": backup.size,
		"backup_sha256": backup.sha256,
		"backup_taken_at": backup.taken_at or None,
		"rollback_command": f"bench --site {run.target.site} frappe-stack rollback --promotion {name}",
	}
	result = PromoteResult(name, "", label, checklist=run.checklist.as_dict())
	if run.checklist.failed:
		failing = ", ".join(r.check for r in run.checklist.failed)
		_record(site, name, values | {"status": "Blocked"}, f"blocked by: {failing}", checks, rows)
		result.status = "Blocked"
		return result, run
	if run.plan.error:
		raise StackError(
			f"{name}: the plan of the change on {run.target.site} could not be made, so there is no plan to "
			f"approve; fix what it says, then promote again:\n{run.plan.error}"
		)
	_record(site, name, values | {"status": "Checks Passed"}, "every check passed", checks, rows)

	root = source.root
	base = settings.base_branch
	branch = (existing or {}).get("branch") or f"promote/{_slug(label)}-{now:%Y%m%d-%H%M}"
	if git.current_branch(root) != branch:
		if git.current_branch(root) != base:
			raise StackError(
				f"{root} is on branch {git.current_branch(root)}; switch to {base} (a new promotion) or to "
				f"{branch} (this promotion) and run promote again"
			)
		checkout.switch_to(root, branch, base, "blueprints")
	audit = promotions.audit_excerpt([c.blueprint for c in changes])
	previous = promotions.recent_reviewers()
	reviewers = ((existing or {}).get("reviewers") or "").split(",")
	reviewers = [r for r in reviewers if r] or next_reviewers(
		list(settings.reviewers), previous, settings.reviewers_per_promotion
	)
	folder = root / PROMOTIONS_DIR
	folder.mkdir(exist_ok=True)
	# the plan against production this approval is for; deploy refuses when it no longer holds
	plan_file = saved_plan.save(folder, name, run.plan.docs)
	plan = saved_plan.summary(run.plan.docs) | {"file": str(plan_file.relative_to(root))}
	facts = PromotionFacts(
		name,
		label,
		run.checklist.source,
		run.target.site,
		run.checklist,
		changes,
		source.report,
		backup,
		values["rollback_command"],
		audit,
		run.checklist.emergency,
		plan,
	)
	body = pr_body(facts)
	body_file = folder / f"{name}.md"
	body_file.write_text(body, encoding="utf-8")
	manifest = {
		"promotion": name,
		"label": label,
		"source": run.checklist.source,
		"target": run.target.site,
		"emergency": run.checklist.emergency,
		"blueprints": rows,
		"checks": checks,
		"backup": backup.as_dict(),
		"plan": plan,
	}
	(folder / f"{name}.json").write_text(
		json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
	)
	blueprint_dir = source.root / "blueprints"
	message = f"Promote {label} ({name}): " + ", ".join(f"{c.blueprint} ({c.action})" for c in changes)
	commit = git.commit_paths(root, [blueprint_dir.relative_to(root), PROMOTIONS_DIR], message)
	git.push(root, settings.remote, branch, protected=[base, *settings.protected])
	result.branch, result.commit, result.reviewers = branch, commit or git.head_sha(root), reviewers
	result.body_file, result.plan = str(body_file), plan
	values = {
		"branch": branch,
		"base_commit": git_command.git(root, "rev-parse", base, fix=f"fetch {base} into {root}").strip(),
		"head_commit": result.commit,
		"reviewers": ",".join(reviewers),
	}
	if settings.github_repo:
		token = env_token()
		if not token:
			raise StackError(
				f"[github] repo is {settings.github_repo} but no token: set FRAPPE_STACK_GITHUB_TOKEN (or "
				f"GITHUB_TOKEN); branch {branch} is pushed, run promote again to open the pull request"
			)
		labels = ["promotion"] + (["emergency"] if run.checklist.emergency else [])
		title = f"Promote {label} ({name})"
		pull = GitHub(settings.github_repo, token, settings.github_api).open_or_update_pull(
			branch, base, title, body, labels, reviewers
		)
		result.pr_number, result.pr_url = pull.number, pull.url
		result.notes += list(getattr(pull, "notes", []) or [])
		values |= {"pr_number": pull.number, "pr_url": pull.url, "status": "PR Open"}
		note = f"pull request #{pull.number} {'opened' if pull.created else 'updated'}"
	else:
		result.notes.append(
			f"no [github] repo in frappe-stack.toml: branch {branch} is pushed to {settings.remote}; "
			f"open the pull request by hand with the body in {body_file.relative_to(root)} of that branch"
		)
		note = f"branch {branch} pushed; no GitHub configured"
	_record(site, name, values, f"{note}; saved plan {_plan_text(plan)}")
	result.status = values.get("status", "Checks Passed")
	return result, run


def _record(site, name: str, values: dict, note: str, checks=None, blueprints=None) -> None:
	promotions.update(name, values, note, checks=checks, blueprints=blueprints)
	site.audit(
		AuditRow(
			"promote",
			"",
			AuditResult.FAILED if values.get("status") == PromotionStatus.BLOCKED else AuditResult.SUCCESS,
			details=f"{name}: {note}",
		)
	)
	site.commit()


def _plan_text(plan: dict) -> str:
	return f"{plan['hash'][:12]} ({saved_plan.summary_text(plan)})"


def _default_label(blueprints: list[str]) -> str:
	if not blueprints:
		return "no-change"
	return blueprints[0] if len(blueprints) == 1 else f"{blueprints[0]}-and-{len(blueprints) - 1}-more"


def _slug(label: str) -> str:
	return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60] or "promotion"
