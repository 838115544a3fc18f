"""What the deploy tests share: staging (this site) promotes to production (the peer site) through
a bare git remote and a fake GitHub on 127.0.0.1; the set-up and tear-down of both sites, and the
`bench execute` helpers the tests run on production."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.installer import update_site_config
from frappe.utils import get_bench_path

from frappe_stack import stack
from frappe_stack.site.bench_process import start_bench
from frappe_stack.tests import desk_feature
from frappe_stack.tests.fake_github import FakeGitHub
from frappe_stack.tests.utils import (
	StackTestCase,
	add_people,
	bench,
	execute_json,
	git,
	load_json,
	peer_site,
	purge_managed,
	remove_people,
)

TUESDAY = "2026-11-24T10:00+03:00"
REPO = "acme/erp-config"
TOKEN = "ghp_deploy0test0token0never0shown"
ENV = {"FRAPPE_STACK_GITHUB_TOKEN": TOKEN}
SETTINGS = """\
[environments.production]
site = "{peer}"

[window]
timezone = "Africa/Nairobi"

[github]
repo = "{repo}"
api_url = "{url}"

[reviewers]
rotation = ["ana", "bo"]
"""
DEPLOY_STEPS = ["backup", "maintenance on", "migrate", "smoke", "maintenance off"]
KILLED = 9  # the exit code of a deploy killed on purpose between two steps
# What a deploy can touch: the restore must give all of them back exactly.
TOUCHED = (
	"DocType",
	"DocField",
	"DocPerm",
	"Custom Field",
	"Server Script",
	"Number Card",
	"Workflow",
	"Blueprint",
	"Blueprint Document",
	"Version",
	"Beneficiary",
)


class DeployTestCase(StackTestCase):
	def setUp(self):
		super().setUp()
		purge_managed(also=desk_feature.KEYS)
		self.peer = peer_site()
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		self.scratch = Path(tempfile.mkdtemp(prefix="frappe_stack_deploy_"))
		self.remote = self.scratch / "config.git"
		subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.remote)], check=True)
		self.github = FakeGitHub(TOKEN)
		self.github.__enter__()
		self.github.add_repo(REPO, collaborators=("ana", "bo"))
		self.github.mirror(REPO, str(self.remote))
		self.copy_example()
		(self.repo / "frappe-stack.toml").write_text(
			SETTINGS.format(peer=self.peer, repo=REPO, url=self.github.url)
		)
		git(self.repo, "init", "-q", "-b", "main")
		self.init_git(self.repo)
		git(self.repo, "add", "-A")
		git(self.repo, "commit", "-qm", "base")
		git(self.repo, "remote", "add", "origin", str(self.remote))
		git(self.repo, "push", "-q", "origin", "main")
		# production: its own checkout of the config repo, applied by its migrate
		self.prod = self.scratch / "prod-checkout"
		subprocess.run(["git", "clone", "-q", str(self.remote), str(self.prod)], check=True)
		self.init_git(self.prod)
		bench("set-config", "frappe_stack_blueprints", str(self.prod), site=self.peer)
		applied = bench("frappe-stack", "apply", site=self.peer)
		self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)
		add_people(self.peer)
		# staging runs the same feature (its roles must exist before people can hold them)
		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		add_people(frappe.local.site)

	def tearDown(self):
		self.github.__exit__(None, None, None)
		remove_people(self.peer)
		remove_people(frappe.local.site)
		peer_config = Path(get_bench_path()) / "sites" / self.peer / "site_config.json"
		update_site_config("frappe_stack_blueprints", "None", site_config_path=str(peer_config))
		update_site_config("maintenance_mode", "None", site_config_path=str(peer_config))
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		bench("execute", "frappe.db.delete", "--args", '["Promotion"]', site=self.peer)
		backups = Path(get_bench_path()) / "sites" / self.peer / "private" / "frappe_stack" / "backups"
		shutil.rmtree(backups, ignore_errors=True)
		shutil.rmtree(self.scratch, ignore_errors=True)
		frappe.db.delete("Promotion")
		frappe.db.commit()
		super().tearDown()

	def init_git(self, repo: Path) -> None:
		git(repo, "config", "user.name", "Deployer")
		git(repo, "config", "user.email", "deploy@example.com")

	def edit(self, repo: Path, village_label: str) -> None:
		beneficiary = repo / "blueprints" / "beneficiary.json"
		content = load_json(beneficiary)
		doctype = next(d for d in content["documents"] if d["doctype"] == "DocType")
		next(f for f in doctype["fields"] if f["fieldname"] == "village")["label"] = village_label
		beneficiary.write_text(json.dumps(content, indent=1))

	def state(self) -> dict:
		"""Row counts and checksums of the tables a deploy touches, on production."""
		return touched_state(self.peer)

	def deploy(self, *args: str):
		done = bench("frappe-stack", "deploy", "--json", *args, site=self.peer, env=ENV)
		self.assertIn(done.returncode, (0, 1), done.stdout + done.stderr)
		return done.returncode, json.loads(done.stdout)

	def commit_on_main(self, message: str) -> str:
		"""A change merged straight into main (for the failure tests); production checks it out."""
		git(self.prod, "add", "-A")
		git(self.prod, "commit", "-qm", message)
		git(self.prod, "push", "-q", "origin", "main")
		return git(self.prod, "rev-parse", "HEAD").strip()

	def promotion(self, name: str) -> dict:
		return execute_json("frappe_stack.site.promotions.get", name, site=self.peer)

	def village_label(self) -> str:
		where = {"parent": "Beneficiary", "fieldname": "village"}
		return execute_json("frappe.db.get_value", "DocField", where, "label", site=self.peer)

	def promotion_names(self) -> list[str]:
		return execute_json("frappe.get_all", "Promotion", site=self.peer, pluck="name") or []

	def promote_and_merge(self, label: str) -> dict:
		"""The PM changes Beneficiary on staging and promotes; the pull request is merged into main,
		which production's checkout is then at. The promotion, as promote prints it."""
		self.edit(self.repo, "Village or Settlement")
		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		promoted = bench(
			"frappe-stack",
			"promote",
			"--path",
			str(self.repo),
			"--label",
			label,
			"--at",
			TUESDAY,
			"--json",
			env=ENV,
		)
		self.assertEqual(promoted.returncode, 0, promoted.stdout + promoted.stderr)
		promotion = json.loads(promoted.stdout)
		(pull,) = self.github.pulls(REPO)
		git(self.prod, "fetch", "-q", "origin")
		git(
			self.prod,
			"merge",
			"-q",
			"--no-ff",
			f"origin/{promotion['branch']}",
			"-m",
			f"Merge #{pull.number}",
		)
		git(self.prod, "push", "-q", "origin", "main")
		self.github.merge(REPO, pull.number)
		return promotion

	def kill_during_migrate(self, sha: str) -> str:
		"""Deploy `sha` on production and SIGKILL the deploy and its `bench migrate` while migrate runs;
		the name of the Promotion it left Deploying."""
		known = set(self.promotion_names())
		marker = Path(self.scratch) / "migrate.pid"
		marker.unlink(missing_ok=True)
		first = subprocess.Popen(
			[
				sys.executable,
				*("-m", "frappe.utils.bench_helper", "frappe", "--site", self.peer, "execute"),
				"frappe_stack.tests.deploy_helpers.deploy_signalling_migrate",
				*("--args", json.dumps([sha, str(marker)])),
			],
			cwd=Path(get_bench_path()) / "sites",
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
		)
		deadline = time.monotonic() + 600
		while not marker.exists() and first.poll() is None and time.monotonic() < deadline:
			time.sleep(0.1)
		with suppress(ProcessLookupError):
			os.killpg(first.pid, signal.SIGKILL)  # the machine dies: deploy and its migrate with it
		first.wait()
		self.assertTrue(marker.exists(), "the deploy never reached migrate")
		(name,) = [n for n in self.promotion_names() if n not in known]
		self.assertEqual(self.promotion(name)["status"], "Deploying")
		return name

	def backup_files(self, promotion: str) -> list[str]:
		folder = (
			Path(get_bench_path()) / "sites" / self.peer / "private" / "frappe_stack" / "backups" / promotion
		)
		return [str(path) for path in folder.glob("*.sql.gz")]

	def assert_rolled_back(self, result: dict, reason: str) -> None:
		record = self.promotion(result["promotion"])
		self.assertEqual(record["status"], "Rolled Back")
		self.assertIn(reason, record["failure_reason"])
		steps = [(e["step"], e["detail"].split(":")[0]) for e in record["journal"]]
		self.assertIn(("migrate", "start"), steps)  # the journal written before the restore survived it
		self.assertEqual(steps[-2:], [("deploy", "rolled back"), ("revert", "revert pull request #1")])
		config = json.loads((Path(get_bench_path()) / "sites" / self.peer / "site_config.json").read_text())
		self.assertFalse(config.get("maintenance_mode"))
		self.assertTrue(result["revert_pr"])
		(revert,) = [p for p in self.github.pulls(REPO) if p.head.startswith("revert/")]
		self.assertIn(reason, revert.body)
		self.assertEqual(sorted(revert.labels), ["promotion", "revert"])


def deploy_dying_after(step: str, ref: str) -> None:
	"""For `bench execute`: deploy `ref` on this site and die, as a killed machine does (no cleanup,
	no `finally`), the moment `step`'s row is saved as Success."""
	from frappe_stack.site import promotions
	from frappe_stack.site.frappe_site import FrappeSite
	from frappe_stack.workflows.deploy import deploy

	save = promotions.save_step

	def save_then_die(name: str, row: dict, note: str = "") -> None:
		save(name, row, note)
		if (row["step"], row["status"]) == (step, "Success"):
			os._exit(KILLED)

	with patch.object(promotions, "save_step", save_then_die):
		deploy(FrappeSite(), frappe.local.site, None, ref, None)


def deploy_signalling_migrate(ref: str, marker: str) -> None:
	"""For `bench execute`: deploy `ref` on this site with its `bench migrate` in this process's group
	(so that killing the group kills migrate with it, as a dying machine does) and write migrate's
	pid to `marker` the moment it started, so that a test kills it in the middle without polling."""
	from frappe_stack.site import bench_ops
	from frappe_stack.site.frappe_site import FrappeSite
	from frappe_stack.workflows.deploy import deploy

	def run_in_this_group(args: list[str], timeout: float) -> tuple[int | None, str]:
		process = start_bench(args, own_group=False)
		if "migrate" in args:
			Path(marker).write_text(str(process.pid))
		output, _ = process.communicate(timeout=timeout)
		return process.returncode, output

	with patch.object(bench_ops, "run_bench", run_in_this_group):
		deploy(FrappeSite(), frappe.local.site, None, ref, None)


def touched_state(site: str) -> dict:
	"""table_state of the tables a deploy touches, read on `site` by another process."""
	return execute_json(f"{table_state.__module__}.table_state", site=site, doctypes=TOUCHED)


def table_state(doctypes) -> None:
	"""For `bench execute`: {table: [rows, checksum]} of the tables that exist, as one JSON line."""
	state = {}
	for doctype in doctypes:
		if frappe.db.table_exists(doctype):
			table = f"tab{doctype}"
			rows = frappe.db.sql(f"select count(*) from `{table}`")[0][0]
			checksum = frappe.db.sql(f"checksum table `{table}`")[0][1]
			state[table] = [rows, str(checksum)]
	print(json.dumps(state, sort_keys=True))
