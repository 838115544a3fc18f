"""The commands `bench frappe-stack` (commands.py) and the `frappe-stack` console script (cli.py)
both have, declared once: name, help, parameters with their defaults, the work on an open site, what
is printed and the exit code. The two builders differ only in how a site is reached: a bench opens
`--site` or one of its sites by name, the console script a URL (`--url`, or `--env` of
frappe-stack.toml). Options the bench-only commands share are declared here too, so that one option
reads and defaults the same everywhere."""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import click

from frappe_stack import envinfo, render, stack
from frappe_stack.errors import StackError
from frappe_stack.exit_codes import EXIT_CHANGES, EXIT_OK
from frappe_stack.output import emit, emit_review, fail
from frappe_stack.remote import RemoteSite

path_option = click.option(
	"--path",
	help="Config repo (or its blueprints/ folder); default: in a bench the site config "
	"frappe_stack_blueprints, outside one the current folder",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
since_option = click.option(
	"--since", help="Base git ref of the config repo (default: the merge base with origin/main, per [git])"
)
allow_empty_option = click.option(
	"--allow-empty",
	is_flag=True,
	help="Go on when no blueprint changed since the base (the change check warns instead of failing)",
)
ref_option = click.option("--ref", help="Compare this git ref of the config repo instead of its working tree")


@dataclass(frozen=True)
class Command:
	"""`site` says what `work` is given besides the command's parameters `p`. "own": the command's
	own site (bench --site; --url or --env), open. "named": a function opening a site by a name the
	user gave; "named or own" too, and called with None it opens the command's own site. None: no
	site is involved."""

	name: str
	help: str
	params: tuple[Callable, ...]  # click.option/argument decorators, in --help order
	site: str | None
	work: Callable[..., Any]
	show: Callable[[Any, str | None, SimpleNamespace], None]  # (result, site name, p): print it
	exit_code: Callable[[Any], int | None] = lambda result: None  # None: exit 0, as click does

	@property
	def reaches_own_site(self) -> bool:
		return self.site in ("own", "named or own")


def param_names(command: Command) -> list[str]:
	"""The names the declared parameters have in the callback, in --help order."""
	return [param.name for param in click_params(command.params)]


def click_params(decorators) -> list[click.Parameter]:
	def target():
		pass

	for decorate in reversed(decorators):
		target = decorate(target)
	return list(reversed(target.__click_params__))


def build(command: Command, callback: Callable, extra: tuple[Callable, ...] = ()) -> click.Command:
	"""A click command of `command`'s parameters (then `extra`, the builder's own) calling
	`callback(command, values)`; `callback` may be wrapped (bench's pass_context) before."""
	for decorate in reversed((*command.params, *extra)):
		callback = decorate(callback)
	return click.command(command.name, help=command.help)(callback)


def run(command: Command, p: SimpleNamespace, open_site: Callable) -> None:
	"""Run `command` with its parameters `p`, print the result, exit with its code; a StackError
	becomes a clean message and exit 1. `open_site(name)`: a context manager opening the site of
	that name, or the command's own site for None (the one thing the builders do differently)."""
	site_name = None
	try:
		if command.site == "own":
			with open_site(None) as site:
				result = command.work(site, p)
				site_name = site.site_name()
		elif command.site:
			result = command.work(open_site, p)
		else:
			result = command.work(p)
	except StackError as e:
		fail(p.as_json, e)
	command.show(result, site_name, p)
	code = command.exit_code(result)
	if code is not None:
		sys.exit(code)


def _doc_keys(values: tuple[str, ...]) -> list[tuple[str, str]]:
	"""--doc values as keys, refused before any site is opened."""
	keys = []
	for value in values:
		doctype, sep, name = value.partition(":")
		if not sep or not doctype or not name:
			raise click.BadParameter(
				f'{value!r}: write it as DOCTYPE:NAME, e.g. "Custom Field:Contact-beneficiary"'
			)
		keys.append((doctype, name))
	return keys


def _with_site(text: Callable[[Any, str], str]):
	"""Print a result that names its site: {"site": ...} | the result as JSON, else `text`."""
	return lambda result, name, p: emit(p.as_json, {"site": name} | result.as_dict(), text(result, name))


def _as_is(result, name, p) -> None:
	emit(p.as_json, result.as_dict(), result.text())


def _changes(attribute: str) -> Callable[[Any], int]:
	"""2 when `result.<attribute>` is truthy (changes pending, differences, a check failed), else 0."""
	return lambda result: EXIT_CHANGES if getattr(result, attribute) else EXIT_OK


def _export(site, p):
	# a remote site is read-only to the client: the files are written, its ledger learns at next apply
	record = not isinstance(site, RemoteSite)
	return stack.export(site, p.path, p.blueprint, p.docs or None, record=record)


def _status(entries, name, p) -> None:
	emit(
		p.as_json,
		{"site": name, "blueprints": [e.as_dict() for e in entries]},
		render.status_text(entries, name),
	)


def _env_diff(open_site, p):
	facts = []
	for name in (p.a, p.b):  # one open at a time: a bench opens its sites one after the other
		with open_site(name) as site:
			facts.append(site.environment())
	return envinfo.compare(*facts)


def _diagnose(open_site, p):
	with open_site(p.target) as site:
		facts = site.diagnosis()
	return envinfo.diagnose(facts, datetime.now(timezone.utc))


def _init(p):
	from frappe_stack.promote.init import Written, init_repo

	if not p.path:  # only in a bench: the console script's default is the current folder
		raise StackError("say where the config repo goes: --path DIR (bench runs in its sites folder)")
	return Written.of(p.path, init_repo(p.path, p.force))


SHARED = (
	Command(
		"plan",
		"Show what apply would do. Exit 0 nothing to do, 2 changes pending, 1 error.",
		(path_option, json_option),
		"own",
		lambda site, p: stack.make_plan(site, p.path)[0],
		_with_site(render.plan_text),
		_changes("has_changes"),
	),
	Command(
		"status",
		"The ledger: one row per blueprint with its status.",
		(
			click.option(
				"--live",
				is_flag=True,
				help="First mark blueprints whose documents changed on the site Drifted (recorded in a "
				"bench; over a URL only shown)",
			),
			json_option,
		),
		"own",
		lambda site, p: stack.status(site, p.live),
		_status,
	),
	Command(
		"export",
		"Write the site's customizations as canonical blueprint files (over a URL the site's ledger is "
		"not touched).",
		(
			path_option,
			click.option(
				"--blueprint",
				help="Put new customizations in this blueprint (default: one per DocType they customize)",
			),
			click.option(
				"--doc",
				"docs",
				multiple=True,
				metavar="DOCTYPE:NAME",
				help="Export only these documents",
				callback=lambda context, param, values: _doc_keys(values),
			),
			json_option,
		),
		"own",
		_export,
		_with_site(render.export_text),
	),
	Command(
		"diff",
		"Repo vs ledger vs site. Exit 0 clean, 2 differences, 1 error.",
		(path_option, ref_option, json_option),
		"own",
		lambda site, p: stack.diff(site, p.path, p.ref),
		_as_is,
		lambda result: EXIT_OK if result.is_clean else EXIT_CHANGES,
	),
	Command(
		"review",
		"Rules over the change since a base ref, with the site's rows for the data-impact rules. "
		"Exit 2 when any CRITICAL or HIGH, else 0; 1 on an error.",
		(
			path_option,
			since_option,
			click.option("--blueprint", help="Review only this blueprint"),
			click.option(
				"--sarif", "as_sarif", is_flag=True, help="SARIF 2.1.0 output, for GitHub code scanning"
			),
			json_option,
		),
		"own",
		lambda site, p: stack.review(site, p.path, p.since, p.blueprint),
		lambda result, name, p: emit_review(*result, p.as_json, p.as_sarif),
		lambda result: result[0].exit_code,
	),
	Command(
		"env-diff",
		"Two sites side by side: versions, commits, runtime, scheduler, site config (no secrets), "
		"domains, certificates. A and B: http(s) URLs; in a bench also its sites, outside one the "
		"environments of frappe-stack.toml (in --path). Exit 0 same, 2 different, 1 error.",
		(click.argument("a"), click.argument("b"), json_option),
		"named",
		_env_diff,
		_as_is,
		_changes("differences"),
	),
	Command(
		"diagnose",
		"A site's health: reachable, scheduler, queues, stuck jobs, errors in the last hour, maintenance "
		"mode, certificates. TARGET: an http(s) URL; in a bench also one of its sites, outside one an "
		"environment of frappe-stack.toml; without it the command's site (--site in a bench, --url or "
		"--env outside). Exit 0 healthy, 2 when a check fails, 1 error.",
		(click.argument("target", required=False), json_option),
		"named or own",
		_diagnose,
		_as_is,
		_changes("failed"),
	),
	Command(
		"init",
		"Write a new config repo's frappe-stack.toml and GitHub Actions workflows, ready to commit.",
		(
			click.option(
				"--path",
				help="The new config repo's folder; default: the current folder, except in a bench "
				"(it runs in its sites folder, so say which)",
			),
			click.option("--force", is_flag=True, help="Overwrite the files when they exist"),
			json_option,
		),
		None,
		_init,
		_as_is,
	),
)
