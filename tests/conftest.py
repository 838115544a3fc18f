"""Shared fixtures for the pure tests."""

from pathlib import Path

import pytest
from builders import EXAMPLE_REPO, Repo, clone, commit_all, git


@pytest.fixture
def repo(tmp_path) -> Repo:
	return Repo(tmp_path / "config-repo")


@pytest.fixture
def example_repo() -> Path:
	return EXAMPLE_REPO


@pytest.fixture
def remote(tmp_path) -> Path:
	"""A bare repository, the `origin` of the clones of the git tests."""
	bare = tmp_path / "remote.git"
	git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
	return bare


@pytest.fixture
def work(remote, tmp_path) -> Path:
	"""A clone with one commit on main, pushed."""
	path = clone(remote, tmp_path / "work")
	(path / "blueprints").mkdir()
	(path / "blueprints" / "beneficiary.json").write_text("{}\n")
	commit_all(path, "first")
	git(path, "push", "--quiet", "origin", "main")
	return path
