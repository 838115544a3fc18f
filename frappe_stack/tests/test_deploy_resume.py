"""Deploys killed part-way (during migrate, between two steps) resume from their journal and step
table on production (the peer site); deploys refused (one already running, a wrong or dirty checkout)."""

import fcntl
import json
from pathlib import Path

from frappe.utils import get_bench_path

from frappe_stack.tests.deploy_helpers import DEPLOY_STEPS, KILLED, DeployTestCase
from frappe_stack.tests.utils import bench, git


class TestDeployResume(DeployTestCase):
	def test_a_deploy_killed_during_migrate_resumes_from_its_journal(self):
		self.edit(self.prod, "Village after a crash")
		sha = self.commit_on_main("a change whose first deploy dies")
		name = self.kill_during_migrate(sha)
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
			"frappe_stack.tests.deploy_helpers.deploy_dying_after",
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
