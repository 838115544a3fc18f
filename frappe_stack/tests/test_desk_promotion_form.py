"""The Promotion form in headless Chromium against `bench serve` on 127.0.0.1: checklist, pull
request and backup, status history, and Rollback for Stack Managers only. Each page is
screenshotted and the screenshot checked (frappe_stack/tests/desk_helpers.py)."""

import base64
import json
from urllib.parse import parse_qs

from frappe_stack.tests.desk_helpers import DeskTestCase


class TestDeskPromotionForm(DeskTestCase):
	def test_promotion_form_for_a_stack_manager_offers_rollback(self):
		page = self.manager
		facts = self.open_form(page)
		self.assertIn("Rollback", facts["buttons"])
		self.assertIn("Copy rollback command", facts["buttons"])
		self.shoot(
			page,
			"promotion-form",
			[
				".form-message",
				'[data-fieldname="checks"] .grid-body',
				'[data-fieldname="steps"] .grid-body',
				'[data-fieldname="journal"] .grid-body',
			],
			full_page=True,
		)
		self.assertNoPageErrors(page)

		page.evaluate(
			"""[...document.querySelectorAll(".page-actions button")]
				.find((b) => b.innerText.trim() === "Rollback").click()"""
		)
		# shown: the dialog's fade-in is over (Frappe sets cur_dialog then)
		page.wait_for("""window.cur_dialog && cur_dialog.display && cur_dialog.confirm_dialog""")
		question = page.evaluate("""cur_dialog.$wrapper.find(".frappe-confirm-message").text()""")
		self.assertIn(
			"Restore backup 20261122_050000-production-database.sql.gz on site production?", question
		)
		self.shoot(page, "promotion-rollback-confirm", [".modal.show .modal-content"])

		# Yes: the button calls frappe_stack.api.rollback; Chromium answers for the server here, so
		# no restore is queued, and the form shows the answer
		page.call("Fetch.enable", {"patterns": [{"urlPattern": "*frappe_stack.api.rollback*"}]})
		try:
			page.evaluate("void cur_dialog.get_primary_btn().click()")
			paused = self.browser.wait_event("Fetch.requestPaused", page.session)
			request = paused["request"]
			self.assertEqual(request["method"], "POST")
			self.assertEqual(parse_qs(request.get("postData", ""))["promotion"], [self.promotion])
			answer = {"message": {"queued": True, "job": "stack-desk-test-job"}}
			page.call(
				"Fetch.fulfillRequest",
				{
					"requestId": paused["requestId"],
					"responseCode": 200,
					"responseHeaders": [{"name": "Content-Type", "value": "application/json"}],
					"body": base64.b64encode(json.dumps(answer).encode()).decode(),
				},
			)
		finally:
			page.call("Fetch.disable")
		page.wait_for(
			"""[...document.querySelectorAll("#alert-container .alert-message")]
				.some((e) => e.innerText.includes("queued (job stack-desk-test-job)"))"""
		)
		self.assertNoPageErrors(page)

	def test_promotion_form_for_a_stack_viewer_has_no_rollback(self):
		page = self.viewer
		facts = self.open_form(page)
		self.assertNotIn("Rollback", facts["buttons"])
		self.assertIn("Copy rollback command", facts["buttons"])
		self.shoot(
			page,
			"promotion-form-viewer",
			[".form-message", '[data-fieldname="checks"] .grid-body'],
			full_page=True,
		)
		self.assertNoPageErrors(page)
