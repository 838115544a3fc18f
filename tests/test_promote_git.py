"""The git steps of promote and ship, on real repositories: a clone in tmp_path whose remote
`origin` is a bare repository next to it."""

import shutil

import pytest
from builders import clone, commit_all, git

from frappe_stack.errors import StackError
from frappe_stack.promote.git import (
	annotated_tag,
	commit_paths,
	create_branch,
	current_branch,
	ensure_clean,
	ensure_up_to_date,
	head_sha,
	last_version_tag,
	push,
	push_tag,
	scrub,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def remote_sha(remote, ref):
	return git(remote, "rev-parse", ref)


def someone_else_pushes(remote, tmp_path, name="other"):
	other = clone(remote, tmp_path / name)
	(other / f"{name}.txt").write_text("theirs\n")
	commit_all(other, f"commit from {name}")
	git(other, "push", "--quiet", "origin", "main")


def test_head_sha_and_current_branch(work):
	assert head_sha(work) == git(work, "rev-parse", "HEAD")
	assert current_branch(work) == "main"
	git(work, "switch", "--quiet", "--detach")
	assert current_branch(work) is None


def test_not_a_checkout_names_the_folder_and_the_fix(tmp_path):
	with pytest.raises(StackError) as raised:
		head_sha(tmp_path)
	message = str(raised.value)
	assert message.startswith(f"{tmp_path}: no commit checked out: fatal: not a git repository")
	assert message.endswith("fix: run it in a clone of the config repo with at least one commit")
	assert "\n" not in message


def test_clean_checkout_passes(work):
	ensure_clean(work)


def test_dirty_checkout_lists_changed_staged_deleted_and_untracked_files(work):
	(work / "blueprints" / "beneficiary.json").write_text('{"changed": 1}\n')
	(work / "notes.txt").write_text("untracked\n")
	(work / "new").mkdir()
	(work / "new" / "deep.json").write_text("{}\n")
	with pytest.raises(StackError) as raised:
		ensure_clean(work)
	message = str(raised.value)
	assert message.startswith(f"{work} has changes not committed: ")
	for name in ("blueprints/beneficiary.json", "notes.txt", "new/deep.json"):
		assert name in message
	assert "fix: commit them, or put them aside with git stash --include-untracked" in message


def test_a_rename_is_listed_once_by_its_new_name(work):
	git(work, "mv", "blueprints/beneficiary.json", "blueprints/people.json")
	with pytest.raises(StackError, match=r"not committed: blueprints/people.json; fix"):
		ensure_clean(work)


def test_ignored_files_do_not_count(work):
	(work / ".gitignore").write_text("*.log\n")
	commit_all(work, "ignore logs")
	(work / "bench.log").write_text("noise\n")
	ensure_clean(work)


def test_long_lists_are_cut(work):
	for index in range(13):
		(work / f"f{index:02}.txt").write_text("x\n")
	with pytest.raises(StackError, match=r"f09.txt and 3 more; fix"):
		ensure_clean(work)


def test_up_to_date(work):
	ensure_up_to_date(work, "origin", "main")


def test_behind_after_someone_else_pushed(work, remote, tmp_path):
	someone_else_pushes(remote, tmp_path)
	with pytest.raises(StackError) as raised:
		ensure_up_to_date(work, "origin", "main")
	assert (
		str(raised.value)
		== f"{work}: main is 1 commit(s) behind origin/main; fix: git pull --ff-only origin main"
	)


def test_ahead_with_a_commit_not_pushed(work):
	(work / "local.txt").write_text("mine\n")
	commit_all(work, "local")
	with pytest.raises(StackError, match=r"main is 1 commit\(s\) ahead of origin/main, not pushed; fix: get"):
		ensure_up_to_date(work, "origin", "main")


def test_diverged(work, remote, tmp_path):
	someone_else_pushes(remote, tmp_path)
	(work / "local.txt").write_text("mine\n")
	commit_all(work, "local")
	with pytest.raises(StackError) as raised:
		ensure_up_to_date(work, "origin", "main")
	assert "main and origin/main have diverged (1 commit(s) only here, 1 only there)" in str(raised.value)
	assert "fix: git pull --rebase origin main" in str(raised.value)


def test_branch_missing_on_the_remote_says_so_with_gits_words(work):
	with pytest.raises(StackError) as raised:
		ensure_up_to_date(work, "origin", "release")
	message = str(raised.value)
	assert f"{work}: git fetch of release from origin failed: fatal: couldn't find remote ref" in message
	assert "fix: check the branch exists on origin" in message


def test_no_local_branch(work):
	git(work, "switch", "--quiet", "--create", "topic")
	git(work, "branch", "--quiet", "--delete", "main")
	with pytest.raises(StackError, match=r"has no local branch main; fix: git switch main"):
		ensure_up_to_date(work, "origin", "main")


def test_fetch_brings_tags_shipped_from_another_clone(work, remote, tmp_path):
	other = clone(remote, tmp_path / "other")
	git(other, "tag", "--annotate", "--message=v0.3.0", "v0.3.0")
	git(other, "push", "--quiet", "origin", "v0.3.0")
	assert last_version_tag(work) is None
	ensure_up_to_date(work, "origin", "main")
	assert last_version_tag(work) == "v0.3.0"


def test_last_version_tag_picks_the_highest_version(work):
	for tag in ("v0.9.0", "v0.10.0", "v0.10.1-rc.1", "backup-2026"):
		git(work, "tag", tag)
	assert last_version_tag(work) == "v0.10.1-rc.1"


def test_create_branch_from_a_base_carries_the_working_tree(work):
	base = head_sha(work)
	(work / "blueprints" / "beneficiary.json").write_text('{"snapshot": 1}\n')
	create_branch(work, "promote/sprint-15-20261122-1500", "origin/main")
	assert current_branch(work) == "promote/sprint-15-20261122-1500"
	assert head_sha(work) == base
	assert (work / "blueprints" / "beneficiary.json").read_text() == '{"snapshot": 1}\n'
	# --no-track: a bare `git push` must never be pointed at main
	assert "branch.promote/" not in git(work, "config", "--list")


def test_create_branch_refuses_an_existing_name_or_unknown_base(work):
	create_branch(work, "promote/a", "main")
	with pytest.raises(
		StackError, match=r"cannot create branch promote/a: fatal: .*already exists.*git switch"
	):
		create_branch(work, "promote/a", "main")
	with pytest.raises(
		StackError, match=r"unknown base 'nope'; fix: pass a branch, tag or commit that exists"
	):
		create_branch(work, "promote/b", "nope")
	with pytest.raises(StackError, match=r"unknown base '--orphan'"):
		create_branch(work, "promote/b", "--orphan")


@pytest.mark.parametrize("name", ["-f", "has space", "double..dot", "end.lock", "a~b"])
def test_create_branch_refuses_invalid_names(work, name):
	with pytest.raises(StackError, match=r"is not a valid branch name; fix"):
		create_branch(work, name, "main")
	assert current_branch(work) == "main"


def test_commit_paths_commits_only_those_paths(work):
	(work / "blueprints" / "beneficiary.json").write_text('{"changed": 1}\n')
	(work / "blueprints" / "new.json").write_text("{}\n")
	(work / "unrelated.txt").write_text("not mine\n")
	git(work, "add", "unrelated.txt")  # even staged, it stays out of the commit
	sha = commit_paths(work, ["blueprints"], "promote: beneficiary, new", author="Pat PM <pm@example.com>")
	assert sha == head_sha(work)
	assert git(work, "show", "--name-only", "--format=%an <%ae>|%s", sha).splitlines() == [
		"Pat PM <pm@example.com>|promote: beneficiary, new",
		"",
		"blueprints/beneficiary.json",
		"blueprints/new.json",
	]
	assert git(work, "status", "--porcelain") == "A  unrelated.txt"


def test_commit_paths_records_deletions(work):
	(work / "blueprints" / "beneficiary.json").unlink()
	git(work, "config", "commit.cleanup", "strip")  # Markdown headings survive even this setting
	sha = commit_paths(work, ["blueprints"], "remove beneficiary\n\n### Removed\n")
	assert git(work, "show", "--name-status", "--format=", sha) == "D\tblueprints/beneficiary.json"
	assert git(work, "log", "-1", "--format=%B", sha) == "remove beneficiary\n\n### Removed"
	assert git(work, "log", "-1", "--format=%an", sha) == "Promoter"


def test_commit_paths_with_nothing_changed_commits_nothing(work):
	before = head_sha(work)
	assert commit_paths(work, ["blueprints"], "nothing") is None
	assert head_sha(work) == before


def test_commit_paths_with_an_unknown_path(work):
	with pytest.raises(StackError, match=r"git add failed: fatal: pathspec 'nope' did not match any files"):
		commit_paths(work, ["nope"], "x")


def test_push_a_branch(work, remote):
	create_branch(work, "promote/a", "main")
	(work / "blueprints" / "beneficiary.json").write_text('{"changed": 1}\n')
	sha = commit_paths(work, ["blueprints"], "change")
	push(work, "origin", "promote/a", protected=["main"])
	assert remote_sha(remote, "refs/heads/promote/a") == sha
	# a second run pushes its new commits onto the same branch
	(work / "blueprints" / "beneficiary.json").write_text('{"changed": 2}\n')
	again = commit_paths(work, ["blueprints"], "change again")
	push(work, "origin", "promote/a", protected=["main"])
	assert remote_sha(remote, "refs/heads/promote/a") == again


@pytest.mark.parametrize("branch", ["main", "release/1.0"])
def test_push_refuses_protected_branches_by_name_or_pattern(work, remote, branch):
	before = remote_sha(remote, "refs/heads/main")
	if branch != "main":
		git(work, "switch", "--quiet", "--create", branch)
	(work / "x.txt").write_text("x\n")
	commit_all(work, "x")
	with pytest.raises(StackError) as raised:
		push(work, "origin", branch, protected=["main", "release/*"])
	assert f"refusing to push to the protected branch {branch} of origin" in str(raised.value)
	assert "merge it through a pull request" in str(raised.value)
	assert remote_sha(remote, "refs/heads/main") == before
	assert git(remote, "branch", "--list", "release/*") == ""


def test_push_never_forces(work, remote):
	create_branch(work, "promote/a", "main")
	(work / "a.txt").write_text("a\n")
	commit_all(work, "a")
	push(work, "origin", "promote/a")
	pushed = head_sha(work)
	git(work, "commit", "--quiet", "--amend", "--message=rewritten")
	with pytest.raises(StackError) as raised:
		push(work, "origin", "promote/a")
	message = str(raised.value)
	assert "git push of promote/a to origin failed" in message and "[rejected]" in message
	assert "hint:" not in message and "\n" not in message
	assert "frappe_stack never force-pushes" in message
	assert remote_sha(remote, "refs/heads/promote/a") == pushed


def test_credentials_never_appear_in_messages(work):
	url = "https://deploy-bot:ghp_SECRETTOKEN@127.0.0.1:1/acme/config.git"
	with pytest.raises(StackError) as raised:
		push(work, url, "main")
	message = str(raised.value)
	assert "ghp_SECRETTOKEN" not in message and "deploy-bot" not in message
	assert "https://127.0.0.1:1/acme/config.git" in message
	with pytest.raises(StackError) as raised:
		ensure_up_to_date(work, url, "main")  # git quotes the refspec, URL and all, in its own error
	assert "ghp_SECRETTOKEN" not in str(raised.value)


def test_scrub_keeps_ssh_remotes_and_plain_text():
	assert scrub("fatal: 'https://x-access-token:abc@github.com/o/r' and http://tok@h/x") == (
		"fatal: 'https://github.com/o/r' and http://h/x"
	)
	assert scrub("git@github.com:o/r.git, me@example.com") == "git@github.com:o/r.git, me@example.com"


def test_annotated_tag_and_push_tag(work, remote):
	annotated_tag(work, "v0.1.0", "Release 0.1.0\n\n### Added\n")
	assert git(work, "cat-file", "-t", "v0.1.0") == "tag"
	assert git(work, "tag", "--list", "--format=%(contents)", "v0.1.0") == "Release 0.1.0\n\n### Added"
	push_tag(work, "origin", "v0.1.0")
	assert remote_sha(remote, "v0.1.0^{commit}") == head_sha(work)


def test_a_tag_that_exists_is_refused_locally_and_on_the_remote(work, remote, tmp_path):
	annotated_tag(work, "v0.1.0", "one")
	with pytest.raises(StackError, match=r"cannot create tag v0.1.0: fatal: tag 'v0.1.0' already exists"):
		annotated_tag(work, "v0.1.0", "again")
	other = clone(remote, tmp_path / "other")
	annotated_tag(other, "v0.1.0", "from elsewhere")
	(other / "x.txt").write_text("x\n")
	commit_all(other, "x")
	git(other, "tag", "--force", "--annotate", "--message=moved", "v0.1.0")
	git(other, "push", "--quiet", "origin", "v0.1.0")
	with pytest.raises(
		StackError, match=r"git push of tag v0.1.0 to origin failed: .*fix: if origin already has v0.1.0"
	):
		push_tag(work, "origin", "v0.1.0")


def test_invalid_tag_name(work):
	with pytest.raises(StackError, match=r"'-v1' is not a valid tag name"):
		annotated_tag(work, "-v1", "x")
