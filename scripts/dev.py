#!/usr/bin/env python3
"""Developer entry point: `python3 scripts/dev.py setup` and `python3 scripts/dev.py test`.

setup  installs the pure-test tools and, when a Frappe bench exists, puts this checkout into it
       and creates the throwaway test site.
test   runs the pure suite always, and the Frappe suite on a fresh throwaway site whenever a bench
       is found (FRAPPE_BENCH_PATH, else /home/frappe/frappe-bench); it says plainly which ran.

It only uses an existing bench; it never builds Frappe. Every command is an argument list.
"""

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
APP = "frappe_stack"
TEST_SITE = os.environ.get("FRAPPE_STACK_TEST_SITE", "frappe_stack_test")
# A second fresh site for the round-trip tests (export here, apply there, export again).
PEER_SITE = f"{TEST_SITE}_peer"
# A site without the app, for the remote client's "frappe_stack is not installed" error.
BARE_SITE = f"{TEST_SITE}_bare"
# A minimal app with fixtures and Export Customizations files, for the adopt tests.
DEMO_APP = "stack_adopt_demo"
DEMO_APP_SOURCE = ROOT / "frappe_stack" / "tests" / DEMO_APP
# the test tools, and the runtime dependencies the pure suite imports (pyproject.toml)
PURE_TOOLS = [
	"pytest>=7",
	"hypothesis>=6",
	"jsonschema>=4",
	"ruff",
	"click>=8.1",
	"requests>=2.31",
	"PyGithub>=2.1",
	"cryptography>=42",
	"vermin>=1.6",
]
# Frappe v15 runs on Python 3.10 (Ubuntu 22.04): nothing here may need a newer one.
MIN_PYTHON = "3.10"
CHECKED_FOR_MIN_PYTHON = ["frappe_stack", "scripts", "benchmarks", "tests"]
COPY_IGNORE = shutil.ignore_patterns(
	".git", "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".ruff_cache"
)


def main() -> int:
	command = sys.argv[1] if len(sys.argv) > 1 else ""
	if command == "setup":
		return setup()
	if command == "test":
		return test()
	print(__doc__)
	return 1


def setup() -> int:
	run([sys.executable, "-m", "pip", "install", "-q", *PURE_TOOLS])
	bench = find_bench()
	if bench is None:
		print(f"No Frappe bench at {bench_path()}: the Frappe suite cannot run here.")
		print(
			"To get one (needs internet): pip install frappe-bench && bench init --frappe-branch version-15 "
		)
		print("  ~/frappe-bench, then set FRAPPE_BENCH_PATH to it and run this setup again.")
		return 0
	Bench(bench).prepare()
	return 0


def test() -> int:
	floor_ok = python_floor()
	pure = pure_suite()
	bench = find_bench()
	if bench is None:
		print(
			f"\nFrappe suite: NOT RUN: no bench at {bench_path()} (set FRAPPE_BENCH_PATH). Only the pure suite ran."
		)
		frappe_counts = None
	else:
		frappe_counts = Bench(bench).run_suite()
	passed = pure[0] + (frappe_counts[0] if frappe_counts else 0)
	failed = pure[1] + (frappe_counts[1] if frappe_counts else 0)
	print(f"\nSuites run: pure ({pure[0]} passed, {pure[1]} failed)", end="")
	if frappe_counts:
		print(f"; frappe on site {TEST_SITE} ({frappe_counts[0]} passed, {frappe_counts[1]} failed)")
	else:
		print("; frappe suite NOT run")
	print(f"total: {passed} passed, {failed} failed")
	if not floor_ok:
		print(f"FAILED: code needs a Python newer than {MIN_PYTHON} (see vermin above)")
	return 1 if failed or not floor_ok or pure[2] or (frappe_counts and frappe_counts[2]) else 0


def python_floor() -> bool:
	"""vermin reads every module and says what the oldest Python able to run it is."""
	print(f"== Minimum Python check (vermin, target {MIN_PYTHON}) ==", flush=True)
	done = subprocess.run(
		[
			sys.executable,
			"-c",
			"import sys, vermin; sys.exit(vermin.main())",  # the package has no __main__
			f"-t={MIN_PYTHON}-",
			"--no-tips",
			"--violations",
			"--eval-annotations",
			*CHECKED_FOR_MIN_PYTHON,
		],
		cwd=ROOT,
		capture_output=True,
		text=True,
	)
	print(done.stdout[-4000:], done.stderr[-2000:], sep="\n", flush=True)
	return done.returncode == 0


def pure_suite() -> tuple[int, int, bool]:
	"""(passed, failed, broken) of pytest over tests/."""
	print("== Pure suite (pytest tests/) ==", flush=True)
	done = subprocess.run(
		[sys.executable, "-m", "pytest", "tests", "-q"], cwd=ROOT, capture_output=True, text=True
	)
	print(done.stdout[-6000:], done.stderr[-3000:], sep="\n", flush=True)
	passed = _count(r"(\d+) passed", done.stdout)
	failed = _count(r"(\d+) failed", done.stdout) + _count(r"(\d+) errors?", done.stdout)
	return passed, failed, done.returncode != 0 or passed == 0


def _count(pattern: str, text: str) -> int:
	found = re.findall(pattern, text)
	return int(found[-1]) if found else 0


def bench_path() -> Path:
	return Path(os.environ.get("FRAPPE_BENCH_PATH", "/home/frappe/frappe-bench"))


def find_bench() -> Path | None:
	path = bench_path()
	return path if (path / "apps" / "frappe").is_dir() and (path / "sites").is_dir() else None


def run_inside_bench(script: Path, site: str, args: list[str], in_place: bool = False) -> int:
	"""Run `script --inner --site SITE ARGS` with the bench's Python, as its owner, on a fresh
	throwaway SITE: how the benchmarks reach Frappe from outside the bench. `in_place` runs this
	checkout from where it is, first on PYTHONPATH, instead of copying it into the bench's apps/
	(on a bench that others use at the same time)."""
	path = find_bench()
	if path is None:
		print(f"No bench at {bench_path()}; set FRAPPE_BENCH_PATH.")
		return 1
	bench = Bench(path, checkout_on_path=in_place)
	if in_place:
		bench.start_services()
		bench.fresh_site(site)
		inside = Path(script).resolve()
	else:
		bench.prepare(site)
		inside = path / "apps" / APP / Path(script).resolve().relative_to(ROOT)
	command = [str(path / "env" / "bin" / "python"), str(inside), "--inner", "--site", site, *args]
	return bench.as_owner(command, cwd=path / "sites", check=False).returncode


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
	kwargs.setdefault("check", True)
	return subprocess.run(args, **kwargs)


class Bench:
	"""An existing bench: its services, its Python, and commands run as the bench's owner."""

	def __init__(self, path: Path, checkout_on_path: bool = False):
		"""`checkout_on_path`: every command runs this checkout (first on PYTHONPATH), the site
		installs included, instead of the copy in the bench's apps/."""
		self.path = path
		self.checkout_on_path = checkout_on_path
		self.owner = pwd.getpwuid(path.stat().st_uid)
		self.config = json.loads((path / "sites" / "common_site_config.json").read_text())

	def as_owner(self, args: list[str], cwd: Path | None = None, check: bool = True, **kwargs):
		env = {k: v for k, v in os.environ.items() if k not in ("HOME", "USER", "LOGNAME", "PYTHONPATH")}
		env.update(HOME=self.owner.pw_dir, USER=self.owner.pw_name, LOGNAME=self.owner.pw_name)
		if self.checkout_on_path:
			env["PYTHONPATH"] = str(ROOT)
		prefix = (
			["runuser", "-u", self.owner.pw_name, "--"]
			if os.geteuid() == 0 and self.owner.pw_uid != 0
			else []
		)
		return run(prefix + args, cwd=cwd or self.path, env=env, check=check, **kwargs)

	def frappe(self, *args: str, check: bool = True, **kwargs):
		"""`bench <args>` without needing the bench CLI: what it runs for Frappe commands."""
		python = str(self.path / "env" / "bin" / "python")
		return self.as_owner(
			[python, "-m", "frappe.utils.bench_helper", "frappe", *args],
			cwd=self.path / "sites",
			check=check,
			**kwargs,
		)

	def prepare(self, site: str = TEST_SITE) -> None:
		self.start_services()
		self.install_checkout()
		self.fresh_site(site)

	def start_services(self) -> None:
		host = self.config.get("db_host", "127.0.0.1")
		port = int(self.config.get("db_port", 3306))
		if not _listening(host, port):
			if os.geteuid() != 0:
				raise SystemExit(f"MariaDB is not answering on {host}:{port}; start it and run again")
			Path("/run/mysqld").mkdir(parents=True, exist_ok=True)
			shutil.chown("/run/mysqld", "mysql", "mysql")
			run(["service", "mariadb", "start"])
			_wait_for(host, port, "MariaDB")
		# the Redis servers the bench's config names (a bench may use the system Redis on 6379 and
		# leave its own config/redis_*.conf unused): start each one that does not answer
		confs = {}
		for conf in sorted((self.path / "config").glob("redis_*.conf")):
			confs[int(re.search(r"^port\s+(\d+)", conf.read_text(), re.M).group(1))] = conf
		for key in ("redis_cache", "redis_queue", "redis_socketio"):
			url = urlsplit(self.config.get(key) or "")
			port = url.port
			if not port or url.hostname not in ("127.0.0.1", "localhost") or _listening("127.0.0.1", port):
				continue
			if port in confs:
				self.as_owner(["redis-server", str(confs[port]), "--daemonize", "yes"])
			else:
				self.as_owner(
					["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "yes"],
					cwd=Path(tempfile.gettempdir()),
				)
			_wait_for("127.0.0.1", port, key)

	def install_checkout(self) -> None:
		"""Copy this checkout into apps/ (the bench owner may not be able to read it where it is),
		and the test app that adopt's tests install on the test site (and remove again)."""
		self.install_app(ROOT, APP)
		self.install_app(DEMO_APP_SOURCE, DEMO_APP)

	def install_app(self, source: Path, app: str) -> None:
		target = self.path / "apps" / app
		if target.resolve() != source:
			if target.is_symlink() or target.is_file():
				target.unlink()
			elif target.exists():
				shutil.rmtree(target)
			shutil.copytree(source, target, ignore=COPY_IGNORE)
			run(
				["chown", "-R", f"{self.owner.pw_uid}:{self.owner.pw_gid}", str(target)]
			) if os.geteuid() == 0 else None
		python = str(self.path / "env" / "bin" / "python")
		self.as_owner([python, "-m", "pip", "install", "-q", "-e", str(target)])
		apps_txt = self.path / "sites" / "apps.txt"
		apps = apps_txt.read_text().split()
		if app not in apps:
			apps_txt.write_text("\n".join([*apps, app]) + "\n")

	def fresh_site(self, site: str, install: bool = True) -> None:
		if (self.path / "sites" / site).exists():
			# cached meta of a dropped site must not leak into the new one of the same name
			self.frappe("--site", site, "clear-cache", check=False, capture_output=True)
			self.frappe(
				"drop-site", site, "--force", "--no-backup", *self._root_password("--db-root-password")
			)
		print(f"Creating throwaway site {site} {'with' if install else 'without'} {APP}...", flush=True)
		created = self.frappe(
			"new-site",
			site,
			"--admin-password",
			"admin",
			*self._root_password("--db-root-password"),
			*(["--install-app", APP] if install else []),
			check=False,
			capture_output=True,
			text=True,
		)
		if created.returncode:
			raise SystemExit(
				f"bench new-site {site} failed:\n{created.stdout[-4000:]}\n{created.stderr[-4000:]}"
			)
		self.frappe("--site", site, "set-config", "allow_tests", "True", "--parse")

	def _root_password(self, flag: str) -> list[str]:
		"""The database root password from the environment; else Frappe reads it from site config."""
		password = os.environ.get("FRAPPE_STACK_DB_ROOT_PASSWORD")
		return [flag, password] if password else []

	def run_suite(self) -> tuple[int, int, bool]:
		self.prepare()
		self.fresh_site(PEER_SITE)
		self.fresh_site(BARE_SITE, install=False)
		self.frappe("--site", TEST_SITE, "set-config", "frappe_stack_peer_site", PEER_SITE)
		self.frappe("--site", TEST_SITE, "set-config", "frappe_stack_bare_site", BARE_SITE)
		print(
			f"== Frappe suite (bench --site {TEST_SITE} run-tests --app {APP}) at {self.path} ==", flush=True
		)
		started = time.monotonic()
		done = self.frappe(
			"--site",
			TEST_SITE,
			"run-tests",
			"--app",
			APP,
			check=False,
			capture_output=True,
			text=True,
		)
		output = done.stdout + done.stderr
		print(output[-20000:], flush=True)
		ran = _count(r"Ran (\d+) tests?", output)
		failed = _count(r"failures=(\d+)", output) + _count(r"errors=(\d+)", output)
		print(f"Frappe suite took {time.monotonic() - started:.0f}s", flush=True)
		uninstalled = self.uninstall_check()
		broken = done.returncode != 0 or ran == 0
		return ran - failed + uninstalled, failed + (not uninstalled), broken

	def uninstall_check(self) -> bool:
		"""Uninstalling removes what installing added: the DocTypes, their tables, the roles and the
		fingerprint of the last clean apply."""
		self.frappe("--site", TEST_SITE, "uninstall-app", APP, "--yes", "--no-backup", capture_output=True)
		probe = (
			"import frappe, json, sys; frappe.init(site=sys.argv[1], sites_path='.'); frappe.connect(); "
			"print(json.dumps({'doctypes': frappe.get_all('DocType', filters={'module': 'Frappe Stack'}, pluck='name'), "
			"'tables': [t for t in ('Blueprint', 'Blueprint Document', 'Stack Audit Log') if frappe.db.table_exists(t)], "
			"'roles': [r for r in ('Stack Manager', 'Stack Viewer') if frappe.db.exists('Role', r)], "
			"'fingerprint': frappe.db.exists('DefaultValue', {'defkey': 'frappe_stack_apply_fingerprint'}), "
			"'installed': 'frappe_stack' in frappe.get_installed_apps()}))"
		)
		python = str(self.path / "env" / "bin" / "python")
		done = self.as_owner(
			[python, "-c", probe, TEST_SITE], cwd=self.path / "sites", capture_output=True, text=True
		)
		left = json.loads(done.stdout.strip().splitlines()[-1])
		clean = not any(left.values())
		print(
			f"Uninstall check: {'clean' if clean else 'FAILED, left behind: ' + json.dumps(left)}", flush=True
		)
		return clean


def _listening(host: str, port: int) -> bool:
	try:
		with socket.create_connection((host, port), timeout=1):
			return True
	except OSError:
		return False


def _wait_for(host: str, port: int, what: str) -> None:
	for _ in range(60):
		if _listening(host, port):
			return
		time.sleep(1)
	raise SystemExit(f"{what} did not start on {host}:{port}")


if __name__ == "__main__":
	os.environ["CI"] = "1"  # `bench run-tests` exits 0 on failures unless CI is set
	sys.exit(main())
