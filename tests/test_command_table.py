"""`bench frappe-stack` and the `frappe-stack` console script are built from one command table: the
commands they share have the same parameters with the same defaults, and differ only in how a site is
reached. The bench group imports Frappe; here Frappe and the site adapter are stand-ins, which is
enough to build the click commands and look at them."""

import ast
import importlib
import importlib.abc
import importlib.machinery
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import click
import pytest
from click.testing import CliRunner

from frappe_stack import cli, command_table
from frappe_stack.exit_codes import EXIT_CHANGES, EXIT_OK
from frappe_stack.review.findings import HIGH, LOW, Finding, Report

PACKAGE = Path(command_table.__file__).parent
STAND_INS = ("frappe", "frappe_stack.site")  # with everything below them


class StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
	"""Modules of mocks for Frappe and the site adapter; bench's pass_context and get_site as Frappe
	has them, minus the profiling."""

	def find_spec(self, name, path, target=None):
		if any(name == top or name.startswith(top + ".") for top in STAND_INS):
			return importlib.machinery.ModuleSpec(name, self, is_package=True)
		return None

	def create_module(self, spec):
		module = mock.MagicMock(name=spec.name)
		module.__path__, module.__spec__ = [], spec
		if spec.name == "frappe.commands":
			module.pass_context = lambda f: click.pass_context(
				lambda ctx, *a, **kw: f(SimpleNamespace(**ctx.obj), *a, **kw)
			)
			module.get_site = lambda context: context.sites[0]
		return module

	def exec_module(self, module):
		pass


@pytest.fixture(scope="module")
def bench_group():
	saved, package = dict(sys.modules), dict(vars(sys.modules["frappe_stack"]))
	finder = StandIns()
	sys.meta_path.insert(0, finder)
	try:
		yield importlib.import_module("frappe_stack.commands").frappe_stack
	finally:
		# no stand-in outlives these tests: a later test that imports frappe gets an ImportError again
		sys.meta_path.remove(finder)
		for name in set(sys.modules) - set(saved):
			del sys.modules[name]
		for name in set(vars(sys.modules["frappe_stack"])) - set(package):
			delattr(sys.modules["frappe_stack"], name)


def described(param: click.Parameter) -> dict:
	"""Everything about a parameter a user sees or gets."""
	return {
		"kind": type(param).__name__,
		"opts": param.opts,
		"secondary": param.secondary_opts,
		"default": param.default,
		"required": param.required,
		"multiple": param.multiple,
		"nargs": param.nargs,
		"type": repr(param.type),
		"flag": getattr(param, "is_flag", None),
		"help": getattr(param, "help", None),
		"metavar": param.metavar,
	}


def params(command: click.Command) -> dict[str, dict]:
	return {param.name: described(param) for param in command.params}


def declared(shared: command_table.Command) -> dict[str, dict]:
	return {param.name: described(param) for param in command_table.click_params(shared.params)}


def test_both_groups_have_every_shared_command(bench_group):
	names = {shared.name for shared in command_table.SHARED}
	assert names == {"plan", "status", "export", "diff", "review", "env-diff", "diagnose", "init"}
	assert names <= set(bench_group.commands)
	assert names == set(cli.main.commands)


@pytest.mark.parametrize("shared", command_table.SHARED, ids=lambda shared: shared.name)
def test_a_shared_command_has_the_same_parameters_and_help_in_both(bench_group, shared):
	bench, console = bench_group.commands[shared.name], cli.main.commands[shared.name]
	assert params(bench) == declared(shared)
	assert bench.help == console.help == shared.help
	# the console script adds only what reaches a site without a bench
	mine = params(console)
	assert {name: mine[name] for name in declared(shared)} == declared(shared)
	reach = set(mine) - set(declared(shared))
	if shared.reaches_own_site:
		assert reach == {"url", "env_name", "site_name"} | ({"path"} - set(declared(shared)))
	elif shared.site:
		assert reach == {"path"}
	else:
		assert reach == set()


def test_path_has_no_default_anywhere_each_builder_says_what_none_means(bench_group):
	"""The bench reads the site config, the console script the current folder."""
	for group in (bench_group, cli.main):
		for command in group.commands.values():
			if any(param.name == "path" for param in command.params):
				given = command.make_context(command.name, [], resilient_parsing=True).params
				assert given["path"] is None, f"{group.name} {command.name}"


@pytest.mark.parametrize("name", ["path", "as_json", "since"])
def test_the_bench_only_commands_declare_an_option_the_way_the_table_does(bench_group, name):
	option = {
		"path": command_table.path_option,
		"as_json": command_table.json_option,
		"since": command_table.since_option,
	}[name]
	(expected,) = [described(p) for p in command_table.click_params((option,))]
	shared = {shared.name for shared in command_table.SHARED}
	users = 0
	for command in bench_group.commands.values():
		for param in command.params:
			# init's --path is the folder of a new config repo, not one to read
			if param.name == name and not (command.name == "init" and name == "path"):
				assert described(param) == expected, command.name
				users += command.name not in shared
	assert users >= 3


def test_init_writes_into_the_current_folder_outside_a_bench_and_asks_for_a_folder_in_one(
	bench_group, tmp_path, monkeypatch
):
	monkeypatch.chdir(tmp_path)
	done = CliRunner().invoke(cli.main, ["init", "--json"])
	assert done.exit_code == 0, done.output
	assert (tmp_path / "frappe-stack.toml").is_file()
	refused = CliRunner().invoke(bench_group, ["init"], obj={"sites": []})
	assert refused.exit_code == 1
	assert "say where the config repo goes: --path DIR" in refused.output


def finding(severity: str) -> Finding:
	return Finding("R1", severity, "bp", "blueprints/bp.json", "Role", "r", "$", "why", "fix")


def test_review_has_one_exit_code_the_reports():
	review = next(shared for shared in command_table.SHARED if shared.name == "review")
	assert review.exit_code((Report([finding(HIGH)]), PACKAGE)) == EXIT_CHANGES
	assert review.exit_code((Report([finding(LOW)]), PACKAGE)) == EXIT_OK


def test_exit_codes_are_defined_in_one_module():
	defined = []
	for file in PACKAGE.rglob("*.py"):
		if "tests" in file.relative_to(PACKAGE).parts:
			continue
		for node in ast.walk(ast.parse(file.read_text())):
			targets = node.targets if isinstance(node, ast.Assign) else []
			names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
			defined += [(file.name, name) for name in names if name.startswith("EXIT_")]
	assert {file for file, _ in defined} == {"exit_codes.py"}
