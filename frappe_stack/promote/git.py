"""The git steps of promote and ship on the config repo, through frappe_stack.git_command: every
failure is a StackError of one line with the repo, what failed, git's own words and the fix, and no
credentials. Pushes name their refspec without `+`, so nothing is ever force-pushed."""

import fnmatch
import tempfile
from collections.abc import Iterable
from pathlib import Path

from frappe_stack.errors import StackError
from frappe_stack.git_command import NETWORK_TIMEOUT, failure, git, run, scrub
from frappe_stack.promote.semver import latest

LISTED_FILES = 10


NOT_A_CHECKOUT = "run it in a clone of the config repo with at least one commit"


def head_sha(repo: Path) -> str:
	return git(
		repo, "rev-parse", "--verify", "HEAD", what="no commit checked out", fix=NOT_A_CHECKOUT
	).strip()


def current_branch(repo: Path) -> str | None:
	"""The branch checked out, None when HEAD is detached."""
	done = run(repo, "symbolic-ref", "--quiet", "--short", "HEAD")
	if done.returncode == 1:  # --quiet: 1 means detached, anything else is an error
		return None
	if done.returncode != 0:
		raise failure(repo, "cannot read the current branch", NOT_A_CHECKOUT, done.stderr)
	return done.stdout.strip()


def ensure_clean(repo: Path) -> None:
	"""Refuse a checkout with changes not committed, untracked files included (ignored ones not)."""
	status = git(
		repo,
		"status",
		"--porcelain=v1",
		"-z",
		"--untracked-files=all",
		what="cannot read git status",
		fix=NOT_A_CHECKOUT,
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
	git(
		repo,
		"fetch",
		"--quiet",
		"--tags",
		remote,
		f"+refs/heads/{branch}:{tracking}",
		what=f"git fetch of {branch} from {remote} failed",
		fix=f"check the branch exists on {remote} and that its URL and credentials work (git remote -v); "
		"for a tag that would be clobbered, delete the local one (git tag --delete TAG)",
		timeout=NETWORK_TIMEOUT,
	)
	if git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False) is None:
		raise StackError(f"{repo} has no local branch {branch}; fix: git switch {branch}")
	counts = git(
		repo,
		"rev-list",
		"--left-right",
		"--count",
		f"refs/heads/{branch}...{tracking}",
		what=f"cannot compare {branch} with {remote}/{branch}",
		fix=NOT_A_CHECKOUT,
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


def identity_refusal(repo: Path) -> str | None:
	"""Why git cannot commit here for want of an author or committer (user.name, user.email), asked
	as git commit asks it; None when it can."""
	for who in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
		if run(repo, "var", who).returncode != 0:
			return (
				f"{repo}: git has no identity to commit with (user.name and user.email); fix: "
				f'git -C {repo} config user.name "Your Name" && git -C {repo} config user.email you@example.com'
			)
	return None


def last_version_tag(repo: Path) -> str | None:
	"""The tag of the highest semantic version, None before the first release."""
	tags = git(repo, "tag", "--list", what="cannot list tags", fix=NOT_A_CHECKOUT)
	return latest(tags.split())


def create_branch(repo: Path, name: str, base: str) -> None:
	"""Create branch `name` at `base` and switch to it; changes in the working tree come along."""
	_valid_ref(repo, "heads", name)
	# resolved to a sha first, so the base reaches git switch as a commit, never as an option
	fix = "pass a branch, tag or commit that exists (fetch it first if it is remote)"
	if base.startswith("-"):
		raise StackError(f"{repo}: unknown base '{base}'; fix: {fix}")
	sha = git(
		repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", what=f"unknown base '{base}'", fix=fix
	)
	git(
		repo,
		"switch",
		"--no-track",
		"--create",
		name,
		sha.strip(),
		what=f"cannot create branch {name}",
		fix=f"pick another name, or switch to the existing one with git switch {name}",
	)


def commit_paths(
	repo: Path, paths: Iterable[str | Path], message: str, author: str | None = None
) -> str | None:
	"""Commit exactly `paths` (new, changed and deleted files under them), whatever else is staged.
	The new commit's sha, or None when they hold no change. `author`: "Name <email>"."""
	paths = [str(path) for path in paths]
	git(repo, "add", "--all", "--", *paths, fix="pass paths inside the config repo")
	staged = run(repo, "diff", "--cached", "--quiet", "--", *paths)
	if staged.returncode == 0:
		return None
	if staged.returncode != 1:
		raise failure(repo, "cannot compare the paths with HEAD", NOT_A_CHECKOUT, staged.stderr)
	author_args = [f"--author={author}"] if author else []
	git(
		repo,
		# whitespace, whatever commit.cleanup says: strip would drop Markdown "### Added" lines as comments
		*["commit", "--quiet", "--cleanup=whitespace", f"--message={message}", *author_args, "--", *paths],
		fix="set the committer with git config user.name and user.email, or fix what the hook reports",
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
	git(
		repo,
		"push",
		"--quiet",
		remote,
		f"refs/heads/{branch}:refs/heads/{branch}",
		what=f"git push of {branch} to {remote} failed",
		fix=f"if {remote} has commits this branch lacks, fetch and rebase onto them (frappe_stack never "
		"force-pushes); else check the remote's URL and credentials (git remote -v)",
		timeout=NETWORK_TIMEOUT,
	)


def annotated_tag(repo: Path, tag: str, message: str) -> None:
	"""An annotated tag on HEAD."""
	_valid_ref(repo, "tags", tag)
	git(
		repo,
		# whitespace, not git's default strip (see commit_paths)
		*["tag", "--annotate", "--cleanup=whitespace", f"--message={message}", tag, "HEAD"],
		what=f"cannot create tag {tag}",
		fix="pick a version that is not tagged yet",
	)


def push_tag(repo: Path, remote: str, tag: str) -> None:
	git(
		repo,
		"push",
		"--quiet",
		remote,
		f"refs/tags/{tag}:refs/tags/{tag}",
		what=f"git push of tag {tag} to {remote} failed",
		fix=f"if {remote} already has {tag}, ship a greater version; else check the remote's URL and "
		"credentials (git remote -v)",
		timeout=NETWORK_TIMEOUT,
	)


def _valid_ref(repo: Path, kind: str, name: str) -> None:
	"""Refuse a branch (`kind` heads) or tag (tags) name git would refuse, or read as an option."""
	if name.startswith("-") or git(repo, "check-ref-format", f"refs/{kind}/{name}", check=False) is None:
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
		git(
			repo,
			*["worktree", "add", "--quiet", "-b", branch, str(tree), commit],
			what=f"cannot create branch {branch} at {commit[:12]}",
			fix=f"delete an old branch of that name (git branch -D {branch}) or pick another",
		)
		try:
			parents = git(
				tree,
				*["rev-list", "--parents", "-n", "1", commit],
				what="cannot read the commit",
				fix=NOT_A_CHECKOUT,
			)
			mainline = ["-m", "1"] if len(parents.split()) > 2 else []
			git(
				tree,
				*["revert", "--no-edit", *mainline, commit],
				what=f"git revert of {commit[:12]} failed",
				fix="revert it by hand and open the pull request yourself",
			)
			return head_sha(tree)
		finally:
			# the branch and the commit are made; a worktree left behind only takes disk space
			run(repo, "worktree", "remove", "--force", str(tree))
