"""promote puts the PM's checkout back on the branch it was on, and running it again from the base
branch carries the working tree's blueprints onto the promotion's branch, even where the base
branch holds other versions of those files."""

from builders import commit_all, git

from frappe_stack.promote.checkout import keep, return_to, switch_to
from frappe_stack.promote.git import current_branch

BRANCH = "promote/sprint-15-20261124-1000"


def repo(tmp_path):
	root = tmp_path / "repo"
	(root / "blueprints").mkdir(parents=True)
	git(root, "init", "-q", "-b", "main")
	(root / "blueprints" / "beneficiary.json").write_text('{"label": "Village"}\n')
	(root / "blueprints" / "old.json").write_text("{}\n")
	commit_all(root, "base")
	return root


def test_a_new_branch_takes_the_change_and_promote_returns_to_main(tmp_path):
	root = repo(tmp_path)
	(root / "blueprints" / "beneficiary.json").write_text('{"label": "Settlement"}\n')
	(root / "notes.txt").write_text("mine\n")  # not promote's: it follows the PM back
	switch_to(root, BRANCH, "main", "blueprints")
	assert current_branch(root) == BRANCH
	git(root, "add", "blueprints")
	git(root, "commit", "-qm", "promote")
	note = return_to(root, "main")
	assert current_branch(root) == "main"
	assert note == (
		f"the checkout is back on main; the change is committed on {BRANCH} (git switch {BRANCH} to continue it)"
	)
	assert (root / "blueprints" / "beneficiary.json").read_text() == '{"label": "Village"}\n'
	assert git(root, "show", f"{BRANCH}:blueprints/beneficiary.json") == '{"label": "Settlement"}'
	assert (root / "notes.txt").read_text() == "mine\n"


def test_again_from_main_the_working_tree_lands_on_the_existing_branch(tmp_path):
	root = repo(tmp_path)
	git(root, "switch", "-q", "-c", BRANCH)
	(root / "blueprints" / "beneficiary.json").write_text('{"label": "Settlement"}\n')
	commit_all(root, "first promote")
	git(root, "switch", "-q", "main")
	# on main, the PM exports again: the same file changed once more, one removed, one new
	(root / "blueprints" / "beneficiary.json").write_text('{"label": "Settlement (village)"}\n')
	(root / "blueprints" / "old.json").unlink()
	(root / "blueprints" / "visit.json").write_text("{}\n")
	switch_to(root, BRANCH, "main", "blueprints")
	assert current_branch(root) == BRANCH
	files = sorted(p.name for p in (root / "blueprints").iterdir())
	assert files == ["beneficiary.json", "visit.json"]
	assert (root / "blueprints" / "beneficiary.json").read_text() == '{"label": "Settlement (village)"}\n'


def test_never_left_says_nothing(tmp_path):
	root = repo(tmp_path)
	assert return_to(root, "main") is None
	assert return_to(root, None) is None


def test_after_a_failure_the_way_back_never_hides_the_error(tmp_path):
	root = repo(tmp_path)
	git(root, "switch", "-q", "-c", BRANCH)
	(root / "blueprints" / "beneficiary.json").write_text('{"label": "Settlement"}\n')
	commit_all(root, "promote")
	(root / "blueprints" / "beneficiary.json").write_text('{"label": "half written"}\n')
	assert return_to(root, "main", quiet=True) is None
	assert current_branch(root) == BRANCH


def test_the_pr_body_is_kept_where_switching_back_leaves_it(tmp_path):
	root = repo(tmp_path)
	switch_to(root, BRANCH, "main", "blueprints")
	(root / "promotions").mkdir()
	(root / "promotions" / "PROMO-2026-0001.md").write_text("## Rollback\n")
	git(root, "add", "promotions")
	git(root, "commit", "-qm", "promote")
	kept = keep(root, root / "promotions" / "PROMO-2026-0001.md")
	return_to(root, "main")
	assert not (root / "promotions").exists()
	assert kept == root / ".git" / "frappe_stack" / "PROMO-2026-0001.md"
	assert kept.read_text() == "## Rollback\n"
