"""export and diff on real sites: the round trip between two fresh sites is byte-identical, every
diff bucket and tag comes from a real change, and what apps own is never exported."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import frappe

from frappe_stack import stack
from frappe_stack.tests import desk_feature
from frappe_stack.tests.utils import StackTestCase, bench, peer_site, purge_managed


def custom_field(fieldname: str, label: str, **extra) -> dict:
	return {
		"doctype": "Custom Field",
		"name": f"ToDo-{fieldname}",
		"dt": "ToDo",
		"fieldname": fieldname,
		"fieldtype": "Data",
		"label": label,
		**extra,
	}


def files(folder: Path) -> dict[str, bytes]:
	return {path.name: path.read_bytes() for path in sorted((folder / "blueprints").glob("*.json"))}


class TestRoundTrip(StackTestCase):
	def setUp(self):
		super().setUp()
		self.peer = peer_site()
		self.other = Path(tempfile.mkdtemp(prefix="frappe_stack_peer_"))
		purge_managed(also=desk_feature.KEYS)
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)

	def tearDown(self):
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		shutil.rmtree(self.other, ignore_errors=True)
		super().tearDown()
		purge_managed(also=desk_feature.KEYS)

	def test_export_apply_on_a_fresh_site_export_again_is_byte_identical(self):
		desk_feature.build()
		exported = stack.export(self.site, str(self.repo))
		self.assertEqual(exported.left_out, [])
		here = files(self.repo)
		self.assertEqual(sorted(here), ["beneficiary.json", "contact.json"])
		beneficiary = json.loads(here["beneficiary.json"])
		self.assertEqual(
			sorted((d["doctype"], d["name"]) for d in beneficiary["documents"]),
			sorted(k for k in desk_feature.KEYS if k[0] != "Custom Field"),
		)
		self.assertTrue(stack.diff(self.site, str(self.repo)).is_clean)
		self.assertFalse(stack.make_plan(self.site, str(self.repo))[0].has_changes)

		applied = bench("frappe-stack", "apply", "--path", str(self.repo), site=self.peer)
		self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)
		again = bench("frappe-stack", "export", "--path", str(self.other), site=self.peer)
		self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
		self.assertEqual(files(self.other), here)

		for site in (self.peer, frappe.local.site):
			done = bench("frappe-stack", "diff", "--path", str(self.repo), site=site)
			self.assertEqual(done.returncode, 0, f"{site}: {done.stdout}{done.stderr}")
			self.assertIn("Summary: clean.", done.stdout)

	def test_a_second_export_rewrites_nothing(self):
		desk_feature.build()
		stack.export(self.site, str(self.repo))
		stamps = {p.name: p.stat().st_mtime_ns for p in (self.repo / "blueprints").glob("*.json")}
		audit = frappe.db.count("Stack Audit Log")
		again = stack.export(self.site, str(self.repo))
		self.assertEqual(again.written, [])
		self.assertEqual(
			{p.name: p.stat().st_mtime_ns for p in (self.repo / "blueprints").glob("*.json")}, stamps
		)
		self.assertEqual(frappe.db.count("Stack Audit Log"), audit)


class TestDiffBuckets(StackTestCase):
	def setUp(self):
		super().setUp()
		self.fields = [custom_field(f"stack_test_{c}", f"Stack Test {c.upper()}") for c in "abcd"]
		self.write_blueprint("todo-fields", self.fields)
		stack.apply(self.site, str(self.repo))

	def tearDown(self):
		super().tearDown()
		purge_managed(also=[("Custom Field", "ToDo-stack_test_extra"), ("Custom Field", "ToDo-stack_test_e")])

	def edit_on_site(self, name: str, label: str) -> None:
		doc = frappe.get_doc("Custom Field", name)
		doc.label = label
		doc.save()
		frappe.db.commit()

	def test_clean_right_after_apply(self):
		done = bench("frappe-stack", "diff", "--path", str(self.repo))
		self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
		self.assertIn("only_on_site:    0", done.stdout)

	def test_each_bucket_and_tag_from_a_real_change(self):
		fields = [dict(f) for f in self.fields]
		fields[0]["label"] = "Renamed In Git"  # a: pending
		fields[2]["label"] = "Changed In Git"  # c: conflict (edited on the site too)
		fields = fields[:3] + [custom_field("stack_test_e", "Stack Test E")]  # e: only in git
		self.write_blueprint(
			"todo-fields", fields, delete=[{"doctype": "Custom Field", "name": "ToDo-stack_test_d"}]
		)
		self.edit_on_site("ToDo-stack_test_b", "Edited In Desk")  # b: drift
		self.edit_on_site("ToDo-stack_test_c", "Edited In Desk Too")
		frappe.get_doc(custom_field("stack_test_extra", "Extra")).insert()  # only on the site
		frappe.db.commit()

		done = bench("frappe-stack", "diff", "--path", str(self.repo), "--json")
		self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
		result = json.loads(done.stdout)
		self.assertEqual(
			set(result),
			{"site", "repo", "only_on_site", "only_in_git", "changed", "shared_owners", "summary"},
		)
		tags = {item["name"]: (item["kind"], item["tag"]) for item in result["changed"]}
		self.assertEqual(
			tags,
			{
				"ToDo-stack_test_a": ("update", "pending"),
				"ToDo-stack_test_b": ("update", "drift"),
				"ToDo-stack_test_c": ("update", "conflict"),
				"ToDo-stack_test_d": ("delete", "pending"),
			},
		)
		self.assertEqual([i["name"] for i in result["only_in_git"]], ["ToDo-stack_test_e"])
		self.assertIn("ToDo-stack_test_extra", [i["name"] for i in result["only_on_site"]])
		(change,) = next(i for i in result["changed"] if i["name"] == "ToDo-stack_test_b")["changes"]
		self.assertEqual(
			change, {"path": "label", "site": "Edited In Desk", "repo": "Stack Test B", "kind": "changed"}
		)
		self.assertEqual(result["summary"]["drift"], 1)

		text = bench("frappe-stack", "diff", "--path", str(self.repo))
		self.assertEqual(text.returncode, 2)
		self.assertIn("ToDo-stack_test_a › label: Stack Test A → Renamed In Git", text.stdout)
		self.assertIn("Diff: site=", text.stdout)

		stack.apply(self.site, str(self.repo))
		stack.export(self.site, str(self.repo), only=[("Custom Field", "ToDo-stack_test_extra")])
		self.assertTrue(stack.diff(self.site, str(self.repo)).is_clean)

	def test_diff_against_a_git_ref(self):
		git = ["git", "-C", str(self.repo)]
		for args in (["init", "-q", "-b", "main"], ["add", "-A"]):
			subprocess.run(git + args, check=True)
		subprocess.run(
			git + ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "fields"],
			check=True,
		)
		fields = [dict(f) for f in self.fields]
		fields[0]["label"] = "Not Committed"
		self.write_blueprint("todo-fields", fields)

		at_head = stack.diff(self.site, str(self.repo), ref="HEAD")
		self.assertTrue(at_head.is_clean, at_head.text())
		self.assertTrue(at_head.repo.startswith("HEAD@"))
		working = stack.diff(self.site, str(self.repo))
		self.assertEqual([i.name for i in working.changed], ["ToDo-stack_test_a"])
		self.assertTrue(working.repo.startswith("main@"))
		bad = bench("frappe-stack", "diff", "--path", str(self.repo), "--ref", "no-such-ref")
		self.assertEqual(bad.returncode, 1)
		self.assertIn("unknown git ref 'no-such-ref'", bad.stderr)


class TestWhatIsExported(StackTestCase):
	def tearDown(self):
		super().tearDown()
		purge_managed(
			also=[
				("Role", "Stack Test Desk Role"),
				("Custom Field", "ToDo-stack_test_pin"),
				("Workspace", "Stack Test Desk Space"),
			]
		)

	def test_customizations_made_in_desk_are_found_and_what_apps_own_is_not(self):
		frappe.get_doc({"doctype": "Role", "role_name": "Stack Test Desk Role"}).insert()
		frappe.get_doc(
			{
				"doctype": "Workspace",
				"label": "Stack Test Desk Space",
				"title": "Stack Test Desk Space",
				"public": 1,
				"content": "[]",
			}
		).insert()
		found = set(self.site.customizations())
		self.assertIn(("Role", "Stack Test Desk Role"), found)
		self.assertIn(("Workspace", "Stack Test Desk Space"), found)
		owned = [
			("Role", "System Manager"),
			("Role", "Guest"),
			("Role", "Translator"),
			("Role", "Stack Manager"),
			("Workflow State", "Pending"),
			("Workflow Action Master", "Approve"),
			("Workspace", "Build"),
			("Workspace", "Users"),
			("Workspace", "Frappe Stack"),
			("DocType", "Blueprint"),
		]
		self.assertTrue(frappe.db.exists("Workspace", "Frappe Stack"), "the app's own workspace is installed")
		self.assertEqual([key for key in owned if key in found], [])
		self.assertFalse(any(dt == "Report" for dt, _ in found))

	def test_secrets_are_left_out_and_reported(self):
		frappe.get_doc(
			custom_field("stack_test_pin", "PIN", fieldtype="Password", default="s3cr3t-pin")
		).insert()
		frappe.db.commit()
		result = stack.export(self.site, str(self.repo), only=[("Custom Field", "ToDo-stack_test_pin")])
		written = b"".join(files(self.repo).values())
		self.assertNotIn(b"s3cr3t-pin", written)
		self.assertEqual(
			result.left_out,
			["Custom Field 'ToDo-stack_test_pin'.default: default of Password field 'stack_test_pin'"],
		)
		self.assertNotIn("s3cr3t-pin", json.dumps(result.as_dict()))
		done = bench(
			"frappe-stack", "export", "--path", str(self.repo), "--doc", "Custom Field:ToDo-stack_test_pin"
		)
		self.assertEqual(done.returncode, 0, done.stderr)
		self.assertIn("left out", done.stdout)
		self.assertNotIn("s3cr3t-pin", done.stdout + done.stderr)

		# applying the exported blueprint, changed elsewhere, keeps the secret on the site
		path = next((self.repo / "blueprints").glob("*.json"))
		path.write_text(path.read_text().replace('"PIN"', '"Card PIN"'))
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])
		self.assertEqual(frappe.db.get_value("Custom Field", "ToDo-stack_test_pin", "label"), "Card PIN")
		self.assertEqual(frappe.db.get_value("Custom Field", "ToDo-stack_test_pin", "default"), "s3cr3t-pin")
		self.assertFalse(stack.diff(self.site, str(self.repo)).changed)
