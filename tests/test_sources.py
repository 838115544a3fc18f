"""Where blueprints come from, and the git commit recorded with an apply."""

import shutil
import subprocess
from pathlib import Path

import pytest
from builders import Repo, commit_all, git, role
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.canonical import canonical_bytes
from frappe_stack.blueprint.loader import Source
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import StackError
from frappe_stack.sources import blueprints_at, git_commit, repo_label, resolve_sources

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_path_beats_site_config():
	site = MemorySite(configured="/srv/config-repo")
	assert resolve_sources(site, "/tmp/other") == [Source(Path("/tmp/other"))]


def test_site_config_without_a_path():
	assert resolve_sources(MemorySite(configured="/srv/config-repo")) == [Source(Path("/srv/config-repo"))]


def test_app_sources_come_after_the_primary_source_with_their_label():
	site = MemorySite(
		configured="/srv/config-repo", apps=[("hr_app", "/apps/hr/bp"), ("crm", "/apps/crm/bp")]
	)
	assert resolve_sources(site, "/cli") == [
		Source(Path("/cli")),
		Source(Path("/apps/hr/bp"), "hr_app:"),
		Source(Path("/apps/crm/bp"), "crm:"),
	]
	assert resolve_sources(site)[0] == Source(Path("/srv/config-repo"))


def test_app_sources_alone():
	assert resolve_sources(MemorySite(apps=[("hr_app", "/apps/hr/bp")])) == [
		Source(Path("/apps/hr/bp"), "hr_app:")
	]


def test_nothing_configured():
	assert resolve_sources(MemorySite()) == []


@needs_git
def test_git_commit_is_head_of_the_checkout(tmp_path):
	repo = Repo(tmp_path / "config-repo")
	repo.write("roles", [role("A")])
	git(repo.root, "init", "-q")
	git(repo.root, "add", ".")
	git(repo.root, "commit", "-q", "-m", "first")
	first = git(repo.root, "rev-parse", "HEAD")
	assert len(first) == 40
	assert git_commit(repo.root) == first
	assert git_commit(repo.dir) == first
	repo.write("roles", [role("A"), role("B")])
	git(repo.root, "commit", "-q", "-am", "second")
	assert git_commit(repo.dir) not in (None, first)
	assert git_commit(repo.dir) == git(repo.root, "rev-parse", "HEAD")


@needs_git
def test_git_commit_outside_a_checkout(tmp_path):
	outside = tmp_path / "plain"
	outside.mkdir()
	assert (
		subprocess.run(["git", "-C", str(outside), "rev-parse", "HEAD"], capture_output=True).returncode != 0
	)
	assert git_commit(outside) is None


def test_git_commit_of_a_missing_folder(tmp_path):
	assert git_commit(tmp_path / "missing") is None


@needs_git
def test_apply_records_the_commit_in_the_ledger(tmp_path):
	repo = Repo(tmp_path / "config-repo")
	repo.write("roles", [role("A")])
	git(repo.root, "init", "-q")
	git(repo.root, "add", ".")
	git(repo.root, "commit", "-q", "-m", "roles")
	site = MemorySite()
	stack.apply(site, str(repo.root))
	assert site.ledger["roles"].git_commit == git(repo.root, "rev-parse", "HEAD")


def outside_git(folder: Path) -> bool:
	return subprocess.run(["git", "-C", str(folder), "rev-parse"], capture_output=True).returncode != 0


# ---- repo_label: what a diff names the repo side ---------------------------------------------------


@needs_git
def test_repo_label_of_a_checkout_is_branch_at_short_sha(tmp_path):
	repo = Repo(tmp_path / "config-repo")
	repo.write("roles", [role("A")])
	git(repo.root, "init", "-q")
	first = commit_all(repo.root, "first")
	git(repo.root, "checkout", "-q", "-b", "feature/roles")
	assert repo_label(repo.dir) == f"feature/roles@{first}"
	assert repo_label(repo.root) == f"feature/roles@{first}"
	repo.write("roles", [role("A"), role("B")])
	second = commit_all(repo.root, "second")
	assert second != first
	assert repo_label(repo.dir) == f"feature/roles@{second}"


@needs_git
def test_repo_label_of_a_ref_is_the_ref_at_its_short_sha(tmp_path):
	repo = Repo(tmp_path / "config-repo")
	repo.write("roles", [role("A")])
	git(repo.root, "init", "-q")
	first = commit_all(repo.root, "first")
	git(repo.root, "tag", "v1")
	repo.write("roles", [role("A"), role("B")])
	second = commit_all(repo.root, "second")
	assert repo_label(repo.dir, "HEAD") == f"HEAD@{second}"
	assert repo_label(repo.dir, "v1") == f"v1@{first}"
	assert repo_label(repo.dir, "HEAD~1") == f"HEAD~1@{first}"


@needs_git
def test_repo_label_of_a_detached_head(tmp_path):
	repo = Repo(tmp_path / "config-repo")
	repo.write("roles", [role("A")])
	git(repo.root, "init", "-q")
	sha = commit_all(repo.root, "first")
	git(repo.root, "checkout", "-q", "--detach")
	assert repo_label(repo.dir) == f"HEAD@{sha}"


def test_repo_label_of_a_plain_folder_is_the_folder(tmp_path):
	repo = Repo(tmp_path / "config-repo")
	if not outside_git(repo.dir):
		pytest.skip("the temporary folder is inside a git checkout")
	assert repo_label(repo.dir) == str(repo.dir)
	assert repo_label(repo.dir, "HEAD") == str(repo.dir)


@needs_git
def test_repo_label_of_a_checkout_without_commits_is_the_folder(tmp_path):
	repo = Repo(tmp_path / "config-repo")
	git(repo.root, "init", "-q")
	assert repo_label(repo.dir) == str(repo.dir)


# ---- blueprints_at: the files as they are at a git ref ---------------------------------------------


@pytest.fixture
def history(tmp_path) -> Repo:
	"""A checkout whose HEAD~1 has roles.json (A), HEAD has roles.json (A, B) and people.json."""
	repo = Repo(tmp_path / "config-repo")
	repo.write("roles", [role("A")])
	repo.write_text("README.md", "not a blueprint")
	git(repo.root, "init", "-q")
	commit_all(repo.root, "first")
	repo.write("roles", [role("A"), role("B")])
	repo.write("people", [role("C")])
	commit_all(repo.root, "second")
	return repo


@needs_git
@pytest.mark.parametrize("where", ["root", "dir"])
def test_blueprints_at_copies_the_json_files_of_the_ref(history, tmp_path, where):
	head = {name: history.bytes(name) for name in ("roles", "people")}
	history.write("roles", [role("Z")])  # the working tree differs from every commit
	history.remove("people")
	into = tmp_path / "scratch"
	into.mkdir()
	source = Source(history.root if where == "root" else history.dir, "app:")
	at = blueprints_at(source, "HEAD", into)
	assert at == Source(into, "app:")
	assert at.blueprint_dir == into / "blueprints"
	assert sorted(p.name for p in at.blueprint_dir.iterdir()) == ["people.json", "roles.json"]
	assert {name: (at.blueprint_dir / f"{name}.json").read_bytes() for name in head} == head

	older = tmp_path / "older"
	older.mkdir()
	at = blueprints_at(source, "HEAD~1", older)
	assert sorted(p.name for p in at.blueprint_dir.iterdir()) == ["roles.json"]
	[bp] = load_blueprint_set([at]).blueprints
	assert [doc.name for doc in bp.documents] == ["A"]
	assert bp.file == "app:blueprints/roles.json"


@needs_git
def test_blueprints_at_the_top_of_the_checkout(tmp_path):
	# the checkout is the blueprints folder itself: its files sit at the top of the tree
	folder = tmp_path / "flat"
	folder.mkdir()
	(folder / "roles.json").write_bytes(canonical_bytes({"blueprint": "roles", "documents": [role("A")]}))
	git(folder, "init", "-q")
	commit_all(folder, "flat")
	(folder / "roles.json").unlink()
	into = tmp_path / "scratch"
	into.mkdir()
	at = blueprints_at(Source(folder), "HEAD", into)
	assert sorted(p.name for p in at.blueprint_dir.iterdir()) == ["roles.json"]


@needs_git
def test_blueprints_at_an_unknown_ref(history, tmp_path):
	with pytest.raises(StackError, match="unknown git ref 'nope'") as excinfo:
		blueprints_at(Source(history.root), "nope", tmp_path / "scratch")
	assert "fix:" in str(excinfo.value)
	assert not (tmp_path / "scratch").exists()


def test_blueprints_at_outside_git(tmp_path):
	repo = Repo(tmp_path / "config-repo")
	if not outside_git(repo.dir):
		pytest.skip("the temporary folder is inside a git checkout")
	with pytest.raises(StackError, match="not in a git checkout, so --ref main cannot be read"):
		blueprints_at(Source(repo.root), "main", tmp_path / "scratch")
