"""The plan saved at the approval, on real sites (deploy_helpers' fixture: this site is staging,
the peer site is production with its own checkout, a fake GitHub on 127.0.0.1). promote saves the
plan against production with the manifest; deploy makes it again before any write and refuses
when a managed document was edited on production since, naming it, unless --replan, which the
audit log and the Promotion's journal record."""

import json

import frappe

from frappe_stack.tests.deploy_helpers import ENV, REPO, DeployTestCase
from frappe_stack.tests.utils import bench, execute_json, git

CARD = "Active Beneficiaries"  # a managed document the promoted change leaves as it is


class TestSavedPlanDeploy(DeployTestCase):
	def assert_plan_saved(self, promotion: dict) -> dict:
		"""The plan promote saved: committed next to the manifest, its hash in the manifest, the
		pull request body and the Promotion's journal on staging."""
		name, plan = promotion["promotion"], promotion["plan"]
		self.assertEqual(plan["file"], f"promotions/{name}.plan.json")
		saved = json.loads(git(self.prod, "show", f"HEAD:promotions/{name}.plan.json"))
		self.assertEqual(saved["hash"], plan["hash"])
		manifest = json.loads(git(self.prod, "show", f"HEAD:promotions/{name}.json"))
		self.assertEqual(manifest["plan"], plan)
		actions = {(d["doctype"], d["name"]): d["action"] for d in saved["documents"]}
		self.assertEqual(actions[("DocType", "Beneficiary")], "update")
		self.assertEqual(actions[("Number Card", CARD)], "noop")
		self.assertEqual(plan["documents"], len(saved["documents"]))
		self.assertEqual(plan["actions"], {"update": 1, "noop": len(saved["documents"]) - 1})
		(pull,) = self.github.pulls(REPO)
		self.assertIn("## Saved plan", pull.body)
		self.assertIn(f"`{plan['hash']}`", pull.body)
		self.assertIn(f"{plan['documents']} document(s): 1 update,", pull.body)
		journal = [e.detail for e in frappe.get_doc("Promotion", name).journal]
		summary = f"{plan['documents']} document(s): 1 update, {plan['actions']['noop']} noop"
		self.assertTrue(journal[-1].endswith(f"; saved plan {plan['hash'][:12]} ({summary})"), journal[-1])
		return plan

	def test_a_document_edited_on_production_since_the_approval_refuses_until_replan(self):
		promotion = self.promote_and_merge("stale-plan")
		name = promotion["promotion"]
		plan = self.assert_plan_saved(promotion)
		# after the approval someone edits a managed document on production, in Desk
		execute_json("frappe.db.set_value", "Number Card", CARD, "label", "Edited in Desk", site=self.peer)
		before, backups = self.state(), self.backup_files(name)  # promote's check took one already

		refused = bench("frappe-stack", "deploy", "--promotion", name, site=self.peer, env=ENV)
		self.assertEqual(refused.returncode, 1, refused.stdout + refused.stderr)
		lines = refused.stderr.splitlines()
		lines = lines[next(i for i, line in enumerate(lines) if line.startswith("Error: ")) :]
		self.assertEqual(
			lines[0],
			f"Error: {name}: production changed since the approval (saved plan {plan['hash'][:12]}, "
			"1 document(s) differ); nothing was written:",
		)
		self.assertTrue(
			lines[1].startswith(
				f"  Number Card '{CARD}' (beneficiary): changed on production since the approval (approved noop of "
			),
			lines[1],
		)
		self.assertIn(", now update of ", lines[1])
		self.assertEqual(
			lines[2],
			"fix: review the changes and re-promote, or deploy with --replan (recorded in the audit log)",
		)
		# nothing on production changed: no table a deploy touches, no Promotion, no backup, no maintenance
		self.assertEqual(self.state(), before)
		self.assertEqual(self.promotion_names(), [])
		self.assertEqual(self.backup_files(name), backups)
		self.assertEqual(self.card_label(), "Edited in Desk")

		code, result = self.deploy("--promotion", name, "--replan")
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(result["status"], "Deployed")
		self.assertTrue(
			result["plan"].startswith(
				f"{plan['hash'][:12]} differs in 1 document(s), deployed anyway (--replan): "
			),
			result["plan"],
		)
		self.assertIn(f"Number Card '{CARD}' (beneficiary)", result["plan"])
		self.assertEqual(self.village_label(), "Village or Settlement")
		self.assertEqual(self.card_label(), CARD)  # the repo's card again: migrate applied it
		(audit,) = self.audit_rows("replan")
		self.assertEqual(audit["result"], "Success")
		self.assertTrue(audit["details"].startswith(f"{name}: deployed with --replan: Number Card '{CARD}'"))
		journal = [(e["step"], e["detail"]) for e in self.promotion(name)["journal"]]
		self.assertIn(("replan", audit["details"].removeprefix(f"{name}: ")), journal)

	def test_an_unchanged_production_deploys_the_approved_plan_and_a_ref_deploy_says_it_has_none(self):
		promotion = self.promote_and_merge("plan-holds")
		plan = promotion["plan"]
		deployed = bench(
			"frappe-stack", "deploy", "--promotion", promotion["promotion"], site=self.peer, env=ENV
		)
		self.assertEqual(deployed.returncode, 0, deployed.stdout + deployed.stderr)
		self.assertEqual(
			deployed.stdout.splitlines()[1],
			f"Saved plan: {plan['hash'][:12]} matches production ({plan['documents']} document(s): 1 update, "
			f"{plan['actions']['noop']} noop)",
		)
		self.assertEqual(self.audit_rows("replan"), [])

		self.edit(self.prod, "Village by ref")
		sha = self.commit_on_main("a change deployed by its commit")
		by_ref = bench("frappe-stack", "deploy", "--ref", sha, site=self.peer, env=ENV)
		self.assertEqual(by_ref.returncode, 0, by_ref.stdout + by_ref.stderr)
		self.assertIn(
			"Saved plan: none: a --ref deploy is bound to no approval, the checkout is deployed as it is",
			by_ref.stdout.splitlines(),
		)

	def card_label(self) -> str:
		return execute_json("frappe.db.get_value", "Number Card", CARD, "label", site=self.peer)

	def audit_rows(self, action: str) -> list[dict]:
		fields = ["result", "details"]
		rows = execute_json(
			"frappe.get_all", "Stack Audit Log", site=self.peer, filters={"action": action}, fields=fields
		)
		return rows or []
