"""After a deploy is rolled back: the `revert/<ID>` branch that undoes its commit, pushed, and its
pull request opened on GitHub, or, without GitHub, the exact command that opens it. Nothing ever
names a pull request that was not opened."""

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from frappe_stack import git_command
from frappe_stack.config import Settings
from frappe_stack.errors import StackError
from frappe_stack.promote import git
from frappe_stack.promote.github import GitHub

# git@github.com:owner/repo.git, https://github.com/owner/repo(.git), ssh://git@github.com/owner/repo
GITHUB_REMOTE = re.compile(r"github\.com[:/](?P<repo>[^/\s]+/[^/\s]+?)(?:\.git)?/?$")


@dataclass
class Revert:
	branch: str = ""  # pushed; "" when it could not be
	pull_url: str = ""  # the pull request opened; "" when none was
	howto: str = ""  # how to open the pull request (or revert by hand) when none was opened
	note: str = ""  # for the Promotion's journal


def open_revert(
	root: Path, settings: Settings, token: str | None, promotion: str, commit: str, title: str, body: str
) -> Revert:
	branch = f"revert/{promotion}"
	try:
		git.revert_branch(root, branch, commit)
		git.push(root, settings.remote, branch, protected=[settings.base_branch, *settings.protected])
	except StackError as e:
		howto = (
			f"revert {commit[:12]} by hand on a branch of {settings.base_branch} and open its pull request"
		)
		return Revert(howto=howto, note=f"revert branch not pushed: {e}")
	if not (settings.github_repo and token):
		howto = open_pull_howto(branch, settings.base_branch, title, remote_web(root, settings))
		return Revert(
			branch, howto=howto, note=f"{branch} pushed; no pull request opened (no GitHub): {howto}"
		)
	try:
		pull = GitHub(settings.github_repo, token, settings.github_api).open_revert_pull(
			branch, settings.base_branch, title, body, ["promotion", "revert"]
		)
	except StackError as e:
		howto = open_pull_howto(branch, settings.base_branch, title, remote_web(root, settings))
		return Revert(branch, howto=howto, note=f"revert pull request not opened: {e}")
	return Revert(branch, pull.url, note=f"revert pull request #{pull.number}")


def open_pull_howto(branch: str, base: str, title: str, web: str | None) -> str:
	"""The command that opens the revert pull request, and the page that does when the remote is on GitHub."""
	command = f"gh pr create --base {base} --head {branch} --title {shlex.quote(title)} --fill"
	return command + (f" (or open {web}/compare/{base}...{branch}?expand=1)" if web else "")


def remote_web(root: Path, settings: Settings) -> str | None:
	"""https://github.com/OWNER/REPO when the remote is a GitHub address; None otherwise."""
	url = git_command.git(root, "remote", "get-url", settings.remote, check=False) or ""
	found = GITHUB_REMOTE.search(git_command.scrub(url.strip()))
	return f"https://github.com/{found['repo']}" if found else None
