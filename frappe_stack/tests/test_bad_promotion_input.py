"""Bad input to check, deploy and rollback: one clear line naming what and the fix, exit 1, and
nothing written (no backup folder, no Promotion, no audit row)."""

from pathlib import Path

import frappe
from frappe.utils import get_bench_path

from frappe_stack.tests.utils import StackTestCase, bench


class TestBadPromotionInput(StackTestCase):
	def setUp(self):
		super().setUp()
		self.write_blueprint(
			"roles",
			[{"doctype": "Role", "name": "Stack Bad Input Role", "role_name": "Stack Bad Input Role"}],
		)
		self.backups = (
			Path(get_bench_path()) / "sites" / frappe.local.site / "private" / "frappe_stack" / "backups"
		)

	def counts(self) -> tuple:
		return (
			frappe.db.count("Promotion"),
			frappe.db.count("Stack Audit Log"),
			sorted(p.name for p in self.backups.iterdir()) if self.backups.is_dir() else [],
		)

	def refused(self, *args: str) -> str:
		before = self.counts()
		done = bench("frappe-stack", *args)
		self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
		self.assertEqual(self.counts(), before)
		return done.stderr

	def test_check_against_an_unknown_target(self):
		error = self.refused("check", "--path", str(self.repo), "--target", "no_such_site_here")
		self.assertIn("no_such_site_here: neither a site of this bench nor an http(s) URL", error)

	def test_check_with_a_backup_label_that_is_not_a_folder_name(self):
		error = self.refused(
			"check", "--path", str(self.repo), "--target", frappe.local.site, "--label", "../../escape"
		)
		self.assertIn("backup label '../../escape': use letters, digits, '.', '_' and '-' only", error)

	def test_deploy_and_rollback_must_say_what(self):
		self.assertIn("--promotion ID (a merged promotion) or --ref SHA", self.refused("deploy"))
		both = self.refused("deploy", "--promotion", "PROMO-2026-0001", "--ref", "HEAD")
		self.assertIn("--promotion ID (a merged promotion) or --ref SHA", both)
		self.assertIn("--promotion ID (restore its backup) or --to GITREF", self.refused("rollback"))

	def test_rollback_of_a_promotion_that_does_not_exist(self):
		error = self.refused("rollback", "--promotion", "PROMO-1999-0001", "--yes")
		self.assertIn("no Promotion PROMO-1999-0001 on", error)
