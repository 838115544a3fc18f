"""`frappe-stack`, installed with the package: the read-only commands (diff, plan, status, export,
env-diff, diagnose, review) against a site URL, outside any bench, and `init` for a new config
repo. Keys come from FRAPPE_STACK_API_KEY/SECRET."""

import os
import sys
from datetime import datetime, timezone

import click

from frappe_stack import envinfo, render, stack
from frappe_stack.config import environment
from frappe_stack.errors import StackError
from frappe_stack.output import EXIT_CHANGES, EXIT_OK, emit, emit_review, fail
from frappe_stack.remote import RemoteSite


@click.group("frappe-stack")
def main():
	"""frappe_stack against a remote site (read-only). In a bench: `bench --site S frappe-stack ...`."""


def remote_options(command):
	command = click.option("--json", "as_json", is_flag=True, help="Machine-readable output")(command)
	command = click.option("--site-name", help="Frappe site name, when the URL's host is not it")(command)
	command = click.option("--env", "env_name", help="An environment of frappe-stack.toml (in --path)")(
		command
	)
	command = click.option("--url", help="The site's URL, e.g. https://staging.example.com")(command)
	return click.option("--path", default=".", show_default=True, help="The config repo")(command)


def _run(as_json: bool, url, env_name, site_name, path, work):
	try:
		if env_name:
			env = environment(path, env_name)
			url, site_name = env["url"], site_name or env["site_name"]
		if not url:
			raise StackError("say which site: --url https://... or --env NAME")
		site = RemoteSite(
			url,
			os.environ.get("FRAPPE_STACK_API_KEY", ""),
			os.environ.get("FRAPPE_STACK_API_SECRET", ""),
			site_name,
		)
		return site, work(site)
	except StackError as e:
		fail(as_json, e)


@main.command("diff")
@remote_options
@click.option("--ref", help="Compare this git ref of the config repo instead of its working tree")
def diff(path, url, env_name, site_name, as_json, ref):
	"""Repo vs ledger vs site. Exit 0 clean, 2 differences, 1 error."""
	_, result = _run(as_json, url, env_name, site_name, path, lambda site: stack.diff(site, path, ref))
	emit(as_json, result.as_dict(), result.text())
	sys.exit(EXIT_OK if result.is_clean else EXIT_CHANGES)


@main.command("plan")
@remote_options
def plan(path, url, env_name, site_name, as_json):
	"""What apply would do on that site. Exit 0 nothing to do, 2 changes pending, 1 error."""
	site, result = _run(as_json, url, env_name, site_name, path, lambda site: stack.make_plan(site, path)[0])
	emit(as_json, {"site": site.site_name()} | result.as_dict(), render.plan_text(result, site.site_name()))
	sys.exit(EXIT_CHANGES if result.has_changes else EXIT_OK)


@main.command("status")
@remote_options
def status(path, url, env_name, site_name, as_json):
	"""That site's ledger: one row per blueprint with its status."""
	site, entries = _run(as_json, url, env_name, site_name, path, stack.status)
	name = site.site_name()
	emit(
		as_json,
		{"site": name, "blueprints": [e.as_dict() for e in entries]},
		render.status_text(entries, name),
	)


@main.command("export")
@remote_options
@click.option("--blueprint", help="Put new customizations in this blueprint")
def export(path, url, env_name, site_name, as_json, blueprint):
	"""Write that site's customizations as blueprint files (its ledger is not touched)."""
	site, result = _run(
		as_json,
		url,
		env_name,
		site_name,
		path,
		lambda site: stack.export(site, path, blueprint, record=False),
	)
	emit(as_json, {"site": site.site_name()} | result.as_dict(), render.export_text(result, site.site_name()))


def _url_or_env(target: str) -> tuple[str | None, str | None]:
	return (target, None) if target.startswith(("http://", "https://")) else (None, target)


@main.command("env-diff")
@click.argument("a")
@click.argument("b")
@click.option("--path", default=".", show_default=True, help="The config repo, for environment names")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
def env_diff(a, b, path, as_json):
	"""Two sites side by side (versions, commits, runtime, scheduler, config without secrets, domains,
	certificates). A and B: URLs or environments of frappe-stack.toml. Exit 0 same, 2 different, 1 error."""
	facts = [_run(as_json, *_url_or_env(name), None, path, RemoteSite.environment)[1] for name in (a, b)]
	result = envinfo.compare(*facts)
	emit(as_json, result.as_dict(), result.text())
	sys.exit(EXIT_CHANGES if result.differences else EXIT_OK)


@main.command("diagnose")
@click.argument("target", required=False)
@remote_options
def diagnose(target, path, url, env_name, site_name, as_json):
	"""A site's health: reachable, scheduler, queues, stuck jobs, errors in the last hour, maintenance
	mode, certificates. TARGET: a URL or an environment (or --url, --env). Exit 0 healthy, 2 unhealthy."""
	if target:
		url, env_name = _url_or_env(target)
	_, facts = _run(as_json, url, env_name, site_name, path, RemoteSite.diagnosis)
	report = envinfo.diagnose(facts, datetime.now(timezone.utc))
	emit(as_json, report.as_dict(), report.text())
	sys.exit(EXIT_CHANGES if report.failed else EXIT_OK)


@main.command("review")
@remote_options
@click.option("--since", help="Base git ref of the config repo (default: HEAD)")
@click.option("--blueprint", help="Review only this blueprint")
@click.option("--sarif", "as_sarif", is_flag=True, help="SARIF 2.1.0 output, for GitHub code scanning")
def review(path, url, env_name, site_name, as_json, since, blueprint, as_sarif):
	"""Rules over the change since a base ref, with that site's rows for the data-impact rules.
	Exit 2 when any CRITICAL or HIGH, else 0; 1 on an error."""
	_, (report, root) = _run(
		as_json, url, env_name, site_name, path, lambda site: stack.review(site, path, since, blueprint)
	)
	emit_review(report, root, as_json, as_sarif)
	sys.exit(report.exit_code)


@main.command("init")
@click.option("--path", default=".", show_default=True, help="The new config repo's folder")
@click.option("--force", is_flag=True, help="Overwrite the files when they exist")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
def init(path, force, as_json):
	"""Write a new config repo's frappe-stack.toml and GitHub Actions workflows, ready to commit."""
	from frappe_stack.promote.init import Written, init_repo

	try:
		written = Written.of(path, init_repo(path, force))
	except StackError as e:
		fail(as_json, e)
	emit(as_json, written.as_dict(), written.text())


if __name__ == "__main__":
	main()
