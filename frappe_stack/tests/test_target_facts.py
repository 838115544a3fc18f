"""What the pre-promote checks read off a target site, on a real site: who holds the roles a change
hands work to, and which of them the site does not have at all (the role coverage check tells
"nobody holds it" from "it does not exist")."""

import frappe

from frappe_stack.checks.role_coverage import role_coverage_check
from frappe_stack.site.frappe_site import FrappeSite
from frappe_stack.tests.utils import StackTestCase

HELD = "Stack Facts Holder Role"
UNHELD = "Stack Facts Unheld Role"
ABSENT = "Stack Facts Absent Role"
USER = "stack.facts.holder@example.com"


class TestTargetFacts(StackTestCase):
	def setUp(self):
		super().setUp()
		for role in (HELD, UNHELD):
			frappe.get_doc({"doctype": "Role", "role_name": role}).insert(ignore_if_duplicate=True)
		user = frappe.get_doc(
			{"doctype": "User", "email": USER, "first_name": "Holder", "send_welcome_email": 0}
		)
		user.append("roles", {"role": HELD})
		user.insert(ignore_if_duplicate=True)
		frappe.db.commit()

	def tearDown(self):
		frappe.delete_doc("User", USER, force=True, ignore_permissions=True)
		for role in (HELD, UNHELD):
			frappe.delete_doc("Role", role, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDown()

	def test_held_unheld_and_absent_roles_are_told_apart(self):
		facts = FrappeSite().target_facts([HELD, UNHELD, ABSENT], ["ToDo", "Stack Facts No DocType"])
		self.assertEqual(facts["roles"], {HELD: 1, UNHELD: 0, ABSENT: 0})
		self.assertEqual(facts["roles_absent"], [ABSENT])
		self.assertEqual(facts["doctypes"], ["ToDo"])
		self.assertIn("frappe_stack", facts["apps"])

		result = role_coverage_check(facts["roles"], "production", frozenset(), facts["roles_absent"])
		self.assertEqual(result.result, "fail")
		self.assertEqual(result.data["unheld"], [UNHELD])
		self.assertEqual(result.data["missing"], [ABSENT])
		self.assertIn(f"no enabled user holds {UNHELD} on production", result.detail)
		self.assertIn(f"{ABSENT} does not exist on production", result.detail)
