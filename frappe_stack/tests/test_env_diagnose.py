"""`env-diff` and `diagnose` on real sites: the bench commands (each site opened in turn), the same
answers over HTTP from `bench serve`, and secrets that never show."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest.mock import patch

import frappe
import requests
from frappe.installer import update_site_config
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import get_queue
from redis.exceptions import ConnectionError as RedisConnectionError
from rq.job import JobStatus
from rq.registry import StartedJobRegistry

from frappe_stack.site.runtime_info import diagnosis_facts, environment_facts
from frappe_stack.tests.utils import api_user, bench, bench_serve, peer_site

MANAGER = "stack.env.manager@example.com"
PLANTED_SECRET = "planted-0a9b8c7d-never-shown"
PROBE_METHOD = "frappe_stack.tests.env_diagnose_probe"


def site_config(site: str) -> dict:
	return json.loads((Path(get_bench_path()) / "sites" / site / "site_config.json").read_text())


def as_json(done: subprocess.CompletedProcess) -> dict:
	return json.loads(done.stdout)


def differences(env_diff: dict) -> dict[tuple[str, str], tuple]:
	return {
		(r["section"], r["key"]): (r["a"], r["b"]) for r in env_diff["rows"] if r["status"] == "different"
	}


def check(diagnosis: dict, name: str) -> dict:
	return next(r for r in diagnosis["results"] if r["check"] == name)


class TestEnvDiagnose(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.site, cls.peer = frappe.local.site, peer_site()
		cls.key, cls.secret = api_user(MANAGER, ["Stack Manager"])
		cls.serve = bench_serve(cls.site)
		cls.url = cls.serve.__enter__()

	@classmethod
	def tearDownClass(cls):
		cls.serve.__exit__(None, None, None)
		super().tearDownClass()

	def secrets(self) -> list[str]:
		values = [self.secret, PLANTED_SECRET]
		for site in (self.site, self.peer):
			values += [site_config(site).get(key) for key in ("db_password", "encryption_key")]
		return [value for value in values if value]

	def assert_no_secret(self, done: subprocess.CompletedProcess) -> None:
		for value in self.secrets():
			self.assertNotIn(value, done.stdout + done.stderr)

	def command(self, *args: str) -> subprocess.CompletedProcess:
		done = bench("frappe-stack", *args, env=self.api_env())
		self.assertIn(done.returncode, (0, 2), done.stderr)
		self.assert_no_secret(done)
		return done

	def api_env(self) -> dict:
		return {"FRAPPE_STACK_API_KEY": self.key, "FRAPPE_STACK_API_SECRET": self.secret}

	def cli(self, *args: str) -> subprocess.CompletedProcess:
		done = subprocess.run(
			[sys.executable, "-m", "frappe_stack.cli", *args],
			env=os.environ | self.api_env(),
			capture_output=True,
			text=True,
			timeout=300,
		)
		self.assertIn(done.returncode, (0, 2), done.stderr)
		self.assert_no_secret(done)
		return done

	# ---- env-diff ------------------------------------------------------------------------------

	def test_env_diff_shows_exactly_what_changed_on_the_peer_and_no_secret(self):
		before = as_json(self.command("env-diff", self.site, self.peer, "--json"))
		[zone] = [r["b"] for r in before["rows"] if r["key"] == "time zone"]
		new_zone = "America/Sao_Paulo" if zone != "America/Sao_Paulo" else "Europe/Berlin"
		args = '["System Settings", "time_zone", "%s"]'
		try:
			self.assertEqual(
				bench(
					"execute", "frappe.db.set_single_value", "--args", args % new_zone, site=self.peer
				).returncode,
				0,
			)
			self.assertEqual(
				bench("set-config", "my_api_secret", PLANTED_SECRET, site=self.peer).returncode, 0
			)
			done = self.command("env-diff", self.site, self.peer, "--json")
			text = self.command("env-diff", self.site, self.peer)
		finally:
			bench("execute", "frappe.db.set_single_value", "--args", args % zone, site=self.peer)
			bench("set-config", "my_api_secret", "None", site=self.peer)
		self.assertEqual(done.returncode, 2)
		after = differences(as_json(done))
		new = {key: value for key, value in after.items() if key not in differences(before)}
		self.assertEqual(
			new,
			{
				("site", "time zone"): (zone, new_zone),
				("config", "my_api_secret"): (None, "(secret)"),
			},
		)
		[line] = [line for line in text.stdout.splitlines() if "time zone" in line]
		self.assertTrue(line.startswith("  * time zone"), line)
		self.assertEqual(as_json(self.command("env-diff", self.site, self.peer, "--json")), before)

	def test_env_diff_of_a_site_and_its_url_finds_nothing(self):
		# the same site read in the bench and over HTTP: every fact must come out the same
		done = self.command("env-diff", self.site, self.url, "--json")
		self.assertEqual(differences(as_json(done)), {})
		self.assertEqual(done.returncode, 0)
		there = self.cli("env-diff", self.url, self.url, "--json")
		self.assertEqual(as_json(there)["rows"], as_json(done)["rows"])

	def test_environment_facts(self):
		facts = environment_facts()
		self.assertEqual(facts["site"], self.site)
		self.assertEqual(facts["apps"]["frappe"]["version"], frappe.__version__)
		self.assertIn("frappe_stack", facts["apps"])
		self.assertEqual(facts["database"]["type"], frappe.conf.db_type)
		self.assertTrue(facts["database"]["version"])
		self.assertEqual(facts["config"]["db_password"], "(secret)")
		self.assertEqual(facts["config"]["db_name"], frappe.conf.db_name)
		self.assertNotIn(frappe.conf.db_password, json.dumps(facts))

	# ---- diagnose ------------------------------------------------------------------------------

	def test_diagnose_in_the_bench_and_over_http_agree(self):
		here = self.command("diagnose", self.site, "--json")
		there = self.cli("diagnose", self.url, "--json")
		self.assertEqual(there.returncode, here.returncode)
		self.assertEqual(as_json(there), as_json(here))
		self.assertEqual(check(as_json(here), "reachable")["result"], "pass")
		self.assertEqual(check(as_json(here), "maintenance mode")["result"], "pass")

	def test_maintenance_mode_fails_diagnose_in_the_bench_and_over_http(self):
		update_site_config("maintenance_mode", 1)
		try:
			here = self.command("diagnose", self.site, "--json")
			there = self.cli("diagnose", self.url, "--json")
			text = self.command("diagnose", self.site)
		finally:
			update_site_config("maintenance_mode", "None")
			frappe.local.conf.pop("maintenance_mode", None)
		self.assertEqual(here.returncode, 2)
		self.assertEqual(check(as_json(here), "maintenance mode")["result"], "fail")
		self.assertIn("fail  maintenance mode", text.stdout)
		# the site answers nothing but 503 "SessionStopped" over HTTP: that is the finding too
		self.assertEqual(there.returncode, 2)
		self.assertEqual(check(as_json(there), "maintenance mode")["result"], "fail")
		self.assertEqual(check(as_json(there), "reachable")["result"], "pass")

	def test_errors_of_the_last_hour_are_counted(self):
		before = check(as_json(self.command("diagnose", self.site, "--json")), "errors last hour")["data"]
		try:
			for _ in range(3):
				frappe.log_error(title=PROBE_METHOD, message="a probe error")
			frappe.db.commit()
			result = check(as_json(self.command("diagnose", self.site, "--json")), "errors last hour")
		finally:
			frappe.db.delete("Error Log", {"method": PROBE_METHOD})
			frappe.db.commit()
		self.assertEqual(result["data"]["count"], before["count"] + 3)
		self.assertIn({"method": PROBE_METHOD, "count": 3}, result["data"]["top_methods"])
		self.assertIn(result["result"], ("warn", "fail"))
		self.assertIn(f"{PROBE_METHOD} (3)", result["detail"])

	def test_a_stuck_job_is_found(self):
		queue = get_queue("short")
		stuck = frappe.enqueue("frappe.ping", queue="short", timeout=60)
		waiting = frappe.enqueue("frappe.ping", queue="short", at_front=True)
		long_ago = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=2)  # RQ's naive UTC
		try:
			queue.remove(stuck)
			stuck.started_at = long_ago
			stuck.set_status(JobStatus.STARTED)
			stuck.save()
			StartedJobRegistry(queue=queue).add(stuck, 3600)
			waiting.enqueued_at = long_ago
			waiting.save()
			result = check(as_json(self.command("diagnose", self.site, "--json")), "stuck jobs")
			still_waiting = waiting.get_status(refresh=True) == JobStatus.QUEUED
		finally:
			StartedJobRegistry(queue=queue).remove(stuck)
			for job in (stuck, waiting):
				queue.remove(job)
				job.delete()
		self.assertEqual(result["result"], "fail")
		self.assertIn("frappe.ping in short", result["detail"])
		self.assertIn(stuck.id, [job["id"] for job in result["data"]["running"]])
		if still_waiting:  # a worker of another test may have run it meanwhile
			self.assertIn(waiting.id, [job["id"] for job in result["data"]["waiting"]])

	def test_a_database_or_redis_that_does_not_answer_is_a_fact(self):
		down = frappe.db.OperationalError(2003, "Can't connect to MySQL server")
		with patch.object(frappe.db, "sql", side_effect=down):
			facts = diagnosis_facts()
			environment = environment_facts()
		self.assertEqual(facts["database"]["ok"], False)
		self.assertIn("Can't connect", facts["database"]["error"])
		self.assertNotIn("scheduler", facts)
		self.assertIn("Can't connect", environment["database"]["error"])
		with patch("frappe_stack.site.queues.get_redis_conn", side_effect=RedisConnectionError("refused")):
			facts = diagnosis_facts()
		self.assertEqual(facts["queues"]["ok"], False)
		self.assertIn("refused", facts["queues"]["error"])

	def test_guest_is_refused(self):
		for method in ("environment", "diagnosis"):
			response = requests.post(
				f"{self.url}/api/method/frappe_stack.api.{method}",
				headers={"X-Frappe-Site-Name": self.site},
				timeout=30,
			)
			self.assertEqual(response.status_code, 403, method)
