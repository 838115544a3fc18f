"""Laws 1 and 3 on a real site: apply creates, plan converges, a second apply writes nothing;
drift is seen and overwritten with an audit trail; tombstones delete; removed blueprints orphan."""

import shutil
import tempfile
from pathlib import Path

import frappe

from frappe_stack import stack
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.tests.utils import (
	EXAMPLE_REPO,
	StackTestCase,
	bench,
	modified_of,
	row_counts,
	versions_tracked,
)

ROLE = {"doctype": "Role", "name": "Stack Test Temporary", "role_name": "Stack Test Temporary"}

EXAMPLE_KEYS = [doc.key for bp in load_blueprint_set(EXAMPLE_REPO).blueprints for doc in bp.documents]


class TestApplyExample(StackTestCase):
	def test_apply_creates_every_document_and_second_apply_writes_nothing(self):
		self.copy_example()
		for doctype, name in EXAMPLE_KEYS:
			self.assertFalse(frappe.db.exists(doctype, name), f"{doctype} {name} exists before apply")

		with versions_tracked():
			first = stack.apply(self.site, str(self.repo))
		self.assertFalse(first.failed)
		self.assertEqual(first.summary()["create"], len(EXAMPLE_KEYS))
		for doctype, name in EXAMPLE_KEYS:
			self.assertTrue(frappe.db.exists(doctype, name), f"{doctype} {name} was not created")
		self.assertEqual(frappe.db.get_value("Custom Field", "Contact-outreach_channel", "default"), "SMS")
		self.assertEqual(len(frappe.get_meta("Beneficiary").fields), 15)
		self.assertTrue(frappe.db.has_column("Contact", "outreach_channel"))

		plan, _, _ = stack.make_plan(self.site, str(self.repo))
		self.assertFalse(plan.has_changes, plan.as_dict())
		self.assertEqual(plan.summary()["noop"], len(EXAMPLE_KEYS))

		counts, modified = row_counts(), modified_of(EXAMPLE_KEYS)
		ledger_modified = {
			r.name: str(r.modified) for r in frappe.get_all("Blueprint", fields=["name", "modified"])
		}
		with versions_tracked():
			second = stack.apply(self.site, str(self.repo))
		self.assertFalse(second.failed)
		self.assertEqual(
			{k: v for k, v in second.summary().items() if k != "noop"},
			dict.fromkeys(("create", "update", "delete", "drift", "orphaned", "failed", "skipped"), 0),
		)
		self.assertEqual(row_counts(), counts)
		self.assertEqual(modified_of(EXAMPLE_KEYS), modified)
		self.assertEqual(
			{r.name: str(r.modified) for r in frappe.get_all("Blueprint", fields=["name", "modified"])},
			ledger_modified,
		)

	def test_ledger_records_every_document_with_its_hashes(self):
		self.copy_example()
		stack.apply(self.site, str(self.repo))
		ledger = self.site.read_ledger()
		self.assertEqual(set(ledger), {"field-roles", "beneficiary"})
		self.assertEqual({s.status for s in ledger.values()}, {"Applied"})
		recorded = {key for entry in ledger.values() for key in entry.documents}
		self.assertEqual(recorded, set(EXAMPLE_KEYS))
		live = self.site.live_hashes(EXAMPLE_KEYS)
		for entry in ledger.values():
			for key, doc in entry.documents.items():
				self.assertEqual(doc.applied_hash, live[key])
		audit = frappe.get_all("Stack Audit Log", filters={"action": "create"}, pluck="document_name")
		self.assertEqual(sorted(audit), sorted(name for _, name in EXAMPLE_KEYS))


class TestDriftAndDeletion(StackTestCase):
	def field(self, label="Stack Test Flag", **extra):
		return {
			"doctype": "Custom Field",
			"name": "ToDo-stack_test_flag",
			"dt": "ToDo",
			"fieldname": "stack_test_flag",
			"fieldtype": "Check",
			"label": label,
			**extra,
		}

	def test_drift_shows_in_plan_and_apply_overwrites_it_with_audit_hashes(self):
		self.write_blueprint("todo-flag", [self.field()])
		stack.apply(self.site, str(self.repo))
		key = ("Custom Field", "ToDo-stack_test_flag")
		applied = self.site.read_ledger()["todo-flag"].documents[key].applied_hash

		doc = frappe.get_doc(*key)
		doc.label = "Edited In Desk"
		doc.save()
		frappe.db.commit()
		drifted = self.site.live_hashes([key])[key]
		self.assertNotEqual(drifted, applied)

		plan, _, _ = stack.make_plan(self.site, str(self.repo))
		self.assertEqual(plan.summary()["drift"], 1)
		self.assertEqual(plan.summary()["update"], 1)
		(op,) = plan.blueprints[0].writes
		self.assertTrue(op.drift)
		self.assertFalse(op.pending)

		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed)
		self.assertEqual(frappe.db.get_value(*key, "label"), "Stack Test Flag")
		row = frappe.get_all(
			"Stack Audit Log",
			filters={"action": "overwrite-drift", "document_name": key[1]},
			fields=["before_hash", "after_hash", "actor", "result"],
		)
		self.assertEqual(len(row), 1)
		self.assertEqual(row[0].before_hash, drifted)
		self.assertEqual(row[0].after_hash, applied)
		self.assertEqual(row[0].result, "Success")
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)

	def test_tombstone_deletes_and_a_removed_blueprint_is_orphaned_with_documents_kept(self):
		self.write_blueprint("todo-flag", [self.field()])
		gone = self.write_blueprint(
			"temporary-role",
			[{"doctype": "Role", "name": "Stack Test Temporary", "role_name": "Stack Test Temporary"}],
		)
		stack.apply(self.site, str(self.repo))
		self.assertTrue(frappe.db.exists("Custom Field", "ToDo-stack_test_flag"))

		self.write_blueprint(
			"todo-flag",
			[],
			delete=[{"doctype": "Custom Field", "name": "ToDo-stack_test_flag"}],
		)
		gone.unlink()
		plan, _, _ = stack.make_plan(self.site, str(self.repo))
		self.assertEqual(plan.summary()["delete"], 1)
		self.assertEqual(plan.summary()["orphaned"], 1)

		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed)
		self.assertFalse(frappe.db.exists("Custom Field", "ToDo-stack_test_flag"))
		self.assertTrue(frappe.db.exists("Role", "Stack Test Temporary"))
		self.assertEqual(frappe.db.get_value("Blueprint", "temporary-role", "status"), "Orphaned")
		actions = set(frappe.get_all("Stack Audit Log", pluck="action"))
		self.assertTrue({"delete", "orphan"} <= actions, actions)
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)

	def test_the_cli_refuses_to_orphan_every_managed_blueprint_unless_asked(self):
		"""A wrong --path (here an empty folder) would orphan everything: refused, nothing written."""
		self.write_blueprint("temporary-role", [ROLE])
		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		elsewhere = Path(tempfile.mkdtemp(prefix="frappe_stack_elsewhere_"))
		(elsewhere / "blueprints").mkdir()
		try:
			counts = row_counts()
			done = bench("frappe-stack", "apply", "--path", str(elsewhere))
			self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
			self.assertIn("none of the 1 blueprint(s) the ledger manages is in", done.stderr)
			self.assertIn("temporary-role (blueprints/temporary-role.json)", done.stderr)
			self.assertEqual(row_counts(), counts)
			self.assertEqual(frappe.db.get_value("Blueprint", "temporary-role", "status"), "Applied")

			done = bench("frappe-stack", "apply", "--path", str(elsewhere), "--orphan-all")
			self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
			self.assertEqual(frappe.db.get_value("Blueprint", "temporary-role", "status"), "Orphaned")
			self.assertTrue(frappe.db.exists("Role", ROLE["name"]))
		finally:
			shutil.rmtree(elsewhere, ignore_errors=True)
