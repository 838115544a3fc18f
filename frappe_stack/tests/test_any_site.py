"""Law 7 on a real site: customizations loaded the way an app's fixtures load them (a link cycle,
a submittable DocType with a child table linking back and Connections, a Custom Field value)
export, apply on a fresh site in one go, converge, and export again byte for byte with the same
database schema; what Frappe would refuse is found before any write."""

import json
import shutil
import tempfile
from pathlib import Path

import frappe

from frappe_stack import stack
from frappe_stack.tests import shapes_fixtures as shapes
from frappe_stack.tests.utils import StackTestCase, bench, peer_site, purge_managed, row_counts


def files(folder: Path) -> dict[str, bytes]:
	return {path.name: path.read_bytes() for path in sorted((folder / "blueprints").glob("*.json"))}


def purge_peer(site: str) -> None:
	bench("execute", "frappe_stack.tests.utils.purge_managed", "--args", json.dumps([shapes.KEYS]), site=site)


class TestAnySite(StackTestCase):
	def setUp(self):
		super().setUp()
		self.peer = peer_site()
		self.other = Path(tempfile.mkdtemp(prefix="frappe_stack_any_site_"))
		purge_managed(also=shapes.KEYS)
		purge_peer(self.peer)
		shapes.load()

	def tearDown(self):
		purge_peer(self.peer)
		shutil.rmtree(self.other, ignore_errors=True)
		super().tearDown()
		purge_managed(also=shapes.KEYS)

	def test_fixture_loaded_shapes_round_trip_in_one_apply(self):
		exported = stack.export(self.site, str(self.repo))
		here = files(self.repo)
		# the cycle is one blueprint, named after its first DocType; so are the claim, its child
		# table and the note its Connections name; the Custom Field of Role has its own
		self.assertEqual(sorted(exported.documents), ["role", "stack-claim", "stack-district"])
		# what the PM adds to the files (descriptions, a depends_on) the ledger remembers
		for name, data in here.items():
			content = json.loads(data) | {"description": f"{name} as the app shipped it"}
			if name == "stack-claim.json":
				content["depends_on"] = sorted({*content.get("depends_on", []), "role", "stack-district"})
			(self.repo / "blueprints" / name).write_text(json.dumps(content, indent=1, sort_keys=True) + "\n")
		here = files(self.repo)

		applied = bench("frappe-stack", "apply", "--path", str(self.repo), "--json", site=self.peer)
		self.assertEqual(applied.returncode, 0, applied.stdout[-3000:] + applied.stderr[-3000:])
		summary = json.loads(applied.stdout)["summary"]
		self.assertEqual((summary["failed"], summary["skipped"]), (0, 0))
		self.assertEqual(summary["create"], len(shapes.KEYS))

		planned = bench("frappe-stack", "plan", "--path", str(self.repo), site=self.peer)
		self.assertEqual(planned.returncode, 0, "not converged after one apply:\n" + planned.stdout)

		again = bench("frappe-stack", "export", "--path", str(self.other), site=self.peer)
		self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
		self.assertEqual(files(self.other), here)

		theirs = bench(
			"execute",
			"frappe_stack.tests.shapes_fixtures.columns",
			"--args",
			json.dumps([shapes.CUSTOM_DOCTYPES]),
			site=self.peer,
		)
		ours = shapes.columns(shapes.CUSTOM_DOCTYPES)
		self.assertEqual(len({row[0] for row in ours}), len(shapes.CUSTOM_DOCTYPES))
		self.assertEqual(json.loads(theirs.stdout), json.loads(json.dumps(ours, default=str)))

	def test_the_cycle_applies_here_too_and_a_second_apply_writes_nothing(self):
		stack.export(self.site, str(self.repo))
		purge_managed(also=shapes.KEYS)
		first = stack.apply(self.site, str(self.repo))
		self.assertEqual([r.error for r in first.failed], [])
		self.assertEqual(frappe.db.get_value("Role", "Stack Claims Auditor", "stack_escalate"), 1)
		self.assertTrue(frappe.get_meta("Stack Claim").is_submittable)
		self.assertEqual(frappe.get_meta("Stack Claim").links[0].link_doctype, "Stack Claim Note")
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)
		before = row_counts()
		second = stack.apply(self.site, str(self.repo))
		self.assertEqual(second.summary()["create"] + second.summary()["update"], 0)
		self.assertEqual(row_counts(), before)

	def test_frappes_second_amended_from_is_left_out_and_a_file_holding_it_is_refused_before_any_write(self):
		shapes.add_duplicate_amended_from()
		exported = stack.export(self.site, str(self.repo))
		self.assertEqual(len(exported.repaired), 1, exported.repaired)
		self.assertIn("a second 'amended_from' row", exported.repaired[0])
		claim_file = json.loads(files(self.repo)["stack-claim.json"])
		[claim] = [d for d in claim_file["documents"] if d["name"] == "Stack Claim"]
		self.assertEqual([f["fieldname"] for f in claim["fields"]].count("amended_from"), 1)
		self.assertTrue(stack.diff(self.site, str(self.repo)).is_clean)

		claim = frappe.get_doc("DocType", "Stack Claim").as_dict(convert_dates_to_str=True)
		kept = ("doctype", "name", "module", "custom", "fields", "is_submittable")
		self.write_blueprint("stack-claim", [{k: v for k, v in claim.items() if k in kept}])
		for name in files(self.repo):
			if name != "stack-claim.json":
				(self.repo / "blueprints" / name).unlink()
		purge_peer(self.peer)
		done = bench("frappe-stack", "apply", "--path", str(self.repo), site=self.peer)
		self.assertEqual(done.returncode, 1)
		self.assertIn("fieldname 'amended_from' appears 2 times", done.stdout + done.stderr)
		self.assertIn("nothing was written", done.stdout + done.stderr)
		exists = bench("execute", "frappe.db.exists", "--args", '["DocType", "Stack Claim"]', site=self.peer)
		self.assertIn(exists.stdout.strip(), ("", "null", "None"))
		ledger = bench("execute", "frappe.db.count", "--args", '["Blueprint"]', site=self.peer)
		self.assertIn(ledger.stdout.strip(), ("", "0"))  # bench execute prints nothing for 0


class TestNewDocTypeShapes(StackTestCase):
	KEYS = [
		("DocType", "Stack Promo"),
		("Custom Field", "Stack Promo-valid_until"),
		("DocType", "Stack Mail"),
	]

	def tearDown(self):
		super().tearDown()
		purge_managed(also=self.KEYS)

	def test_a_new_doctype_with_a_unique_field_and_a_custom_field_on_it_applies_in_one_blueprint(self):
		"""Frappe's check of a unique field reads the table, which the blueprint creates later."""
		promo = {
			"doctype": "DocType",
			"name": "Stack Promo",
			"module": "Custom",
			"custom": 1,
			"fields": [{"fieldname": "promo_name", "fieldtype": "Data", "label": "Promo", "unique": 1}],
			"permissions": [shapes.PERMISSION],
		}
		until = {
			"doctype": "Custom Field",
			"name": "Stack Promo-valid_until",
			"dt": "Stack Promo",
			"fieldname": "valid_until",
			"fieldtype": "Date",
			"label": "Valid Until",
		}
		self.write_blueprint("promos", [promo, until])
		result = stack.apply(self.site, str(self.repo))
		self.assertEqual([r.error for r in result.failed], [])
		self.assertTrue(frappe.db.has_column("Stack Promo", "valid_until"))
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)

	def test_a_new_submittable_doctype_with_a_unique_field_keeps_one_amended_from(self):
		mail = {
			"doctype": "DocType",
			"name": "Stack Mail",
			"module": "Custom",
			"custom": 1,
			"is_submittable": 1,
			"fields": [
				{"fieldname": "message_id", "fieldtype": "Data", "label": "Message ID", "unique": 1},
				{"fieldname": "amended_from", "fieldtype": "Link", "options": "Stack Mail", "read_only": 1},
			],
			"permissions": [shapes.PERMISSION | {"submit": 1}],
		}
		self.write_blueprint("mail", [mail])
		result = stack.apply(self.site, str(self.repo))
		self.assertEqual([r.error for r in result.failed], [])
		fields = [f.fieldname for f in frappe.get_meta("Stack Mail").fields]
		self.assertEqual(fields, ["message_id", "amended_from"])
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)
