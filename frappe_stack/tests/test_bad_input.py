"""Law 5 on a real site: every bad input is refused before any write, with an error that names
the file, the JSON path and the fix, and the command exits 1."""

import frappe

from frappe_stack import stack
from frappe_stack.errors import ValidationFailed
from frappe_stack.tests.utils import StackTestCase, bench, row_counts


def role(name: str) -> dict:
	return {"doctype": "Role", "name": name, "role_name": name}


class TestBadInput(StackTestCase):
	def assert_refused(self, file: str, path: str, words: str) -> ValidationFailed:
		counts = row_counts()
		with self.assertRaises(ValidationFailed) as caught:
			stack.apply(self.site, str(self.repo))
		messages = [str(e) for e in caught.exception.errors]
		self.assertTrue(
			any(
				e.file.endswith(file) and e.path == path and words in e.message and e.fix
				for e in caught.exception.errors
			),
			messages,
		)
		self.assertEqual(row_counts(), counts)
		self.assertFalse(frappe.db.exists("Role", "Stack Test Good"))
		return caught.exception

	def setUp(self):
		super().setUp()
		# a valid blueprint beside each bad one: it must not be written either
		self.write_blueprint("good", [role("Stack Test Good")])

	def test_malformed_json(self):
		(self.repo / "blueprints" / "broken.json").write_text('{"blueprint": "broken", "documents": [}')
		self.assert_refused("blueprints/broken.json", "$", "malformed JSON")

	def test_unknown_doctype(self):
		self.write_blueprint("odd", [{"doctype": "Sales Invoice", "name": "SINV-1"}])
		self.assert_refused("blueprints/odd.json", "$.documents[0].doctype", "unknown or unsupported doctype")

	def test_missing_name(self):
		self.write_blueprint("nameless", [{"doctype": "Role", "role_name": "X"}])
		self.assert_refused("blueprints/nameless.json", "$.documents[0].name", "has no name")

	def test_misspelt_keys_are_refused_with_the_field_they_most_look_like(self):
		"""A key that is no field of the document (or of its child rows) on this site's schema."""
		field = {
			"doctype": "Custom Field",
			"name": "ToDo-stack_typo",
			"dt": "ToDo",
			"fieldname": "stack_typo",
			"fieldtpye": "Int",
		}
		doctype = {
			"doctype": "DocType",
			"name": "Stack Typo Thing",
			"module": "Custom",
			"custom": 1,
			"fields": [{"feildname": "size", "fieldtype": "Int", "label": "Size"}],
			"permissions": [{"role": "System Manager", "read": 1}],
		}
		self.write_blueprint("typos", [field, doctype])
		error = self.assert_refused(
			"blueprints/typos.json", "$.documents[0].fieldtpye", "Custom Field has no field 'fieldtpye'"
		)
		said = {e.path: str(e) for e in error.errors}
		self.assertIn('did you mean "fieldtype"', said["$.documents[0].fieldtpye"])
		self.assertIn('did you mean "fieldname"', said["$.documents[1].fields[0].feildname"])
		self.assertFalse(frappe.db.exists("Custom Field", "ToDo-stack_typo"))
		self.assertFalse(frappe.db.exists("DocType", "Stack Typo Thing"))

	def test_duplicate_identity_in_two_files(self):
		self.write_blueprint("twin", [role("Stack Test Good")])
		error = self.assert_refused(
			"blueprints/twin.json", "$.documents[0]", "also defined in blueprints/good.json"
		)
		self.assertEqual(len(error.errors), 1)

	def test_dependency_cycle(self):
		self.write_blueprint("a", [role("Stack Test A")], depends_on=["b"])
		self.write_blueprint("b", [role("Stack Test B")], depends_on=["a"])
		self.assert_refused("blueprints/a.json", "$.depends_on", "dependency cycle a -> b -> a")

	def test_depends_on_nothing(self):
		self.write_blueprint("lonely", [role("Stack Test Lonely")], depends_on=["no-such-blueprint"])
		self.assert_refused("blueprints/lonely.json", "$.depends_on[0]", "not a blueprint here")

	def test_password_value(self):
		self.write_blueprint(
			"secretive",
			[
				{
					"doctype": "Custom Field",
					"name": "ToDo-api_password",
					"dt": "ToDo",
					"fieldname": "api_password",
					"fieldtype": "Password",
					"default": "hunter2",
				}
			],
		)
		error = self.assert_refused("blueprints/secretive.json", "$.documents[0].default", "holds a secret")
		self.assertNotIn("hunter2", str(error))

	def test_cli_exits_1_naming_file_and_path(self):
		self.write_blueprint("odd", [{"doctype": "Sales Invoice", "name": "SINV-1"}])
		done = bench("frappe-stack", "apply", "--path", str(self.repo))
		self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
		self.assertIn("blueprints/odd.json: $.documents[0].doctype", done.stderr)
		self.assertIn("nothing was written", done.stderr)
		self.assertFalse(frappe.db.exists("Role", "Stack Test Good"))
