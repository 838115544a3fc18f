"""The tests gate's process side, up to (not including) a real bench
(frappe_stack/tests/test_app_tests_gate.py): site checks, install hints, the JUnit report, timeouts."""

import json
import shutil
import stat
from pathlib import Path

import pytest
from check_coverage_helpers import CALC, FAILED_RUN, app_repo

from frappe_stack.checks.app_tests import run_app_tests
from frappe_stack.errors import StackError

# the process side, short of a real bench


@pytest.fixture
def changed_repo(tmp_path) -> Path:
	if shutil.which("git") is None:
		pytest.skip("git is not installed")
	root = app_repo(tmp_path / "repo")
	(root / "apps" / "sample_app" / "sample_app" / "calc.py").write_text(CALC + "x = 1\n")
	return root


def fake_bench(root: Path, site_config: dict | None) -> Path:
	sites = root / "bench" / "sites"
	sites.mkdir(parents=True)
	(sites / "common_site_config.json").write_text("{}")
	if site_config is not None:
		(sites / "site1").mkdir()
		(sites / "site1" / "site_config.json").write_text(json.dumps(site_config))
	return root / "bench"


def fake_python(folder: Path, script: str) -> str:
	"""A stand-in for the bench's Python: `-c "import coverage"` then `-m coverage run ...`."""
	path = folder / "python"
	path.write_text("#!/bin/sh\n" + script)
	path.chmod(path.stat().st_mode | stat.S_IEXEC)
	return str(path)


def gate(root: Path, bench: Path, python: str, **options):
	return run_app_tests(
		root, "HEAD", {"sample_app": "apps/sample_app"}, bench, "site1", python, 80, **options
	)


def test_a_site_without_allow_tests_says_how_to_allow_them(changed_repo, tmp_path):
	check = gate(changed_repo, fake_bench(tmp_path, {}), fake_python(tmp_path, "exit 0\n"))
	assert check.result == "fail"
	assert "bench --site site1 set-config allow_tests true" in check.detail
	assert "[tests] site in frappe-stack.toml" in check.detail


def test_an_unknown_site_is_named(changed_repo, tmp_path):
	check = gate(changed_repo, fake_bench(tmp_path, None), fake_python(tmp_path, "exit 0\n"))
	assert check.result == "fail"
	assert "no site 'site1'" in check.detail


def test_missing_coverage_gives_the_install_command(changed_repo, tmp_path):
	check = gate(changed_repo, fake_bench(tmp_path, {"allow_tests": 1}), fake_python(tmp_path, "exit 1\n"))
	assert check.result == "fail"
	assert "coverage is not installed" in check.detail
	assert "bench setup requirements --dev" in check.detail


def test_missing_junit_reporting_gives_the_install_command(changed_repo, tmp_path):
	python = fake_python(tmp_path, '[ "$2" = "import xmlrunner" ] && exit 1\nexit 0\n')
	check = gate(changed_repo, fake_bench(tmp_path, {"allow_tests": 1}), python)
	assert check.result == "fail"
	assert "unittest-xml-reporting is not installed" in check.detail
	assert "bench setup requirements --dev" in check.detail


# A bench's Python that writes what `run-tests --junit-xml-output FILE` under coverage and then
# `coverage json -o FILE` write: a report with one failed test, and calc.py's new line 7 as run.
REPORTING_PYTHON = """\
[ "$1" = "-c" ] && exit 0
while [ $# -gt 0 ]; do
	case "$1" in
	--junit-xml-output) printf '%s' "$JUNIT" > "$2"; echo "FAILED (failures=1)"; exit 1 ;;
	-o) printf '%s' "$COVERED" > "$2"; exit 0 ;;
	esac
	shift
done
exit 2
"""


def test_the_counts_and_failed_tests_come_from_the_junit_report(changed_repo, tmp_path, monkeypatch):
	monkeypatch.setenv("JUNIT", FAILED_RUN)
	monkeypatch.setenv(
		"COVERED", '{"files": {"sample_app/calc.py": {"executed_lines": [7], "missing_lines": []}}}'
	)
	check = gate(
		changed_repo, fake_bench(tmp_path, {"allow_tests": 1}), fake_python(tmp_path, REPORTING_PYTHON)
	)
	assert check.result == "fail"
	assert check.detail.startswith(
		"sample_app: 2 of 4 tests failed (sample_app.tests.test_calc.TestCalc.test_div, "
		"sample_app.tests.test_calc.TestCalc.test_sub), 1/1 changed lines covered"
	)
	assert check.data["apps"]["sample_app"]["tests"]["ran"] == 4


def test_a_run_past_its_timeout_fails(changed_repo, tmp_path):
	python = fake_python(tmp_path, '[ "$1" = "-c" ] && exit 0\nexec sleep 5\n')
	check = gate(changed_repo, fake_bench(tmp_path, {"allow_tests": 1}), python, timeout=0.5)
	assert check.result == "fail"
	assert check.detail == (
		"sample_app: tests did not finish within 0.5 s; make them faster or raise the timeout"
	)


def test_a_run_that_stops_before_the_tests_shows_its_last_line(changed_repo, tmp_path):
	python = fake_python(
		tmp_path, '[ "$1" = "-c" ] && exit 0\necho "Traceback"\necho "Site site1 does not exist"\nexit 1\n'
	)
	check = gate(changed_repo, fake_bench(tmp_path, {"allow_tests": 1}), python)
	assert check.result == "fail"
	assert check.detail == "sample_app: run-tests exited with code 1: Site site1 does not exist"


def test_the_threshold_is_a_percentage(changed_repo, tmp_path):
	with pytest.raises(StackError, match="between 0 and 100"):
		run_app_tests(
			changed_repo, "HEAD", {"sample_app": "apps/sample_app"}, tmp_path, "site1", "python3", 180
		)


def test_a_repo_without_app_code_needs_no_git_and_runs_no_tests(tmp_path):
	assert run_app_tests(tmp_path, "HEAD", {}, tmp_path, "site", "python3") is None
