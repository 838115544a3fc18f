"""`check` on real sites: this site is staging, the peer site (or this site over HTTP) is
production. Each check is seen passing and failing through the command, as CI runs it."""

import json
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import frappe
from frappe.installer import update_site_config
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import get_queue

from frappe_stack import stack
from frappe_stack.tests import desk_feature
from frappe_stack.tests.utils import (
	StackTestCase,
	add_people,
	api_user,
	bench,
	bench_serve,
	git,
	load_json,
	peer_site,
	purge_managed,
	remove_people,
)

TUESDAY = "2026-11-24T10:00+03:00"  # inside the window in Africa/Nairobi
FRIDAY_AFTERNOON = "2026-11-27T15:00+03:00"
TOML = """\
[window]
timezone = "Africa/Nairobi"
freeze = ["2026-12-24..2026-12-26"]

[thresholds]
max_related_sets = {limit}

[backup]
timeout = {timeout}
"""


@contextmanager
def worker():
	"""A background worker for the long queue, where the API's backup job runs."""
	process = subprocess.Popen(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "long"],
		cwd=Path(get_bench_path()) / "sites",
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
	)
	try:
		yield
	finally:
		process.terminate()
		process.wait(timeout=30)


class CheckSites(StackTestCase):
	"""Staging (this site) one commit ahead of production (the peer site), and `check` run on them;
	no tests of its own, so that other modules reuse the setup."""

	def setUp(self):
		super().setUp()
		purge_managed(also=desk_feature.KEYS)
		self.peer = peer_site()
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		self.labels: list[tuple[str, str]] = []
		# production already runs the example feature (commit 1); staging changes Beneficiary on top
		self.copy_example()
		self.write_settings()
		git(self.repo, "init", "-q", "-b", "main")
		git(self.repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A")
		git(self.repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
		applied = bench("frappe-stack", "apply", "--path", str(self.repo), site=self.peer)
		self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)
		beneficiary = self.repo / "blueprints" / "beneficiary.json"
		content = load_json(beneficiary)
		doctype = next(d for d in content["documents"] if d["doctype"] == "DocType")
		next(f for f in doctype["fields"] if f["fieldname"] == "village")["label"] = "Village or Settlement"
		beneficiary.write_text(json.dumps(content, indent=1))
		self.apply_here()

	def tearDown(self):
		remove_people(self.peer)
		remove_people(frappe.local.site)
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		peer_config = Path(get_bench_path()) / "sites" / self.peer / "site_config.json"
		update_site_config("backup", "None", site_config_path=str(peer_config))  # "None" removes the key
		for site, label in self.labels:
			shutil.rmtree(self.backup_folder(site, label), ignore_errors=True)
		super().tearDown()

	def write_settings(self, limit: int = 5, timeout: int = 180) -> None:
		(self.repo / "frappe-stack.toml").write_text(TOML.format(limit=limit, timeout=timeout))

	def apply_here(self) -> None:
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])

	def backup_folder(self, site: str, label: str) -> Path:
		return Path(get_bench_path()) / "sites" / site / "private" / "frappe_stack" / "backups" / label

	def check(self, *args: str, target: str | None = None, label: str = "t-pass", env=None):
		self.labels.append((self.peer if target is None else frappe.local.site, label))
		command = ["frappe-stack", "check", "--path", str(self.repo), "--label", label, "--json"]
		command += ["--target", target or self.peer, *args]
		done = bench(*command, env=env)
		self.assertIn(done.returncode, (0, 2), done.stdout + done.stderr)
		result = json.loads(done.stdout)
		return done.returncode, {r["check"]: r for r in result["results"]}, result


class TestCheck(CheckSites):
	def test_a_ready_promotion_passes_every_check_with_a_verified_backup(self):
		add_people(self.peer)
		add_people(frappe.local.site)
		code, checks, result = self.check("--at", TUESDAY)
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertFalse(result["blocked"])
		self.assertEqual(
			list(checks),
			[
				"diff clean",
				"one owner",
				"applied",
				"review",
				"smoke tests",
				"backup",
				"role coverage",
				"time window",
				"change size",
				"environment",
			],
		)
		self.assertTrue(all(c["result"] in ("pass", "warn") for c in checks.values()), checks)
		self.assertEqual(
			checks["role coverage"]["detail"], "Field Officer(1), Manager(1), Program Officer(1)"
		)
		backup = checks["backup"]["data"]
		self.assertTrue(backup["verified"])
		folder = self.backup_folder(self.peer, "t-pass")
		self.assertEqual(Path(backup["path"]).parent, folder.resolve())
		self.assertGreater(Path(backup["path"]).stat().st_size, 1000)
		self.assertIn("tabBeneficiary", backup["tables"])  # the changed DocType's table is in the dump
		self.assertIn("Tuesday 10:00 Africa/Nairobi", checks["time window"]["detail"])
		self.assertEqual(checks["change size"]["data"]["sets"], [["beneficiary"]])
		audit = frappe.get_all("Stack Audit Log", filters={"action": "check"}, fields=["result", "details"])
		self.assertEqual(len(audit), 1)
		self.assertEqual(audit[0].result, "Success")
		self.assertIn(f"target {self.peer}", audit[0].details)

	def test_a_blocked_promotion_names_every_failing_check(self):
		add_people(frappe.local.site, ["Field Officer"])  # smoke: nobody on staging may approve
		# two unrelated changes over a limit of 1; the second needs an app production lacks
		self.write_settings(limit=1)
		self.write_blueprint(
			"todo-notes",
			[
				{
					"doctype": "Custom Field",
					"name": "ToDo-stack_check_note",
					"dt": "ToDo",
					"fieldname": "stack_check_note",
					"fieldtype": "Data",
					"label": "Note",
					"insert_after": "description",
				}
			],
			requires={"erpnext": "15.0.0"},
		)
		self.apply_here()
		self.write_blueprint(
			"unsafe-script",
			[
				{
					"doctype": "Server Script",
					"name": "Stack Check Commit",
					"script_type": "API",
					"api_method": "stack_check_commit",
					"script": "frappe.db.commit()\n",
				}
			],
		)  # never applied: staging differs from the repo, and review finds the commit
		frappe.db.set_value("Number Card", "Active Beneficiaries", "label", "Edited on staging")  # drift
		frappe.db.commit()
		bench("set-config", "backup", '{"includes": ["ToDo"]}', "--parse", site=self.peer)  # a partial dump

		code, checks, result = self.check("--at", FRIDAY_AFTERNOON, label="t-blocked")
		self.assertEqual(code, 2)
		self.assertTrue(result["blocked"])
		failing = {name for name, c in checks.items() if c["result"] == "fail"}
		self.assertEqual(
			failing,
			{
				"diff clean",
				"applied",
				"review",
				"smoke tests",
				"backup",
				"role coverage",
				"time window",
				"change size",
				"environment",
			},
		)
		self.assertIn("unsafe-script never applied", checks["applied"]["detail"])
		self.assertIn("CRITICAL", checks["review"]["detail"])
		self.assertIn("Program Officer", checks["smoke tests"]["detail"])
		self.assertIn("tabDocType", checks["backup"]["detail"])
		self.assertIn("Field Officer(0)", checks["role coverage"]["detail"])
		self.assertIn("Friday 15:00 Africa/Nairobi", checks["time window"]["detail"])
		self.assertIn("split", checks["change size"]["detail"])
		self.assertIn("erpnext is not installed", checks["environment"]["detail"])
		text = bench(
			"frappe-stack",
			"check",
			"--path",
			str(self.repo),
			"--target",
			self.peer,
			"--at",
			FRIDAY_AFTERNOON,
			"--label",
			"t-blocked",
		)
		self.assertEqual(text.returncode, 2)
		self.assertIn(
			"Blocked: 9 of 10 checks failed", text.stdout
		)  # one owner: the test app is not installed
		audit = frappe.get_all("Stack Audit Log", filters={"action": "check"}, pluck="result")
		self.assertEqual(audit, ["Failed", "Failed"])

	def test_an_emergency_opens_the_window_and_is_recorded(self):
		add_people(self.peer)
		add_people(frappe.local.site)
		code, checks, result = self.check(
			"--at", FRIDAY_AFTERNOON, "--emergency", "payroll fix for the 28th", label="t-emergency"
		)
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(checks["time window"]["result"], "warn")
		self.assertIn("payroll fix for the 28th", checks["time window"]["detail"])
		self.assertEqual(result["emergency"], "payroll fix for the 28th")
		details = frappe.get_all("Stack Audit Log", filters={"action": "check"}, pluck="details")
		self.assertIn("EMERGENCY: payroll fix for the 28th", details[0])

	def test_a_target_over_http_backs_up_through_its_worker_and_times_out_without_one(self):
		add_people(frappe.local.site)
		key, secret = api_user("stack.check.api@example.com", ["Stack Manager"])
		self.addCleanup(frappe.delete_doc, "User", "stack.check.api@example.com", force=True)
		env = {"FRAPPE_STACK_API_KEY": key, "FRAPPE_STACK_API_SECRET": secret}
		with bench_serve(frappe.local.site) as url:
			with worker():
				code, checks, result = self.check("--at", TUESDAY, target=url, label="t-remote", env=env)
			self.assertEqual(checks["backup"]["result"], "pass", checks["backup"])
			self.assertEqual(
				Path(checks["backup"]["data"]["path"]).parent,
				self.backup_folder(frappe.local.site, "t-remote").resolve(),
			)
			self.assertEqual(
				checks["role coverage"]["detail"], "Field Officer(1), Manager(1), Program Officer(1)"
			)
			self.assertEqual(code, 0, json.dumps(result, indent=1))
			self.assertNotIn(secret, json.dumps(result))

			self.write_settings(timeout=4)
			try:
				code, checks, _ = self.check("--at", TUESDAY, target=url, label="t-no-worker", env=env)
			finally:
				for job in get_queue("long").get_jobs():
					if (job.kwargs.get("kwargs") or {}).get("label") == "t-no-worker":
						job.delete()
		self.assertEqual(code, 2)
		self.assertEqual(checks["backup"]["result"], "fail")
		self.assertIn("background workers", checks["backup"]["detail"])
