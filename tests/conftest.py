"""Shared fixtures for the pure tests."""

from pathlib import Path

import pytest
from builders import EXAMPLE_REPO, Repo


@pytest.fixture
def repo(tmp_path) -> Repo:
	return Repo(tmp_path / "config-repo")


@pytest.fixture
def example_repo() -> Path:
	return EXAMPLE_REPO
