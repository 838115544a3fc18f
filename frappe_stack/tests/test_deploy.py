"""The whole flow on real sites: staging (this site) promotes to production (the peer site) through
a bare git remote and a fake GitHub on 127.0.0.1; the pull request is merged; `deploy` applies it on
production. Deploys that fail (a blueprint, then a smoke check) restore production exactly: the
row counts and checksums of the tables the deploy touched match the state before it."""

import json
from pathlib import Path

import frappe
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import get_queue

from frappe_stack.tests.deploy_helpers import ENV, REPO, DeployTestCase
from frappe_stack.tests.utils import PEOPLE, bench, git, load_json


class TestDeploy(DeployTestCase):
	def test_promote_merge_deploy_then_diff_is_clean(self):
		promotion = self.promote_and_merge("sprint-15")
		self.assertEqual(promotion["branch"], "promote/sprint-15-20261124-1000")
		merge = git(self.prod, "rev-parse", "HEAD").strip()

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
