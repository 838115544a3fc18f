"""Where "the change" starts when no `--since` is given: the merge base of HEAD with the base
branch's remote head (`origin/main` by default), i.e. everything this branch adds, committed or
not. HEAD alone would make a PM who commits after `export` review, smoke and check nothing."""

from dataclasses import dataclass
from pathlib import Path

from frappe_stack.config import load_settings
from frappe_stack.git_command import git


@dataclass(frozen=True)
class ChangeBase:
	ref: str | None  # a commit, or None: no git, every document is new
	label: str  # what the user reads: "merge base with origin/main (1a2b3c4d5e6f)"


def default_base(directory: Path, remote: str, base_branch: str) -> ChangeBase:
	if git(directory, "rev-parse", "--verify", "--quiet", "HEAD", check=False) is None:
		return ChangeBase(None, "nothing (the config repo is not in git: every document is new)")
	for upstream in (f"refs/remotes/{remote}/{base_branch}", f"refs/heads/{base_branch}"):
		if git(directory, "rev-parse", "--verify", "--quiet", upstream, check=False) is None:
			continue
		base = git(directory, "merge-base", "HEAD", upstream, check=False)  # None: no common history
		if base:
			name = upstream.removeprefix("refs/remotes/").removeprefix("refs/heads/")
			return ChangeBase(base.strip(), f"merge base with {name} ({base.strip()[:12]})")
	head = git(directory, "rev-parse", "HEAD").strip()
	return ChangeBase(
		head, f"HEAD ({head[:12]}): neither {remote}/{base_branch} nor {base_branch} exists to start from"
	)


def change_start(blueprint_dir: Path) -> ChangeBase:
	"""The default base of the config repo holding `blueprint_dir`, per its [git] settings."""
	settings = load_settings(blueprint_dir.parent)
	return default_base(blueprint_dir, settings.remote, settings.base_branch)


def nothing_to_examine(label: str) -> str:
	"""The one line a review, smoke or check prints when the change since its base is empty."""
	return f"nothing to examine: no blueprint changed since {label}"
