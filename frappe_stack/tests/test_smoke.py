"""Smoke tests on a real site: a sample of each changed DocType is inserted, every workflow
transition is walked as a real user holding its role, cards and charts evaluate, and nothing of
it survives."""

import json

import frappe

from frappe_stack import stack
from frappe_stack.tests import desk_feature
from frappe_stack.tests.utils import StackTestCase, bench, purge_managed

OFFICERS = {
	"Field Officer": "stack.field.officer@example.com",
	"Program Officer": "stack.program.officer@example.com",
}


class TestSmoke(StackTestCase):
	def setUp(self):
		super().setUp()
		purge_managed(also=desk_feature.KEYS)
		self.copy_example()
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])

	def tearDown(self):
		for email in OFFICERS.values():
			frappe.delete_doc("User", email, force=True, ignore_missing=True)
		frappe.db.commit()
		super().tearDown()

	def give_roles(self, *roles: str) -> None:
		for role in roles:
			if not frappe.db.exists("User", OFFICERS[role]):
				frappe.get_doc(
					{
						"doctype": "User",
						"email": OFFICERS[role],
						"first_name": role,
						"send_welcome_email": 0,
						"roles": [{"role": role}],
					}
				).insert(ignore_permissions=True)
		frappe.db.commit()

	def test_the_example_feature_passes_and_leaves_nothing_behind(self):
		self.give_roles("Field Officer", "Program Officer")
		before = frappe.db.count("Beneficiary"), frappe.db.count("Version"), frappe.db.count("Comment")
		report = stack.smoke(self.site, str(self.repo))
		tests = {r.test: r for r in report.results}
		self.assertFalse(report.failed, report.text())
		self.assertEqual(tests["insert Beneficiary"].result, "pass")
		walk = "workflow Beneficiary Approval: Registered -Submit for Review-> Under Review"
		self.assertEqual(tests[walk].result, "pass")
		self.assertIn(OFFICERS["Field Officer"], tests[walk].detail)
		self.assertEqual(tests["Number Card Active Beneficiaries"].result, "pass")
		# the card counts every Beneficiary: the site's, not the samples, and as a count (no ".0")
		self.assertEqual(tests["Number Card Active Beneficiaries"].detail, f"= {before[0]}")
		self.assertEqual(tests["Dashboard Chart Beneficiaries by Village"].result, "pass")
		self.assertIn("insert Contact", tests)  # Custom Fields customize Contact
		self.assertEqual(
			(frappe.db.count("Beneficiary"), frappe.db.count("Version"), frappe.db.count("Comment")), before
		)

	def test_a_transition_whose_role_nobody_holds_fails_and_the_command_exits_2(self):
		self.give_roles("Field Officer")
		report = stack.smoke(self.site, str(self.repo))
		failed = [r for r in report.results if r.result == "fail"]
		self.assertTrue(failed, report.text())
		self.assertTrue(all("Program Officer" in r.detail for r in failed), report.text())
		done = bench("frappe-stack", "smoke", "--path", str(self.repo), "--json")
		self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
		self.assertGreaterEqual(json.loads(done.stdout)["summary"]["fail"], 1)
