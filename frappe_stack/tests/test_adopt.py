"""`adopt` on a real installed app (stack_adopt_demo: fixtures in every hook form and an Export
Customizations file, all on Frappe's own DocTypes), and one owner per document from plan, check
and the migrate hook. `scripts/dev.py` puts the app into the bench; this module installs it on
the test site, lets Frappe's own sync load its files before each test, and removes it at the end."""

import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import frappe
from frappe.installer import update_site_config
from frappe.modules.utils import sync_customizations
from frappe.utils.fixtures import sync_fixtures

from frappe_stack.adopt.shipped_documents import CUSTOMIZATIONS, read_app
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.site.installed_app_files import module_folders
from frappe_stack.tests.utils import (
	StackTestCase,
	bench,
	load_json,
	modified_of,
	purge_managed,
	row_counts,
	versions_tracked,
)

DEMO = "stack_adopt_demo"
NOTE_FIELD = ("Custom Field", "Note-adopt_demo_ref")


def shipped():
	return read_app(DEMO, Path(frappe.get_app_path(DEMO)), module_folders(DEMO))[0]


def adoptable() -> list[tuple[str, str]]:
	return sorted({item.key for item in shipped() if item.key[0] in ADAPTERS})


def versions_of(keys) -> int:
	return sum(frappe.db.count("Version", {"ref_doctype": dt, "docname": name}) for dt, name in keys)


@contextmanager
def files_set_aside(files: list[Path]):
	"""The app as adopt's advice leaves it: the adopted files gone (put back afterwards)."""
	for file in files:
		file.rename(file.with_suffix(".json.aside"))
	try:
		yield
	finally:
		for file in files:
			file.with_suffix(".json.aside").rename(file)


class TestAdopt(StackTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if DEMO not in frappe.get_all_apps():
			raise AssertionError(f"{DEMO} is not in this bench: `python3 scripts/dev.py setup` puts it there")
		done = bench("install-app", DEMO)
		if done.returncode != 0:
			raise AssertionError(f"install-app {DEMO} failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")

	@classmethod
	def tearDownClass(cls):
		keys = adoptable()
		purge_managed(also=keys)
		for item in shipped():
			if item.key not in keys:
				frappe.delete_doc(*item.key, force=True, ignore_permissions=True, ignore_missing=True)
		frappe.db.commit()
		bench("uninstall-app", DEMO, "--yes", "--no-backup", "--force")
		super().tearDownClass()

	def setUp(self):
		super().setUp()
		# the site as Frappe's own migrate leaves it: every file of the app imported
		sync_fixtures(DEMO)
		sync_customizations(DEMO)
		frappe.db.commit()
		self.keys = adoptable()

	def adopt(self, *args: str) -> dict:
		done = bench("frappe-stack", "adopt", "--app", DEMO, "--json", *args)
		self.assertIn(done.returncode, (0, 2), done.stdout + done.stderr)
		return json.loads(done.stdout) | {"exit": done.returncode}

	def test_adopt_records_the_ledger_and_writes_no_document_then_migrate_writes_nothing(self):
		self.assertEqual(len(self.keys), 12)
		with versions_tracked():
			before, modified, versions = row_counts(), modified_of(self.keys), versions_of(self.keys)
			out = self.adopt("--path", str(self.repo))
			after = row_counts()
		self.assertEqual(out["exit"], 0)
		self.assertEqual(out["summary"]["baselined"], 12)
		self.assertEqual(out["summary"]["differs"], 0)
		self.assertEqual(modified_of(self.keys), modified)
		self.assertEqual((after["Version"], versions_of(self.keys)), (before["Version"], versions))
		self.assertEqual(after["Blueprint Document"] - before["Blueprint Document"], 12)
		self.assertEqual(set(out["export"]["blueprints"]), {"contact", "note", "roles", "todo"})
		self.assertEqual(after["Stack Audit Log"] - before["Stack Audit Log"], 4)
		ledger = frappe.get_all("Blueprint", fields=["name", "status"])
		self.assertEqual({row.status for row in ledger}, {"Applied"})
		note = load_json(self.repo / "blueprints" / "note.json")
		self.assertIn(NOTE_FIELD, [(d["doctype"], d["name"]) for d in note["documents"]])

		# what stays the app's, and the exact change to make in it
		reasons = {item["doctype"]: item["reason"] for item in out["not_adopted"]}
		self.assertEqual(reasons["Blog Category"], "Blog Category is not a doctype blueprints support")
		self.assertEqual(
			out["hooks"]["fixtures"],
			'fixtures = [\n\t{"dt": "Blog Category", "filters": {"title": ["like", "Adopt Demo%"]}},\n]',
		)
		self.assertEqual([e["action"] for e in out["hooks"]["entries"]], ["removed"] * 5 + ["kept"])
		deleted = {f["file"] for f in out["hooks"]["files"] if f["action"] == "delete"}
		self.assertEqual(len(deleted), 6)
		self.assertIn(f"{DEMO}/adopt_demo/custom/todo.json", deleted)
		self.assertIsNone(out["hooks"]["hook_line"])

		# plan: nothing to do, and every adopted document named as having two owners
		plan = bench("frappe-stack", "plan", "--path", str(self.repo))
		self.assertEqual(plan.returncode, 0, plan.stdout + plan.stderr)
		self.assertIn("Nothing to do.", plan.stdout)
		self.assertIn(
			f"Custom Field 'Note-adopt_demo_ref' (blueprint note) is also shipped by app {DEMO} in "
			f"{DEMO}/fixtures/custom_field.json: Frappe's fixture sync re-imports it on every migrate. Fix:",
			plan.stdout,
		)
		self.assertIn('(or set "sync_on_migrate": 0 there)', plan.stdout)

		# migrate right after: Frappe's own sync re-imports the files, the applier writes nothing
		update_site_config("frappe_stack_blueprints", str(self.repo))
		ledger_rows = row_counts()
		migrated = bench("migrate")
		self.assertEqual(migrated.returncode, 0, migrated.stdout[-3000:] + migrated.stderr[-3000:])
		self.assertIn("0 created, 0 updated, 0 deleted, 12 unchanged", migrated.stdout)
		self.assertIn("Two owners (13)", migrated.stdout)  # ToDo-adopt_demo_area is shipped twice
		after_migrate = row_counts()
		for table in ("Blueprint", "Blueprint Document", "Stack Audit Log"):
			self.assertEqual(after_migrate[table], ledger_rows[table], table)
		# Frappe's customization sync re-inserts a Property Setter of custom/*.json on every
		# migrate (a new `modified`): the overwrite the two-owner message is about
		rewritten = {
			item.key for item in shipped() if item.via == CUSTOMIZATIONS and item.key[0] == "Property Setter"
		}
		self.assertEqual(
			{k: v for k, v in modified_of(self.keys).items() if k not in rewritten},
			{k: v for k, v in modified.items() if k not in rewritten},
		)

		# with the app changed as adopt said, a migrate writes nothing at all and names no one
		files = [Path(frappe.get_app_path(DEMO)).parent / file for file in deleted]
		with files_set_aside(files):
			modified, versions = modified_of(self.keys), versions_of(self.keys)
			migrated = bench("migrate")
			self.assertEqual(migrated.returncode, 0, migrated.stdout[-3000:] + migrated.stderr[-3000:])
			self.assertIn("0 created, 0 updated, 0 deleted, 12 unchanged", migrated.stdout)
			self.assertNotIn("Two owners", migrated.stdout)
			self.assertEqual(modified_of(self.keys), modified)
			self.assertEqual(versions_of(self.keys), versions)
			self.assertEqual(row_counts()["Stack Audit Log"], ledger_rows["Stack Audit Log"])

	def test_check_fails_while_an_app_still_ships_a_managed_document(self):
		self.adopt("--path", str(self.repo))
		done = bench(
			"frappe-stack", "check", "--target", frappe.local.site, "--path", str(self.repo), "--json"
		)
		self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
		results = {r["check"]: r for r in json.loads(done.stdout)["results"]}
		owner = results["one owner"]
		self.assertEqual(owner["result"], "fail")
		self.assertEqual(len(owner["data"]["shared"]), 13)
		self.assertIn("13 document(s) also shipped by an app", owner["detail"])
		self.assertEqual(results["diff clean"]["result"], "pass")
		text = bench("frappe-stack", "check", "--target", frappe.local.site, "--path", str(self.repo))
		self.assertIn("fail  one owner", text.stdout)

	def test_a_document_edited_on_the_site_is_listed_and_left_to_apply(self):
		frappe.db.set_value(*NOTE_FIELD, "label", "Edited in Desk")
		frappe.db.commit()
		with versions_tracked():
			modified = modified_of(self.keys)
			out = self.adopt("--path", str(self.repo))
		self.assertEqual(out["exit"], 2)
		self.assertEqual([(d["doctype"], d["name"]) for d in out["differs"]], [NOTE_FIELD])
		self.assertIn(
			"Note-adopt_demo_ref › label: Edited in Desk → Adopt Demo Ref", out["differs"][0]["changes"]
		)
		self.assertEqual(modified_of(self.keys), modified)
		self.assertEqual(frappe.db.get_value("Blueprint", "note", "status"), "Pending")
		plan = bench("frappe-stack", "plan", "--path", str(self.repo), "--json")
		self.assertEqual(plan.returncode, 2)
		writes = [
			(d["action"], d["name"]) for bp in json.loads(plan.stdout)["blueprints"] for d in bp["documents"]
		]
		self.assertEqual(writes, [("update", "Note-adopt_demo_ref")])

	def test_blueprints_inside_the_app_come_with_the_hook_line_and_plan_is_clean_with_it(self):
		folder = Path(frappe.get_app_path(DEMO)) / "blueprints"
		hooks = Path(frappe.get_app_path(DEMO)) / "hooks.py"
		original = hooks.read_text()
		try:
			out = self.adopt("--path", str(folder))
			line = out["hooks"]["hook_line"]
			self.assertEqual(line, 'frappe_stack_blueprints = "blueprints"')
			sources = set(frappe.get_all("Blueprint", pluck="source_path"))
			self.assertIn(f"{DEMO}:blueprints/note.json", sources)
			hooks.write_text(f"{original}\n{line}\n")
			bench("clear-cache")  # hooks are cached
			plan = bench("frappe-stack", "plan")  # no --path, no site config: the app's hook
			self.assertEqual(plan.returncode, 0, plan.stdout + plan.stderr)
			self.assertIn("12 unchanged", plan.stdout)
		finally:
			hooks.write_text(original)
			bench("clear-cache")
			shutil.rmtree(folder, ignore_errors=True)

	def test_an_app_that_is_not_installed_is_an_error_naming_the_fix(self):
		done = bench("frappe-stack", "adopt", "--app", "no_such_app", "--path", str(self.repo))
		self.assertEqual(done.returncode, 1)
		self.assertIn("app 'no_such_app' is not installed", done.stderr)
		self.assertEqual(list((self.repo / "blueprints").iterdir()), [])
