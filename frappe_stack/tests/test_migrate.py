"""`bench migrate` runs the applier: an edit to one field of one blueprint document updates
exactly that document, and a migrate with nothing changed writes nothing."""

import json

import frappe
from frappe.installer import update_site_config

from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.tests.utils import StackTestCase, bench, modified_of, row_counts


class TestMigrateHook(StackTestCase):
	def test_migrate_applies_then_updates_exactly_the_edited_document(self):
		self.copy_example()
		keys = [doc.key for bp in load_blueprint_set(self.repo).blueprints for doc in bp.documents]
		update_site_config("frappe_stack_blueprints", str(self.repo))

		first = bench("migrate")
		self.assertEqual(first.returncode, 0, first.stdout[-3000:] + first.stderr[-3000:])
		for doctype, name in keys:
			self.assertTrue(frappe.db.exists(doctype, name), f"migrate did not create {doctype} {name}")

		before_counts, before = row_counts(), modified_of(keys)
		idle = bench("migrate")
		self.assertEqual(idle.returncode, 0, idle.stderr[-3000:])
		self.assertEqual(modified_of(keys), before)
		self.assertEqual(row_counts()["Stack Audit Log"], before_counts["Stack Audit Log"])

		path = self.repo / "blueprints" / "beneficiary.json"
		blueprint = json.loads(path.read_text())
		for doc in blueprint["documents"]:
			if doc["name"] == "Contact-outreach_channel":
				doc["description"] = "Preferred first channel for outreach"
		path.write_text(json.dumps(blueprint, indent=1))

		edited = bench("migrate")
		self.assertEqual(edited.returncode, 0, edited.stderr[-3000:])
		after = modified_of(keys)
		changed = [key for key in keys if after[key] != before[key]]
		self.assertEqual(changed, [("Custom Field", "Contact-outreach_channel")])
		self.assertEqual(
			frappe.db.get_value("Custom Field", "Contact-outreach_channel", "description"),
			"Preferred first channel for outreach",
		)
		updates = frappe.get_all("Stack Audit Log", filters={"action": "update"}, pluck="document_name")
		self.assertEqual(updates, ["Contact-outreach_channel"])
