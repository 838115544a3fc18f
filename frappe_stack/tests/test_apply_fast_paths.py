"""The fast paths of apply on a real site: a no-op answered from the ledger until a Desk edit,
a file or the schema changes; the per-DocType checks that replace Frappe's per-document ones
still refuse what Frappe refuses; and the controllers' events (a user's hooks) still run."""

import json
from unittest.mock import patch

import frappe
from frappe.model.utils import is_virtual_doctype
from frappe.utils import caching

from frappe_stack import stack
from frappe_stack.site import doctype_flag_memos
from frappe_stack.tests.utils import StackTestCase, row_counts

FIELD = {
	"doctype": "Custom Field",
	"name": "ToDo-stack_speed_note",
	"dt": "ToDo",
	"fieldname": "stack_speed_note",
	"fieldtype": "Data",
	"label": "Speed Note",
}
ROLE = {"doctype": "Role", "name": "Stack Speed Role", "role_name": "Stack Speed Role"}


class TestApplyFastPaths(StackTestCase):
	def tearDown(self):
		frappe.db.rollback()
		frappe.db.delete("Server Script", {"name": "Stack Speed Hook"})
		frappe.db.commit()
		super().tearDown()

	def test_a_no_op_is_answered_from_the_ledger_until_a_desk_edit(self):
		self.write_blueprint("speed", [ROLE, FIELD])
		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		counts = row_counts()
		quick = stack.apply(self.site, str(self.repo))
		full = stack.apply(self.site, str(self.repo), full=True)
		self.assertTrue(quick.quick)
		self.assertFalse(full.quick)
		self.assertEqual(quick.summary(), full.summary())
		self.assertEqual(row_counts(), counts)

		# a user edits the field in Desk: its modified moves, and the next apply reads and repairs it
		field = frappe.get_doc("Custom Field", FIELD["name"])
		field.label = "Edited In Desk"
		field.save(ignore_permissions=True)
		frappe.db.commit()
		repaired = stack.apply(self.site, str(self.repo))
		self.assertFalse(repaired.quick)
		self.assertEqual(repaired.summary()["drift"], 1)
		self.assertEqual(frappe.db.get_value("Custom Field", FIELD["name"], "label"), "Speed Note")
		self.assertTrue(stack.apply(self.site, str(self.repo)).quick)

		# a Custom Field someone else adds to any DocType changes the schemas blueprints are read by
		frappe.get_doc(
			{"doctype": "Custom Field", "dt": "Note", "fieldname": "stack_speed_other", "fieldtype": "Data"}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		try:
			self.assertFalse(stack.apply(self.site, str(self.repo)).quick)
		finally:
			frappe.delete_doc("Custom Field", "Note-stack_speed_other", force=True, ignore_permissions=True)
			frappe.db.commit()

	def test_a_field_named_after_a_controller_method_is_refused_and_nothing_is_written(self):
		clash = dict(FIELD, name="ToDo-validate", fieldname="validate", label="Validate")
		self.write_blueprint("clash", [clash])
		result = stack.apply(self.site, str(self.repo))
		(failed,) = result.failed
		self.assertIn("Custom Field 'ToDo-validate'", failed.error)
		self.assertIn("conflicting with meta object", failed.error)
		self.assertFalse(frappe.db.exists("Custom Field", "ToDo-validate"))
		self.assertFalse(frappe.get_meta("ToDo").has_field("validate"))
		self.assertFalse(frappe.db.has_column("ToDo", "validate"))

	def test_a_users_hook_on_custom_field_events_still_runs(self):
		frappe.get_doc(
			{
				"doctype": "Server Script",
				"name": "Stack Speed Hook",
				"script_type": "DocType Event",
				"reference_doctype": "Custom Field",
				"doctype_event": "After Insert",
				"script": 'if doc.fieldname == "stack_speed_note":\n\tfrappe.throw("the hook ran")',
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		self.write_blueprint("speed", [FIELD])
		# server scripts are enabled only in common_site_config, which this test leaves alone
		with patch("frappe.utils.safe_exec.is_safe_exec_enabled", return_value=True):
			(failed,) = stack.apply(self.site, str(self.repo)).failed
		self.assertIn("the hook ran", failed.error)
		# where it broke: in the user's script, not in Frappe's throw
		self.assertTrue(failed.trace)
		self.assertNotIn("frappe/__init__.py", failed.trace)
		self.assertFalse(frappe.db.exists("Custom Field", FIELD["name"]))

	def test_frappes_memo_of_doctype_flags_survives_a_cache_clear_except_for_the_changed(self):
		"""What the guard does around Frappe's cache clears after each blueprint, on Frappe's own memo."""
		site = frappe.local.site
		key = "frappe.model.utils.is_virtual_doctype"
		is_virtual_doctype("Note"), is_virtual_doctype("ToDo")
		# a mark no query returns (the database says 0), planted for both DocTypes
		caching._SITE_CACHE[key][site][json.dumps((("Note",), {}))] = False
		caching._SITE_CACHE[key][site][json.dumps((("ToDo",), {}))] = False
		try:
			with doctype_flag_memos.kept_except(["ToDo"]):
				frappe.clear_cache(doctype="ToDo")
			memo = caching._SITE_CACHE[key][site]
			self.assertIs(memo.get(json.dumps((("Note",), {}))), False)
			self.assertNotIn(json.dumps((("ToDo",), {})), memo)
			self.assertEqual(is_virtual_doctype("ToDo"), 0)
			# and Frappe's clear alone forgets both: the memo kept above is the guard's doing
			frappe.clear_cache(doctype="ToDo")
			self.assertNotIn(json.dumps((("Note",), {})), caching._SITE_CACHE[key][site])
		finally:
			is_virtual_doctype.clear_cache()

	def test_audit_rows_of_one_commit_take_consecutive_names_of_the_series(self):
		fields = [dict(FIELD, name=f"ToDo-stack_speed_{n}", fieldname=f"stack_speed_{n}") for n in range(3)]
		self.write_blueprint("speed", [ROLE, *fields])
		before = set(frappe.get_all("Stack Audit Log", pluck="name"))  # append-only: earlier runs' rows stay
		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		names = sorted(set(frappe.get_all("Stack Audit Log", pluck="name")) - before)
		self.assertEqual(len(names), 4)
		prefix = f"AUD-{frappe.utils.nowdate()[:4]}-"
		numbers = [int(name.removeprefix(prefix)) for name in names]
		self.assertTrue(all(name.startswith(prefix) and len(name) == len(prefix) + 7 for name in names))
		self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)))
		(current,) = frappe.db.sql("select current from `tabSeries` where name=%s", prefix)[0]
		self.assertEqual(current, numbers[-1])
