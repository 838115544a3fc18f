"""What `init` prints: the files written and the steps left, read off the files themselves; and the
`frappe-stack init` console command (the bench command prints the same report)."""

import json
import shutil

import pytest
from builders import git
from click.testing import CliRunner

from frappe_stack import cli
from frappe_stack.promote.init import Written, init_repo

FILES = [
	"frappe-stack.toml",
	".github/workflows/frappe-stack-review.yml",
	".github/workflows/frappe-stack-deploy.yml",
]
SECRETS = [
	"FRAPPE_STACK_API_KEY",
	"FRAPPE_STACK_API_SECRET",
	"FRAPPE_STACK_SSH_KEY",
	"FRAPPE_STACK_KNOWN_HOSTS",
	"FRAPPE_STACK_SSH_TARGET",
]
VARIABLES = ["FRAPPE_STACK_PACKAGE", "FRAPPE_STACK_BENCH", "FRAPPE_STACK_CONFIG_REPO", "FRAPPE_STACK_SITE"]


def test_the_settings_are_the_ones_the_workflows_read(tmp_path):
	written = Written.of(tmp_path, init_repo(tmp_path))
	assert written.settings() == {"secrets": SECRETS, "vars": VARIABLES}


def test_report_outside_git(tmp_path):
	root = tmp_path / "config"
	written = Written.of(root, init_repo(root))
	assert written.as_dict()["files"] == FILES
	assert written.text() == "\n".join(
		[
			f"Wrote 3 file(s) in {root}:",
			*(f"  {file}" for file in FILES),
			"Next steps:",
			f"  1. make it a git repository: git init -b main {root}",
			"  2. edit frappe-stack.toml: replace the placeholders (the environments' URLs, [github] repo, "
			"[reviewers] rotation)",
			"  3. on GitHub (Settings > Secrets and variables > Actions; the deploy's on the production "
			f"environment) add the secrets {', '.join(SECRETS)} and the variables {', '.join(VARIABLES)}; "
			"each workflow's header says what they hold",
			f"  4. give it your GitHub repository as its remote: git -C {root} remote add origin "
			"git@github.com:OWNER/REPO.git (the [github] repo of the config)",
			f"  5. commit them, then push: git -C {root} add .github frappe-stack.toml && git -C {root} commit -m "
			f'"frappe-stack init" && git -C {root} push -u origin HEAD',
			f"  6. fill it from staging: bench --site STAGING frappe-stack export --path {root}, then review, "
			"check and promote",
		]
	)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_inside_a_git_repository_there_is_no_git_init_step(tmp_path):
	git(tmp_path, "init", "--quiet", "-b", "main")
	steps = Written.of(tmp_path, init_repo(tmp_path)).next_steps()
	assert not any("git init" in step for step in steps)
	assert steps[0].startswith("edit frappe-stack.toml")
	assert any("remote add origin" in step for step in steps)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_repository_with_an_origin_is_only_told_to_push_there(tmp_path):
	git(tmp_path, "init", "--quiet", "-b", "main")
	git(tmp_path, "remote", "add", "origin", str(tmp_path / "remote.git"))
	steps = Written.of(tmp_path, init_repo(tmp_path)).next_steps()
	assert not any("remote add origin" in step for step in steps)
	assert steps[-2].endswith(f"git -C {tmp_path} push -u origin HEAD")


def test_console_command_writes_then_refuses_without_force(tmp_path):
	root = tmp_path / "config"
	first = CliRunner().invoke(cli.main, ["init", "--path", str(root), "--json"])
	assert first.exit_code == 0, first.output
	assert json.loads(first.output)["files"] == FILES
	(root / "frappe-stack.toml").write_text("# mine\n")

	again = CliRunner().invoke(cli.main, ["init", "--path", str(root)])
	assert again.exit_code == 1
	assert "already exist(s); fix: pass --force to overwrite" in again.output
	assert (root / "frappe-stack.toml").read_text() == "# mine\n"

	forced = CliRunner().invoke(cli.main, ["init", "--path", str(root), "--force"])
	assert forced.exit_code == 0, forced.output
	assert forced.output.startswith(f"Wrote 3 file(s) in {root}:\n")
	assert "[github]" in (root / "frappe-stack.toml").read_text()
