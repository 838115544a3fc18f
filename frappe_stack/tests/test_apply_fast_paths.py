"""The fast paths of apply on a real site: a no-op answered from the ledger until a Desk edit,
a file or the schema changes; the per-DocType checks that replace Frappe's per-document ones
still refuse what Frappe refuses; and the controllers' events (a user's hooks) still run."""

import json
import time
from unittest.mock import patch

import frappe
from frappe.model.utils import is_virtual_doctype
from frappe.utils import caching
from frappe.utils.background_jobs import get_redis_connection_without_auth

from frappe_stack import stack
from frappe_stack.site import change_marks, commit_effects, doctype_flag_memos, ledger_store
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

	def test_ledger_and_audit_rows_go_in_inserts_of_a_bounded_size(self):
		"""However many documents an apply writes, no insert statement outgrows max_allowed_packet."""
		fields = [dict(FIELD, name=f"ToDo-stack_speed_{n}", fieldname=f"stack_speed_{n}") for n in range(5)]
		self.write_blueprint("speed", fields)
		statements, sql = [], frappe.db.sql

		def counted(query, values=(), *args, **kwargs):
			if str(query).startswith(
				("insert into `tabStack Audit Log`", "insert into `tabBlueprint Document`")
			):
				statements.append((str(query).split("`")[1], str(query).count("), (") + 1))
			return sql(query, values, *args, **kwargs)

		with patch.object(ledger_store, "INSERT_CHUNK", 2), patch.object(frappe.db, "sql", counted):
			self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		self.assertEqual(
			sorted(statements),
			[(table, n) for table in ("tabBlueprint Document", "tabStack Audit Log") for n in (1, 2, 2)],
		)
		self.assertEqual(frappe.db.count("Blueprint Document", {"parent": "speed"}), 5)
		self.assertEqual(frappe.db.count("Stack Audit Log", {"blueprint": "speed", "action": "create"}), 5)

	def test_cached_copies_of_the_documents_a_blueprint_writes_are_gone_once_it_commits(self):
		"""Created documents' keys are deleted once after the commit, an updated one's by Frappe."""
		frappe.get_doc(dict(ROLE, desk_access=0)).insert(ignore_permissions=True)
		frappe.db.commit()
		role_key = frappe.get_document_cache_key("Role", ROLE["name"])
		field_key = frappe.get_document_cache_key("Custom Field", FIELD["name"])
		for key in (role_key, field_key):
			frappe.cache.set_value(key, {"planted": "stale copy"})
		self.write_blueprint("speed", [dict(ROLE, desk_access=1), FIELD])
		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		self.assertIsNone(frappe.cache.get_value(role_key))
		self.assertIsNone(frappe.cache.get_value(field_key))
		self.assertEqual(frappe.get_cached_doc("Role", ROLE["name"]).desk_access, 1)
		self.assertEqual(frappe.get_cached_doc("Custom Field", FIELD["name"]).label, "Speed Note")

	def test_an_apply_leaves_the_caches_of_what_it_did_not_change(self):
		"""Recording the apply's fingerprint (a global default) does not clear every cache of the site
		as Frappe's set_global would; the cached global defaults show the new fingerprint."""
		self.write_blueprint("speed", [ROLE])
		frappe.db.get_global(change_marks.FINGERPRINT_KEY)  # the global defaults, cached
		frappe.cache.set_value("frappe_stack_test_unrelated", "still here")
		try:
			self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
			self.assertEqual(frappe.cache.get_value("frappe_stack_test_unrelated"), "still here")
		finally:
			frappe.cache.delete_value("frappe_stack_test_unrelated")
		frappe.local.cache = {}  # what another process sees: Redis
		self.assertEqual(
			frappe.db.get_global(change_marks.FINGERPRINT_KEY),
			frappe.db.sql(
				"select defvalue from `tabDefaultValue` where parent='__global' and defkey=%s",
				change_marks.FINGERPRINT_KEY,
			)[0][0],
		)

	def test_each_written_document_is_announced_to_desk_after_the_commit(self):
		"""Frappe's doc_update and list_update of every document, still published (in one pipeline)."""
		listener = get_redis_connection_without_auth().pubsub(ignore_subscribe_messages=True)
		listener.subscribe("events")
		expected = {(e, n) for e in ("doc_update", "list_update") for n in (ROLE["name"], FIELD["name"])}
		try:
			self.write_blueprint("speed", [ROLE, FIELD])
			self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
			heard, deadline = set(), time.monotonic() + 10
			while not expected <= heard and time.monotonic() < deadline:
				if message := listener.get_message(timeout=0.5):
					data = json.loads(message["data"])
					if data["namespace"] == frappe.local.site:
						heard.add((data["event"], data["message"].get("name")))
		finally:
			listener.close()
		self.assertEqual(expected - heard, set())

	def test_roles_and_doctypes_drop_the_site_wide_caches_once_after_the_commit(self):
		"""Three Roles and a DocType's cache clear, in two blueprints, clear the website's routing
		caches once, after the last commit, not once each; a new DocType clears the saving user's
		caches once, after its commit too, and drops the list of domain-restricted DocTypes, which
		the desk rebuilds."""
		roles = [dict(ROLE, name=f"{ROLE['name']} {n}", role_name=f"{ROLE['name']} {n}") for n in range(3)]
		thing = {
			"doctype": "DocType",
			"name": "Stack Speed Thing",
			"module": "Custom",
			"custom": 1,
			"fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title"}],
			"permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}],
		}
		self.write_blueprint("speed-roles", roles)
		self.write_blueprint("speed", [thing], depends_on=["speed-roles"])
		frappe.cache.hset("home_page", "Administrator", "planted")
		frappe.cache.set_value(commit_effects.DOMAIN_CACHE_KEY, ["planted"])
		frappe.cache.set_value("user:Administrator_stack_planted", "planted")
		uncommitted, users = [], []
		clear, clear_user = commit_effects.clear_routing_cache, commit_effects.clear_user_cache
		with (
			patch.object(
				commit_effects,
				"clear_routing_cache",
				side_effect=lambda: uncommitted.append(frappe.db.transaction_writes) or clear(),
			),
			patch.object(
				commit_effects,
				"clear_user_cache",
				side_effect=lambda user: (
					users.append((user, frappe.db.transaction_writes)) or clear_user(user)
				),
			),
		):
			result = stack.apply(self.site, str(self.repo))
		self.assertEqual([r.status for r in result.results], ["applied", "applied"])
		self.assertEqual(uncommitted, [0])
		self.assertEqual(users, [("Administrator", 0)])
		self.assertIsNone(frappe.cache.get_value("user:Administrator_stack_planted"))
		self.assertIsNone(frappe.cache.hget("home_page", "Administrator"))
		self.assertIsNone(frappe.cache.get_value(commit_effects.DOMAIN_CACHE_KEY))
		self.assertEqual(frappe.db.count("Role", {"name": ("like", f"{ROLE['name']} %")}), 3)
		# Frappe's own are back once the apply is done
		self.assertIs(frappe.core.doctype.role.role.clear_routing_cache, clear)
		self.assertIs(frappe.website.router.clear_routing_cache, clear)
		self.assertIs(frappe.core.doctype.doctype.doctype.clear_user_cache, clear_user)
		self.assertIs(
			frappe.cache_manager.build_domain_restriced_doctype_cache, commit_effects.BUILD_DOMAIN_CACHE
		)

	def test_routing_caches_are_dropped_when_the_apply_breaks_off_after_a_commit(self):
		"""A Role's blueprint commits, then the apply is broken off before the next one: the routing
		caches the Role cleared are dropped all the same."""
		self.write_blueprint("speed-roles", [ROLE])
		self.write_blueprint("speed", [FIELD], depends_on=["speed-roles"])
		frappe.cache.set_value("home_page", "planted")

		def interrupted(index, total, plan):
			if index == 2:
				raise RuntimeError("interrupted")

		with self.assertRaises(RuntimeError):
			stack.apply(self.site, str(self.repo), progress=interrupted)
		self.assertTrue(frappe.db.exists("Role", ROLE["name"]))
		self.assertFalse(frappe.db.exists("Custom Field", FIELD["name"]))
		self.assertIsNone(frappe.cache.get_value("home_page"))
		self.assertIs(frappe.website.router.clear_routing_cache, commit_effects.ROUTING_CLEAR)
		self.assertIs(frappe.core.doctype.role.role.clear_routing_cache, commit_effects.ROUTING_CLEAR)

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
