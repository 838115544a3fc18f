"""A fault at each deploy step, on real sites (DeployTestCase's staging and production): the
backup, maintenance on, smoke and maintenance off break inside the deploy's own process (the bench
operation patched to raise); migrate fails for real, on a Link to a DocType that does not exist
(validation) and on a Server Script that does not compile (the applier); and a deploy killed with
SIGKILL in the middle of migrate is run again. Each ends with production's tables as before the
deploy, maintenance off, the real error on the Promotion's failing step, in the deploy's result and
in the audit log, and the history of every Promotion intact."""

import json
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.utils import get_bench_path

from frappe_stack.tests.deploy_helpers import DeployTestCase
from frappe_stack.tests.utils import bench, execute_json, load_json

INJECTED = ("backup", "maintenance on", "smoke", "maintenance off")
LEDGER = ("tabBlueprint", "tabBlueprint Document")  # re-recorded on purpose after a failed apply
MISSING_LINK = "points at DocType 'No Such Thing', which is neither on the site nor in any blueprint"
BROKEN_SCRIPT = {
	"doctype": "Server Script",
	"name": "Stack Broken Script",
	"script_type": "API",
	"api_method": "stack_broken",
	"script": "def (:\n",
}
BROKEN = "create Server Script 'Stack Broken Script'"


class TestDeployFaults(DeployTestCase):
	def test_a_fault_at_each_step_leaves_production_as_it_was(self):
		history = {}
		for number, step in enumerate(INJECTED):
			with self.subTest(step=step):
				self.edit(self.prod, f"Village, try {number}")
				sha = self.commit_on_main(f"a change whose deploy breaks at {step}")
				before = self.state()
				result = execute_json(
					"frappe_stack.tests.test_deploy_faults.deploy_failing_at", step, sha, site=self.peer
				)
				self.assertEqual(self.state(), before)
				expected = "Failed" if step == "backup" else "Rolled Back"  # nothing changed yet: no restore
				self.assert_fault_kept(result, step, f"OSError: injected: {step} broke", expected)
				self.assert_history_kept(history)
				history[result["promotion"]] = self.promotion(result["promotion"])

	def test_a_failing_migrate_keeps_its_error_and_so_does_a_kill_during_migrate(self):
		blueprint = self.prod / "blueprints" / "beneficiary.json"
		content = load_json(blueprint)
		doctype = next(d for d in content["documents"] if d["doctype"] == "DocType")
		sponsor = {
			"fieldname": "sponsor",
			"fieldtype": "Link",
			"label": "Sponsor",
			"options": "No Such Thing",
		}
		doctype["fields"].append(sponsor)
		blueprint.write_text(json.dumps(content, indent=1))
		sha = self.commit_on_main("a Link to a DocType that does not exist")
		before = self.state()
		code, result = self.deploy("--ref", sha)
		self.assertEqual(code, 1, json.dumps(result, indent=1))
		self.assertEqual(self.state(), before)
		self.assert_fault_kept(result, "migrate", MISSING_LINK, "Rolled Back")
		history = {result["promotion"]: self.promotion(result["promotion"])}

		# valid, but the applier fails on it: beneficiary, applied before, is Failed after the restore
		doctype["fields"].remove(sponsor)
		content["documents"].append(BROKEN_SCRIPT)
		blueprint.write_text(json.dumps(content, indent=1))
		sha = self.commit_on_main("a Server Script that does not compile, in beneficiary")
		before = self.state()
		code, result = self.deploy("--ref", sha)
		self.assertEqual(code, 1, json.dumps(result, indent=1))
		self.assertEqual(self.without_ledger(self.state()), self.without_ledger(before))
		self.assert_fault_kept(result, "migrate", BROKEN, "Rolled Back")
		self.assertIn("beneficiary: ", result["reason"])
		status = bench("frappe-stack", "status", site=self.peer)
		beneficiary = next(line for line in status.stdout.splitlines() if " beneficiary " in line)
		self.assertIn("Failed", beneficiary, status.stdout)
		self.assertIn(BROKEN, status.stdout)
		self.assert_history_kept(history)
		history[result["promotion"]] = self.promotion(result["promotion"])

		# the same script again, killed in the middle of migrate, then run again: it resumes, fails
		# the same way and restores the backup taken before the kill
		self.edit(self.prod, "Village before a kill")
		sha = self.commit_on_main("the same script, deployed again and killed")
		before = self.state()
		name = self.kill_during_migrate(sha)
		code, result = self.deploy("--ref", sha)
		self.assertEqual(code, 1, json.dumps(result, indent=1))
		self.assertEqual(result["promotion"], name)
		self.assertEqual(self.without_ledger(self.state()), self.without_ledger(before))
		self.assert_fault_kept(result, "migrate", BROKEN, "Rolled Back")
		self.assertIn("start: resumed", [e["detail"] for e in self.promotion(name)["journal"]])
		self.assert_history_kept(history)

	def without_ledger(self, state: dict) -> dict:
		return {table: value for table, value in state.items() if table not in LEDGER}

	def assert_fault_kept(self, result: dict, step: str, error: str, status: str) -> None:
		"""The error on the failing step's row, in the result, the Promotion and the audit log;
		maintenance off."""
		self.assertEqual(result["status"], status, json.dumps(result, indent=1))
		self.assertIn(error, result["reason"])
		record = self.promotion(result["promotion"])
		self.assertEqual(record["status"], status)
		self.assertIn(error, record["failure_reason"])
		(row,) = [r for r in record["steps"] if r["step"] == step]
		self.assertEqual(row["status"], "Failure")
		self.assertIn(error, row["error"])
		self.assertIn((step, "start"), [(e["step"], e["detail"]) for e in record["journal"]])
		(audited,) = execute_json(
			"frappe.get_all",
			"Stack Audit Log",
			site=self.peer,
			filters={"action": "deploy", "result": "Failed"},
			pluck="details",
			order_by="creation desc",
			limit=1,
		)
		self.assertIn(error, audited)
		self.assertIn(result["promotion"], audited)
		config = json.loads((Path(get_bench_path()) / "sites" / self.peer / "site_config.json").read_text())
		self.assertFalse(config.get("maintenance_mode"))

	def assert_history_kept(self, history: dict) -> None:
		"""The promotions of the earlier faults, as they were: a restore gives no record back older."""
		for name, record in history.items():
			self.assertEqual(self.promotion(name)["status"], record["status"])
			self.assertEqual(
				[(e["step"], e["detail"]) for e in self.promotion(name)["journal"]],
				[(e["step"], e["detail"]) for e in record["journal"]],
			)


def deploy_failing_at(step: str, ref: str) -> dict:
	"""For `bench execute`: deploy `ref` on this site with the bench operation of `step` raising, in
	this process (maintenance off breaks once: the deploy's own clean-up switches it off again)."""
	from frappe_stack.site import bench_ops
	from frappe_stack.site.frappe_site import FrappeSite
	from frappe_stack.workflows.deploy import deploy

	real_maintenance = bench_ops.set_maintenance
	broken = {"done": False}

	def fail(*args, **kwargs):
		raise OSError(f"injected: {step} broke")

	def maintenance(on: bool) -> None:
		if on == (step == "maintenance on") and not broken["done"]:
			broken["done"] = True
			fail()
		real_maintenance(on)

	name = {"backup": "backup", "smoke": "smoke"}.get(step, "set_maintenance")
	with patch.object(bench_ops, name, maintenance if name == "set_maintenance" else fail):
		return deploy(FrappeSite(), frappe.local.site, None, ref, None).as_dict()
