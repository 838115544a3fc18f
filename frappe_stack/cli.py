"""`frappe-stack`, installed with the package: the read-only commands of command_table (diff, plan,
status, export, env-diff, diagnose, review) against a site URL, outside any bench, and `init` for a
new config repo. A site is a URL (`--url`) or an environment of frappe-stack.toml (`--env`, in
--path); keys come from FRAPPE_STACK_API_KEY/SECRET."""

import os
from contextlib import contextmanager
from types import SimpleNamespace

import click

from frappe_stack.command_table import SHARED, Command, build, param_names, path_option, run
from frappe_stack.config import environment
from frappe_stack.errors import StackError
from frappe_stack.remote import RemoteSite

# how the console script reaches a command's own site, in place of bench's --site
REACH = (
	click.option("--url", help="The site's URL, e.g. https://staging.example.com"),
	click.option("--env", "env_name", help="An environment of frappe-stack.toml (in --path)"),
	click.option("--site-name", help="Frappe site name, when the URL's host is not it"),
)
REACH_NAMES = ("url", "env_name", "site_name")
# without a bench there is no site config naming the config repo: it is the current folder
DEFAULT_PATH = "."


@click.group("frappe-stack")
def main():
	"""frappe_stack against a remote site (read-only). In a bench: `bench --site S frappe-stack ...`."""


def remote_site(url: str | None, env_name: str | None, site_name: str | None, path: str) -> RemoteSite:
	if env_name:
		env = environment(path, env_name)
		url, site_name = env["url"], site_name or env["site_name"]
	if not url:
		raise StackError("say which site: --url https://... or --env NAME")
	return RemoteSite(
		url,
		os.environ.get("FRAPPE_STACK_API_KEY", ""),
		os.environ.get("FRAPPE_STACK_API_SECRET", ""),
		site_name,
	)


def _url_or_env(target: str) -> tuple[str | None, str | None]:
	return (target, None) if target.startswith(("http://", "https://")) else (None, target)


def _run(command: Command, values: dict) -> None:
	reach = {name: values.pop(name, None) for name in REACH_NAMES}
	path = values.pop("path", None) or DEFAULT_PATH
	if "path" in param_names(command):
		values["path"] = path

	@contextmanager
	def open_site(name: str | None):
		url, env_name = _url_or_env(name) if name else (reach["url"], reach["env_name"])
		yield remote_site(url, env_name, reach["site_name"], path)

	run(command, SimpleNamespace(**values), open_site)


def _extra(command: Command) -> tuple:
	"""The options that reach a site: --url, --env, --site-name where the command has a site of its
	own, and --path for the environments' file where the command does not declare it."""
	extra = REACH if command.reaches_own_site else ()
	if command.site and "path" not in param_names(command):
		extra = (path_option, *extra)
	return extra


for shared in SHARED:
	main.add_command(build(shared, lambda shared=shared, **values: _run(shared, values), _extra(shared)))


if __name__ == "__main__":
	main()
