"""The whole flow on real sites: staging (this site) promotes to production (the peer site) through
a bare git remote and a fake GitHub on 127.0.0.1; the pull request is merged; `deploy` applies it on
production. Deploys that fail (a blueprint, then a smoke check) restore production exactly: the
row counts and checksums of the tables the deploy touched match the state before it."""

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.installer import update_site_config
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import get_queue

from frappe_stack import stack
from frappe_stack.tests import desk_feature
from frappe_stack.tests.fake_github import FakeGitHub
from frappe_stack.tests.utils import (
	PEOPLE,
	StackTestCase,
	add_people,
	bench,
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


class TestDeploy(StackTestCase):
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
		done = bench(
			"execute",
			"frappe_stack.tests.test_deploy.table_state",
			"--kwargs",
			json.dumps({"doctypes": TOUCHED}),
			site=self.peer,
		)
		self.assertEqual(done.returncode, 0, done.stderr)
		return json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))

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

	def test_promote_merge_deploy_then_diff_is_clean(self):
		self.edit(self.repo, "Village or Settlement")
		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		branch = "promote/sprint-15-20261124-1000"
		promoted = bench(
			"frappe-stack",
			"promote",
			"--path",
			str(self.repo),
			"--label",
			"sprint-15",
			"--at",
			TUESDAY,
			"--json",
			env=ENV,
		)
		self.assertEqual(promoted.returncode, 0, promoted.stdout + promoted.stderr)
		promotion = json.loads(promoted.stdout)
		(pull,) = self.github.pulls(REPO)
		# merge: what GitHub's button does to the git side, then to the API side
		git(self.prod, "fetch", "-q", "origin")
		git(
			self.prod,
			"merge",
			"-q",
			"--no-ff",
			f"origin/{branch}",
			"-m",
			f"Merge pull request #{pull.number}",
		)
		git(self.prod, "push", "-q", "origin", "main")
		merge = git(self.prod, "rev-parse", "HEAD").strip()
		self.github.merge(REPO, pull.number)

		code, result = self.deploy("--promotion", promotion["promotion"])
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(result["status"], "Deployed")
		self.assertEqual(
			[s["step"] for s in result["steps"] if s["status"] == "done"],
			["backup", "maintenance on", "migrate", "smoke", "maintenance off"],
		)
		self.assertEqual(self.village_label(), "Village or Settlement")
		diff = bench("frappe-stack", "diff", "--json", site=self.peer)
		self.assertEqual(diff.returncode, 0, diff.stdout)
		record = self.promotion(promotion["promotion"])
		self.assertEqual((record["status"], record["merge_commit"]), ("Deployed", merge))
		self.assertTrue(record["backup_path"].endswith(".sql.gz"))
		config = json.loads((Path(get_bench_path()) / "sites" / self.peer / "site_config.json").read_text())
		self.assertFalse(config.get("maintenance_mode"))
		again = bench("frappe-stack", "deploy", "--promotion", promotion["promotion"], site=self.peer)
		self.assertEqual(again.returncode, 1)
		self.assertIn("already Deployed", again.stderr)

		# a person ships the release
		shipped = bench("frappe-stack", "ship", "v0.1.0", "--no-slack", site=self.peer, env=ENV)
		self.assertEqual(shipped.returncode, 0, shipped.stdout + shipped.stderr)
		self.assertIn("v0.1.0", git(self.remote, "tag", "--list"))
		changelog = (self.prod / "CHANGELOG.md").read_text()
		self.assertIn("## [0.1.0] - ", changelog)
		self.assertIn("**beneficiary**", changelog)
		self.assertIn(promotion["promotion"], changelog)
		self.assertIn("v0.1.0", self.github.repos[REPO.lower()].releases)
		self.assertEqual(self.promotion(promotion["promotion"])["status"], "Shipped")

		# configuration rollback: the blueprints as at the base commit, data kept
		base = git(self.prod, "rev-parse", f"{merge}^1").strip()  # main before the merge
		back = bench("frappe-stack", "rollback", "--to", base, site=self.peer)
		self.assertEqual(back.returncode, 0, back.stdout + back.stderr)
		self.assertEqual(self.village_label(), "Village")
		# full rollback: the backup taken before the deploy
		refused = bench("frappe-stack", "rollback", "--promotion", promotion["promotion"], site=self.peer)
		self.assertEqual(refused.returncode, 1)  # no --yes and no one to answer the question
		restored = bench(
			"frappe-stack", "rollback", "--promotion", promotion["promotion"], "--yes", site=self.peer
		)
		self.assertEqual(restored.returncode, 0, restored.stdout + restored.stderr)
		record = self.promotion(promotion["promotion"])
		self.assertEqual(record["status"], "Rolled Back")
		self.assertIn(("deploy", "done"), [(e["step"], e["detail"].split(":")[0]) for e in record["journal"]])

	def test_a_failing_blueprint_restores_production_exactly(self):
		before = self.state()
		self.edit(self.prod, "Changed then restored")
		(self.prod / "blueprints" / "broken.json").write_text(
			json.dumps(
				{
					"blueprint": "broken",
					"documents": [
						{
							"doctype": "Server Script",
							"name": "Stack Broken Script",
							"script_type": "API",
							"api_method": "stack_broken",
							"script": "def (:\n",
						}
					],
				}
			)
		)
		sha = self.commit_on_main("a change that fails on production")
		code, result = self.deploy("--ref", sha)
		self.assertEqual(code, 1)
		self.assertEqual(result["status"], "Rolled Back")
		self.assertIn("migrate failed", result["reason"])
		self.assertEqual(self.state(), before)
		self.assert_rolled_back(result, "migrate failed")

	def test_a_failing_smoke_check_restores_production_exactly(self):
		before = self.state()
		content = load_json(self.prod / "blueprints" / "beneficiary.json")
		card = next(d for d in content["documents"] if d["doctype"] == "Number Card")
		card["filters_json"] = '[["Beneficiary", "retired_field", "=", 1, false]]'  # no such column
		(self.prod / "blueprints" / "beneficiary.json").write_text(json.dumps(content, indent=1))
		sha = self.commit_on_main("a card that cannot evaluate")
		code, result = self.deploy("--ref", sha)
		self.assertEqual(code, 1, json.dumps(result, indent=1))
		self.assertEqual(result["status"], "Rolled Back")
		self.assertIn("smoke failed", result["reason"])
		self.assertIn("Number Card Active Beneficiaries", result["reason"])
		self.assertEqual(self.state(), before)
		self.assert_rolled_back(result, "smoke failed")
		# Desk's Rollback button queues this job; run as the worker runs it, it restores the same backup
		again = bench(
			"execute",
			"frappe_stack.workflows.rollback.rollback_job",
			"--args",
			json.dumps([result["promotion"]]),
			site=self.peer,
		)
		self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
		self.assertEqual(self.state(), before)
		self.assertEqual(self.promotion(result["promotion"])["journal"][-1]["step"], "rollback")

	def test_the_rollback_button_is_for_stack_managers_and_queues_the_restore(self):
		from frappe_stack import api
		from frappe_stack.site import promotions

		name = promotions.create(
			{"label": "button", "status": "Deployed", "backup_path": "/nowhere/backup.sql.gz"}, [], [], "t"
		)
		frappe.set_user(PEOPLE["Manager"])
		with self.assertRaises(frappe.PermissionError):
			api.rollback(name)
		frappe.set_user("Administrator")
		frappe.get_doc("User", PEOPLE["Manager"]).add_roles("Stack Manager")
		frappe.set_user(PEOPLE["Manager"])
		try:
			answer = api.rollback(name)
		finally:
			frappe.set_user("Administrator")
		self.assertTrue(answer["queued"])
		queued = [
			j for j in get_queue("long").get_jobs() if (j.kwargs.get("kwargs") or {}).get("promotion") == name
		]
		self.assertEqual(len(queued), 1)
		queued[0].delete()  # not run here: the restore itself is tested through rollback_job

	def promotion(self, name: str) -> dict:
		done = bench(
			"execute", "frappe_stack.site.promotions.get", "--args", json.dumps([name]), site=self.peer
		)
		return json.loads(done.stdout)

	def village_label(self) -> str:
		done = bench(
			"execute",
			"frappe.db.get_value",
			"--args",
			'["DocField", {"parent": "Beneficiary", "fieldname": "village"}, "label"]',
			site=self.peer,
		)
		return json.loads(done.stdout)

	def test_a_deploy_killed_during_migrate_resumes_from_its_journal(self):
		self.edit(self.prod, "Village after a crash")
		sha = self.commit_on_main("a change whose first deploy dies")
		command = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", self.peer]
		first = subprocess.Popen(
			[*command, "frappe-stack", "deploy", "--ref", sha],
			cwd=Path(get_bench_path()) / "sites",
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
		)
		name = None
		for _ in range(120):
			listed = bench(
				"execute",
				"frappe.get_all",
				"--args",
				'["Promotion"]',
				"--kwargs",
				'{"pluck": "name"}',
				site=self.peer,
			)
			names = json.loads(listed.stdout.strip() or "[]")  # execute prints nothing for an empty list
			steps = [(r["step"], r["status"]) for r in self.promotion(names[0])["steps"]] if names else []
			if ("migrate", "Running") in steps:
				name = names[0]
				break
			time.sleep(0.5)
		os.killpg(first.pid, signal.SIGKILL)  # the machine dies: deploy and its migrate with it
		first.wait()
		self.assertIsNotNone(name, "the first deploy never reached migrate")
		self.assertEqual(self.promotion(name)["status"], "Deploying")
		code, result = self.deploy("--ref", sha)
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(result["promotion"], name)
		self.assertIn(
			{"step": "backup", "status": "skip", "detail": "done before the interruption"}, result["steps"]
		)
		self.assertEqual(self.village_label(), "Village after a crash")
		journal = [e["detail"] for e in self.promotion(name)["journal"] if e["step"] == "deploy"]
		self.assertIn("start: resumed", journal)

	def test_a_deploy_killed_between_two_steps_resumes_from_the_step_table(self):
		self.edit(self.prod, "Village after a kill")
		sha = self.commit_on_main("a change whose first deploy dies after its backup")
		killed = bench(
			"execute",
			"frappe_stack.tests.test_deploy.deploy_dying_after",
			"--args",
			json.dumps(["backup", sha]),
			site=self.peer,
		)
		self.assertEqual(killed.returncode, KILLED, killed.stdout + killed.stderr)
		(name,) = self.promotion_names()
		record = self.promotion(name)
		self.assertEqual(record["status"], "Deploying")
		self.assertEqual(
			[(r["step"], r["status"]) for r in record["steps"]],
			[("backup", "Success")] + [(step, "Pending") for step in DEPLOY_STEPS[1:]],
		)
		backups = sorted(self.backup_files(name))
		self.assertEqual(len(backups), 1)

		code, result = self.deploy("--ref", sha)
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(result["promotion"], name)
		self.assertEqual(
			result["steps"][0], {"step": "backup", "status": "skip", "detail": "done before the interruption"}
		)
		self.assertEqual([s["step"] for s in result["steps"] if s["status"] == "done"], DEPLOY_STEPS[1:])
		after = self.promotion(name)
		self.assertEqual(after["status"], "Deployed")
		self.assertEqual(
			[(r["step"], r["status"]) for r in after["steps"]], [(s, "Success") for s in DEPLOY_STEPS]
		)
		# the backup step ran once: its row and its file are the first run's
		self.assertEqual(after["steps"][0]["started"], record["steps"][0]["started"])
		self.assertEqual(sorted(self.backup_files(name)), backups)
		for row in after["steps"][1:]:
			self.assertGreaterEqual(row["started"], record["steps"][0]["ended"])
			self.assertLessEqual(row["started"], row["ended"])
		self.assertEqual(self.village_label(), "Village after a kill")
		config = json.loads((Path(get_bench_path()) / "sites" / self.peer / "site_config.json").read_text())
		self.assertFalse(config.get("maintenance_mode"))

	def promotion_names(self) -> list[str]:
		listed = bench(
			"execute",
			"frappe.get_all",
			"--args",
			'["Promotion"]',
			"--kwargs",
			'{"pluck": "name"}',
			site=self.peer,
		)
		return json.loads(listed.stdout.strip() or "[]")

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

	def test_refusals_concurrent_deploy_and_wrong_checkout(self):
		head = git(self.prod, "rev-parse", "HEAD").strip()
		wrong = bench("frappe-stack", "deploy", "--ref", "HEAD~0^{tree}", site=self.peer)
		self.assertEqual(wrong.returncode, 1)
		self.assertIn("check out the merged commit", wrong.stderr)
		lock_file = Path(get_bench_path()) / "sites" / self.peer / "locks" / "frappe_stack_deploy.lock"
		lock_file.parent.mkdir(exist_ok=True)
		with open(lock_file, "a+") as held:
			fcntl.flock(held, fcntl.LOCK_EX)
			busy = bench("frappe-stack", "deploy", "--ref", head, site=self.peer)
		self.assertEqual(busy.returncode, 1)
		self.assertIn("another deploy is running", busy.stderr)
		(self.prod / "stray.txt").write_text("not committed")
		dirty = bench("frappe-stack", "deploy", "--ref", head, site=self.peer)
		self.assertEqual(dirty.returncode, 1)
		self.assertIn("changes not committed: stray.txt", dirty.stderr)


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
