"""Promote commits on a promote/ branch and then puts the PM's checkout back on the branch it was on,
so that the next `git pull` or export happens where the PM left it. Running promote again from the
base branch carries the working tree's blueprints onto the promotion's existing branch, even where
the base branch holds other versions of those files."""

from pathlib import Path

from frappe_stack.errors import StackError
from frappe_stack.git_command import git
from frappe_stack.promote.git import create_branch, current_branch


def switch_to(root: Path, branch: str, base: str, carried: str) -> None:
	"""Put the checkout on `branch` (created at `base` when it does not exist) with the working
	tree's files under `carried` (a folder of `root`) as they are now."""
	if git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False) is None:
		create_branch(root, branch, base)  # git carries the working tree along
		return
	folder = root / carried
	wanted = _files(folder)
	# git refuses to switch over local changes to files the branches hold differently: set them
	# aside, switch, and lay them down again (and put them back if the switch fails)
	git(root, "checkout", "--quiet", "HEAD", "--", carried, check=False)  # None: HEAD has no such folder
	git(root, "clean", "--quiet", "--force", "--", carried)
	try:
		git(
			root,
			"switch",
			"--quiet",
			branch,
			what=f"cannot switch to {branch}",
			fix=f"commit or stash the changes outside {carried}/, then run promote again",
		)
	finally:
		_lay_down(folder, wanted)


def return_to(root: Path, start: str | None, quiet: bool = False) -> str | None:
	"""Back to `start`, the branch the checkout was on before promote; a note saying so, None when
	it never left. `quiet`: promote failed already, its error says more than one about this."""
	now = current_branch(root)
	if start is None or now == start:
		return None
	try:
		git(
			root,
			"switch",
			"--quiet",
			start,
			what=f"cannot switch back to {start}",
			fix=f"commit or stash what is left on {now}, then git switch {start}",
		)
	except StackError:
		if quiet:
			return None
		raise
	return (
		f"the checkout is back on {start}; the change is committed on {now} (git switch {now} to continue it)"
	)


def keep(root: Path, path: Path) -> Path:
	"""A copy of `path` (a file of the promote branch) in the repository's git folder, where switching
	branches leaves it: the PR body stays readable once the checkout is back on the base branch."""
	kept = Path(
		git(root, "rev-parse", "--path-format=absolute", "--git-path", f"frappe_stack/{path.name}").strip()
	)
	kept.parent.mkdir(parents=True, exist_ok=True)
	kept.write_bytes(path.read_bytes())
	return kept


def _files(folder: Path) -> dict[Path, bytes]:
	return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _lay_down(folder: Path, files: dict[Path, bytes]) -> None:
	"""Make `folder` hold exactly `files`."""
	for path in [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []:
		if path.relative_to(folder) not in files:
			path.unlink()
	for relative, content in files.items():
		(folder / relative).parent.mkdir(parents=True, exist_ok=True)
		(folder / relative).write_bytes(content)
