"""Where blueprints come from: `--path`, else the site config key `frappe_stack_blueprints`;
plus every installed app that declares `frappe_stack_blueprints = "<folder>"` in its hooks."""

import os
import subprocess
from pathlib import Path

from frappe_stack.blueprint.loader import Source
from frappe_stack.errors import StackError


def resolve_sources(site, path: str | None = None) -> list[Source]:
	sources = []
	primary = path or site.configured_source()
	if primary:
		sources.append(Source(Path(primary)))
	sources += [Source(Path(folder), f"{app}:") for app, folder in site.app_sources()]
	return sources


def git_commit(directory: Path) -> str | None:
	"""HEAD of the git checkout holding `directory`, when it is one."""
	head = run_git(directory, "rev-parse", "HEAD", timeout=10)
	return head.strip() if head else None


def git_branch(directory: Path) -> str | None:
	"""The branch checked out where `directory` is, None when detached or not a checkout."""
	name = run_git(directory, "rev-parse", "--abbrev-ref", "HEAD", timeout=10)
	name = name.strip() if name else None
	return None if name == "HEAD" else name


def run_git(directory: Path, *args: str, timeout: float = 30) -> str | None:
	"""stdout of `git -C directory args`, or None when git fails or is missing."""
	try:
		done = git_process(directory, *args, timeout=timeout)
	except (OSError, subprocess.TimeoutExpired):
		return None
	return done.stdout if done.returncode == 0 else None


def in_git(directory: Path) -> bool:
	return run_git(directory, "rev-parse", "--verify", "--quiet", "HEAD") is not None


def repo_label(directory: Path, ref: str | None = None) -> str:
	"""`branch@sha` of the checkout holding `directory` (or `ref@sha`), else the folder itself."""
	sha = run_git(directory, "rev-parse", "--short", ref or "HEAD")
	if sha is None:
		return str(directory)
	name = ref or (run_git(directory, "rev-parse", "--abbrev-ref", "HEAD") or "HEAD").strip()
	return f"{name}@{sha.strip()}"


def blueprints_at(source: Source, ref: str, into: Path) -> Source:
	"""The blueprint files as they are at git `ref` of the config repo, copied under `into`."""
	folder = source.blueprint_dir.resolve()
	top = run_git(folder, "rev-parse", "--show-toplevel")
	if top is None:
		raise StackError(f"{folder} is not in a git checkout, so --ref {ref} cannot be read")
	if run_git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is None:
		raise StackError(
			f"unknown git ref '{ref}' in {top.strip()}; fix: pass a branch, tag or commit that exists"
		)
	root = Path(top.strip())
	inside = folder.relative_to(root).as_posix()
	target = into / "blueprints"
	target.mkdir(parents=True)
	# paths given to ls-tree are relative to the working directory, so ask from the repo root
	listing = run_git(root, "ls-tree", "--name-only", ref, f"{inside}/") or ""
	for path in listing.splitlines():
		if path.endswith(".json"):
			(target / Path(path).name).write_text(
				run_git(root, "show", f"{ref}:{path}") or "", encoding="utf-8"
			)
	return Source(into, source.label)


def git_process(directory: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
	"""`git -C directory args` whatever its exit code, for callers that need git's stderr. Raises
	OSError when git is missing and TimeoutExpired after `timeout` seconds."""
	# git must never wait for a password on the terminal: it would hang until the timeout
	env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
	return subprocess.run(
		["git", "-C", str(directory), *args],
		capture_output=True,
		text=True,
		timeout=timeout,
		check=False,
		env=env,
	)
