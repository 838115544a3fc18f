"""`bench --site SITE frappe-stack ...`: the commands of command_table on the bench's sites, and the
bench-only ones (apply, adopt, smoke, check, promote, deploy, rollback, ship): resolve the site, call
one library function, print its result, exit with a code of frappe_stack.exit_codes."""

import sys
from functools import partial
from types import SimpleNamespace

import click

from frappe_stack import render, stack
from frappe_stack.command_table import (
	SHARED,
	Command,
	allow_empty_option,
	build,
	json_option,
	path_option,
	run,
	since_option,
)
from frappe_stack.errors import StackError
from frappe_stack.exit_codes import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from frappe_stack.output import emit, fail
from frappe_stack.output import progress as progress_lines
from frappe_stack.site.bench_context import get_site, pass_context
from frappe_stack.site.frappe_site import connected
from frappe_stack.site.named import open_site as open_named
from frappe_stack.statuses import LedgerStatus, PromotionStatus
from frappe_stack.workflows.check import run_check
from frappe_stack.workflows.deploy import run_deploy, run_rehearsal
from frappe_stack.workflows.promoting import run_promote
from frappe_stack.workflows.rollback import run_config_rollback, run_rollback


@click.group("frappe-stack")
def frappe_stack():
	"""Customizations as code: plan, apply, status, export, adopt, diff, review, smoke, check,
	promote, deploy, rollback, ship, init, env-diff, diagnose."""


AT_FORMATS = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M%z"]


def _run(context, as_json: bool, work):
	"""Open the site, run `work` on it; a StackError becomes a clean message and exit 1."""
	site = get_site(context)
	try:
		with connected(site) as frappe_site:
			return site, work(frappe_site)
	except StackError as e:
		fail(as_json, e)


def _run_shared(command: Command, context, values: dict) -> None:
	run(command, SimpleNamespace(**values), partial(_open, context))


def _open(context, name: str | None):
	"""A site of this bench or a URL by name; None: the site of `--site`."""
	return open_named(name) if name else connected(get_site(context))


def _bench_command(command: Command) -> click.Command:
	if command.reaches_own_site:
		return build(command, pass_context(lambda context, **values: _run_shared(command, context, values)))
	# env-diff and init take no --site
	return build(command, lambda **values: _run_shared(command, None, values))


for shared in SHARED:
	frappe_stack.add_command(_bench_command(shared))


@frappe_stack.command("apply")
@path_option
@json_option
@click.option(
	"--full",
	is_flag=True,
	help="Read and compare every document even when nothing changed since the last apply "
	"(a change made straight in the database, which leaves `modified` alone)",
)
@click.option(
	"--orphan-all",
	is_flag=True,
	help="Go on when no blueprint the ledger manages is in the blueprint folders: every one is marked "
	"Orphaned, its documents kept (refused without it, as a wrong --path looks the same)",
)
@pass_context
def apply(context, path, as_json, full, orphan_all):
	"""Apply the blueprints to the site. Exit 0 ok, 1 when any blueprint failed."""
	progress = progress_lines(as_json)
	site, result = _run(
		context,
		as_json,
		lambda frappe_site: stack.apply(
			frappe_site, path, progress=progress, full=full, orphan_all=orphan_all
		),
	)
	emit(as_json, {"site": site} | result.as_dict(), render.apply_text(result, site))
	sys.exit(EXIT_ERROR if result.failed else EXIT_OK)


@frappe_stack.command("adopt")
@click.option("--app", required=True, help="The installed app whose fixtures and custom/*.json to adopt")
@path_option
@json_option
@pass_context
def adopt(context, app, path, as_json):
	"""Turn an app's fixtures into blueprints and record them as applied, writing no document; print
	the hooks.py change. Exit 0 done, 2 when some files differ from the site, 1 error."""
	from frappe_stack.site.installed_app_files import adopt_app

	_, result = _run(context, as_json, lambda frappe_site: adopt_app(frappe_site, app, path))
	emit(as_json, result.as_dict(), result.text())
	sys.exit(EXIT_CHANGES if result.differs else EXIT_OK)


@frappe_stack.command("check")
@click.option(
	"--target",
	required=True,
	help="Production: an environment of frappe-stack.toml, a site of this bench, or a URL",
)
@click.option("--emergency", metavar="REASON", help="Promote outside the time window; the reason is recorded")
@click.option("--label", help="Name of the target's backup folder (default: check-YYYYMMDD-HHMMSS)")
@click.option(
	"--at",
	type=click.DateTime(AT_FORMATS),
	help="Judge the time window as at this moment, e.g. 2026-11-27T15:00+03:00 (rehearse a promotion)",
)
@click.option(
	"--rehearse",
	is_flag=True,
	help="Also deploy the checkout on a scratch copy of the target (a site of this bench), then drop it",
)
@path_option
@since_option
@allow_empty_option
@json_option
@pass_context
def check(context, target, emergency, label, at, rehearse, path, since, allow_empty, as_json):
	"""The pre-promote checklist against the target. Exit 0 ready, 2 when any check fails, 1 error."""
	staging = get_site(context)
	try:
		result = run_check(
			staging, target, path, since, emergency, label, at, rehearse, allow_empty
		).checklist
	except StackError as e:
		fail(as_json, e)
	emit(as_json, result.as_dict(), result.text())
	sys.exit(EXIT_CHANGES if result.failed else EXIT_OK)


@frappe_stack.command("promote")
@click.option(
	"--label", help="Name of the promotion, e.g. sprint-15-beneficiary (default: from the blueprints)"
)
@click.option("--emergency", metavar="REASON", help="Promote outside the time window; the reason is recorded")
@click.option("--target", help="The environment to promote to (default: [promote] target, else production)")
@click.option("--at", type=click.DateTime(AT_FORMATS), help="Judge the time window as at this moment")
@path_option
@since_option
@allow_empty_option
@json_option
@pass_context
def promote(context, label, emergency, target, at, path, since, allow_empty, as_json):
	"""Check, then push a promote/ branch and open its pull request. Exit 0 done, 2 blocked, 1 error."""
	staging = get_site(context)
	try:
		result, run = run_promote(staging, label, emergency, path, since, target, at, allow_empty)
	except StackError as e:
		fail(as_json, e)
	emit(as_json, result.as_dict(), result.text(run.checklist.text()))
	sys.exit(EXIT_CHANGES if result.blocked else EXIT_OK)


@frappe_stack.command("deploy")
@click.option("--promotion", help="The merged promotion to deploy (its manifest is in the checkout)")
@click.option("--ref", help="Deploy this commit of the config repo (the checkout must be at it)")
@click.option("--wait", type=float, default=0, help="Seconds to wait for a deploy already running")
@click.option(
	"--rehearse",
	is_flag=True,
	help="Deploy on a scratch copy of the site (from its backup), then drop it; the site is not changed",
)
@click.option(
	"--replan",
	is_flag=True,
	help="Deploy even when production changed since the approval (the plan differs from the saved one); "
	"recorded in the audit log",
)
@path_option
@json_option
@pass_context
def deploy(context, promotion, ref, wait, rehearse, replan, path, as_json):
	"""Backup, maintenance, migrate, smoke checks; restore on any failure. Exit 0 deployed, 1 not
	(with --rehearse: 0 the rehearsal passed, 2 it failed)."""
	site = get_site(context)
	try:
		result = (
			run_rehearsal(site, promotion, ref, path)
			if rehearse
			else run_deploy(site, promotion, ref, path, wait, replan)
		)
	except StackError as e:
		fail(as_json, e)
	emit(as_json, result.as_dict(), result.text())
	if rehearse:
		sys.exit(EXIT_OK if result.passed else EXIT_CHANGES)
	sys.exit(EXIT_OK if result.ok else EXIT_ERROR)


@frappe_stack.command("rollback")
@click.option("--promotion", help="Restore the backup taken before this promotion was deployed")
@click.option("--to", "to_ref", metavar="GITREF", help="Apply the blueprints as they were at this ref")
@click.option("--yes", is_flag=True, help="Restore without asking")
@click.option("--wait", type=float, default=0, help="Seconds to wait for a deploy already running")
@path_option
@json_option
@pass_context
def rollback(context, promotion, to_ref, yes, wait, path, as_json):
	"""Undo a promotion: restore its backup (--promotion) or its configuration only (--to)."""
	site = get_site(context)
	if bool(promotion) == bool(to_ref):
		fail(as_json, StackError("say what to roll back: --promotion ID (restore its backup) or --to GITREF"))
	try:
		if to_ref:
			result = run_config_rollback(site, to_ref, path)
		else:
			if not yes and not click.confirm(
				f"Restore {site} from the backup taken before {promotion}? Data written since is lost"
			):
				fail(
					as_json,
					StackError("not confirmed; nothing was changed (pass --yes to skip the question)"),
				)
			result = run_rollback(site, promotion, wait)
	except StackError as e:
		fail(as_json, e)
	emit(as_json, result.as_dict(), result.text())
	sys.exit(EXIT_OK if result.status in (PromotionStatus.ROLLED_BACK, LedgerStatus.APPLIED) else EXIT_ERROR)


@frappe_stack.command("smoke")
@path_option
@since_option
@json_option
@pass_context
def smoke(context, path, since, as_json):
	"""Smoke-test what the change touches, in a transaction rolled back. Exit 2 when any fails."""
	_, report = _run(context, as_json, lambda frappe_site: stack.smoke(frappe_site, path, since))
	emit(as_json, report.as_dict(), report.text())
	sys.exit(EXIT_CHANGES if report.failed else EXIT_OK)


@frappe_stack.command("ship")
@click.argument("version")
@path_option
@click.option(
	"--slack/--no-slack",
	"post",
	default=None,
	help="Post the notes to the Slack webhook (default: when FRAPPE_STACK_SLACK_WEBHOOK or site config "
	"frappe_stack_slack_webhook is set)",
)
@json_option
@pass_context
def ship(context, version, path, post, as_json):
	"""Release VERSION (vX.Y.Z) from production: CHANGELOG.md entry, annotated tag, push, GitHub
	release, promotions Shipped. Exit 0 shipped, 2 refused, 1 error (or no GitHub release)."""
	from frappe_stack.workflows.ship import run_ship

	try:
		result = run_ship(get_site(context), version, path, post)
	except StackError as e:
		fail(as_json, e)
	emit(as_json, result.as_dict(), result.text())
	sys.exit(EXIT_CHANGES if result.refused else EXIT_ERROR if result.release_error else EXIT_OK)


commands = [frappe_stack]
