"""frappe_stack.git_command, the one way the package runs git: real git on a repository in tmp_path,
and stand-ins for git on PATH for a git that is missing or hangs."""

import re
import shutil
from pathlib import Path

import pytest
from builders import commit_all
from builders import git as setup_git

from frappe_stack.errors import StackError
from frappe_stack.git_command import GitMissing, git, run

PACKAGE = Path(__file__).resolve().parent.parent / "frappe_stack"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(tmp_path):
	folder = tmp_path / "repo"
	folder.mkdir()
	setup_git(folder, "init", "--quiet", "--initial-branch=main")
	(folder / "a.txt").write_text("a\n")
	commit_all(folder, "first")
	return folder


@pytest.fixture
def fake_git(tmp_path, monkeypatch):
	"""Put a shell script named git first on PATH."""

	def install(script: str) -> Path:
		bin_dir = tmp_path / "bin"
		bin_dir.mkdir()
		(bin_dir / "git").write_text(f"#!/bin/sh\n{script}\n")
		(bin_dir / "git").chmod(0o755)
		monkeypatch.setenv("PATH", str(bin_dir))
		return bin_dir

	return install


@needs_git
def test_stdout_of_the_command(repo):
	assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main\n"


@needs_git
def test_a_failure_names_the_repo_the_command_gits_words_and_the_fix(repo):
	with pytest.raises(StackError) as raised:
		git(repo, "show", "nope:file.txt", fix="pass a ref that exists")
	message = str(raised.value)
	assert message.startswith(f"{repo}: git show failed: fatal: ")
	assert "nope" in message
	assert message.endswith("; fix: pass a ref that exists")


@needs_git
def test_a_failure_says_what_failed_when_told(repo):
	with pytest.raises(StackError, match=r": cannot list the ref: fatal: .*; fix: fetch it"):
		git(repo, "show", "nope:file.txt", what="cannot list the ref", fix="fetch it")


@needs_git
def test_without_a_fix_the_message_says_to_run_the_command_by_hand(repo):
	with pytest.raises(StackError, match=r"; fix: run git show there by hand to see why$"):
		git(repo, "show", "nope:file.txt")


@needs_git
def test_check_false_answers_none_for_a_no(repo):
	assert git(repo, "rev-parse", "--verify", "--quiet", "nope", check=False) is None


@needs_git
def test_run_hands_back_the_exit_code(repo):
	assert run(repo, "diff", "--quiet").returncode == 0
	(repo / "a.txt").write_text("b\n")
	assert run(repo, "diff", "--quiet").returncode == 1


def test_a_missing_git_is_an_error_that_says_to_install_it(fake_git, tmp_path):
	fake_git("exit 0")
	(tmp_path / "bin" / "git").unlink()
	with pytest.raises(GitMissing, match=r": cannot run git status; fix: install git and put it on PATH$"):
		git(tmp_path, "status")


def test_a_missing_git_is_no_checkout_for_a_question(fake_git, tmp_path):
	fake_git("exit 0")
	(tmp_path / "bin" / "git").unlink()
	assert git(tmp_path, "rev-parse", "HEAD", check=False) is None


@pytest.mark.parametrize("check", [True, False])
def test_a_git_that_hangs_is_an_error_even_for_a_question(fake_git, tmp_path, check):
	fake_git(f"exec {shutil.which('sleep')} 5")
	with pytest.raises(
		StackError, match=r"git fetch did not finish in 0.2s; fix: check that the remote answers"
	):
		git(tmp_path, "fetch", timeout=0.2, check=check)


def test_git_never_asks_for_a_password_on_the_terminal(fake_git, tmp_path):
	fake_git('echo "$GIT_TERMINAL_PROMPT"')
	assert git(tmp_path, "fetch") == "0\n"


def test_credentials_in_a_remote_url_never_reach_the_message(fake_git, tmp_path):
	fake_git("echo \"fatal: unable to access 'https://bot:ghp_SECRET@github.com/o/r/'\" >&2; exit 128")
	with pytest.raises(StackError) as raised:
		git(tmp_path, "push", "origin", "main", fix="check the remote")
	assert "ghp_SECRET" not in str(raised.value) and "bot" not in str(raised.value)
	assert "https://github.com/o/r/" in str(raised.value)


def test_nothing_else_in_the_package_runs_git():
	"""Every git command goes through git_command (argument list, timeout, errors that say the fix)."""
	runs_git = re.compile(r"""\[\s*["']git["']\s*,""")
	found = [
		str(path.relative_to(PACKAGE))
		for path in PACKAGE.rglob("*.py")
		if "tests" not in path.relative_to(PACKAGE).parts
		and path.name != "git_command.py"
		and runs_git.search(path.read_text(encoding="utf-8"))
	]
	assert found == []
