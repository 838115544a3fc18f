"""`init`: a new config repo's frappe-stack.toml and GitHub Actions workflows. The TOML loads as
settings, the workflows parse and do what they say; the deploy script runs here, with ssh and
bench replaced by recorders, against a real config repo checkout."""

import os
import re
import shutil
import stat
import subprocess

import pytest
from builders import commit_all, git

from frappe_stack.config import load_settings, tomllib
from frappe_stack.errors import StackError
from frappe_stack.promote.init import TEMPLATES, init_repo

REVIEW = ".github/workflows/frappe-stack-review.yml"
DEPLOY = ".github/workflows/frappe-stack-deploy.yml"


@pytest.fixture
def written(tmp_path):
	root = tmp_path / "config-repo"
	paths = init_repo(root)
	return root, paths


def workflow(root, name):
	yaml = pytest.importorskip("yaml")
	data = yaml.safe_load((root / name).read_text(encoding="utf-8"))
	# YAML 1.1 reads the key `on` as the boolean true
	data["on"] = data.pop(True)
	return data


def steps(data):
	return [step for job in data["jobs"].values() for step in job["steps"]]


def test_writes_the_three_files(written):
	root, paths = written
	assert paths == [root / "frappe-stack.toml", root / REVIEW, root / DEPLOY]
	assert (root / DEPLOY).read_bytes() == (TEMPLATES / "frappe-stack-deploy.yml").read_bytes()


def test_toml_loads_as_settings(written):
	root, _ = written
	settings = load_settings(root)
	assert settings.environments["staging"].url == "https://staging.example.com"
	assert settings.environments["production"].url == "https://erp.example.com"
	assert (settings.friday_cutoff.hour, settings.max_related_sets, settings.backup_timeout) == (14, 5, 900)
	data = tomllib.loads((root / "frappe-stack.toml").read_text(encoding="utf-8"))
	assert data["github"] == {"repo": "your-org/your-config-repo"}
	assert data["reviewers"]["rotation"] == ["reviewer-one", "reviewer-two"]


def test_workflows_are_plain_yaml(written):
	# the structure a reader (or GitHub) needs, checked without a YAML parser
	root, _ = written
	for name in (REVIEW, DEPLOY):
		text = (root / name).read_text(encoding="utf-8")
		assert "\t" not in text
		assert re.findall(r"^(\w+):", text, re.MULTILINE)[:2] == ["name", "on"]
		assert re.search(r"^jobs:$", text, re.MULTILINE)


def test_review_workflow(written):
	root, _ = written
	data = workflow(root, REVIEW)
	assert data["on"] == {"pull_request": {"branches": ["main"]}}
	assert data["permissions"]["security-events"] == "write"
	runs = {step.get("id") or step.get("name") or step.get("uses"): step for step in steps(data)}
	review = runs["review"]["run"]
	assert "frappe-stack review --sarif --env staging" in review and "> frappe-stack.sarif" in review
	upload = next(
		step for step in steps(data) if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")
	)
	assert upload["with"]["sarif_file"] == "frappe-stack.sarif"
	assert any(step.get("run", "").startswith("frappe-stack diff --env staging") for step in steps(data))
	# findings are uploaded when the review ran (0 or 2), and the job fails last, after the diff
	assert upload["if"] == "steps.review.outputs.exit == '0' || steps.review.outputs.exit == '2'"
	assert steps(data)[-1]["if"] == "steps.review.outputs.exit != '0'"
	assert "exit 1" in steps(data)[-1]["run"]


def test_deploy_workflow(written):
	root, _ = written
	data = workflow(root, DEPLOY)
	assert data["on"] == {"push": {"branches": ["main"]}}
	# a running deploy is never cancelled by the next merge
	assert data["concurrency"]["cancel-in-progress"] is False
	assert data["jobs"]["deploy"]["environment"] == "production"
	assert 'bench --site "$SITE" frappe-stack deploy --ref "$GITHUB_SHA"' in steps(data)[0]["run"]


@pytest.mark.parametrize("name", [REVIEW, DEPLOY])
def test_secrets_only_reach_steps_through_env(written, name):
	root, _ = written
	data = workflow(root, name)
	for step in steps(data):
		# an expression inside a script is pasted into it before the shell runs: an injection risk
		assert "${{" not in step.get("run", "")
	text = (root / name).read_text(encoding="utf-8")
	used = re.findall(r"secrets\.\w+", text)
	assert used
	assert len(used) == len(re.findall(r"^ +[A-Z_]+: \$\{\{ secrets\.\w+ \}\}$", text, re.MULTILINE))


def test_refuses_existing_files_naming_them_all(tmp_path):
	root = tmp_path / "config-repo"
	(root / ".github" / "workflows").mkdir(parents=True)
	(root / "frappe-stack.toml").write_text("# mine\n")
	(root / DEPLOY).write_text("# mine\n")
	with pytest.raises(StackError) as raised:
		init_repo(root)
	assert str(raised.value) == (
		f"{root}: frappe-stack.toml, {DEPLOY} already exist(s); fix: pass --force to overwrite, or move them away"
	)
	assert (root / "frappe-stack.toml").read_text() == "# mine\n"
	assert not (root / REVIEW).exists()


def test_force_overwrites(tmp_path):
	root = tmp_path / "config-repo"
	root.mkdir()
	(root / "frappe-stack.toml").write_text("# mine\n")
	init_repo(root, force=True)
	assert load_settings(root).environments["staging"].url == "https://staging.example.com"


FAKE_SSH = """#!/bin/bash
# stands in for ssh: records its arguments, runs the remote command here
printf '%s\\n' "$@" > "$RECORD/ssh"
for command; do :; done
exec bash -c "$command"
"""
FAKE_BENCH = """#!/bin/bash
printf '%s\\n' "$PWD" "$@" > "$RECORD/bench"
exit "${BENCH_EXIT:-0}"
"""


@pytest.fixture
def production(tmp_path, written):
	"""The deploy step's environment: a production config repo checkout one merge behind its
	remote, a bench folder with spaces in its path, and recorders for ssh and bench."""
	if shutil.which("git") is None or shutil.which("bash") is None:
		pytest.skip("needs git and bash")
	root, _ = written
	remote = tmp_path / "remote.git"
	git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
	config = tmp_path / "production config"
	git(tmp_path, "clone", "--quiet", str(remote), str(config))
	(config / "blueprints").mkdir()
	(config / "blueprints" / "a.json").write_text("{}\n")
	commit_all(config, "first")
	git(config, "push", "--quiet", "origin", "main")
	merged = tmp_path / "ci"
	git(tmp_path, "clone", "--quiet", str(remote), str(merged))
	(merged / "blueprints" / "a.json").write_text('{"merged": 1}\n')
	commit_all(merged, "merge of promote/a")
	git(merged, "push", "--quiet", "origin", "main")
	bin_dir, record, bench = tmp_path / "bin", tmp_path / "record", tmp_path / "frappe bench"
	for folder in (bin_dir, record, bench, tmp_path / "home"):
		folder.mkdir()
	for name, script in (("ssh", FAKE_SSH), ("bench", FAKE_BENCH)):
		(bin_dir / name).write_text(script)
		(bin_dir / name).chmod(0o755)
	env = {
		"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
		"HOME": str(tmp_path / "home"),
		"RECORD": str(record),
		"SSH_KEY": "-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n-----END OPENSSH PRIVATE KEY-----",
		"KNOWN_HOSTS": "erp.example.com ssh-ed25519 AAAAfake",
		"TARGET": "frappe@erp.example.com",
		"BENCH": str(bench),
		"CONFIG_REPO": str(config),
		"SITE": "erp.example.com",
		"GITHUB_SHA": git(merged, "rev-parse", "HEAD"),
	}
	script = steps(workflow(root, DEPLOY))[0]["run"]
	return script, env, record, config


def run_step(script, env):
	# how GitHub Actions runs a `run:` step with the default shell
	return subprocess.run(
		["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
		env=env,
		capture_output=True,
		text=True,
		check=False,
	)


def test_deploy_step_checks_out_the_merge_and_runs_deploy_on_the_bench(production):
	script, env, record, config = production
	done = run_step(script, env)
	assert done.returncode == 0, done.stderr
	assert git(config, "rev-parse", "HEAD") == env["GITHUB_SHA"]
	assert (record / "bench").read_text().splitlines() == [
		env["BENCH"],
		"--site",
		"erp.example.com",
		"frappe-stack",
		"deploy",
		"--ref",
		env["GITHUB_SHA"],
	]
	ssh = (record / "ssh").read_text().splitlines()
	assert ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "frappe@erp.example.com"] == ssh[2:7]
	key = os.path.join(env["HOME"], ".ssh", "frappe_stack")
	assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
	assert "fake" in open(key).read()


def test_a_failed_deploy_fails_the_job(production):
	script, env, _, _ = production
	assert run_step(script, env | {"BENCH_EXIT": "1"}).returncode != 0


def test_deploy_step_stops_when_the_merge_cannot_be_fetched(production):
	script, env, record, config = production
	git(config, "remote", "set-url", "origin", str(config.parent / "missing.git"))
	assert run_step(script, env).returncode != 0
	assert not (record / "bench").exists()


@pytest.mark.parametrize("code", [0, 2, 1])
def test_review_step_keeps_the_findings_and_the_exit_code_for_later_steps(written, tmp_path, code):
	root, _ = written
	review = next(step for step in steps(workflow(root, REVIEW)) if step.get("id") == "review")
	bin_dir = tmp_path / "bin"
	bin_dir.mkdir()
	fake = bin_dir / "frappe-stack"
	fake.write_text(f'#!/bin/bash\necho \'{{"version": "2.1.0", "args": "\'"$*"\'"}}\'\nexit {code}\n')
	fake.chmod(0o755)
	output = tmp_path / "github-output"
	env = {
		"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
		"GITHUB_OUTPUT": str(output),
		"BASE_REF": "main",
	}
	done = subprocess.run(
		["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", review["run"]],
		cwd=tmp_path,
		env=env,
		capture_output=True,
		text=True,
		check=False,
	)
	assert done.returncode == 0, done.stderr
	assert output.read_text() == f"exit={code}\n"
	sarif = (tmp_path / "frappe-stack.sarif").read_text()
	assert '"args": "review --sarif --env staging --path . --since origin/main"' in sarif
