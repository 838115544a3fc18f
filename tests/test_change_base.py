"""The default start of the change: the merge base with the base branch's remote head."""

from builders import git

from frappe_stack.change_base import default_base


def commit(repo, name: str, text: str = "{}") -> str:
	(repo / name).write_text(text)
	git(repo, "add", "-A")
	git(repo, "commit", "-qm", name)
	return git(repo, "rev-parse", "HEAD").strip()


def test_a_commit_after_export_is_still_part_of_the_change(tmp_path):
	remote, clone = tmp_path / "remote.git", tmp_path / "clone"
	git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
	git(tmp_path, "clone", "-q", str(remote), str(clone))
	pushed = commit(clone, "a.json")
	git(clone, "push", "-q", "origin", "main")
	git(clone, "switch", "-q", "-c", "feature")
	commit(clone, "b.json")  # the PM commits the export: HEAD moves, the base does not
	base = default_base(clone, "origin", "main")
	assert base.ref == pushed
	assert base.label == f"merge base with origin/main ({pushed[:12]})"


def test_without_a_remote_the_local_base_branch_is_used(tmp_path):
	repo = tmp_path / "repo"
	repo.mkdir()
	git(repo, "init", "-q", "-b", "main")
	first = commit(repo, "a.json")
	git(repo, "switch", "-q", "-c", "feature")
	commit(repo, "b.json")
	assert default_base(repo, "origin", "main").ref == first


def test_with_no_base_branch_at_all_head_is_the_base_and_it_says_why(tmp_path):
	repo = tmp_path / "repo"
	repo.mkdir()
	git(repo, "init", "-q", "-b", "trunk")
	head = commit(repo, "a.json")
	base = default_base(repo, "origin", "main")
	assert base.ref == head
	assert "neither origin/main nor main exists" in base.label


def test_outside_git_there_is_no_base(tmp_path):
	base = default_base(tmp_path, "origin", "main")
	assert base.ref is None
	assert "not in git" in base.label
