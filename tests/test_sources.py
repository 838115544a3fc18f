"""Where blueprints come from, and the git commit recorded with an apply."""

import shutil
import subprocess
from pathlib import Path

import pytest
from builders import Repo, role
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.loader import Source
from frappe_stack.sources import git_commit, resolve_sources

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(directory: Path, *args: str) -> str:
	done = subprocess.run(
		["git", "-C", str(directory), "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
		capture_output=True,
		text=True,
		check=True,
	)
	return done.stdout.strip()


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
