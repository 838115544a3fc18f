"""Promotion history survives any restore, not only deploy's own: `rollback --promotion` restores a
backup that predates a release and a later promotion, and both keep what happened to them since."""

import json

from frappe_stack.tests.deploy_helpers import DEPLOY_STEPS, DeployTestCase
from frappe_stack.tests.utils import bench, execute_json


class TestDeployHistory(DeployTestCase):
	def test_a_rollback_keeps_a_shipped_promotion_shipped_and_a_later_one_in_place(self):
		self.edit(self.prod, "Village, shipped")
		sha = self.commit_on_main("a change that is deployed, then shipped")
		code, result = self.deploy("--ref", sha)
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		shipped = result["promotion"]
		update, create = "frappe_stack.site.promotions.update", "frappe_stack.site.promotions.create"
		execute_json(update, shipped, {"status": "Shipped"}, "shipped in v0.1.0", site=self.peer)
		later = execute_json(
			create, {"label": "later", "status": "Shipped"}, [], [], "made later", site=self.peer
		)
		later_before = self.promotion(later)

		done = bench("frappe-stack", "rollback", "--promotion", shipped, "--yes", "--json", site=self.peer)
		self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

		record = self.promotion(shipped)
		details = [e["detail"] for e in record["journal"]]
		self.assertIn("shipped in v0.1.0", details)  # the release stays on its record
		self.assertEqual(record["journal"][-1]["step"], "rollback")  # and the rollback is its last event
		self.assertEqual(record["status"], "Rolled Back")
		self.assertEqual([r["status"] for r in record["steps"]], ["Success"] * len(DEPLOY_STEPS))
		after = self.promotion(later)  # made after the backup: made again as it was
		self.assertEqual(after["status"], "Shipped")
		self.assertEqual(
			[(e["status"], e["detail"]) for e in after["journal"]],
			[(e["status"], e["detail"]) for e in later_before["journal"]],
		)
