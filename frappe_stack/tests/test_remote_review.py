"""`frappe-stack review --url` against `bench serve`: the same change reviewed in the bench and over
HTTP gives the same findings, counted on the same real rows, as text, JSON and SARIF; the facts
come in few requests; the `facts` endpoint refuses guests, users without the roles, and questions
that are not the review's."""

import json
import os
import subprocess
import sys

import frappe
import requests

from frappe_stack import stack
from frappe_stack.remote import RemoteError, RemoteSite
from frappe_stack.tests.utils import ServedTestCase, bench, git

REVIEWED = "Stack Test Remote Reviewed"  # a custom DocType of the repo, with rows
PLAIN = "Stack Test Remote Plain"  # made in Desk, not in the repo: setters on it read the site's definition


def reviewed(changed: bool) -> dict:
	fields = [
		{"fieldname": "title", "fieldtype": "Data", "label": "Title"},
		{"fieldname": "code", "fieldtype": "Data", "label": "Code", "length": 5 if changed else 40},
		{
			"fieldname": "status",
			"fieldtype": "Select",
			"label": "Status",
			"options": "Open\nClosed" + ("" if changed else "\nArchived"),
		},
		{"fieldname": "qty", "fieldtype": "Int" if changed else "Data", "label": "Qty"},
		{"fieldname": "email", "fieldtype": "Data", "label": "Email", "reqd": 1 if changed else 0},
	]
	return {
		"doctype": "DocType",
		"name": REVIEWED,
		"custom": 1,
		"module": "Custom",
		"fields": fields[1:] if changed else fields,  # title goes while rows hold titles
		"permissions": [{"role": "System Manager"}],
	}


def setter(field_name: str, prop: str, value: str, property_type: str) -> dict:
	"""A Property Setter on PLAIN as Customize Form writes it."""
	return {
		"doctype": "Property Setter",
		"name": f"{PLAIN}-{field_name}-{prop}",
		"doctype_or_field": "DocField",
		"doc_type": PLAIN,
		"field_name": field_name,
		"property": prop,
		"property_type": property_type,
		"value": value,
	}


CHANGE = [
	reviewed(True),
	setter("priority", "options", "High\nMedium", "Text"),
	setter("sender", "reqd", "1", "Check"),
	{
		"doctype": "Custom DocPerm",
		"name": "stack-test-remote-ghost",
		"parent": PLAIN,
		"role": "Stack Test Remote Ghost",
		"read": 1,
	},
]


def drop(doctype: str) -> None:
	frappe.delete_doc("DocType", doctype, force=True, ignore_permissions=True, ignore_missing=True)
	frappe.db.sql_ddl(f"drop table if exists `tab{doctype}`")


class TestRemoteReview(ServedTestCase):
	def setUp(self):
		super().setUp()
		drop(REVIEWED)
		drop(PLAIN)
		frappe.get_doc(
			{
				"doctype": "DocType",
				"name": PLAIN,
				"custom": 1,
				"module": "Custom",
				"fields": [
					{
						"fieldname": "priority",
						"fieldtype": "Select",
						"label": "Priority",
						"options": "High\nMedium\nLow",
					},
					{"fieldname": "sender", "fieldtype": "Data", "label": "Sender"},
				],
				"permissions": [{"role": "System Manager", "read": 1}],
			}
		).insert()
		self.write_blueprint("reviewed", [reviewed(False)])
		git(self.repo, "init", "-q")
		git(self.repo, "add", "-A")
		git(self.repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "base")
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])
		for row in (
			{"title": "First", "code": "ABCDEFGHIJ", "status": "Archived", "qty": "many", "email": ""},
			{"title": "Second", "code": "AB", "status": "Open", "qty": "3", "email": "a@example.com"},
			{"title": "", "code": "ABCDEFG", "status": "Archived", "qty": "", "email": ""},
		):
			frappe.get_doc({"doctype": REVIEWED, **row}).insert()
		for priority, sender in (("Low", ""), ("Low", "a@example.com"), ("High", ""), ("Low", "")):
			frappe.get_doc({"doctype": PLAIN, "priority": priority, "sender": sender}).insert()
		frappe.db.commit()
		self.write_blueprint("reviewed", CHANGE)

	def tearDown(self):
		frappe.db.rollback()
		drop(PLAIN)
		frappe.db.commit()
		super().tearDown()

	def cli(self, *args: str, key: str | None = None, secret: str | None = None):
		env = os.environ | {
			"FRAPPE_STACK_API_KEY": key or self.key,
			"FRAPPE_STACK_API_SECRET": secret or self.secret,
		}
		done = subprocess.run(
			[
				sys.executable,
				"-m",
				"frappe_stack.cli",
				*args,
				"--url",
				self.url,
				"--site-name",
				frappe.local.site,
			],
			env=env,
			capture_output=True,
			text=True,
			timeout=300,
		)
		for secret_value in (self.secret, self.nobody_secret):
			self.assertNotIn(secret_value, done.stdout + done.stderr)
		return done

	def remote(self) -> RemoteSite:
		return RemoteSite(self.url, self.key, self.secret, frappe.local.site)

	def test_the_bench_and_http_give_the_same_review_as_text_json_and_sarif(self):
		for output in ([], ["--json"], ["--sarif"]):
			args = ["review", "--path", str(self.repo), "--since", "HEAD", *output]
			here = bench("frappe-stack", *args)
			there = self.cli(*args)
			self.assertEqual(here.returncode, 2, here.stdout + here.stderr)
			self.assertEqual(there.returncode, 2, there.stdout + there.stderr)
			self.assertEqual(there.stdout, here.stdout, output)
		sarif = json.loads(there.stdout)
		self.assertEqual(sarif["version"], "2.1.0")
		self.assertTrue(sarif["runs"][0]["results"])

	def test_the_data_impact_counts_are_the_real_rows(self):
		report, _ = stack.review(self.remote(), str(self.repo))
		messages = {f.rule: f.message for f in report.findings}
		self.assertIn(
			f"removing field {REVIEWED}.title hides or drops values held in 2 row(s)", messages["DL001"]
		)
		self.assertIn("shrinks to 5 characters but 2 row(s) hold longer values", messages["FLD004"])
		self.assertIn(
			"changes from Data to Int but 1 row(s) hold values that are not numbers", messages["FLD003"]
		)
		drops = [f.message for f in report.findings if f.rule == "FLD002"]
		self.assertIn(f"Select {REVIEWED}.status drops option(s) Archived still held by 2 row(s)", drops)
		self.assertIn(f"Select {PLAIN}.priority drops option(s) Low still held by 3 row(s)", drops)
		mandatory = sorted(f.message for f in report.findings if f.rule == "FLD001")
		self.assertEqual(
			mandatory,
			[
				f"field {PLAIN}.sender becomes mandatory but is empty in 3 existing row(s), which then fail to save until someone fills it",
				f"field {REVIEWED}.email becomes mandatory but is empty in 2 existing row(s), which then fail to save until someone fills it",
			],
		)
		self.assertIn("Stack Test Remote Ghost", messages["PRM002"])
		self.assertEqual(report.findings, stack.review(self.site, str(self.repo))[0].findings)

	def test_the_facts_take_two_requests_beside_describe(self):
		site = self.remote()
		stack.review(site, str(self.repo))
		# describe, the facts, and the counts that wait for PLAIN's definitions from the site
		self.assertEqual(site.requests, 3)

		self.write_blueprint("reviewed", [reviewed(True)])
		site = self.remote()
		stack.review(site, str(self.repo))
		self.assertEqual(site.requests, 2)

	def test_a_user_without_the_roles_gets_a_403_line(self):
		done = self.cli("review", "--path", str(self.repo), key=self.nobody_key, secret=self.nobody_secret)
		self.assertEqual(done.returncode, 1)
		self.assertIn("HTTP 403", done.stderr)
		self.assertIn("System Manager or Stack Manager", done.stderr)

	def test_guest_is_refused(self):
		response = requests.post(
			f"{self.url}/api/method/frappe_stack.api.facts",
			json={"questions": [["count_rows", ["User"]]]},
			headers={"X-Frappe-Site-Name": frappe.local.site},
			timeout=30,
		)
		self.assertEqual(response.status_code, 403)
		self.assertNotIn('"answers"', response.text)

	def test_only_the_reviews_questions_are_answered(self):
		for question in (["_count", ["User", "name", "1=1"]], ["count_rows", [["User"]]]):
			response = requests.post(
				f"{self.url}/api/method/frappe_stack.api.facts",
				json={"questions": [["count_rows", ["User"]], question]},
				headers={
					"Authorization": f"token {self.key}:{self.secret}",
					"X-Frappe-Site-Name": frappe.local.site,
				},
				timeout=30,
			)
			self.assertEqual(response.status_code, 417, response.text)
			self.assertIn(
				"unknown question '_count'" if question[0] == "_count" else "is not a str", response.text
			)
			self.assertNotIn("message", response.json())  # no answer, not even to the good question
		with self.assertRaises(RemoteError) as caught:
			self.remote()._call("facts", {"questions": [["_count", ["User", "name", "1=1"]]]})
		self.assertIn("HTTP 417", str(caught.exception))

	def test_a_request_the_sites_frappe_stack_lacks_says_to_update_it(self):
		# what an older frappe_stack on staging answers when asked for facts
		with self.assertRaises(RemoteError) as caught:
			self.remote()._call("no_such_request", {})
		self.assertIn("runs an older frappe_stack that lacks this request (HTTP 417)", str(caught.exception))

	def test_names_from_the_wire_never_reach_sql_unchecked(self):
		hostile = [
			["count_rows", [f"{PLAIN}` where 1=1; drop table `tab{PLAIN}"]],
			["count_filled", [PLAIN, "sender` != '' or 1=1 or `sender"]],
			["count_values", [PLAIN, "priority", ["Low') or ('1'='1"]]],
			["count_rows", [PLAIN]],
		]
		answers = self.remote()._call("facts", {"questions": hostile})["answers"]
		self.assertEqual(answers, [0, 0, 0, 4])
		self.assertTrue(frappe.db.table_exists(PLAIN))
