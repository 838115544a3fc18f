"""Production holds promotions named on staging; a promotion it names itself must not collide."""

import frappe
from frappe.utils import nowdate

from frappe_stack.site import promotions
from frappe_stack.tests.utils import StackTestCase


class TestPromotionNames(StackTestCase):
	def tearDown(self):
		for name in self.made:
			doc = frappe.get_doc("Promotion", name)
			doc.flags.written_by_frappe_stack = True
			doc.delete(ignore_permissions=True)
		frappe.db.commit()
		super().tearDown()

	def test_a_promotion_named_here_skips_names_staging_gave(self):
		self.made = []
		year = nowdate()[:4]
		series = f"PROMO-{year}-"
		found = frappe.db.sql("select current from tabSeries where name = %s", series)
		current = found[0][0] if found else 0
		# the next two names this site's series would give, already taken by promotions from staging
		for n in (current + 1, current + 2):
			self.made.append(promotions.create({"name": f"{series}{n:04d}", "status": "Merged"}, [], [], "t"))
		made_here = promotions.create({"label": "ref-abc", "status": "Merged"}, [], [], "deploy of abc")
		self.made.append(made_here)
		self.assertEqual(made_here, f"{series}{current + 3:04d}")
		self.assertEqual(len(set(self.made)), 3)
