"""The tests gate for a config repo that also carries app code: run each changed app's tests on a
site under coverage.py, then judge changed-line coverage against the base ref (checks/coverage.py).

Frappe's own `run-tests --coverage` cannot be used: it measures `<bench>/apps/<app>` (the installed
copy, not this checkout's working tree) and writes `.coverage`/`coverage.xml` into the bench's sites
folder, where concurrent runs would overwrite each other. So the run is wrapped instead:
`python -m coverage run --source <checkout>/<app> -m frappe.utils.bench_helper frappe --site SITE
run-tests --app APP --junit-xml-output FILE`, with the checkout's app folder first on PYTHONPATH;
the counts and the failed tests come from that JUnit XML report, not from what the run prints.
`run-tests` only imports the app's package and walks its folder, so the app need not be installed
on the site or listed in sites/apps.txt."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

from frappe_stack.checks.coverage import (
	CHECK,
	AppResult,
	by_app,
	changed_lines,
	measure,
	parse_junit_xml,
	verdict,
)
from frappe_stack.checks.result import FAIL, CheckResult
from frappe_stack.errors import StackError
from frappe_stack.sources import in_git, run_git

TIMEOUT = 1800  # seconds for one app's test run
# What Frappe's own --coverage leaves out (frappe/coverage.py STANDARD_EXCLUSIONS): test code, and
# patches and dashboards, which run at migrate and in Desk rather than in tests.
OMIT = "*/test_*,*/patches/*,*/doctype/*/*_dashboard.py"


def run_app_tests(
	repo_root: Path,
	base_ref: str,
	apps: dict[str, str],
	bench_path: Path,
	site: str,
	python: str,
	threshold: float = 80,
	timeout: float = TIMEOUT,
) -> CheckResult | None:
	"""Run the tests of every app in `apps` (name -> its folder in the config repo, relative to
	`repo_root`) that the change since `base_ref` touches; None when it touches none of them."""
	if not 0 <= threshold <= 100:
		raise StackError(
			f"tests coverage threshold {threshold} is not a percentage; set it between 0 and 100"
		)
	if not apps:
		return None  # a config repo without app code: nothing to run, and it need not be in git
	changed = by_app(changes(repo_root, base_ref, list(apps.values())), apps)
	if not changed:
		return None
	refused = _site_refuses_tests(bench_path, site) or _tools_missing(python)
	if refused:
		return CheckResult(CHECK, FAIL, refused, {"site": site, "apps": sorted(changed)})
	results = []
	for app in sorted(changed):
		folder = (repo_root / apps[app]).resolve()
		results.append(_run_app(app, folder, changed[app], bench_path, site, python, timeout))
	return verdict(results, threshold)


def changes(repo_root: Path, base_ref: str, folders: list[str]) -> dict[str, set[int]]:
	"""Changed lines of the working tree (staged or not) against `base_ref` under `folders`, by path
	relative to `repo_root`; untracked files count as wholly added."""
	if not in_git(repo_root):
		raise StackError(f"{repo_root} is not a git checkout; the tests gate compares it with {base_ref}")
	# fixed prefixes and rename detection whatever the user's git config says; paths relative to repo_root
	diff = run_git(
		repo_root,
		"diff",
		"--unified=0",
		"--no-color",
		"--no-ext-diff",
		"--find-renames",
		"--relative",
		"--src-prefix=a/",
		"--dst-prefix=b/",
		base_ref,
		"--",
		*folders,
	)
	if diff is None:
		raise StackError(
			f"git diff against '{base_ref}' failed in {repo_root}; fix: pass a branch, tag or commit that "
			f"exists there (in CI, fetch it first: git fetch origin {base_ref})"
		)
	untracked = run_git(repo_root, "ls-files", "--others", "--exclude-standard", "-z", "--", *folders) or ""
	new_files = {
		path: len((repo_root / path).read_bytes().splitlines()) for path in untracked.split("\0") if path
	}
	return changed_lines(diff, new_files)


def _site_refuses_tests(bench_path: Path, site: str) -> str:
	"""Why `site` may not run tests, or "". run-tests skips its allow_tests guard when CI is set (as
	it is here, for a failing exit code), so the guard is kept here: tests write to the site."""
	sites = bench_path / "sites"
	config = sites / site / "site_config.json"
	if not config.is_file():
		return f"no site '{site}' in {sites}; set [tests] site in frappe-stack.toml to a site of this bench"
	conf = {}
	for file in (sites / "common_site_config.json", config):
		if file.is_file():
			conf |= json.loads(file.read_text(encoding="utf-8"))
	if conf.get("allow_tests"):
		return ""
	return (
		f"site '{site}' does not allow tests; run: bench --site {site} set-config allow_tests true, "
		"or set [tests] site in frappe-stack.toml to a test site"
	)


def _tools_missing(python: str) -> str:
	"""Why the bench's Python cannot measure coverage or write the JUnit report, or "": both are
	Frappe's development requirements."""
	for module, package in (("coverage", "coverage"), ("xmlrunner", "unittest-xml-reporting")):
		try:
			done = subprocess.run([python, "-c", f"import {module}"], capture_output=True, timeout=60)
		except (OSError, subprocess.TimeoutExpired) as e:
			return f"cannot run the bench's Python {python} ({e}); pass the bench's env/bin/python"
		if done.returncode:
			return (
				f"{package} is not installed in the bench's Python ({python}); install it with: "
				"bench setup requirements --dev"
			)
	return ""


def _run_app(
	app: str,
	folder: Path,
	changed: dict[str, set[int]],
	bench_path: Path,
	site: str,
	python: str,
	timeout: float,
) -> AppResult:
	with tempfile.TemporaryDirectory(prefix="frappe_stack_coverage_") as scratch:
		data = Path(scratch) / "coverage.data"
		report = Path(scratch) / "coverage.json"
		results = Path(scratch) / "tests.xml"
		run = [python, "-m", "coverage", "run", "--source", str(folder / app), "--omit", OMIT]
		run += ["--data-file", str(data), "-m", "frappe.utils.bench_helper", "frappe", "--site", site]
		run += ["run-tests", "--app", app, "--junit-xml-output", str(results)]
		# CI makes run-tests exit non-zero on failures; the checkout's app shadows any installed copy
		path = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
		env = os.environ | {"CI": "1", "PYTHONPATH": path}
		try:
			done = subprocess.run(
				run,
				cwd=bench_path / "sites",
				env=env,
				stdout=subprocess.PIPE,
				stderr=subprocess.STDOUT,
				text=True,
				timeout=timeout,
			)
		except subprocess.TimeoutExpired:
			return AppResult(
				app,
				problem=f"tests did not finish within {timeout:g} s; make them faster or raise the timeout",
			)
		tests = parse_junit_xml(results.read_text(encoding="utf-8")) if results.is_file() else None
		if tests is None or (done.returncode and not tests.broken):
			return AppResult(
				app, problem=f"run-tests exited with code {done.returncode}: {_last_line(done.stdout)}"
			)
		# file names in the report come out relative to the working directory: the app folder
		subprocess.run(
			[python, "-m", "coverage", "json", "--data-file", str(data), "-o", str(report), "-q"],
			cwd=folder,
			capture_output=True,
			timeout=600,
		)
		if not report.is_file():
			return AppResult(app, problem="coverage.py wrote no report; run the tests by hand to see why")
		return AppResult(app, tests, measure(changed, json.loads(report.read_text(encoding="utf-8"))))


def _last_line(output: str) -> str:
	lines = [line for line in output.splitlines() if line.strip()]
	return lines[-1].strip() if lines else "no output"
