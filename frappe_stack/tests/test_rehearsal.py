"""`deploy --rehearse` on real sites: production (the peer site) is copied from its backup into a
scratch site of this bench, the deploy runs there, and the scratch site is dropped. A rehearsal
that catches a failing blueprint leaves production exactly as it was (the checksums of the tables a
deploy touches) and its Promotion in its status, with only the rehearsal's event and audit row;
a passing one changes nothing on production either. Two rehearsals only: each restores a site."""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import frappe
from frappe.installer import update_site_config
from frappe.utils import get_bench_path

from frappe_stack.tests.deploy_helpers import touched_state
from frappe_stack.tests.utils import (
	EXAMPLE_REPO,
	StackTestCase,
	bench,
	execute_json,
	git,
	load_json,
	peer_site,
	purge_managed,
)
from frappe_stack.workflows.promoting import PROMOTIONS_DIR

PROMOTION = "PROMO-REHEARSAL-0001"
EXIT_FAILED_REHEARSAL = 2


class TestRehearsal(StackTestCase):
	def setUp(self):
		super().setUp()
		self.peer = peer_site()
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		self.folder = Path(tempfile.mkdtemp(prefix="frappe_stack_rehearsal_"))
		# production's checkout of the config repo, applied by its migrate
		self.prod = self.folder / "prod-checkout"
		shutil.copytree(EXAMPLE_REPO / "blueprints", self.prod / "blueprints")
		git(self.prod, "init", "-q", "-b", "main")
		git(self.prod, "config", "user.name", "Deployer")
		git(self.prod, "config", "user.email", "deploy@example.com")
		git(self.prod, "add", "-A")
		git(self.prod, "commit", "-qm", "base")
		bench("set-config", "frappe_stack_blueprints", str(self.prod), site=self.peer)
		applied = bench("frappe-stack", "apply", site=self.peer)
		self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)
		created = bench(
			"execute",
			"frappe_stack.site.promotions.create",
			"--args",
			json.dumps(
				[{"name": PROMOTION, "label": "rehearsal", "status": "Merged"}, [], [], "merged by hand"]
			),
			site=self.peer,
		)
		self.assertEqual(created.returncode, 0, created.stdout + created.stderr)

	def tearDown(self):
		peer_config = Path(get_bench_path()) / "sites" / self.peer / "site_config.json"
		update_site_config("frappe_stack_blueprints", "None", site_config_path=str(peer_config))
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		bench("execute", "frappe.db.delete", "--args", '["Promotion"]', site=self.peer)
		backups = Path(get_bench_path()) / "sites" / self.peer / "private" / "frappe_stack" / "backups"
		shutil.rmtree(backups, ignore_errors=True)
		shutil.rmtree(self.folder, ignore_errors=True)
		purge_managed()
		super().tearDown()

	def state(self) -> dict:
		"""Row counts and checksums of the tables a deploy touches, on production."""
		return touched_state(self.peer)

	def promotion(self) -> dict:
		return execute_json("frappe_stack.site.promotions.get", PROMOTION, site=self.peer)

	def audit(self) -> list[dict]:
		fields = ["action", "result", "details"]
		rows = execute_json(
			"frappe.get_all", "Stack Audit Log", site=self.peer, fields=fields, order_by="creation asc"
		)
		return rows or []

	def commit(self, message: str) -> str:
		git(self.prod, "add", "-A")
		git(self.prod, "commit", "-qm", message)
		return git(self.prod, "rev-parse", "HEAD").strip()

	def rehearse(self, *args: str) -> tuple[int, dict]:
		done = bench("frappe-stack", "deploy", "--rehearse", "--json", *args, site=self.peer)
		self.assertIn(done.returncode, (0, EXIT_FAILED_REHEARSAL), done.stdout + done.stderr)
		return done.returncode, json.loads(done.stdout)

	def assert_scratch_gone(self, result: dict) -> None:
		self.assertTrue(result["scratch"].startswith(f"{self.peer}-rehearsal-"))
		sites = Path(get_bench_path()) / "sites"
		self.assertFalse((sites / result["scratch"]).exists())
		self.assertEqual([], [p.name for p in sites.glob(f"{self.peer}-rehearsal-*")])
		# the database new-site made: named, as Frappe names it, from the site folder's path
		database = "_" + hashlib.sha1(os.path.realpath(sites / result["scratch"]).encode()).hexdigest()[:16]
		self.assertEqual(frappe.db.sql("show databases like %s", database), ())
		self.assertEqual(
			("drop scratch site", "done"), tuple(result["steps"][-1][k] for k in ("step", "status"))
		)

	def test_a_rehearsal_catches_a_failing_blueprint_and_production_does_not_change(self):
		(self.prod / "blueprints" / "broken.json").write_text(
			json.dumps(
				{
					"blueprint": "broken",
					"documents": [
						{
							"doctype": "Custom Field",
							"name": "Beneficiary-ward",
							"dt": "Beneficiary",
							"fieldname": "ward",
							"fieldtype": "Link",
							"label": "Ward",
							"options": "Stack No Such Ward",
						}
					],
				}
			)
		)
		(self.prod / PROMOTIONS_DIR).mkdir()
		(self.prod / PROMOTIONS_DIR / f"{PROMOTION}.json").write_text(json.dumps({"label": "rehearsal"}))
		sha = self.commit("a link to a DocType that does not exist")
		before, record_before = self.state(), self.promotion()

		code, result = self.rehearse("--promotion", PROMOTION)

		self.assertEqual(code, EXIT_FAILED_REHEARSAL, json.dumps(result, indent=1))
		self.assertFalse(result["passed"])
		self.assertIn("deploy failed: migrate failed", result["reason"])
		self.assertIn(("deploy: migrate", "failed"), [(s["step"], s["status"]) for s in result["steps"]])
		self.assertEqual(self.state(), before)
		record = self.promotion()
		self.assertEqual(record["status"], record_before["status"])
		self.assertEqual(record["steps"], [])
		self.assertEqual(len(record["journal"]), len(record_before["journal"]) + 1)
		event = record["journal"][-1]
		self.assertEqual(event["step"], "rehearsal")
		self.assertIn(f"at {sha[:12]} failed: deploy failed: migrate failed", event["detail"])
		rehearsal = [row for row in self.audit() if row["action"] == "rehearsal"]
		self.assertEqual([row["result"] for row in rehearsal], ["Failed"])
		self.assertIn(PROMOTION, rehearsal[0]["details"])
		self.assertIn("migrate failed", rehearsal[0]["details"])
		self.assert_scratch_gone(result)

	def test_a_passing_rehearsal_deploys_on_the_scratch_site_only(self):
		beneficiary = self.prod / "blueprints" / "beneficiary.json"
		content = load_json(beneficiary)
		doctype = next(d for d in content["documents"] if d["doctype"] == "DocType")
		next(f for f in doctype["fields"] if f["fieldname"] == "village")["label"] = "Rehearsed Village"
		beneficiary.write_text(json.dumps(content, indent=1))
		sha = self.commit("a change that deploys")
		before = self.state()

		code, result = self.rehearse("--ref", sha)

		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertTrue(result["passed"])
		self.assertEqual(
			[
				s["step"]
				for s in result["steps"]
				if s["step"].startswith("deploy: ") and s["status"] == "done"
			],
			[
				f"deploy: {step}"
				for step in ("backup", "maintenance on", "migrate", "smoke", "maintenance off")
			],
		)
		self.assertEqual(self.state(), before)  # the new label went to the scratch site only
		self.assertEqual(self.promotion()["status"], "Merged")
		config = json.loads((Path(get_bench_path()) / "sites" / self.peer / "site_config.json").read_text())
		self.assertFalse(config.get("maintenance_mode"))
		self.assertIn(("rehearsal", "Success"), [(row["action"], row["result"]) for row in self.audit()])
		self.assert_scratch_gone(result)
