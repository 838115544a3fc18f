"""The git steps of promote and ship on the config repo, through real git with argument lists.

Every failure is a StackError of one line: the repo, what failed, git's own words and the fix.
Remote URLs can carry credentials (`https://user:token@host/...`); they are cut out of every
message. Pushes name their refspec without `+`, so nothing is ever force-pushed."""

import fnmatch
import re
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from frappe_stack.errors import StackError
from frappe_stack.promote.semver import latest
from frappe_stack.sources import git_process

LOCAL_TIMEOUT = 30
NETWORK_TIMEOUT = 120
CREDENTIALS = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")
LISTED_FILES = 10


def scrub(text: str) -> str:
	"""`text` without the user and password of any URL in it."""
	return CREDENTIALS.sub(r"\1", text)


def _fail(repo: Path, what: str, fix: str, stderr: str = "") -> StackError:
	# git's hints repeat generic advice; the fix says what to do here
	said = [line.strip() for line in stderr.splitlines() if line.strip() and not line.startswith("hint:")]
	detail = f": {'; '.join(said)}" if said else ""
	return StackError(scrub(f"{repo}: {what}{detail}; fix: {fix}"))


def _run(repo: Path, args: Sequence[str], timeout: float = LOCAL_TIMEOUT) -> subprocess.CompletedProcess:
	try:
		return git_process(repo, *args, timeout=timeout)
	except OSError:
		raise _fail(repo, f"cannot run git {args[0]}", "install git and put it on PATH") from None
	except subprocess.TimeoutExpired:
		raise _fail(
			repo,
			f"git {args[0]} did not finish in {timeout:g}s",
			"check that the remote answers (git remote -v) and no other git command holds the repo, then run again",
		) from None


def _git(repo: Path, args: Sequence[str], what: str, fix: str, timeout: float = LOCAL_TIMEOUT) -> str:
	"""stdout of git `args`; on failure a StackError saying `what` failed and the `fix`."""
	done = _run(repo, args, timeout)
	if done.returncode != 0:
		raise _fail(repo, what, fix, done.stderr)
	return done.stdout


NOT_A_CHECKOUT = "run it in a clone of the config repo with at least one commit"


def head_sha(repo: Path) -> str:
	return _git(repo, ["rev-parse", "--verify", "HEAD"], "no commit checked out", NOT_A_CHECKOUT).strip()


def current_branch(repo: Path) -> str | None:
	"""The branch checked out, None when HEAD is detached."""
	done = _run(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"])
	if done.returncode == 1:  # --quiet: 1 means detached, anything else is an error
		return None
	if done.returncode != 0:
		raise _fail(repo, "cannot read the current branch", NOT_A_CHECKOUT, done.stderr)
	return done.stdout.strip()


def ensure_clean(repo: Path) -> None:
	"""Refuse a checkout with changes not committed, untracked files included (ignored ones not)."""
	status = _git(
		repo,
		["status", "--porcelain=v1", "-z", "--untracked-files=all"],
		"cannot read git status",
		NOT_A_CHECKOUT,
	)
	changed = []
	fields = iter(status.split("\0"))
	for field in fields:
		if field:
			changed.append(field[3:])
			if field[0] in "RC":  # a rename or copy is followed by its original path
				next(fields, None)
	if changed:
		shown = ", ".join(changed[:LISTED_FILES])
		more = f" and {len(changed) - LISTED_FILES} more" if len(changed) > LISTED_FILES else ""
		raise StackError(
			f"{repo} has changes not committed: {shown}{more}; fix: commit them, or put them aside "
			"with git stash --include-untracked, then run again"
		)


def ensure_up_to_date(repo: Path, remote: str, branch: str) -> None:
	"""Fetch `remote`, then refuse when the local `branch` is behind, ahead of or diverged from it."""
	tracking = f"refs/remotes/{remote}/{branch}"
	# tags too, so that last_version_tag sees releases shipped from another clone
	_git(
		repo,
		["fetch", "--quiet", "--tags", remote, f"+refs/heads/{branch}:{tracking}"],
		f"git fetch of {branch} from {remote} failed",
		f"check the branch exists on {remote} and that its URL and credentials work (git remote -v); "
		"for a tag that would be clobbered, delete the local one (git tag --delete TAG)",
		NETWORK_TIMEOUT,
	)
	if _run(repo, ["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"]).returncode != 0:
		raise StackError(f"{repo} has no local branch {branch}; fix: git switch {branch}")
	counts = _git(
		repo,
		["rev-list", "--left-right", "--count", f"refs/heads/{branch}...{tracking}"],
		f"cannot compare {branch} with {remote}/{branch}",
		NOT_A_CHECKOUT,
	)
	ahead, behind = map(int, counts.split())
	theirs = f"{remote}/{branch}"
	if ahead and behind:
		problem = f"{branch} and {theirs} have diverged ({ahead} commit(s) only here, {behind} only there)"
		fix = f"git pull --rebase {remote} {branch}, or reset {branch} to {theirs}"
	elif behind:
		problem = f"{branch} is {behind} commit(s) behind {theirs}"
		fix = f"git pull --ff-only {remote} {branch}"
	elif ahead:
		problem = f"{branch} is {ahead} commit(s) ahead of {theirs}, not pushed"
		fix = f"get them onto {theirs} first (push, or merge a pull request), or drop them"
	else:
		return
	raise StackError(scrub(f"{repo}: {problem}; fix: {fix}"))


def last_version_tag(repo: Path) -> str | None:
	"""The tag of the highest semantic version, None before the first release."""
	tags = _git(repo, ["tag", "--list"], "cannot list tags", NOT_A_CHECKOUT)
	return latest(tags.split())


def create_branch(repo: Path, name: str, base: str) -> None:
	"""Create branch `name` at `base` and switch to it; changes in the working tree come along."""
	_valid_ref(repo, "heads", name)
	# resolved to a sha first, so the base reaches git switch as a commit, never as an option
	fix = "pass a branch, tag or commit that exists (fetch it first if it is remote)"
	if base.startswith("-"):
		raise StackError(f"{repo}: unknown base '{base}'; fix: {fix}")
	sha = _git(
		repo, ["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], f"unknown base '{base}'", fix
	)
	_git(
		repo,
		["switch", "--no-track", "--create", name, sha.strip()],
		f"cannot create branch {name}",
		f"pick another name, or switch to the existing one with git switch {name}",
	)


def commit_paths(
	repo: Path, paths: Iterable[str | Path], message: str, author: str | None = None
) -> str | None:
	"""Commit exactly `paths` (new, changed and deleted files under them), whatever else is staged.
	The new commit's sha, or None when they hold no change. `author`: "Name <email>"."""
	paths = [str(path) for path in paths]
	_git(repo, ["add", "--all", "--", *paths], "git add failed", "pass paths inside the config repo")
	staged = _run(repo, ["diff", "--cached", "--quiet", "--", *paths])
	if staged.returncode == 0:
		return None
	if staged.returncode != 1:
		raise _fail(repo, "cannot compare the paths with HEAD", NOT_A_CHECKOUT, staged.stderr)
	author_args = [f"--author={author}"] if author else []
	_git(
		repo,
		# whitespace, whatever commit.cleanup says: strip would drop Markdown "### Added" lines as comments
		["commit", "--quiet", "--cleanup=whitespace", f"--message={message}", *author_args, "--", *paths],
		"git commit failed",
		"set the committer with git config user.name and user.email, or fix what the hook reports",
	)
	return head_sha(repo)


def push(repo: Path, remote: str, branch: str, protected: Iterable[str] = ()) -> None:
	"""Push `branch` to the same name on `remote`, fast-forward only. `protected`: branch names or
	fnmatch patterns (like release/*) that are never pushed to; they change through pull requests."""
	for pattern in protected:
		if fnmatch.fnmatchcase(branch, pattern):
			raise StackError(
				scrub(
					f"{repo}: refusing to push to the protected branch {branch} of {remote}; fix: push a "
					"promote/... branch and merge it through a pull request"
				)
			)
	_git(
		repo,
		["push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}"],
		f"git push of {branch} to {remote} failed",
		f"if {remote} has commits this branch lacks, fetch and rebase onto them (frappe_stack never "
		"force-pushes); else check the remote's URL and credentials (git remote -v)",
		NETWORK_TIMEOUT,
	)


def annotated_tag(repo: Path, tag: str, message: str) -> None:
	"""An annotated tag on HEAD."""
	_valid_ref(repo, "tags", tag)
	_git(
		repo,
		# whitespace, not git's default strip (see commit_paths)
		["tag", "--annotate", "--cleanup=whitespace", f"--message={message}", tag, "HEAD"],
		f"cannot create tag {tag}",
		"pick a version that is not tagged yet",
	)


def push_tag(repo: Path, remote: str, tag: str) -> None:
	_git(
		repo,
		["push", "--quiet", remote, f"refs/tags/{tag}:refs/tags/{tag}"],
		f"git push of tag {tag} to {remote} failed",
		f"if {remote} already has {tag}, ship a greater version; else check the remote's URL and "
		"credentials (git remote -v)",
		NETWORK_TIMEOUT,
	)


def _valid_ref(repo: Path, kind: str, name: str) -> None:
	"""Refuse a branch (`kind` heads) or tag (tags) name git would refuse, or read as an option."""
	if name.startswith("-") or _run(repo, ["check-ref-format", f"refs/{kind}/{name}"]).returncode != 0:
		what = "branch" if kind == "heads" else "tag"
		raise StackError(
			f"{repo}: '{name}' is not a valid {what} name; fix: use letters, digits, '-', '.' and '/', "
			"not starting with '-'"
		)


def revert_branch(repo: Path, branch: str, commit: str) -> str:
	"""Create `branch` at `commit` plus one commit that undoes it (a merge against its first
	parent), in a worktree of its own so the checkout in use stays as it is; the new commit's sha."""
	_valid_ref(repo, "heads", branch)
	with tempfile.TemporaryDirectory(prefix="frappe_stack_revert_") as scratch:
		tree = Path(scratch) / "tree"
		_git(
			repo,
			["worktree", "add", "--quiet", "-b", branch, str(tree), commit],
			f"cannot create branch {branch} at {commit[:12]}",
			f"delete an old branch of that name (git branch -D {branch}) or pick another",
		)
		try:
			parents = _git(
				tree, ["rev-list", "--parents", "-n", "1", commit], "cannot read the commit", NOT_A_CHECKOUT
			)
			mainline = ["-m", "1"] if len(parents.split()) > 2 else []
			_git(
				tree,
				["revert", "--no-edit", *mainline, commit],
				f"git revert of {commit[:12]} failed",
				"revert it by hand and open the pull request yourself",
			)
			return head_sha(tree)
		finally:
			_run(repo, ["worktree", "remove", "--force", str(tree)])
