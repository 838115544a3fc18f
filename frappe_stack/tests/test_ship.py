"""`ship` on a real site, which plays production (where the deploys' Promotion records live): a real
config repo whose remote is a bare repository, a local server on 127.0.0.1 answering like GitHub's
REST API (the bare repository stands in for GitHub's git side, so a test tells the fake when a tag
has reached it), and a local Slack incoming webhook. `bench frappe-stack ship` runs as CI would run
it, in its own process."""

import json
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import frappe
from frappe.installer import update_site_config
from frappe.utils import getdate

from frappe_stack.promote import changelog
from frappe_stack.site import promotions
from frappe_stack.tests.fake_github import FakeGitHub
from frappe_stack.tests.utils import StackTestCase, bench, git

REPO = "acme/erp-config"
TOKEN = "ghp_ship0test0token0never0shown0here00"
SECRET_PATH = "/services/T0SHIP/B0SHIP/never0shown0webhook0path"
SETTINGS = """\
[git]
base_branch = "main"

[github]
repo = "{repo}"
api_url = "{url}"
"""
PULL_URL = "https://github.com/acme/erp-config/pull/7"
NOTES = f"""\
### Changed

- **beneficiary** (1 document): 1 changed (DocType Beneficiary)

### Promotions

- {{name}} sprint-15-beneficiary ([#7]({PULL_URL}))
"""


class SlackHook:
	"""An incoming webhook on 127.0.0.1: records each JSON body posted, answers `status` and `body`."""

	def __init__(self, status: int = 200, body: str = "ok"):
		self.status, self.body, self.posts = status, body, []

	def __enter__(self) -> "SlackHook":
		hook = self

		class Handler(BaseHTTPRequestHandler):
			def do_POST(self):
				length = int(self.headers.get("Content-Length") or 0)
				hook.posts.append((self.path, json.loads(self.rfile.read(length))))
				payload = hook.body.encode()
				self.send_response(hook.status)
				self.send_header("Content-Type", "text/plain")
				self.send_header("Content-Length", str(len(payload)))
				self.end_headers()
				self.wfile.write(payload)

			def log_message(self, format, *args):
				pass

		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self.server.server_address[1]}{SECRET_PATH}"
		self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
		self.thread.start()
		return self

	def __exit__(self, *exc_info) -> None:
		self.server.shutdown()
		self.server.server_close()
		self.thread.join(5)


class TestShip(StackTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.delete("Promotion")
		frappe.db.commit()
		self.remote = Path(tempfile.mkdtemp(prefix="frappe_stack_remote_")) / "config.git"
		subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.remote)], check=True)
		self.github = FakeGitHub(TOKEN).__enter__()
		self.github.add_repo(REPO)
		(self.repo / "frappe-stack.toml").write_text(SETTINGS.format(repo=REPO, url=self.github.url))
		(self.repo / "blueprints" / ".gitkeep").write_text("")
		git(self.repo, "init", "-q", "-b", "main")
		git(self.repo, "config", "user.name", "Release Manager")
		git(self.repo, "config", "user.email", "release@example.com")
		git(self.repo, "add", "-A")
		git(self.repo, "commit", "-qm", "base")
		git(self.repo, "remote", "add", "origin", str(self.remote))
		git(self.repo, "push", "-q", "origin", "main")
		self.base = git(self.repo, "rev-parse", "HEAD").strip()

	def tearDown(self):
		self.github.__exit__(None, None, None)
		shutil.rmtree(self.remote.parent, ignore_errors=True)
		update_site_config("frappe_stack_slack_webhook", "None")
		frappe.local.conf.pop("frappe_stack_slack_webhook", None)
		frappe.db.delete("Promotion")
		frappe.db.commit()
		super().tearDown()

	# ---- helpers -------------------------------------------------------------------------------

	def promotion(self, status: str = "Deployed", label: str = "sprint-15-beneficiary") -> str:
		"""A promotion as deploy leaves it on production."""
		return promotions.create(
			{
				"label": label,
				"status": status,
				"source_environment": "staging",
				"target_environment": frappe.local.site,
				"pr_number": 7,
				"pr_url": PULL_URL,
			},
			[],
			[
				{
					"blueprint": "beneficiary",
					"action": "changed",
					"documents": 1,
					"detail": "1 changed (DocType Beneficiary)",
				}
			],
			"recorded by the test",
		)

	def ship(self, *args: str, env: dict | None = None, as_json: bool = True):
		command = ["frappe-stack", "ship", *args, "--path", str(self.repo)] + (["--json"] if as_json else [])
		done = bench(
			*command,
			env={"FRAPPE_STACK_GITHUB_TOKEN": TOKEN, "FRAPPE_STACK_SLACK_WEBHOOK": "", **(env or {})},
		)
		output = done.stdout + done.stderr
		self.assertNotIn(TOKEN, output)
		self.assertNotIn(SECRET_PATH, output)
		return done.returncode, (json.loads(done.stdout) if as_json else done.stdout), done

	def remote_git(self, *args: str) -> str:
		return git(self.remote, *args).strip()

	def status_of(self, name: str) -> str:
		return frappe.db.get_value("Promotion", name, "status")

	def assert_nothing_shipped(self, *names: str, statuses: tuple[str, ...] = ()) -> None:
		self.assertEqual(self.remote_git("tag", "--list"), "")
		self.assertEqual(self.remote_git("rev-parse", "main"), self.base)
		self.assertEqual(git(self.repo, "tag", "--list"), "")
		self.assertEqual(git(self.repo, "rev-parse", "HEAD").strip(), self.base)
		self.assertFalse((self.repo / "CHANGELOG.md").exists())
		self.assertEqual(self.github.repos[REPO].releases, {})
		self.assertEqual([self.status_of(n) for n in names], list(statuses or ["Deployed"] * len(names)))

	def refused(self, *args: str, env: dict | None = None) -> list[str]:
		code, result, done = self.ship(*args, env=env)
		self.assertEqual(code, 2, done.stdout + done.stderr)
		self.assertTrue(result["refused"])
		return result["reasons"]

	# ---- shipping ------------------------------------------------------------------------------

	def test_ship_tags_writes_the_changelog_pushes_and_releases(self):
		rolled_back = self.promotion("Rolled Back", label="payroll")
		name = self.promotion()
		self.github.tag(REPO, "v0.1.0")  # the push below reaches GitHub
		code, result, done = self.ship("v0.1.0")
		self.assertEqual(code, 0, done.stdout + done.stderr)

		day = getdate().isoformat()
		notes = NOTES.format(name=name)
		self.assertEqual(
			(self.repo / "CHANGELOG.md").read_text(),
			changelog.HEADER + f"\n## [0.1.0] - {day}\n\n" + notes,
		)
		self.assertEqual(result["changelog"], f"## [0.1.0] - {day}\n\n{notes}")
		commit = git(self.repo, "rev-parse", "HEAD").strip()
		self.assertEqual(result["commit"], commit)
		self.assertEqual(
			git(self.repo, "log", "-1", "--format=%s%n%P").split(), ["Release", "v0.1.0", self.base]
		)
		self.assertEqual(git(self.repo, "show", "--name-only", "--format=", "HEAD").strip(), "CHANGELOG.md")
		# pushed: the branch and the annotated tag, on the release commit
		self.assertEqual(self.remote_git("rev-parse", "main"), commit)
		self.assertEqual(self.remote_git("cat-file", "-t", "v0.1.0"), "tag")
		self.assertEqual(self.remote_git("rev-parse", "v0.1.0^{commit}"), commit)
		self.assertEqual(
			self.remote_git("tag", "--list", "--format=%(contents)", "v0.1.0"),
			f"Release v0.1.0\n\n{notes}".strip(),
		)
		# the GitHub release, with the same notes
		release = self.github.repos[REPO].releases["v0.1.0"]
		self.assertEqual((release["name"], release["body"]), ("v0.1.0", notes))
		self.assertEqual(result["release_url"], f"https://github.com/{REPO}/releases/tag/v0.1.0")
		self.assertEqual(
			result["slack"],
			"not configured (FRAPPE_STACK_SLACK_WEBHOOK or site config frappe_stack_slack_webhook)",
		)
		# only the Deployed promotion ships; the journal names the version
		self.assertEqual(result["promotions"], [name])
		self.assertEqual(self.status_of(name), "Shipped")
		self.assertEqual(self.status_of(rolled_back), "Rolled Back")
		event = frappe.get_doc("Promotion", name).journal[-1]
		self.assertEqual((event.status, event.step), ("Shipped", "ship"))
		self.assertEqual(event.detail, f"shipped in v0.1.0 ({commit[:12]})")
		audit = frappe.get_all("Stack Audit Log", filters={"action": "ship"}, fields=["result", "details"])
		self.assertEqual(len(audit), 1)
		self.assertEqual(audit[0].result, "Success")
		self.assertTrue(
			audit[0].details.startswith(f"v0.1.0 at {commit}: {name}; https://"), audit[0].details
		)

		# the next release: nothing deployed since, so it is refused
		reasons = self.refused("v0.2.0")
		self.assertEqual(len(reasons), 1, reasons)
		self.assertIn(
			f"the last promotion {name} (sprint-15-beneficiary) is Shipped, not Deployed", reasons[0]
		)

	def test_text_output_of_a_release(self):
		name = self.promotion()
		self.github.tag(REPO, "v1.0.0")
		code, text, done = self.ship("v1.0.0", as_json=False)
		self.assertEqual(code, 0, done.stdout + done.stderr)
		commit = git(self.repo, "rev-parse", "HEAD").strip()
		self.assertTrue(
			text.startswith(
				f"Shipped v1.0.0 from {frappe.local.site} (the first release)\n"
				f"  commit   {commit[:12]} Release v1.0.0 on main, pushed to origin\n"
				"  tag      v1.0.0 (annotated), pushed to origin\n"
				f"  shipped  {name}\n"
				f"  GitHub release: https://github.com/{REPO}/releases/tag/v1.0.0\n"
			),
			text,
		)
		self.assertIn("\nCHANGELOG.md:\n## [1.0.0] - ", text)

	def test_a_failed_github_release_is_reported_and_the_tag_stands(self):
		name = self.promotion()  # the fake is not told the tag arrived: GitHub answers 404 for it
		code, result, done = self.ship("v0.1.0")
		self.assertEqual(code, 1, done.stdout + done.stderr)
		self.assertIn("GitHub: tag v0.1.0 is not in acme/erp-config", result["release_error"])
		self.assertIn("the tag stands: create the release for v0.1.0 by hand", result["release_error"])
		self.assertEqual(self.remote_git("rev-parse", "v0.1.0^{commit}"), result["commit"])
		self.assertEqual(self.status_of(name), "Shipped")

	# ---- refusals ------------------------------------------------------------------------------

	def test_a_malformed_version_is_refused(self):
		name = self.promotion()
		for version in ("v1.0", "1.0.0.0", "v01.0.0", "latest"):
			reasons = self.refused(version)
			self.assertEqual(len(reasons), 1, reasons)
			self.assertTrue(reasons[0].startswith(f"'{version}' is not a semantic version; fix: "), reasons)
		self.assert_nothing_shipped(name)

	def test_an_older_or_equal_version_is_refused(self):
		git(self.repo, "tag", "-a", "-m", "earlier", "v0.2.0")
		git(self.repo, "push", "-q", "origin", "v0.2.0")
		name = self.promotion()
		for version in ("v0.2.0", "0.1.9", "v0.2.0-rc.1"):
			reasons = self.refused(version)
			self.assertEqual(len(reasons), 1, reasons)
			self.assertIn("is not greater than the last tag v0.2.0; fix: use a greater version", reasons[0])
		self.assertEqual(self.remote_git("tag", "--list"), "v0.2.0")
		self.assertFalse((self.repo / "CHANGELOG.md").exists())
		self.assertEqual(self.status_of(name), "Deployed")

	def test_a_dirty_repo_is_refused(self):
		name = self.promotion()
		(self.repo / "frappe-stack.toml").write_text("# edited by hand\n", encoding="utf-8")
		(self.repo / "notes.txt").write_text("draft\n")
		reasons = self.refused("v0.1.0")
		self.assertEqual(len(reasons), 1, reasons)
		self.assertIn("has changes not committed: frappe-stack.toml, notes.txt; fix: commit them", reasons[0])
		(self.repo / "notes.txt").unlink()
		git(self.repo, "checkout", "--", "frappe-stack.toml")
		self.assert_nothing_shipped(name)

	def test_a_branch_behind_the_remote_is_refused(self):
		other = self.remote.parent / "other"
		subprocess.run(["git", "clone", "-q", str(self.remote), str(other)], check=True)
		(other / "elsewhere.txt").write_text("merged elsewhere\n")
		git(other, "add", "-A")
		git(other, "-c", "user.name=Other", "-c", "user.email=o@example.com", "commit", "-qm", "elsewhere")
		git(other, "push", "-q", "origin", "main")
		name = self.promotion()
		reasons = self.refused("v0.1.0")
		self.assertEqual(
			reasons,
			[f"{self.repo}: main is 1 commit(s) behind origin/main; fix: git pull --ff-only origin main"],
		)
		self.assertEqual(self.remote_git("tag", "--list"), "")
		self.assertEqual(self.status_of(name), "Deployed")

	def test_a_last_promotion_rolled_back_is_refused(self):
		deployed = self.promotion()
		rolled_back = self.promotion("Rolled Back", label="payroll")
		reasons = self.refused("v0.1.0")
		self.assertEqual(
			reasons,
			[
				f"the last promotion {rolled_back} (payroll) is Rolled Back, not Deployed; fix: production was "
				f"restored to before it; merge the pull request of its revert branch revert/{rolled_back} (if none "
				f"is open: gh pr create --head revert/{rolled_back} --fill), or of a fix; deploy that, then ship"
			],
		)
		self.assert_nothing_shipped(deployed, rolled_back, statuses=("Deployed", "Rolled Back"))

	def test_every_reason_is_listed_at_once(self):
		self.promotion()
		self.promotion("PR Open", label="payroll")
		(self.repo / "notes.txt").write_text("draft\n")
		code, text, done = self.ship("v1.0", "--slack", as_json=False)
		self.assertEqual(code, 2, done.stdout + done.stderr)
		lines = text.strip().splitlines()
		self.assertEqual(
			lines[0], f"Ship v1.0 refused on {frappe.local.site}; nothing was written or pushed:"
		)
		self.assertEqual(len(lines), 5, text)
		self.assertTrue(lines[1].startswith("  - 'v1.0' is not a semantic version; fix: "))
		self.assertIn("has changes not committed: notes.txt", lines[2])
		self.assertIn(
			"(payroll) is PR Open, not Deployed; fix: merge its pull request and deploy it", lines[3]
		)
		self.assertTrue(
			lines[4].startswith("  - --slack, but no Slack webhook; fix: set FRAPPE_STACK_SLACK_WEBHOOK")
		)
		audit = frappe.get_all("Stack Audit Log", filters={"action": "ship"}, fields=["result", "details"])
		self.assertEqual([a.result for a in audit], ["Failed"])
		self.assertTrue(audit[0].details.startswith("v1.0 refused: 'v1.0' is not a semantic version"))

	# ---- Slack ---------------------------------------------------------------------------------

	def test_the_notes_are_posted_to_slack(self):
		name = self.promotion()
		self.github.tag(REPO, "v0.1.0")
		with SlackHook() as hook:
			code, result, done = self.ship("v0.1.0", "--slack", env={"FRAPPE_STACK_SLACK_WEBHOOK": hook.url})
		self.assertEqual(code, 0, done.stdout + done.stderr)
		self.assertEqual(result["slack"], "posted")
		((path, body),) = hook.posts
		self.assertEqual(path, SECRET_PATH)
		self.assertEqual(
			body["text"],
			f"*{REPO} v0.1.0* released\nhttps://github.com/{REPO}/releases/tag/v0.1.0\n\n"
			+ NOTES.format(name=name),
		)

	def test_a_failing_webhook_is_reported_and_undoes_nothing(self):
		name = self.promotion()
		self.github.tag(REPO, "v0.1.0")
		with SlackHook(404, "no_service") as hook:
			update_site_config("frappe_stack_slack_webhook", hook.url)  # the site config's webhook
			code, result, done = self.ship("v0.1.0")
		self.assertEqual(code, 0, done.stdout + done.stderr)
		self.assertEqual(len(hook.posts), 1)  # a 404 is final: no retry
		self.assertEqual(
			(result["slack"], result["slack_error"]),
			("failed", "Slack webhook at 127.0.0.1: answered 404 no_service"),
		)
		self.assertEqual(self.remote_git("rev-parse", "v0.1.0^{commit}"), result["commit"])
		self.assertIn("v0.1.0", self.github.repos[REPO].releases)
		self.assertEqual(self.status_of(name), "Shipped")
