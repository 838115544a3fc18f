"""`deploy --promotion ID` deploys what was approved: the checkout must be the promotion's merge
commit, the last commit on HEAD's first-parent line (the base branch's own history) that changed its
manifest, promotions/ID.json. A merge, a squash and a rebase each put that commit there; a commit
after it is something nobody approved with this promotion."""

from pathlib import Path

from frappe_stack import git_command


def merge_commit(root: Path, manifest: str) -> str | None:
	"""The commit that brought `manifest` (a path relative to `root`) into HEAD's first-parent line;
	None when HEAD's history holds no such file."""
	found = git_command.git(
		root, "log", "--first-parent", "-1", "--format=%H", "HEAD", "--", manifest, check=False
	)
	return (found or "").strip() or None


def past_merge_refusal(promotion: str, head: str, merged: str | None) -> str | None:
	"""Why HEAD may not deploy `promotion`, or None when it is the promotion's merge commit."""
	if merged is None or merged == head:
		return None
	return (
		f"the checkout is at {head[:12]}, not at {promotion}'s merge commit {merged[:12]}: the commits after "
		f"it were not approved with {promotion}; fix: git checkout {merged[:12]} and deploy again, or "
		f"deploy this commit as it is with --ref {head[:12]}"
	)
