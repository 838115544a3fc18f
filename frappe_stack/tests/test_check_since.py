"""`check` after the PM commits the export, as anyone would: it examines the change since the merge
base with origin/main, not since HEAD, so the review still finds what the change brings; and with
nothing changed since that base it says so and fails, unless --allow-empty."""

import json

from frappe_stack import stack
from frappe_stack.tests.test_check import TUESDAY, CheckSites
from frappe_stack.tests.utils import add_people, git, load_json

IDENTITY = ("-c", "user.name=t", "-c", "user.email=t@example.com")


class TestCheckSince(CheckSites):
	def setUp(self):
		super().setUp()
		# production's commit is origin/main; staging's change is exported and committed on top
		git(self.repo, "update-ref", "refs/remotes/origin/main", "HEAD")
		beneficiary = self.repo / "blueprints" / "beneficiary.json"
		content = load_json(beneficiary)
		doctype = next(d for d in content["documents"] if d["doctype"] == "DocType")
		visits = {"fieldname": "visits_per_year", "fieldtype": "Int", "label": "Visits per Year"}
		doctype["fields"].append(visits | {"default": "12"})  # FLD101, MEDIUM: a number unexplained
		beneficiary.write_text(json.dumps(content, indent=1))
		self.apply_here()
		stack.export(self.site, str(self.repo))
		git(self.repo, *IDENTITY, "add", "-A")
		git(self.repo, *IDENTITY, "commit", "-qm", "export")

	def test_check_after_a_commit_reviews_the_change_since_the_merge_base(self):
		code, checks, result = self.check("--at", TUESDAY, label="t-since")
		self.assertNotIn("change", checks, json.dumps(result, indent=1))
		review = checks["review"]
		self.assertIn("FLD101", review["data"]["rules"], review)
		self.assertGreaterEqual(review["data"]["counts"]["MEDIUM"], 1, review)
		self.assertEqual(review["result"], "warn", review)

	def test_nothing_changed_since_the_merge_base_fails_unless_allow_empty(self):
		git(self.repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # the change is merged
		head = git(self.repo, "rev-parse", "HEAD").strip()
		add_people(self.peer)
		add_people(self.site.site_name())
		code, checks, result = self.check("--at", TUESDAY, label="t-empty")
		self.assertEqual(code, 2, json.dumps(result, indent=1))
		self.assertEqual(checks["change"]["result"], "fail")
		self.assertTrue(
			checks["change"]["detail"].startswith(
				f"nothing to examine: no blueprint changed since merge base with origin/main ({head[:12]})"
			),
			checks["change"],
		)
		self.assertEqual([r["check"] for r in result["results"] if r["result"] == "fail"], ["change"])
		code, checks, result = self.check("--at", TUESDAY, "--allow-empty", label="t-allowed")
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(checks["change"]["result"], "warn")
		self.assertTrue(checks["change"]["detail"].endswith("(--allow-empty)"))
