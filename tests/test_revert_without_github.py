"""A rolled-back deploy without GitHub still pushes `revert/<ID>` and says exactly how to open its
pull request; nothing names a pull request that was not opened."""

import subprocess

from builders import commit_all, git

from frappe_stack.config import Settings
from frappe_stack.workflows.deployment import DeployResult
from frappe_stack.workflows.revert import open_pull_howto, open_revert, remote_web

TITLE = "Revert PROMO-2026-0001: deploy rolled back"


def checkout(tmp_path, remote_url: str | None = None):
	remote = tmp_path / "remote.git"
	subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
	root = tmp_path / "prod"
	root.mkdir()
	git(root, "init", "-q", "-b", "main")
	git(root, "remote", "add", "origin", remote_url or str(remote))
	(root / "a.json").write_text("{}\n")
	commit_all(root, "base")
	(root / "a.json").write_text('{"x": 1}\n')
	commit_all(root, "the deployed change")
	return root, remote, git(root, "rev-parse", "HEAD")


def test_without_github_the_branch_is_pushed_and_the_command_printed(tmp_path):
	root, remote, commit = checkout(tmp_path)
	git(root, "config", "user.name", "Deployer")
	git(root, "config", "user.email", "deploy@example.com")
	revert = open_revert(root, Settings(), None, "PROMO-2026-0001", commit, TITLE, "body")
	assert revert.branch == "revert/PROMO-2026-0001" and revert.pull_url == ""
	assert git(remote, "rev-parse", "revert/PROMO-2026-0001")  # pushed
	assert git(remote, "show", "revert/PROMO-2026-0001:a.json") == "{}"  # it undoes the deployed commit
	assert revert.howto == (
		"gh pr create --base main --head revert/PROMO-2026-0001 "
		"--title 'Revert PROMO-2026-0001: deploy rolled back' --fill"
	)
	assert revert.note.startswith(
		"revert/PROMO-2026-0001 pushed; no pull request opened (no GitHub): gh pr create"
	)
	result = DeployResult(
		"PROMO-2026-0001", "Rolled Back", commit, revert_branch=revert.branch, revert_howto=revert.howto
	)
	text = result.text()
	assert "Revert pull request" not in text
	assert f"Revert branch revert/PROMO-2026-0001 pushed; no pull request opened: {revert.howto}" in text


def test_a_github_remote_adds_the_compare_page(tmp_path):
	for url in ("git@github.com:acme/config.git", "https://user:secret@github.com/acme/config.git"):
		root, _, _ = checkout(tmp_path / url.split(":")[0].replace("/", ""), url)
		assert remote_web(root, Settings()) == "https://github.com/acme/config"
	assert open_pull_howto("revert/P", "main", "Revert P", "https://github.com/acme/config").endswith(
		" (or open https://github.com/acme/config/compare/main...revert/P?expand=1)"
	)


def test_a_remote_elsewhere_has_no_compare_page(tmp_path):
	root, _, _ = checkout(tmp_path, "https://gitlab.example.com/acme/config.git")
	assert remote_web(root, Settings()) is None


def test_a_push_that_fails_names_no_branch_and_no_pull_request(tmp_path):
	root, _, commit = checkout(tmp_path, str(tmp_path / "nowhere.git"))
	revert = open_revert(root, Settings(), None, "PROMO-2026-0001", commit, TITLE, "body")
	assert (revert.branch, revert.pull_url) == ("", "")
	assert revert.note.startswith("revert branch not pushed: ")
	assert revert.howto.startswith(f"revert {commit[:12]} by hand")
	text = DeployResult("PROMO-2026-0001", "Rolled Back", commit, revert_howto=revert.howto).text()
	assert text.splitlines()[-1] == f"No revert branch: {revert.howto}"
