"""The read-only commands over HTTP, against `bench serve` on 127.0.0.1: the same answers as in
the bench, a clear one-line error for every way the connection can go wrong, and the API
secret never in any output."""

import http.server
import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager

import frappe
import requests

from frappe_stack import stack
from frappe_stack.tests.utils import (
	ServedTestCase,
	bench,
	bench_serve,
	free_port,
	purge_managed,
)


@contextmanager
def html_server():
	class Page(http.server.BaseHTTPRequestHandler):
		def do_POST(self):
			body = b"<html><body>It works!</body></html>"
			self.send_response(200)
			self.send_header("Content-Type", "text/html")
			self.send_header("Content-Length", str(len(body)))
			self.end_headers()
			self.wfile.write(body)

		def log_message(self, *args):
			pass

	server = http.server.HTTPServer(("127.0.0.1", 0), Page)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	try:
		yield f"http://127.0.0.1:{server.server_port}"
	finally:
		server.shutdown()


class TestRemote(ServedTestCase):
	def tearDown(self):
		super().tearDown()
		purge_managed(also=[("Custom Field", "ToDo-stack_test_remote_extra")])

	def cli(self, *args: str, key: str | None = None, secret: str | None = None, site: str | None = None):
		env = os.environ | {
			"FRAPPE_STACK_API_KEY": key or self.key,
			"FRAPPE_STACK_API_SECRET": secret or self.secret,
		}
		done = subprocess.run(
			[sys.executable, "-m", "frappe_stack.cli", *args, "--site-name", site or frappe.local.site],
			env=env,
			capture_output=True,
			text=True,
			timeout=300,
		)
		for secret_value in (self.secret, self.nobody_secret, secret):
			if secret_value:
				self.assertNotIn(secret_value, done.stdout + done.stderr)
		return done

	def make_differences(self):
		fields = [
			{
				"doctype": "Custom Field",
				"name": f"ToDo-stack_test_remote_{c}",
				"dt": "ToDo",
				"fieldname": f"stack_test_remote_{c}",
				"label": c.upper(),
			}
			for c in "ab"
		]
		self.write_blueprint("remote", fields)
		stack.apply(self.site, str(self.repo))
		fields[0]["label"] = "Changed In Git"
		self.write_blueprint("remote", fields)
		doc = frappe.get_doc("Custom Field", "ToDo-stack_test_remote_b")
		doc.label = "Changed In Desk"
		doc.save()
		frappe.get_doc(
			{
				"doctype": "Custom Field",
				"dt": "ToDo",
				"fieldname": "stack_test_remote_extra",
				"label": "Extra",
			}
		).insert()
		frappe.db.commit()

	def test_diff_plan_and_status_over_http_equal_the_bench(self):
		self.make_differences()
		for command in ("diff", "plan", "status"):
			args = [command, "--json"] + (["--path", str(self.repo)] if command != "status" else [])
			here = bench("frappe-stack", *args)
			there = self.cli(*args, "--url", self.url)
			self.assertEqual(there.returncode, here.returncode, there.stderr)
			self.assertEqual(json.loads(there.stdout), json.loads(here.stdout), command)
		self.assertEqual(here.returncode, 0)
		diff = json.loads(self.cli("diff", "--json", "--path", str(self.repo), "--url", self.url).stdout)
		self.assertEqual(diff["summary"]["pending"], 1)
		self.assertEqual(diff["summary"]["drift"], 1)

	def test_export_over_http_writes_what_the_bench_writes(self):
		self.make_differences()
		there = self.repo.parent / (self.repo.name + "_remote")
		here_run = bench(
			"frappe-stack", "export", "--path", str(self.repo.parent / (self.repo.name + "_bench")), "--json"
		)
		self.assertEqual(here_run.returncode, 0, here_run.stderr)
		run = self.cli("export", "--path", str(there), "--url", self.url)
		self.assertEqual(run.returncode, 0, run.stderr)
		mine = {p.name: p.read_bytes() for p in (there / "blueprints").glob("*.json")}
		theirs = {
			p.name: p.read_bytes()
			for p in (self.repo.parent / (self.repo.name + "_bench") / "blueprints").glob("*.json")
		}
		self.assertEqual(mine, theirs)

	def test_wrong_secret_is_a_401_line(self):
		done = self.cli("status", "--url", self.url, secret="not-the-secret")
		self.assertEqual(done.returncode, 1)
		self.assertIn("refused the API key (HTTP 401)", done.stderr)

	def test_a_user_without_the_roles_gets_a_403_line(self):
		done = self.cli("status", "--url", self.url, key=self.nobody_key, secret=self.nobody_secret)
		self.assertEqual(done.returncode, 1)
		self.assertIn("HTTP 403", done.stderr)
		self.assertIn("System Manager or Stack Manager", done.stderr)

	def test_guest_is_refused(self):
		for method in ("describe", "documents"):
			response = requests.post(
				f"{self.url}/api/method/frappe_stack.api.{method}",
				json={"keys": [["Role", "System Manager"]]},
				headers={"X-Frappe-Site-Name": frappe.local.site},
				timeout=30,
			)
			self.assertEqual(response.status_code, 403, method)

	def test_a_site_without_frappe_stack(self):
		bare = frappe.conf.get("frappe_stack_bare_site")
		self.assertTrue(bare, "no bare site: python3 scripts/dev.py test creates one")
		keys = bench(
			"execute", "frappe.core.doctype.user.user.generate_keys", "--args", '["Administrator"]', site=bare
		)
		secret = json.loads(keys.stdout.strip().splitlines()[-1])["api_secret"]
		key = bench(
			"execute", "frappe.db.get_value", "--args", '["User", "Administrator", "api_key"]', site=bare
		)
		with bench_serve(bare) as url:
			done = self.cli(
				"status",
				"--url",
				url,
				key=key.stdout.strip().splitlines()[-1].strip('"'),
				secret=secret,
				site=bare,
			)
		self.assertEqual(done.returncode, 1)
		self.assertIn("without frappe_stack installed", done.stderr)

	def test_a_server_that_does_not_answer(self):
		done = self.cli("status", "--url", f"http://127.0.0.1:{free_port()}")
		self.assertEqual(done.returncode, 1)
		self.assertIn("could not reach", done.stderr)

	def test_a_server_that_is_not_frappe(self):
		with html_server() as url:
			done = self.cli("status", "--url", url)
		self.assertEqual(done.returncode, 1)
		self.assertIn("does not answer like a Frappe site", done.stderr)
