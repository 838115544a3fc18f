"""review on a real site: the data-impact rules count real rows of the table a change touches
(through a custom DocType's own fields, or Property Setters on a standard one), roles are checked
against the site's, and the command's exit code and outputs follow the findings."""

import json
import subprocess

import frappe

from frappe_stack import stack
from frappe_stack.site.facts import FrappeFacts
from frappe_stack.tests.utils import StackTestCase, bench

THING = "Stack Test Reviewed"
GHOST = "Stack Test Ghost Role"


def commit(repo) -> None:
	"""Commit the config repo's working tree: what review compares against (HEAD)."""
	git = ["git", "-C", str(repo)]
	subprocess.run(git + ["init", "-q"], check=True)
	subprocess.run(git + ["add", "-A"], check=True)
	identity = ["-c", "user.email=t@example.com", "-c", "user.name=t"]
	subprocess.run(git + identity + ["commit", "-q", "--allow-empty", "-m", "base"], check=True)


def empty_rows(doctype: str, fieldname: str) -> int:
	"""Rows with no value (NULL or ''), counted here without SQL, whatever else the site holds."""
	return sum(not value for value in frappe.get_all(doctype, pluck=fieldname))


def setter(doc_type: str, field_name: str, prop: str, value: str, property_type: str) -> dict:
	"""A Property Setter as Customize Form writes it."""
	return {
		"doctype": "Property Setter",
		"name": f"{doc_type}-{field_name}-{prop}",
		"doctype_or_field": "DocField",
		"doc_type": doc_type,
		"field_name": field_name,
		"property": prop,
		"property_type": property_type,
		"value": value,
	}


def thing(changed: bool) -> dict:
	fields = [
		{"fieldname": "title", "fieldtype": "Data", "label": "Title"},
		{"fieldname": "code", "fieldtype": "Data", "label": "Code", "length": 5 if changed else 40},
		{
			"fieldname": "status",
			"fieldtype": "Select",
			"label": "Status",
			"options": "Open\nClosed" + ("" if changed else "\nArchived"),
		},
		{"fieldname": "qty", "fieldtype": "Int" if changed else "Data", "label": "Qty"},
		{"fieldname": "email", "fieldtype": "Data", "label": "Email", "reqd": 1 if changed else 0},
	]
	if changed:
		fields = fields[1:]  # title removed while rows hold titles
	return {
		"doctype": "DocType",
		"name": THING,
		"custom": 1,
		"module": "Custom",
		"fields": fields,
		"permissions": [{"role": "System Manager"}],
	}


class TestReviewOnRealRows(StackTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.sql_ddl(f"drop table if exists `tab{THING}`")
		self.write_blueprint("reviewed", [thing(False)])
		commit(self.repo)
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])
		rows = [
			{"title": "First", "code": "ABCDEFGHIJ", "status": "Archived", "qty": "many", "email": ""},
			{"title": "Second", "code": "AB", "status": "Open", "qty": "3", "email": "a@example.com"},
			{"title": "", "code": "ABCDEFG", "status": "Archived", "qty": "", "email": ""},
		]
		for row in rows:
			frappe.get_doc({"doctype": THING, **row}).insert()
		frappe.db.commit()

	def findings(self, report, severity: str, *words: str) -> list:
		return [f for f in report.findings if f.severity == severity and all(w in f.message for w in words)]

	def test_each_data_impact_rule_counts_the_real_rows(self):
		self.write_blueprint("reviewed", [thing(True)])
		report, _ = stack.review(self.site, str(self.repo))
		self.assertTrue(report.blocking)
		self.assertTrue(
			self.findings(report, "CRITICAL", "title", "2"), report.text()
		)  # removed, 2 rows hold data
		self.assertTrue(
			self.findings(report, "HIGH", "code", "2"), report.text()
		)  # length 5 truncates 2 values
		self.assertTrue(self.findings(report, "HIGH", "status", "Archived", "2"), report.text())  # narrowed
		self.assertTrue(self.findings(report, "HIGH", "qty", "1"), report.text())  # "many" is not a number
		self.assertTrue(self.findings(report, "HIGH", "email", "2"), report.text())  # mandatory, 2 rows empty

	def test_a_harmless_change_does_not_block_and_the_command_says_so(self):
		harmless = thing(False)
		harmless["fields"][0]["label"] = "Headline"
		self.write_blueprint("reviewed", [harmless])
		report, _ = stack.review(self.site, str(self.repo))
		self.assertFalse(report.blocking, report.text())
		done = bench("frappe-stack", "review", "--path", str(self.repo), "--json")
		self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
		self.assertIn("findings", json.loads(done.stdout))

	def test_the_command_blocks_with_exit_2_and_writes_sarif(self):
		self.write_blueprint("reviewed", [thing(True)])
		done = bench("frappe-stack", "review", "--path", str(self.repo), "--sarif")
		self.assertEqual(done.returncode, 2, done.stderr)
		sarif = json.loads(done.stdout)
		self.assertEqual(sarif["version"], "2.1.0")
		uris = {
			r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
			for r in sarif["runs"][0]["results"]
		}
		self.assertEqual(uris, {"blueprints/reviewed.json"})
		text = bench("frappe-stack", "review", "--path", str(self.repo))
		self.assertEqual(text.returncode, 2)
		self.assertIn("CRITICAL", text.stdout)


class TestReviewOfCustomizations(StackTestCase):
	"""Property Setters on Frappe's own ToDo and Note, over rows the tests insert (and delete)."""

	def setUp(self):
		super().setUp()
		self.inserted: list[tuple[str, str]] = []

	def tearDown(self):
		frappe.db.rollback()
		for doctype, name in self.inserted:
			frappe.db.delete(doctype, {"name": name})
		frappe.db.commit()
		super().tearDown()

	def insert(self, doctype: str, **values) -> None:
		doc = frappe.get_doc({"doctype": doctype, **values}).insert()
		self.inserted.append((doctype, doc.name))

	def findings(self, report, rule: str) -> list:
		return [f for f in report.findings if f.rule == rule]

	def test_setters_on_a_standard_doctype_count_its_real_rows(self):
		self.insert("ToDo", description="call back", priority="Low", sender="")
		self.insert("ToDo", description="write up", priority="Low", sender="a@example.com")
		self.insert("ToDo", description="file it", priority="High", sender="")
		self.write_blueprint(
			"todo",
			[
				setter("ToDo", "priority", "options", "High\nMedium", "Text"),
				setter("ToDo", "sender", "reqd", "1", "Check"),
			],
		)
		report, _ = stack.review(self.site, str(self.repo))
		self.assertTrue(report.blocking, report.text())

		empty = empty_rows("ToDo", "sender")
		self.assertGreaterEqual(empty, 2)
		[mandatory] = self.findings(report, "FLD001")
		self.assertIn(
			f"ToDo.sender becomes mandatory but is empty in {empty} existing row(s)", mandatory.message
		)
		self.assertEqual(
			(mandatory.doctype, mandatory.name, mandatory.path),
			("Property Setter", "ToDo-sender-reqd", "$.documents[1].reqd"),
		)

		low = frappe.db.count("ToDo", {"priority": "Low"})
		self.assertGreaterEqual(low, 2)
		[narrowed] = self.findings(report, "FLD002")
		self.assertIn(f"ToDo.priority drops option(s) Low still held by {low} row(s)", narrowed.message)
		self.assertEqual(narrowed.path, "$.documents[0].options")

	def test_a_harmless_setter_does_not_block(self):
		self.insert("ToDo", description="call back", sender="")
		self.write_blueprint("todo", [setter("ToDo", "sender", "bold", "1", "Check")])
		report, _ = stack.review(self.site, str(self.repo))
		self.assertEqual(report.findings, [], report.text())

	def test_deleting_a_setter_that_made_a_mandatory_field_optional(self):
		self.write_blueprint("note", [setter("Note", "title", "reqd", "0", "Check")])
		commit(self.repo)
		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])
		# the site's meta has the setter; the review compares with the DocType's own definition
		self.assertEqual(frappe.get_meta("Note").get_field("title").reqd, 0)
		self.assertEqual(FrappeFacts().field_definition("Note", "title")["reqd"], 1)
		self.insert("Note", title="", content="first")
		self.insert("Note", title="", content="second")
		self.insert("Note", title="Named", content="third")

		self.write_blueprint("note", [], delete=[{"doctype": "Property Setter", "name": "Note-title-reqd"}])
		report, _ = stack.review(self.site, str(self.repo))
		empty = empty_rows("Note", "title")
		self.assertGreaterEqual(empty, 2)
		[mandatory] = self.findings(report, "FLD001")
		self.assertIn(
			f"Note.title becomes mandatory but is empty in {empty} existing row(s)", mandatory.message
		)
		self.assertEqual(mandatory.path, "$.delete[0].reqd")

	def test_roles_that_exist_nowhere_block_permissions_and_reports(self):
		repo_role = "Stack Test Repo Role"
		perm = {"doctype": "Custom DocPerm", "parent": "Note", "read": 1}
		self.write_blueprint(
			"access",
			[
				{"doctype": "Role", "name": repo_role, "role_name": repo_role},
				perm | {"name": "stack-test-perm-ghost", "role": GHOST},
				perm | {"name": "stack-test-perm-repo", "role": repo_role},
				perm | {"name": "stack-test-perm-site", "role": "System Manager"},
				{
					"doctype": "Report",
					"name": "Stack Test Notes",
					"report_name": "Stack Test Notes",
					"ref_doctype": "Note",
					"report_type": "Report Builder",
					"is_standard": "No",
					"roles": [{"role": "System Manager"}, {"role": GHOST}],
				},
			],
		)
		report, _ = stack.review(self.site, str(self.repo))
		unknown = {(f.name, f.path) for f in self.findings(report, "PRM002")}
		self.assertEqual(
			unknown,
			{
				("stack-test-perm-ghost", "$.documents[1].role"),
				("Stack Test Notes", "$.documents[4].roles[1].role"),
			},
			report.text(),
		)
		self.assertTrue(
			all(f.severity == "HIGH" and GHOST in f.message for f in self.findings(report, "PRM002"))
		)
		self.assertTrue(report.blocking)
