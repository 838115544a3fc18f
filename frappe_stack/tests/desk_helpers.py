"""What the Desk UI tests share: a Promotion, a blocked one and ledger rows on this site, `bench serve`
on 127.0.0.1, headless Chromium logged in as a Stack Manager and as a Stack Viewer, and a screenshot
check (a PNG of the expected size whose content areas are drawn, not blank; kept in the bench's
logs/frappe_stack_desk/)."""

import json
import secrets
from pathlib import Path

import frappe
import requests
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path
from frappe.utils.password import update_password

from frappe_stack.site import promotions
from frappe_stack.tests.browser import Chromium, colour_spread, find_chromium, png_size
from frappe_stack.tests.utils import bench_serve

MANAGER = "stack.desk.manager@example.com"
VIEWER = "stack.desk.viewer@example.com"
WIDTH, HEIGHT = 1280, 800
SHOTS = Path(get_bench_path()) / "logs" / "frappe_stack_desk"
LABEL = "stack-desk-test-beneficiary"
BLOCKED_LABEL = "stack-desk-test-blocked"
PR_URL = "https://github.com/example/config/pull/7"
BACKUP = (
	"/home/frappe/frappe-bench/sites/production/private/backups/20261122_050000-production-database.sql.gz"
)
CHECKS = [
	{"check": "diff clean", "result": "pass", "detail": "staging matches the config repo"},
	{"check": "review", "result": "warn", "detail": "1 finding: PRM002 role 'Approver' is not on production"},
	{"check": "time window", "result": "pass", "detail": "Tuesday 10:00: inside the promotion window"},
	{"check": "backup", "result": "pass", "detail": "verified backup of production (4.2 MB)"},
]
BLUEPRINTS = [
	{"blueprint": "beneficiary", "action": "added", "documents": 5, "detail": "DocType, fields, workflow"},
	{"blueprint": "field-roles", "action": "changed", "documents": 1, "detail": "Role"},
]
JOURNAL = [
	("Checks Passed", "every check passed"),
	("PR Open", "pull request #7 opened"),
	("Merged", "merged as 4f2c9e1"),
	("Deploying", "backup verified, maintenance mode on"),
	("Deployed", "migrate and smoke checks passed"),
]
STEPS = [
	{"step": "backup", "status": "Success", "duration": 41.2, "output": "verified backup, 4.2 MB"},
	{"step": "maintenance on", "status": "Success", "duration": 0.1, "output": "on"},
	{"step": "migrate", "status": "Success", "duration": 96.5, "output": "blueprints applied"},
	{"step": "smoke", "status": "Failure", "duration": 3.0, "error": "Number Card Active: no column"},
	{"step": "maintenance off", "status": "Skipped"},
]
STEP_COLOURS = {"Success": "green", "Failure": "red", "Skipped": "darkgrey"}
LEDGER = {
	"stack-desk-test-applied": "Applied",
	"stack-desk-test-drifted": "Drifted",
	"stack-desk-test-failed": "Failed",
}
# What a page shows, read from its DOM in one go.
FORM_FACTS = """(() => {
	const rows = (table) => [...document.querySelectorAll(`[data-fieldname="${table}"] .grid-body .grid-row`)];
	const cell = (row, field) => row.querySelector(`[data-fieldname="${field}"]`);
	const pill = (element) => (element.querySelector(".indicator-pill") || {}).className || "";
	const status = document.querySelector(".page-head .indicator-pill");
	return {
		title: document.title,
		status: status && [status.innerText.trim(), status.className],
		intro: document.querySelector(".form-message").innerText,
		pr_links: [...document.querySelectorAll(".form-message a.stack-pr-link")].map((a) => a.href),
		buttons: [...document.querySelectorAll(".page-actions button")]
			.filter((b) => b.offsetParent)
			.map((b) => b.innerText.trim()),
		checks: rows("checks").map((r) => [
			cell(r, "check").innerText.trim(),
			cell(r, "result").innerText.trim(),
			pill(cell(r, "result")),
		]),
		journal: rows("journal").map((r) => [cell(r, "status").innerText.trim(), pill(cell(r, "status"))]),
		steps: rows("steps").map((r) => [
			cell(r, "step").innerText.trim(),
			cell(r, "status").innerText.trim(),
			pill(cell(r, "status")),
		]),
		blueprints: rows("blueprints").map((r) => cell(r, "blueprint").innerText.trim()),
	};
})()"""
LIST_FACTS = """(() => [...document.querySelectorAll(".list-row-container")].map((row) => {
	const pill = row.querySelector(".indicator-pill");
	return {
		name: (row.querySelector(".list-row-checkbox") || {dataset: {}}).dataset.name,
		text: row.innerText,
		status: pill ? pill.innerText.trim() : "",
		colour: pill ? pill.className : "",
	};
}))()"""


def desk_user(email: str, roles: list[str]) -> str:
	"""A Desk user with exactly `roles` and a fresh random password, which it returns."""
	if frappe.db.exists("User", email):
		frappe.delete_doc("User", email, force=True, ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Stack Desk",
			"send_welcome_email": 0,
			"roles": [{"role": role} for role in roles],
		}
	).insert(ignore_permissions=True)
	password = secrets.token_urlsafe(18)
	update_password(email, password)
	frappe.db.commit()
	return password


def make_promotion(label: str, journal: list[tuple[str, str]], **values) -> str:
	"""A Promotion written as frappe_stack writes them: created, then one journal entry a step."""
	first, *rest = journal
	name = promotions.create(
		{
			"label": label,
			"status": first[0],
			"source_environment": "staging",
			"target_environment": "production",
			"started_at": "2026-11-22 04:50:00",
		},
		CHECKS,
		BLUEPRINTS,
		first[1],
	)
	for status, note in rest:
		promotions.update(name, {"status": status}, note)
	if values:
		promotions.update(name, values)
	return name


def delete_promotions(names: list[str]) -> None:
	"""Promotions refuse deletion by anyone but frappe_stack; a test removes its own rows directly."""
	for doctype in ("Promotion Check", "Promotion Blueprint", "Promotion Step", "Promotion Event"):
		frappe.db.delete(doctype, {"parent": ("in", names)})
	frappe.db.delete("Promotion", {"name": ("in", names)})
	frappe.db.commit()


def write_ledger() -> None:
	for name, status in LEDGER.items():
		doc = frappe.get_doc(
			{
				"doctype": "Blueprint",
				"blueprint_name": name,
				"status": status,
				"source_path": f"blueprints/{name}.json",
				"last_error": "boom: the test said so" if status == "Failed" else "",
			}
		)
		doc.flags.written_by_frappe_stack = True
		doc.insert(ignore_permissions=True)
	frappe.db.commit()


def delete_ledger() -> None:
	frappe.db.delete("Blueprint", {"name": ("in", list(LEDGER))})
	frappe.db.commit()


class DeskTestCase(FrappeTestCase):
	@classmethod
	@classmethod
	def undo_setup_complete(cls):
		frappe.db.set_single_value("System Settings", "setup_complete", 0)
		frappe.db.commit()

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		find_chromium()  # no Chromium: fail here, saying which package to install
		if not frappe.db.exists("Workspace", "Frappe Stack"):
			raise AssertionError("no Workspace 'Frappe Stack' on this site: run bench --site SITE migrate")
		SHOTS.mkdir(parents=True, exist_ok=True)
		# a fresh test site has not been through the setup wizard, and Desk sends everyone there
		setup_done = frappe.db.get_single_value("System Settings", "setup_complete")
		if not setup_done:
			frappe.db.set_single_value("System Settings", "setup_complete", 1)
			frappe.db.commit()
			cls.addClassCleanup(cls.undo_setup_complete)
		for doctype in ("Promotion", "Blueprint", "Stack Audit Log"):
			frappe.clear_cache(doctype=doctype)  # serve the doctype folders' JS as it is now

		passwords = {
			MANAGER: desk_user(MANAGER, ["Stack Manager"]),
			VIEWER: desk_user(VIEWER, ["Stack Viewer"]),
		}
		cls.addClassCleanup(cls.delete_users)
		cls.promotion = make_promotion(
			LABEL,
			JOURNAL,
			branch="promote/stack-desk-test-beneficiary-20261122-0450",
			pr_number=7,
			pr_url=PR_URL,
			backup_site="production",
			backup_path=BACKUP,
			backup_size=4_404_019,
			backup_taken_at="2026-11-22 05:00:00",
		)
		promotions.update(
			cls.promotion,
			{
				"rollback_command": f"bench --site production frappe-stack rollback --promotion {cls.promotion}"
			},
			steps=STEPS,
		)
		cls.blocked = make_promotion(
			BLOCKED_LABEL, [("Blocked", "blocked by: time window")], failure_reason="Friday 15:00"
		)
		cls.addClassCleanup(delete_promotions, [cls.promotion, cls.blocked])
		write_ledger()
		cls.addClassCleanup(delete_ledger)

		serve = bench_serve(frappe.local.site)
		cls.url = serve.__enter__()
		cls.addClassCleanup(serve.__exit__, None, None, None)
		cls.browser = Chromium(SHOTS / "chromium.log")
		cls.addClassCleanup(cls.browser.close)
		cls.manager = cls.logged_in(MANAGER, passwords[MANAGER])
		cls.viewer = cls.logged_in(VIEWER, passwords[VIEWER])

	@classmethod
	def delete_users(cls):
		for email in (MANAGER, VIEWER):
			frappe.delete_doc("User", email, force=True, ignore_permissions=True, ignore_missing=True)
			frappe.db.delete("Sessions", {"user": email})
		frappe.db.commit()

	@classmethod
	def logged_in(cls, email: str, password: str):
		"""A tab whose browser context holds `email`'s session cookies. Logging in from Python, not from
		a page, leaves no page request (a favicon...) in flight to answer later with a Guest cookie."""
		answer = requests.post(
			f"{cls.url}/api/method/login", json={"usr": email, "pwd": password}, timeout=60
		)
		if answer.status_code != 200 or "sid" not in answer.cookies:
			raise AssertionError(
				f"logging {email} in answered HTTP {answer.status_code}: {answer.text[:300]}"
			)
		page = cls.browser.page(WIDTH, HEIGHT)
		cookies = [{"name": c.name, "value": c.value, "url": cls.url} for c in answer.cookies]
		page.call("Network.setCookies", {"cookies": cookies})
		page.give_up = f"location.pathname === '/login' && 'Desk sent {email} to the login page'"
		return page

	def shoot(self, page, name: str, regions: list[str], full_page: bool = False) -> Path:
		"""Screenshot the page and check the PNG: the viewport's (or the whole page's) size, many colours,
		and each region (a CSS selector) drawn inside the picture, not blank."""
		path = SHOTS / f"{name}.png"
		data = page.screenshot(path, full_page=full_page)
		height = page.evaluate("document.documentElement.scrollHeight") if full_page else HEIGHT
		self.assertEqual(png_size(data), (WIDTH, height), path)
		colours, commonest = colour_spread(data)
		self.assertGreater(colours, 50, f"{path} looks blank: {colours} colours")
		self.assertLess(commonest, 0.97, f"{path} looks blank: one colour covers {commonest:.0%}")
		offset = "window.scrollY" if full_page else "0"
		for selector in regions:
			box = page.evaluate(
				f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
				if (!e) return null; const r = e.getBoundingClientRect();
				return [r.left, r.top + {offset}, r.right, r.bottom + {offset}].map(Math.round); }})()"""
			)
			self.assertIsNotNone(box, f"{selector} is not on the page shot in {path}")
			self.assertTrue(
				0 <= box[0] < box[2] <= WIDTH and 0 <= box[1] < box[3] <= height,
				f"{selector} at {box} is outside the {WIDTH}x{height} picture {path}",
			)
			colours, commonest = colour_spread(data, tuple(box))
			self.assertGreater(colours, 2, f"{selector} is blank in {path}")
			self.assertLess(commonest, 0.995, f"{selector} is blank in {path}")
		return path

	def assertNoPageErrors(self, page):
		self.assertEqual(page.uncaught_errors(), [], "uncaught JavaScript errors in Chromium")

	def open_form(self, page) -> dict:
		page.goto(
			f"{self.url}/app/promotion/{self.promotion}",
			f"""window.cur_frm && cur_frm.doc.name === {json.dumps(self.promotion)} &&
			document.querySelectorAll('[data-fieldname="checks"] .grid-body .grid-row').length === {len(CHECKS)} &&
			document.querySelectorAll('[data-fieldname="steps"] .grid-body .grid-row').length === {len(STEPS)} &&
			document.querySelector(".form-message a.stack-pr-link")""",
		)
		facts = page.evaluate(FORM_FACTS)
		self.assertEqual(facts["title"], f"{LABEL} - {self.promotion}")
		self.assertEqual(facts["status"][0], "Deployed")
		self.assertIn("green", facts["status"][1].split())
		self.assertEqual([c[:2] for c in facts["checks"]], [[c["check"], c["result"]] for c in CHECKS])
		result_colours = {"pass": "green", "warn": "orange"}
		for check, result, pill in facts["checks"]:
			self.assertIn(result_colours[result], pill.split(), check)
		self.assertEqual(facts["blueprints"], [b["blueprint"] for b in BLUEPRINTS])
		self.assertEqual([status for status, _ in facts["journal"]], [status for status, _ in JOURNAL])
		self.assertIn("green", facts["journal"][-1][1].split(), "the journal's Deployed pill")
		self.assertEqual([step[:2] for step in facts["steps"]], [[s["step"], s["status"]] for s in STEPS])
		for step, status, pill in facts["steps"]:
			self.assertIn(STEP_COLOURS[status], pill.split(), step)
		self.assertEqual(facts["pr_links"], [PR_URL])
		self.assertIn("Pull request #7", facts["intro"])
		self.assertIn("20261122_050000-production-database.sql.gz (4.2 MB", facts["intro"])
		return facts
