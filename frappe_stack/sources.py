"""Where blueprints come from: `--path`, else the site config key `frappe_stack_blueprints`;
plus every installed app that declares `frappe_stack_blueprints = "<folder>"` in its hooks."""

import subprocess
from pathlib import Path

from frappe_stack.blueprint.loader import Source


def resolve_sources(site, path: str | None = None) -> list[Source]:
	sources = []
	primary = path or site.configured_source()
	if primary:
		sources.append(Source(Path(primary)))
	sources += [Source(Path(folder), f"{app}:") for app, folder in site.app_sources()]
	return sources


def git_commit(directory: Path) -> str | None:
	"""HEAD of the git checkout holding `directory`, when it is one."""
	try:
		done = subprocess.run(
			["git", "-C", str(directory), "rev-parse", "HEAD"],
			capture_output=True,
			text=True,
			timeout=10,
			check=False,
		)
	except (OSError, subprocess.TimeoutExpired):
		return None
	return done.stdout.strip() if done.returncode == 0 else None
