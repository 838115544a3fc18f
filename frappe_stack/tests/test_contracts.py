"""The contract cases (frappe_stack/tests/contract_cases.py) on the real adapter: FrappeSite and
FrappeFacts. tests/test_contracts.py runs the same cases on MemorySite and FakeContext, so a fake
that drifts from what it fakes fails one of the two. Also: a backup honours its timeout."""

import shutil

import frappe
from frappe.tests.utils import FrappeTestCase

from frappe_stack.applier import Site
from frappe_stack.site import promotion_backup
from frappe_stack.site.facts import FrappeFacts
from frappe_stack.site.frappe_site import FrappeSite, run_backup_job
from frappe_stack.site_protocols import ReferenceLookup, SiteFacts
from frappe_stack.tests import contract_cases as cases


class FrappeWorld:
	def audit_actions(self) -> list[str]:
		return frappe.get_all("Stack Audit Log", pluck="action")

	def desk_edit(self, key, **values) -> None:
		frappe.get_doc(*key).update(values).save(ignore_permissions=True)
		frappe.db.commit()

	def set_config(self, key: str, value: str) -> None:
		frappe.local.conf[key] = value  # in memory: _clean_site_cases takes it out again


def _clean_site_cases() -> None:
	frappe.db.rollback()
	frappe.local.conf.pop("stack_contract_secret", None)
	for doctype, name in cases.SITE_CASE_KEYS:
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, ignore_missing=True)
	for blueprint in cases.SITE_CASE_BLUEPRINTS:
		frappe.delete_doc("Blueprint", blueprint, force=True, ignore_permissions=True, ignore_missing=True)
	frappe.db.delete("Stack Audit Log", {"blueprint": ("in", cases.SITE_CASE_BLUEPRINTS)})
	frappe.db.commit()


class TestSiteContract(FrappeTestCase):
	def setUp(self):
		_clean_site_cases()

	def tearDown(self):
		_clean_site_cases()

	def test_the_adapter_implements_the_protocols(self):
		self.assertIsInstance(FrappeSite(), Site)
		self.assertIsInstance(FrappeSite(), ReferenceLookup)
		self.assertIsInstance(FrappeFacts(), SiteFacts)

	def test_the_adapter_keeps_the_site_contract(self):
		for case in cases.SITE_CASES:
			with self.subTest(case.__name__):
				_clean_site_cases()
				case(FrappeSite(), FrappeWorld())

	def test_references_name_the_doctypes_and_documents_the_site_has(self):
		site = FrappeSite()
		self.assertEqual(
			site.doctype_tables(["Role", "Has Role", "Stack Contract Nowhere"]),
			{"Role": False, "Has Role": True},
		)
		self.assertEqual(
			site.existing([("Role", "System Manager"), ("Role", "Stack Contract Nobody")]),
			{("Role", "System Manager")},
		)


class TestFactsContract(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not frappe.db.exists("DocType", cases.PROBE):
			frappe.get_doc(
				{
					"doctype": "DocType",
					"name": cases.PROBE,
					"module": "Custom",
					"custom": 1,
					"fields": cases.PROBE_FIELDS,
					"permissions": [{"role": "System Manager"}],
				}
			).insert(ignore_permissions=True)
		columns = [row["fieldname"] for row in cases.PROBE_FIELDS]
		frappe.db.delete(cases.PROBE)
		# straight into the table, as Desk edits and imports leave values: no controller tidies them
		frappe.db.bulk_insert(
			cases.PROBE,
			["name", *columns],
			[[f"probe-{i}", *(row[c] for c in columns)] for i, row in enumerate(cases.PROBE_ROWS)],
		)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete(cases.PROBE)
		frappe.delete_doc("DocType", cases.PROBE, force=True, ignore_permissions=True)
		frappe.db.sql_ddl(f"drop table if exists `tab{cases.PROBE}`")
		frappe.db.commit()
		super().tearDownClass()

	def test_the_facts_keep_the_contract(self):
		for case in cases.FACT_CASES:
			with self.subTest(case.__name__):
				case(FrappeFacts())

	def test_the_facts_count_as_the_contract_says(self):
		for question, arguments, expected in cases.FACT_COUNTS:
			with self.subTest(question=question, arguments=arguments):
				self.assertEqual(cases.answer(FrappeFacts(), question, arguments), expected)


class TestBackupTimeout(FrappeTestCase):
	def tearDown(self):
		for label in ("stack-contract-timeout", "stack-contract-in-time", "stack-contract-job"):
			shutil.rmtree(promotion_backup.folder(label), ignore_errors=True)

	def test_a_backup_that_outlasts_its_timeout_is_stopped_and_says_so(self):
		record = FrappeSite().backup("stack-contract-timeout", ["tabRole"], timeout=0.01)
		self.assertFalse(record.verified)
		self.assertIn("did not finish within 0.01 s", record.problems[0])
		self.assertEqual(list(promotion_backup.folder("stack-contract-timeout").glob("*database*")), [])

	def test_a_backup_within_its_timeout_is_verified(self):
		record = FrappeSite().backup("stack-contract-in-time", ["tabRole"], timeout=300)
		self.assertTrue(record.verified, record.problems)

	def test_the_background_job_a_remote_promotion_polls_reports_its_backup(self):
		run_backup_job("stack-contract-job", ["tabRole"], dump_timeout=300)
		status = promotion_backup.read_status("stack-contract-job")
		self.assertEqual(status["status"], "complete", status)
		self.assertTrue(status["record"]["path"].endswith("database.sql.gz"))
