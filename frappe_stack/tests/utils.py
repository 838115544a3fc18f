"""Shared support for the integration tests: blueprint repos in temporary folders, a clean slate
between tests, and `bench` run as a separate process (as CI runs it)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import frappe
import requests
from frappe.core.doctype.user.user import generate_keys
from frappe.installer import update_site_config
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path

from frappe_stack.blueprint.canonical import canonical_bytes
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.site import change_marks
from frappe_stack.site.frappe_site import FrappeSite

EXAMPLE_REPO = Path(frappe.get_app_path("frappe_stack")).parent / "examples" / "config-repo"


class StackTestCase(FrappeTestCase):
	"""Each test starts and ends with no blueprint applied and no document a blueprint managed."""

	def setUp(self):
		purge_managed()
		self.repo = Path(tempfile.mkdtemp(prefix="frappe_stack_repo_"))
		(self.repo / "blueprints").mkdir()
		self.site = FrappeSite()

	def tearDown(self):
		update_site_config("frappe_stack_blueprints", "None")
		frappe.local.conf.pop("frappe_stack_blueprints", None)
		shutil.rmtree(self.repo, ignore_errors=True)
		purge_managed()

	def write_blueprint(self, name: str, documents: list[dict], **extra) -> Path:
		path = self.repo / "blueprints" / f"{name}.json"
		path.write_bytes(canonical_bytes({"blueprint": name, "documents": documents, **extra}))
		return path

	def copy_example(self) -> None:
		shutil.copytree(EXAMPLE_REPO / "blueprints", self.repo / "blueprints", dirs_exist_ok=True)


def purge_managed(also: list[tuple[str, str]] = ()) -> None:
	"""Delete every document the ledger knows (most dependent first), the ledger and the audit log."""
	frappe.db.rollback()
	keys = {tuple(key) for key in also}  # lists when called through `bench execute --args`
	if frappe.db.table_exists("Blueprint Document"):
		keys |= {
			tuple(k)
			for k in frappe.get_all(
				"Blueprint Document", fields=["document_type", "document_name"], as_list=True
			)
		}
	for doctype, name in sorted(keys, key=lambda k: -ADAPTERS[k[0]].rank):
		if ADAPTERS[doctype].by_field:
			continue  # a Single's field is no document to delete: the test that set it restores it
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, ignore_missing=True)
		if doctype == "DocType":
			frappe.db.sql_ddl(f"drop table if exists `tab{name}`")
	frappe.db.delete("Blueprint Document")
	frappe.db.delete("Blueprint")
	frappe.db.delete("Stack Audit Log")
	change_marks.record_fingerprint(None)  # commits
	frappe.clear_cache()


def bench(*args: str, site: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
	"""`bench --site <site> <args>` in a separate process, as CI would run it (default: this site),
	with `env` added to the environment."""
	frappe.db.commit()
	done = subprocess.run(
		[
			sys.executable,
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			site or frappe.local.site,
			*args,
		],
		cwd=Path(get_bench_path()) / "sites",
		capture_output=True,
		text=True,
		timeout=600,
		env={**os.environ, **(env or {})},
	)
	frappe.db.rollback()  # start a new transaction so the other process's commits are visible
	frappe.clear_cache()
	return done


def execute_json(method: str, *args, site: str, **kwargs):
	"""What `bench --site SITE execute METHOD --args ARGS --kwargs KWARGS` returns, read from the line
	of JSON it prints last (None when it prints none: Frappe prints nothing for an empty result); the
	test fails with its output when the command does."""
	command = ["execute", method, "--args", json.dumps(list(args)), "--kwargs", json.dumps(kwargs)]
	done = bench(*command, site=site)
	if done.returncode:
		raise AssertionError(f"bench execute {method} failed:\n{done.stdout}\n{done.stderr}")
	lines = [line for line in done.stdout.splitlines() if line.strip()]
	return json.loads(lines[-1]) if lines else None


@contextmanager
def versions_tracked():
	"""`bench run-tests` turns Version rows off; the idempotency law is about them, so turn them on."""
	before = frappe.flags.in_test
	frappe.flags.in_test = False
	try:
		yield
	finally:
		frappe.flags.in_test = before


def row_counts() -> dict[str, int]:
	return {
		dt: frappe.db.count(dt) for dt in ("Version", "Blueprint", "Blueprint Document", "Stack Audit Log")
	}


def modified_of(keys) -> dict:
	return {key: str(frappe.db.get_value(key[0], key[1], "modified")) for key in keys}


def load_json(path: Path) -> dict:
	return json.loads(path.read_text())


def peer_site() -> str:
	"""The second fresh site that `scripts/dev.py test` creates for round trips."""
	peer = frappe.conf.get("frappe_stack_peer_site")
	if not peer:
		raise AssertionError(
			"no peer site: set site config frappe_stack_peer_site to a second site with frappe_stack "
			"installed (python3 scripts/dev.py test does this)"
		)
	return peer


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


@contextmanager
def bench_serve(site: str):
	"""`bench --site SITE serve` (with no --site, it serves the bench's default site whatever the
	request's X-Frappe-Site-Name says)."""
	port = free_port()
	log = open(Path(get_bench_path()) / "logs" / f"frappe_stack_test_serve_{site}.log", "w")
	command = ["frappe", "--site", site, "serve", "--port", str(port), "--noreload"]
	server = subprocess.Popen(
		[sys.executable, "-m", "frappe.utils.bench_helper", *command],
		cwd=Path(get_bench_path()) / "sites",
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	try:
		url = f"http://127.0.0.1:{port}"
		for _ in range(120):
			try:
				requests.get(f"{url}/api/method/ping", timeout=2)
				break
			except requests.ConnectionError:
				time.sleep(0.5)
		else:
			raise RuntimeError(f"bench serve did not start on {url}; see {log.name}")
		yield url
	finally:
		server.terminate()
		server.wait(timeout=20)
		log.close()


# One enabled user per role of the example feature, added to whichever site a test needs them on.
PEOPLE = {
	"Field Officer": "stack.check.field@example.com",
	"Program Officer": "stack.check.program@example.com",
	"Manager": "stack.check.manager@example.com",
}


def git(repo: Path, *args: str) -> str:
	done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
	return done.stdout


def add_people(site: str, roles=PEOPLE) -> None:
	for role in roles:
		done = bench("add-user", PEOPLE[role], "--first-name", role, "--add-role", role, site=site)
		if done.returncode != 0 and "already exists" not in done.stderr:
			raise AssertionError(
				f"cannot add {PEOPLE[role]} to {site} (does role {role!r} exist?): {done.stderr[-500:]}"
			)


def remove_people(site: str) -> None:
	for email in PEOPLE.values():
		bench(
			"execute",
			"frappe.delete_doc",
			"--args",
			json.dumps(["User", email]),
			"--kwargs",
			'{"force": 1}',
			site=site,
		)


MANAGER = "stack.api.manager@example.com"
NOBODY = "stack.api.nobody@example.com"


def api_user(email: str, roles: list[str]) -> tuple[str, str]:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Stack API",
				"send_welcome_email": 0,
				"roles": [{"role": role} for role in roles],
			}
		).insert(ignore_permissions=True)
	secret = generate_keys(email)["api_secret"]
	frappe.db.commit()
	return frappe.db.get_value("User", email, "api_key"), secret


class ServedTestCase(StackTestCase):
	"""This site behind `bench serve`, with API keys of a Stack Manager and of a user without roles."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.key, cls.secret = api_user(MANAGER, ["Stack Manager"])
		cls.nobody_key, cls.nobody_secret = api_user(NOBODY, [])
		cls.serve = bench_serve(frappe.local.site)
		cls.url = cls.serve.__enter__()

	@classmethod
	def tearDownClass(cls):
		cls.serve.__exit__(None, None, None)
		super().tearDownClass()
