"""Where blueprints come from on a real site: --path, the site config key, and app hooks."""

from unittest.mock import patch

import frappe
from frappe.installer import update_site_config

from frappe_stack import stack
from frappe_stack.migrate import after_migrate
from frappe_stack.stack import NoBlueprintSource
from frappe_stack.tests.utils import StackTestCase, row_counts

ROLE = {"doctype": "Role", "name": "Stack Test Sourced", "role_name": "Stack Test Sourced"}


class TestSources(StackTestCase):
	def test_nothing_configured_is_a_clear_error(self):
		with self.assertRaises(NoBlueprintSource) as caught:
			stack.make_plan(self.site)
		self.assertIn("frappe_stack_blueprints", str(caught.exception))

	def test_migrate_on_a_site_that_keeps_no_blueprints_writes_nothing(self):
		counts = row_counts()
		self.assertIsNone(after_migrate())
		self.assertEqual(row_counts(), counts)

	def test_site_config_key_is_used_without_path(self):
		self.write_blueprint("sourced", [ROLE])
		update_site_config("frappe_stack_blueprints", str(self.repo))
		frappe.local.conf.frappe_stack_blueprints = str(self.repo)
		plan, _, _ = stack.make_plan(self.site)
		self.assertEqual([bp.name for bp in plan.blueprints], ["sourced"])
		self.assertEqual(plan.blueprints[0].file, "blueprints/sourced.json")

	def test_an_app_declaring_blueprints_in_its_hooks_is_applied_too(self):
		real_get_hooks = frappe.get_hooks

		def get_hooks(hook=None, default="_KEEP_DEFAULT_LIST", app_name=None):
			if hook == "frappe_stack_blueprints":
				return ["../examples/config-repo/blueprints"] if app_name == "frappe_stack" else []
			return real_get_hooks(hook, default, app_name)

		self.write_blueprint("sourced", [ROLE])
		with patch.object(frappe, "get_hooks", get_hooks):
			result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed)
		ledger = self.site.read_ledger()
		self.assertEqual(ledger["beneficiary"].source_path, "frappe_stack:blueprints/beneficiary.json")
		self.assertEqual(ledger["sourced"].source_path, "blueprints/sourced.json")
		self.assertTrue(frappe.db.exists("DocType", "Beneficiary"))
