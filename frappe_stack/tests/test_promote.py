"""`promote` on real sites: this site is staging, the peer site is production, a bare git
repository is the config repo's remote, and a local server on 127.0.0.1 answers like GitHub's REST
API (the bare repository is its git side: the fake takes its branches from there)."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import frappe

from frappe_stack.tests import desk_feature
from frappe_stack.tests.fake_github import FakeGitHub
from frappe_stack.tests.utils import (
	StackTestCase,
	add_people,
	bench,
	git,
	load_json,
	peer_site,
	purge_managed,
	remove_people,
)

TUESDAY = "2026-11-24T10:00+03:00"  # inside the window in Africa/Nairobi
FRIDAY_AFTERNOON = "2026-11-27T15:00+03:00"
REPO = "acme/erp-config"
TOKEN = "ghp_promote0test0token0never0shown"
BRANCH = "promote/sprint-15-beneficiary-20261124-1000"  # from --label and --at TUESDAY
SETTINGS = """\
[environments.production]
site = "{peer}"

[window]
timezone = "Africa/Nairobi"

[git]
protected = ["production"]
{github}
[reviewers]
rotation = ["ana", "bo", "chidi"]
"""
GITHUB = """
[github]
repo = "{repo}"
api_url = "{url}"
"""
BODY_SECTIONS = (
	"## Summary",
	"## Blueprints changed",
	"## Checklist",
	"## Review findings",
	"## Tests",
	"## Audit log excerpt",
	"## Backup",
	"## Rollback",
)


class TestPromote(StackTestCase):
	def setUp(self):
		super().setUp()
		purge_managed(also=desk_feature.KEYS)
		frappe.db.delete("Promotion")
		frappe.db.commit()
		self.peer = peer_site()
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		self.remote = Path(tempfile.mkdtemp(prefix="frappe_stack_remote_")) / "config.git"
		subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.remote)], check=True)
		self.copy_example()
		self.github = FakeGitHub(TOKEN)
		self.github.__enter__()
		self.github.add_repo(REPO, collaborators=("ana", "bo", "chidi"))
		self.github.mirror(REPO, str(self.remote))
		self.write_settings(github=True)
		git(self.repo, "init", "-q", "-b", "main")
		git(self.repo, "config", "user.name", "Staging PM")  # who commits on the staging machine
		git(self.repo, "config", "user.email", "pm@example.com")
		self.commit_all("base")
		git(self.repo, "remote", "add", "origin", str(self.remote))
		git(self.repo, "push", "-q", "origin", "main")
		applied = bench("frappe-stack", "apply", "--path", str(self.repo), site=self.peer)
		self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)
		add_people(self.peer)
		self.change_beneficiary("Village or Settlement")
		add_people(frappe.local.site)

	def tearDown(self):
		self.github.__exit__(None, None, None)
		remove_people(self.peer)
		remove_people(frappe.local.site)
		bench("execute", "frappe_stack.tests.utils.purge_managed", site=self.peer)
		shutil.rmtree(self.remote.parent, ignore_errors=True)
		for label in frappe.get_all("Promotion", pluck="name"):
			shutil.rmtree(
				Path(frappe.utils.get_bench_path())
				/ "sites"
				/ self.peer
				/ "private"
				/ "frappe_stack"
				/ "backups"
				/ label,
				ignore_errors=True,
			)
		frappe.db.delete("Promotion")
		frappe.db.commit()
		super().tearDown()

	def write_settings(self, github: bool) -> None:
		extra = GITHUB.format(repo=REPO, url=self.github.url) if github else ""
		(self.repo / "frappe-stack.toml").write_text(SETTINGS.format(peer=self.peer, github=extra))

	def commit_all(self, message: str) -> None:
		git(self.repo, "add", "-A")
		git(self.repo, "commit", "-qm", message)

	def change_beneficiary(self, village_label: str) -> None:
		"""What a PM does on staging, then export writes: here, the file edited and applied."""
		beneficiary = self.repo / "blueprints" / "beneficiary.json"
		content = load_json(beneficiary)
		doctype = next(d for d in content["documents"] if d["doctype"] == "DocType")
		next(f for f in doctype["fields"] if f["fieldname"] == "village")["label"] = village_label
		beneficiary.write_text(json.dumps(content, indent=1))
		from frappe_stack import stack

		result = stack.apply(self.site, str(self.repo))
		self.assertFalse(result.failed, [r.error for r in result.failed])

	def promote(self, *args: str, at: str = TUESDAY):
		command = ["frappe-stack", "promote", "--path", str(self.repo), "--json", "--at", at, *args]
		done = bench(*command, env={"FRAPPE_STACK_GITHUB_TOKEN": TOKEN})
		self.assertIn(done.returncode, (0, 2), done.stdout + done.stderr)
		self.assertNotIn(TOKEN, done.stdout + done.stderr)
		return done.returncode, json.loads(done.stdout)

	def remote_branches(self) -> list[str]:
		out = subprocess.run(
			["git", "-C", str(self.remote), "branch", "--format=%(refname:short)"],
			capture_output=True,
			text=True,
			check=True,
		).stdout
		return sorted(out.split())

	def test_promote_opens_one_pull_request_and_a_rerun_updates_it(self):
		code, result = self.promote("--label", "sprint-15-beneficiary")
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(result["status"], "PR Open")
		self.assertEqual(result["branch"], BRANCH)
		self.assertEqual(self.remote_branches(), ["main", BRANCH])
		(pull,) = self.github.pulls(REPO)
		self.assertEqual((pull.head, pull.base, pull.state), (BRANCH, "main", "open"))
		self.assertEqual(pull.number, result["pr_number"])
		for section in BODY_SECTIONS:
			self.assertIn(section, pull.body)
		self.assertIn("| beneficiary | changed | 1 |", pull.body)
		self.assertIn(
			f"bench --site {self.peer} frappe-stack rollback --promotion {result['promotion']}", pull.body
		)
		self.assertIn("role coverage", pull.body)
		self.assertEqual(sorted(pull.labels), ["promotion"])
		self.assertEqual(pull.reviewers, ["ana"])
		record = frappe.get_doc("Promotion", result["promotion"])
		self.assertEqual((record.status, record.branch, record.pr_number), ("PR Open", BRANCH, pull.number))
		self.assertEqual(len(record.checks), 10)
		self.assertEqual([(b.blueprint, b.action) for b in record.blueprints], [("beneficiary", "changed")])
		self.assertTrue(record.backup_path.endswith(".sql.gz"))
		self.assertEqual([e.status for e in record.journal][-1], "PR Open")
		committed = git(self.repo, "show", "--stat", "--format=%s", BRANCH)  # promote is back on main
		self.assertIn(f"Promote sprint-15-beneficiary ({record.name}): beneficiary (changed)", committed)
		self.assertIn(f"promotions/{record.name}.json", committed)

		# the PM changes more on staging; promote again: same branch, new commit, same pull request
		self.change_beneficiary("Village (settlement)")
		code, again = self.promote("--label", "sprint-15-beneficiary")
		self.assertEqual(code, 0, json.dumps(again, indent=1))
		self.assertEqual(
			(again["promotion"], again["branch"], again["pr_number"]), (record.name, BRANCH, pull.number)
		)
		self.assertNotEqual(again["commit"], result["commit"])
		self.assertEqual(len(self.github.pulls(REPO)), 1)
		self.assertIn("Village (settlement)", git(self.repo, "show", f"{BRANCH}:blueprints/beneficiary.json"))
		self.assertEqual(len(self.github.calls("POST", "/pulls")), 1)
		self.assertEqual(len(self.github.calls("PATCH", f"/pulls/{pull.number}")), 1)
		self.assertEqual(frappe.db.count("Promotion"), 1)

	def test_a_failing_check_blocks_and_nothing_is_pushed(self):
		code, result = self.promote("--label", "friday", at=FRIDAY_AFTERNOON)
		self.assertEqual(code, 2)
		self.assertTrue(result["blocked"])
		failing = [r["check"] for r in result["checklist"]["results"] if r["result"] == "fail"]
		self.assertEqual(failing, ["time window"])
		self.assertEqual(self.remote_branches(), ["main"])
		self.assertEqual(self.github.pulls(REPO), [])
		self.assertEqual(frappe.db.get_value("Promotion", result["promotion"], "status"), "Blocked")
		text = bench(
			"frappe-stack", "promote", "--path", str(self.repo), "--label", "friday", "--at", FRIDAY_AFTERNOON
		)
		self.assertEqual(text.returncode, 2)
		self.assertIn("is Blocked by: time window. Nothing was pushed.", text.stdout)

	def test_without_a_git_identity_promote_refuses_before_anything_is_written(self):
		git(self.repo, "config", "--unset", "user.name")
		git(self.repo, "config", "--unset", "user.email")
		git(self.repo, "config", "user.useConfigOnly", "true")  # no guess from the host name
		home = Path(tempfile.mkdtemp(prefix="frappe_stack_home_"))
		try:
			done = bench(
				*("frappe-stack", "promote", "--path", str(self.repo), "--label", "anon", "--at", TUESDAY),
				env={"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"},
			)
		finally:
			shutil.rmtree(home, ignore_errors=True)
		self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
		self.assertIn("git has no identity to commit with (user.name and user.email)", done.stderr)
		self.assertIn("config user.email", done.stderr)
		self.assertEqual(frappe.get_all("Promotion"), [])
		self.assertEqual(git(self.repo, "branch", "--format=%(refname:short)").split(), ["main"])
		self.assertEqual(self.remote_branches(), ["main"])

	def test_an_emergency_is_labelled_and_recorded(self):
		code, result = self.promote(
			"--label", "payroll", "--emergency", "payroll run tonight", at=FRIDAY_AFTERNOON
		)
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		(pull,) = self.github.pulls(REPO)
		self.assertEqual(sorted(pull.labels), ["emergency", "promotion"])
		self.assertIn("**Emergency** promotion outside the window: payroll run tonight", pull.body)
		record = frappe.get_doc("Promotion", result["promotion"])
		self.assertEqual((record.emergency, record.emergency_reason), (1, "payroll run tonight"))

	def test_without_github_the_branch_is_pushed_and_the_body_written_to_a_file(self):
		self.write_settings(github=False)
		# the settings alone go to main: the blueprint change stays the promotion's to examine
		git(self.repo, "commit", "-qm", "settings without github", "--", "frappe-stack.toml")
		git(self.repo, "push", "-q", "origin", "main")
		code, result = self.promote("--label", "offline")
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(result["status"], "Checks Passed")
		self.assertIn("promote/offline-20261124-1000", self.remote_branches())
		body = Path(result["body_file"]).read_text()
		self.assertIn("## Rollback", body)
		self.assertIn("no [github] repo in frappe-stack.toml", " ".join(result["notes"]))
		self.assertEqual(self.github.requests, [])

	def test_a_second_promotion_asks_the_next_reviewer(self):
		bench(
			"execute",
			"frappe_stack.site.promotions.create",
			"--kwargs",
			json.dumps(
				{
					"values": {"label": "earlier", "status": "Deployed", "reviewers": "ana"},
					"checks": [],
					"blueprints": [],
					"note": "t",
				}
			),
		)
		code, result = self.promote("--label", "next")
		self.assertEqual(code, 0, json.dumps(result, indent=1))
		self.assertEqual(result["reviewers"], ["bo"])
		self.assertEqual(self.github.pulls(REPO)[0].reviewers, ["bo"])

	def test_too_many_unrelated_blueprints_block_with_the_split(self):
		settings = self.repo / "frappe-stack.toml"
		settings.write_text(settings.read_text() + "\n[thresholds]\nmax_related_sets = 1\n")
		self.write_blueprint(
			"todo-notes",
			[
				{
					"doctype": "Custom Field",
					"name": "ToDo-stack_promote_note",
					"dt": "ToDo",
					"fieldname": "stack_promote_note",
					"fieldtype": "Data",
					"label": "Note",
					"insert_after": "description",
				}
			],
		)
		from frappe_stack import stack

		self.assertFalse(stack.apply(self.site, str(self.repo)).failed)
		self.addCleanup(purge_managed, [("Custom Field", "ToDo-stack_promote_note")])
		code, result = self.promote("--label", "two-things")
		self.assertEqual(code, 2)
		checks = {r["check"]: r for r in result["checklist"]["results"]}
		self.assertEqual([name for name, r in checks.items() if r["result"] == "fail"], ["change size"])
		self.assertEqual(checks["change size"]["data"]["split"], [[["beneficiary"]], [["todo-notes"]]])
		self.assertEqual(self.remote_branches(), ["main"])
		self.assertEqual(self.github.pulls(REPO), [])
