"""review on a real site: the data-impact rules count real rows of the table a change touches,
and the command's exit code and outputs follow the findings."""

import json
import subprocess

import frappe

from frappe_stack import stack
from frappe_stack.tests.utils import StackTestCase, bench

THING = "Stack Test Reviewed"


def thing(changed: bool) -> dict:
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
	if changed:
		fields = fields[1:]  # title removed while rows hold titles
	return {
		"doctype": "DocType",
		"name": THING,
		"custom": 1,
		"module": "Custom",
		"fields": fields,
		"permissions": [{"role": "System Manager"}],
	}


class TestReviewOnRealRows(StackTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.sql_ddl(f"drop table if exists `tab{THING}`")
		self.write_blueprint("reviewed", [thing(False)])
		git = ["git", "-C", str(self.repo)]
		subprocess.run(git + ["init", "-q"], check=True)
		subprocess.run(git + ["add", "-A"], check=True)
		subprocess.run(
			git + ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base"], check=True
		)
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])
		rows = [
			{"title": "First", "code": "ABCDEFGHIJ", "status": "Archived", "qty": "many", "email": ""},
			{"title": "Second", "code": "AB", "status": "Open", "qty": "3", "email": "a@example.com"},
			{"title": "", "code": "ABCDEFG", "status": "Archived", "qty": "", "email": ""},
		]
		for row in rows:
			frappe.get_doc({"doctype": THING, **row}).insert()
		frappe.db.commit()

	def findings(self, report, severity: str, *words: str) -> list:
		return [f for f in report.findings if f.severity == severity and all(w in f.message for w in words)]

	def test_each_data_impact_rule_counts_the_real_rows(self):
		self.write_blueprint("reviewed", [thing(True)])
		report, _ = stack.review(self.site, str(self.repo))
		self.assertTrue(report.blocking)
		self.assertTrue(
			self.findings(report, "CRITICAL", "title", "2"), report.text()
		)  # removed, 2 rows hold data
		self.assertTrue(
			self.findings(report, "HIGH", "code", "2"), report.text()
		)  # length 5 truncates 2 values
		self.assertTrue(self.findings(report, "HIGH", "status", "Archived", "2"), report.text())  # narrowed
		self.assertTrue(self.findings(report, "HIGH", "qty", "1"), report.text())  # "many" is not a number
		self.assertTrue(self.findings(report, "HIGH", "email", "2"), report.text())  # mandatory, 2 rows empty

	def test_a_harmless_change_does_not_block_and_the_command_says_so(self):
		harmless = thing(False)
		harmless["fields"][0]["label"] = "Headline"
		self.write_blueprint("reviewed", [harmless])
		report, _ = stack.review(self.site, str(self.repo))
		self.assertFalse(report.blocking, report.text())
		done = bench("frappe-stack", "review", "--path", str(self.repo), "--json")
		self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
		self.assertIn("findings", json.loads(done.stdout))

	def test_the_command_blocks_with_exit_2_and_writes_sarif(self):
		self.write_blueprint("reviewed", [thing(True)])
		done = bench("frappe-stack", "review", "--path", str(self.repo), "--sarif")
		self.assertEqual(done.returncode, 2, done.stderr)
		sarif = json.loads(done.stdout)
		self.assertEqual(sarif["version"], "2.1.0")
		uris = {
			r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
			for r in sarif["runs"][0]["results"]
		}
		self.assertEqual(uris, {"blueprints/reviewed.json"})
		text = bench("frappe-stack", "review", "--path", str(self.repo))
		self.assertEqual(text.returncode, 2)
		self.assertIn("CRITICAL", text.stdout)
