"""deploy --promotion ID deploys the promotion's merge commit and nothing after it: a checkout past
it is refused, naming both commits and the two ways on."""

from builders import commit_all, git

from frappe_stack.workflows.merge_commit import merge_commit, past_merge_refusal

MANIFEST = "promotions/PROMO-2026-0001.json"


def merged_repo(tmp_path, squash: bool = False):
	root = tmp_path / "repo"
	root.mkdir(parents=True)
	git(root, "init", "-q", "-b", "main")
	(root / "README").write_text("config\n")
	commit_all(root, "base")
	git(root, "switch", "-q", "-c", "promote/x")
	(root / "promotions").mkdir()
	(root / MANIFEST).write_text("{}\n")
	commit_all(root, "promote")
	(root / MANIFEST).write_text('{"again": 1}\n')  # promote run again on its branch
	commit_all(root, "promote again")
	git(root, "switch", "-q", "main")
	if squash:
		git(root, "merge", "-q", "--squash", "promote/x")
		git(root, "commit", "-qm", "Squashed")
	else:
		git(root, "merge", "-q", "--no-ff", "promote/x", "-m", "Merge pull request #1")
	return root, git(root, "rev-parse", "HEAD")


def test_the_merge_commit_is_the_one_that_brought_the_manifest_into_main(tmp_path):
	for squash, folder in ((False, "merge"), (True, "squash")):
		root, head = merged_repo(tmp_path / folder, squash)
		assert merge_commit(root, MANIFEST) == head
		assert past_merge_refusal("PROMO-2026-0001", head, head) is None


def test_a_checkout_past_the_merge_commit_is_refused_naming_both(tmp_path):
	root, merged = merged_repo(tmp_path)
	(root / "README").write_text("later\n")
	commit_all(root, "an unreviewed commit")
	head = git(root, "rev-parse", "HEAD")
	assert merge_commit(root, MANIFEST) == merged
	refusal = past_merge_refusal("PROMO-2026-0001", head, merge_commit(root, MANIFEST))
	assert refusal.startswith(
		f"the checkout is at {head[:12]}, not at PROMO-2026-0001's merge commit {merged[:12]}"
	)
	assert f"git checkout {merged[:12]}" in refusal
	assert f"--ref {head[:12]}" in refusal


def test_no_manifest_in_the_history_is_left_to_the_manifest_check(tmp_path):
	root, head = merged_repo(tmp_path)
	assert merge_commit(root, "promotions/PROMO-1999-0001.json") is None
	assert past_merge_refusal("PROMO-1999-0001", head, None) is None
