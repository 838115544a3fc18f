"""The Desk UI in headless Chromium against `bench serve` on 127.0.0.1: the Frappe Stack workspace,
and the Promotion and Blueprint lists with their coloured statuses. Each page is screenshotted and
the screenshot checked (frappe_stack/tests/desk_helpers.py)."""

import json

from frappe_stack.tests.desk_helpers import BLOCKED_LABEL, LABEL, LEDGER, LIST_FACTS, DeskTestCase


class TestDesk(DeskTestCase):
	def test_workspace_has_shortcuts_links_and_recent_promotions(self):
		page = self.manager
		page.goto(
			f"{self.url}/app/frappe-stack",
			f"""document.querySelectorAll(".shortcut-widget-box").length >= 3 &&
			[...document.querySelectorAll(".quick-list-widget-box .quick-list-item")]
				.some((e) => e.innerText.includes({json.dumps(LABEL)}))""",
		)
		facts = page.evaluate(
			"""(() => {
			const texts = (selector) => [...document.querySelectorAll(selector)].map((e) => e.innerText.trim());
			return {
				title: document.title,
				shortcuts: texts(".shortcut-widget-box .widget-title"),
				cards: texts(".links-widget-box .widget-title"),
				links: texts(".links-widget-box .link-text"),
				quick_lists: texts(".quick-list-widget-box .widget-title"),
				recent: [...document.querySelectorAll(".quick-list-widget-box .quick-list-item")].map((e) => [
					e.querySelector(".title").innerText.trim(),
					(e.querySelector(".indicator-pill") || {}).className || "",
				]),
				text: document.querySelector(".layout-main-section").innerText,
			};
		})()"""
		)
		self.assertEqual(facts["title"], "Frappe Stack")
		self.assertEqual(facts["shortcuts"], ["Promotions", "Blueprints", "Audit Log"])
		self.assertEqual(facts["cards"], ["Releases", "Ledger", "Audit"])
		self.assertEqual(facts["links"], ["Promotion", "Blueprint", "Stack Audit Log"])
		self.assertEqual(facts["quick_lists"], ["Recent Promotions", "Blueprint Ledger"])
		recent = dict(facts["recent"])
		self.assertIn("green", recent[LABEL].split())
		self.assertIn("red", recent[BLOCKED_LABEL].split())
		self.assertIn("Customizations as code", facts["text"])
		self.shoot(page, "workspace", [".shortcut-widget-box", ".quick-list-widget-box", ".links-widget-box"])
		self.assertNoPageErrors(page)

	def test_promotion_list_colours_each_status(self):
		page = self.manager
		names = json.dumps([self.promotion, self.blocked])
		page.goto(
			f"{self.url}/app/promotion",
			f"""{names}.every((name) => document.querySelector(
				`.list-row-container .list-row-checkbox[data-name="${{name}}"]`))""",
		)
		self.assertEqual(page.evaluate("document.title"), "Promotion")
		rows = {row["name"]: row for row in page.evaluate(LIST_FACTS)}
		self.assertEqual(rows[self.promotion]["status"], "Deployed")
		self.assertIn("green", rows[self.promotion]["colour"].split())
		self.assertIn(LABEL, rows[self.promotion]["text"])
		self.assertEqual(rows[self.blocked]["status"], "Blocked")
		self.assertIn("red", rows[self.blocked]["colour"].split())
		self.shoot(page, "promotion-list", [".list-row-container .indicator-pill"])
		self.assertNoPageErrors(page)

	def test_blueprint_ledger_list_colours_each_status(self):
		page = self.manager
		page.goto(
			f"{self.url}/app/blueprint",
			f"""{json.dumps(list(LEDGER))}.every((name) => document.querySelector(
				`.list-row-container .list-row-checkbox[data-name="${{name}}"]`))""",
		)
		self.assertEqual(page.evaluate("document.title"), "Blueprint")
		rows = {row["name"]: row for row in page.evaluate(LIST_FACTS)}
		colours = {"Applied": "green", "Drifted": "yellow", "Failed": "red"}
		for name, status in LEDGER.items():
			self.assertEqual(rows[name]["status"], status)
			self.assertIn(colours[status], rows[name]["colour"].split(), name)
		self.shoot(page, "blueprint-list", [".list-row-container .indicator-pill"])
		self.assertNoPageErrors(page)
