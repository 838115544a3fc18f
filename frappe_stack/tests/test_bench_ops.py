"""The bench operations deploy and rollback run, on a real site: a `bench` command past its timeout
is stopped and says so, and a restore that times out leaves the site out of maintenance mode with
the reason on the Promotion."""

import json
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.installer import update_site_config
from frappe.utils import get_bench_path

from frappe_stack.site import bench_ops, promotions
from frappe_stack.tests.utils import StackTestCase
from frappe_stack.workflows.rollback import rollback

# a bench command that outlives its timeout
SLEEP = ("execute", "frappe_stack.tests.test_bench_ops.sleep", "--args", "[60]")


class TestBenchOps(StackTestCase):
	def tearDown(self):
		update_site_config("maintenance_mode", "None")  # "None" removes the key
		frappe.db.delete("Promotion", {"label": "restore-times-out"})
		frappe.db.commit()
		super().tearDown()

	def test_a_bench_command_past_its_timeout_is_stopped_and_says_so(self):
		started = time.monotonic()
		done = bench_ops.bench(frappe.local.site, *SLEEP, timeout=8)
		self.assertLess(time.monotonic() - started, 30)
		self.assertFalse(done.ok)
		self.assertIn("bench execute timed out after 8 s and was stopped", done.output)

	def test_a_restore_that_times_out_leaves_the_site_out_of_maintenance(self):
		with tempfile.NamedTemporaryFile(suffix=".sql.gz") as dump:
			name = promotions.create(
				{"label": "restore-times-out", "status": "Deployed", "backup_path": dump.name}, [], [], "t"
			)
			bench = bench_ops.bench

			def restore_that_hangs(site_name, *args, timeout=bench_ops.STEP_TIMEOUT):
				self.assertEqual(args[0], "restore")
				return bench(site_name, *SLEEP, timeout=8)  # a real process, stopped at its timeout

			with patch.object(bench_ops, "bench", restore_that_hangs):
				result = rollback(self.site, frappe.local.site, name, wait=0)
		self.assertEqual(result.status, "Failed")
		self.assertIn("timed out after 8 s", result.detail)
		config = json.loads(
			(Path(get_bench_path()) / "sites" / frappe.local.site / "site_config.json").read_text()
		)
		self.assertFalse(config.get("maintenance_mode"))
		record = promotions.get(name)
		self.assertEqual(record["status"], "Failed")
		self.assertIn("rollback failed: bench execute timed out after 8 s", record["failure_reason"])


def sleep(seconds: float) -> None:
	"""For `bench execute`: a command that takes `seconds`."""
	time.sleep(seconds)
