"""The doctypes of more_doctypes.py on real sites: each applies, converges (plan clean right after),
re-applies as a no-op (no `modified` change, no Version row), and round-trips (export, apply on a
fresh peer site, export again: byte-identical). Singles are managed by field; a Webhook's secret
comes from site config and never reaches a file."""

import json
import shutil
import tempfile
from pathlib import Path

import frappe
from frappe.installer import update_site_config
from frappe.utils.password import get_decrypted_password

from frappe_stack import stack
from frappe_stack.blueprint.more_doctypes import MORE_ADAPTERS
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.tests.more_documents import (
	DOCUMENTS,
	NOT_ON_BARE_FRAPPE,
	SECRET_KEY,
	SETTINGS,
	purge,
	settings_now,
)
from frappe_stack.tests.utils import (
	StackTestCase,
	bench,
	peer_site,
	purge_managed,
	row_counts,
	versions_tracked,
)

KEYS = [(doc["doctype"], doc["name"]) for doc in DOCUMENTS]
SECRET = "stack-test-webhook-secret-1"


def files(folder: Path) -> dict[str, bytes]:
	return {path.name: path.read_bytes() for path in sorted((folder / "blueprints").glob("*.json"))}


def stamps(keys) -> dict:
	"""`modified` of each document; a Single's field has its singleton's."""
	return {
		key: str(
			frappe.db.get_singles_dict(key[0]).get("modified")
			if ADAPTERS[key[0]].by_field
			else frappe.db.get_value(*key, "modified")
		)
		for key in keys
	}


def set_secret(value: str, site: str | None = None) -> None:
	if site:
		done = bench("set-config", SECRET_KEY, value, site=site)
		assert done.returncode == 0, done.stderr
		return
	update_site_config(SECRET_KEY, value)
	frappe.local.conf[SECRET_KEY] = value


class MoreDoctypesCase(StackTestCase):
	def setUp(self):
		super().setUp()
		purge()
		self.settings = settings_now()
		set_secret(SECRET)

	def tearDown(self):
		purge(self.settings)
		update_site_config(SECRET_KEY, "None")  # "None" removes the key
		frappe.local.conf.pop(SECRET_KEY, None)
		super().tearDown()

	def assert_applied(self, result) -> None:
		self.assertEqual([(r.blueprint, r.error) for r in result.failed], [])


class TestMoreDoctypes(MoreDoctypesCase):
	def test_the_list_covers_every_new_doctype_a_bare_frappe_site_has(self):
		self.assertEqual(
			{doctype for doctype, _ in KEYS} | NOT_ON_BARE_FRAPPE,
			{adapter.doctype for adapter in MORE_ADAPTERS} | {"Role", "DocType"},
		)

	def test_each_applies_converges_and_reapplies_as_a_no_op(self):
		self.write_blueprint("more", DOCUMENTS)
		untouched = {doctype: settings_now(doctype, all_fields=True) for doctype in SETTINGS}
		with versions_tracked():
			first = stack.apply(self.site, str(self.repo))
		self.assert_applied(first)
		for doctype, name in KEYS:
			if not ADAPTERS[doctype].by_field:
				self.assertTrue(frappe.db.exists(doctype, name), f"{doctype} {name} was not created")
		for doc in DOCUMENTS:
			if ADAPTERS[doc["doctype"]].by_field:
				self.assertEqual(
					str(frappe.db.get_single_value(doc["doctype"], doc["name"])), str(doc["value"])
				)
		# the rest of each singleton is as it was (only `modified` and the managed fields moved)
		for doctype, before in untouched.items():
			managed = {d["name"] for d in DOCUMENTS if d["doctype"] == doctype} | {"modified"}
			after = settings_now(doctype, all_fields=True)
			self.assertEqual(
				{k: v for k, v in after.items() if k not in managed},
				{k: v for k, v in before.items() if k not in managed},
			)
		self.assertEqual(get_decrypted_password("Webhook", "Stack Test Hook", "webhook_secret"), SECRET)
		self.assertIn("Stack Test Note", [row.link_doctype for row in frappe.get_meta("ToDo").links])

		plan, _, _ = stack.make_plan(self.site, str(self.repo))
		self.assertFalse(plan.has_changes, plan.as_dict())

		counts, modified = row_counts(), stamps(KEYS)
		with versions_tracked():
			second = stack.apply(self.site, str(self.repo))
		self.assert_applied(second)
		self.assertEqual(second.summary()["noop"], len(KEYS))
		self.assertEqual(row_counts(), counts)
		self.assertEqual(stamps(KEYS), modified)

	def test_a_changed_secret_in_site_config_is_a_change_to_apply(self):
		self.write_blueprint("more", [d for d in DOCUMENTS if d["doctype"] in ("Role", "DocType", "Webhook")])
		self.assert_applied(stack.apply(self.site, str(self.repo)))
		set_secret("stack-test-webhook-secret-2")
		plan, _, _ = stack.make_plan(self.site, str(self.repo))
		self.assertEqual(
			[op.key for bp in plan.blueprints for op in bp.writes], [("Webhook", "Stack Test Hook")]
		)
		self.assert_applied(stack.apply(self.site, str(self.repo)))
		self.assertEqual(
			get_decrypted_password("Webhook", "Stack Test Hook", "webhook_secret"),
			"stack-test-webhook-secret-2",
		)
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)

	def test_a_missing_site_config_key_fails_the_blueprint_naming_the_key(self):
		webhook = next(d for d in DOCUMENTS if d["doctype"] == "Webhook")
		self.write_blueprint("more", [d for d in DOCUMENTS if d["doctype"] in ("Role", "DocType")])
		self.write_blueprint(
			"hook", [webhook | {"webhook_secret": {"site_config": "stack_test_no_such_key"}}]
		)
		result = stack.apply(self.site, str(self.repo))
		(failed,) = result.failed
		self.assertIn("stack_test_no_such_key", failed.error)
		self.assertIn("set-config", failed.error)
		self.assertFalse(frappe.db.exists("Webhook", "Stack Test Hook"))

	def test_a_failed_blueprint_puts_a_single_field_back_and_nothing_else(self):
		extra = {
			"doctype": "DocType",
			"name": "Stack Test Extra",
			"custom": 1,
			"module": "Custom",
			"fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title"}],
			"permissions": [{"role": "System Manager"}],
		}
		before = settings_now("System Settings", all_fields=True)
		print_style = frappe.db.get_single_value("Print Settings", "print_style")
		# the DocType commits its table before the Print Settings field is written; System Settings
		# then refuses a malformed session expiry, and the whole blueprint is undone
		self.write_blueprint(
			"broken",
			[
				extra,
				{"doctype": "Print Settings", "name": "print_style", "value": "Modern"},
				{"doctype": "System Settings", "name": "session_expiry", "value": "not-a-duration"},
			],
		)
		try:
			(failed,) = stack.apply(self.site, str(self.repo)).failed
			self.assertFalse(frappe.db.exists("DocType", "Stack Test Extra"))
		finally:
			purge_managed(also=[("DocType", "Stack Test Extra")])
		self.assertIn("session_expiry", failed.error.lower().replace(" ", "_"))
		self.assertEqual(frappe.db.get_single_value("Print Settings", "print_style"), print_style)
		self.assertEqual(settings_now("System Settings", all_fields=True), before)

	def test_what_an_app_ships_is_not_discovered_and_cannot_be_applied(self):
		self.write_blueprint("more", DOCUMENTS)
		self.assert_applied(stack.apply(self.site, str(self.repo)))
		found = set(self.site.customizations())
		expected = {key for key in KEYS if not ADAPTERS[key[0]].by_field}
		self.assertEqual(sorted(expected - found), [])
		shipped = [
			("Module Onboarding", "Customization"),
			("Onboarding Step", "Custom Field"),
			("Form Tour", "Doctype"),
			("Print Style", "Modern"),
			("Web Form", "edit-profile"),
		]
		for key in shipped:
			self.assertTrue(frappe.db.exists(*key), key)
		self.assertEqual([key for key in shipped if key in found], [])
		# a Connection of a custom DocType is part of that DocType's document, even marked custom
		row = frappe.get_doc(
			{
				"doctype": "DocType Link",
				"parent": "Stack Test Note",
				"parenttype": "DocType",
				"parentfield": "links",
				"link_doctype": "ToDo",
				"link_fieldname": "reference_name",
				"custom": 1,
			}
		).insert()
		self.assertNotIn(("DocType Link", row.name), set(self.site.customizations()))

		onboarding = frappe.get_doc("Module Onboarding", "Customization").as_dict()
		self.write_blueprint(
			"theirs",
			[{"doctype": "Module Onboarding", "name": "Customization", "module": "Custom", "title": "Mine"}],
		)
		result = stack.apply(self.site, str(self.repo))
		(failed,) = result.failed
		self.assertIn("shipped by an installed app", failed.error)
		self.assertEqual(frappe.db.get_value("Module Onboarding", "Customization", "title"), onboarding.title)


class TestMoreDoctypesRoundTrip(MoreDoctypesCase):
	def setUp(self):
		super().setUp()
		self.peer = peer_site()
		self.first = Path(tempfile.mkdtemp(prefix="frappe_stack_more_"))
		self.again = Path(tempfile.mkdtemp(prefix="frappe_stack_more_peer_"))
		self.peer_settings = json.loads(self.on_peer("settings_now").stdout)
		set_secret(SECRET, site=self.peer)

	def tearDown(self):
		try:
			self.on_peer("purge", repr([self.peer_settings]))  # bench execute evals --args: None, not null
			bench(
				"execute",
				"frappe.installer.update_site_config",
				"--args",
				repr([SECRET_KEY, "None"]),
				site=self.peer,
			)
		finally:
			shutil.rmtree(self.first, ignore_errors=True)
			shutil.rmtree(self.again, ignore_errors=True)
			super().tearDown()

	def on_peer(self, function: str, args: str = "[]"):
		done = bench(
			"execute", f"frappe_stack.tests.more_documents.{function}", "--args", args, site=self.peer
		)
		self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
		return done

	def test_export_apply_on_a_fresh_site_export_again_is_byte_identical(self):
		self.write_blueprint("more", DOCUMENTS)
		self.assert_applied(stack.apply(self.site, str(self.repo)))
		exported = stack.export(self.site, str(self.first), only=KEYS)
		self.assertEqual(exported.left_out, [])
		here = files(self.first)
		self.assertNotIn(SECRET.encode(), b"".join(here.values()))
		self.assertIn(b'"site_config": "stack_test_webhook_secret"', b"".join(here.values()))
		self.assertEqual(
			sorted(here),
			sorted(
				f"{name}.json"
				for name in (
					"address-templates",
					"contact-us-settings",
					"email-templates",
					"navbar-settings",
					"onboarding",
					"portal-settings",
					"print-settings",
					"print-styles",
					"profiles",
					"roles",
					"stack-test-note",
					"system-settings",
					"todo",
					"translations",
					"website",
					"website-settings",
					"workspaces",
				)
			),
		)

		applied = bench("frappe-stack", "apply", "--path", str(self.first), site=self.peer)
		self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)
		docs = [arg for key in KEYS for arg in ("--doc", f"{key[0]}:{key[1]}")]
		again = bench("frappe-stack", "export", "--path", str(self.again), *docs, site=self.peer)
		self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
		self.assertEqual(files(self.again), here)

		done = bench("frappe-stack", "diff", "--path", str(self.first), site=self.peer)
		self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
		self.assertIn("Summary: clean.", done.stdout)
