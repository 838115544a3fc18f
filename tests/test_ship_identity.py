"""`ship` finds a missing git identity among the reasons it refuses, before anything is written,
not when the release commit fails half way."""

import pytest
from builders import git

from frappe_stack.config import Settings
from frappe_stack.promote import git as promote_git
from frappe_stack.promote.release import repo_refusals

IDENTITY_VARIABLES = (
	"GIT_AUTHOR_NAME",
	"GIT_AUTHOR_EMAIL",
	"GIT_COMMITTER_NAME",
	"GIT_COMMITTER_EMAIL",
	"EMAIL",
)


@pytest.fixture
def anonymous(tmp_path, monkeypatch):
	"""A pushed clone of main where git knows nobody: no global or system config, no identity in
	the environment, and no guess from the host name (user.useConfigOnly)."""
	monkeypatch.setenv("HOME", str(tmp_path / "home"))
	monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
	for name in IDENTITY_VARIABLES:
		monkeypatch.delenv(name, raising=False)
	remote = tmp_path / "remote.git"
	git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
	work = tmp_path / "work"
	git(tmp_path, "clone", "--quiet", str(remote), str(work))
	(work / "README").write_text("config\n")
	git(work, "add", "-A")
	git(work, "commit", "-qm", "first")  # builders.git passes an identity of its own
	git(work, "push", "--quiet", "origin", "main")
	git(work, "config", "user.useConfigOnly", "true")
	return work


def test_no_identity_is_a_reason_to_refuse_naming_the_fix(anonymous):
	reasons, _ = repo_refusals(anonymous, Settings(), "v0.1.0")
	assert reasons == [
		f"{anonymous}: git has no identity to commit with (user.name and user.email); fix: "
		f'git -C {anonymous} config user.name "Your Name" && git -C {anonymous} config user.email you@example.com'
	]


def test_with_an_identity_there_is_nothing_to_refuse(anonymous):
	git(anonymous, "config", "user.name", "Releaser")
	git(anonymous, "config", "user.email", "releaser@example.com")
	assert promote_git.identity_refusal(anonymous) is None
	assert repo_refusals(anonymous, Settings(), "v0.1.0") == ([], None)
