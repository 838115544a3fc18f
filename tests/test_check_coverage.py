"""The tests gate: changed lines from git, changed-line coverage, the JUnit XML report, the verdict,
and the process side up to (not including) a real bench (frappe_stack/tests/test_app_tests_gate.py)."""

import json
import shutil
import stat
from pathlib import Path

import pytest
from builders import commit_all, git

from frappe_stack.checks.app_tests import changes, run_app_tests
from frappe_stack.checks.coverage import (
	AppResult,
	ChangedCoverage,
	SuiteRun,
	by_app,
	changed_lines,
	measure,
	parse_junit_xml,
	uncovered_text,
	verdict,
)
from frappe_stack.errors import StackError

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CALC = "def add(a, b):\n\treturn a + b\n\n\ndef sub(a, b):\n\treturn a - b\n"


# changed lines from diff text


def test_hunks_give_the_new_side_line_numbers():
	diff = (
		"diff --git a/app/calc.py b/app/calc.py\n"
		"index 1..2 100644\n"
		"--- a/app/calc.py\n"
		"+++ b/app/calc.py\n"
		"@@ -3,0 +4,2 @@ def add(a, b):\n"
		"+x = 1\n"
		"+y = 2\n"
		"@@ -10 +12 @@\n"
		"-old\n"
		"+new\n"
	)
	assert changed_lines(diff) == {"app/calc.py": {4, 5, 12}}


def test_a_hunk_that_only_deletes_and_a_deleted_file_add_nothing():
	diff = (
		"diff --git a/app/calc.py b/app/calc.py\n"
		"--- a/app/calc.py\n"
		"+++ b/app/calc.py\n"
		"@@ -7,2 +6,0 @@\n"
		"-gone\n"
		"-gone too\n"
		"diff --git a/app/old.py b/app/old.py\n"
		"deleted file mode 100644\n"
		"--- a/app/old.py\n"
		"+++ /dev/null\n"
		"@@ -1,3 +0,0 @@\n"
		"-a\n"
		"-b\n"
		"-c\n"
	)
	assert changed_lines(diff) == {}


def test_an_added_line_that_looks_like_a_file_header_is_content():
	diff = (
		"diff --git a/app/notes.py b/app/notes.py\n"
		"--- a/app/notes.py\n"
		"+++ b/app/notes.py\n"
		"@@ -1,0 +2,2 @@\n"
		"+++ b/elsewhere.py\n"
		"+x = 1\n"
	)
	assert changed_lines(diff) == {"app/notes.py": {2, 3}}


def test_quoted_names_and_names_with_spaces():
	diff = (
		'diff --git "a/app/sp\\303\\251cial.py" "b/app/sp\\303\\251cial.py"\n'
		'--- "a/app/sp\\303\\251cial.py"\n'
		'+++ "b/app/sp\\303\\251cial.py"\n'
		"@@ -1 +1 @@\n"
		"-a\n"
		"+b\n"
		"diff --git a/app/my file.py b/app/my file.py\n"
		"--- a/app/my file.py\t\n"
		"+++ b/app/my file.py\t\n"
		"@@ -0,0 +1 @@\n"
		"+c\n"
	)
	assert changed_lines(diff) == {"app/spécial.py": {1}, "app/my file.py": {1}}


def test_new_files_count_as_wholly_added():
	assert changed_lines("", {"app/new.py": 3, "app/empty.py": 0}) == {
		"app/new.py": {1, 2, 3},
		"app/empty.py": set(),
	}


def test_changes_are_grouped_by_app_relative_to_its_folder():
	changed = {
		"apps/sample_app/sample_app/calc.py": {3},
		"apps/sample_app/README.md": {1},
		"apps/other/other/x.py": {2},
		"blueprints/roles.json": {5},
	}
	assert by_app(changed, {"sample_app": "apps/sample_app", "other": "apps/other"}) == {
		"sample_app": {"sample_app/calc.py": {3}, "README.md": {1}},
		"other": {"other/x.py": {2}},
	}
	assert by_app({"blueprints/roles.json": {5}}, {"sample_app": "apps/sample_app"}) == {}


def test_an_app_at_the_repo_root_and_one_inside_it():
	changed = {"outer/x.py": {1}, "inner_app/inner/y.py": {2}}
	assert by_app(changed, {"outer": ".", "inner": "inner_app"}) == {
		"outer": {"outer/x.py": {1}},
		"inner": {"inner/y.py": {2}},
	}


# changed lines from a real checkout


def app_repo(root: Path) -> Path:
	"""A config repo with blueprints and an app folder `apps/sample_app`, committed."""
	package = root / "apps" / "sample_app" / "sample_app"
	package.mkdir(parents=True)
	(root / "blueprints").mkdir()
	(root / "blueprints" / "roles.json").write_text('{"blueprint": "roles"}\n')
	(package / "__init__.py").write_text("")
	(package / "calc.py").write_text(CALC)
	(package / "moved.py").write_text("".join(f"line_{n} = {n}\n" for n in range(1, 11)))
	(package / "trimmed.py").write_text("a = 1\nb = 2\nc = 3\n")
	(package / "old.py").write_text("gone = True\n")
	git(root, "init", "-q")
	commit_all(root, "base")
	return root


@needs_git
def test_changes_of_the_working_tree_against_the_base(tmp_path):
	root = app_repo(tmp_path / "repo")
	package = root / "apps" / "sample_app" / "sample_app"
	(package / "calc.py").write_text(CALC + "\n\ndef mul(a, b):\n\treturn a * b\n")
	git(root, "add", "apps/sample_app/sample_app/calc.py")  # staged changes count too
	git(root, "mv", "apps/sample_app/sample_app/moved.py", "apps/sample_app/sample_app/renamed.py")
	renamed = (package / "renamed.py").read_text().replace("line_5 = 5", "line_5 = 50")
	(package / "renamed.py").write_text(renamed)
	(package / "trimmed.py").write_text("a = 1\nc = 3\n")
	(package / "old.py").unlink()
	(package / "new.py").write_text("x = 1\ny = 2\n")
	(root / "blueprints" / "roles.json").write_text('{"blueprint": "roles", "description": "x"}\n')
	changed = changes(root, "HEAD", ["apps/sample_app"])
	assert changed == {
		"apps/sample_app/sample_app/calc.py": {7, 8, 9, 10},
		"apps/sample_app/sample_app/renamed.py": {5},
		"apps/sample_app/sample_app/new.py": {1, 2},
	}


@needs_git
def test_a_change_outside_every_app_needs_no_tests(tmp_path):
	root = app_repo(tmp_path / "repo")
	(root / "blueprints" / "roles.json").write_text('{"blueprint": "roles", "description": "x"}\n')
	(root / "blueprints" / "new.json").write_text("{}\n")
	result = run_app_tests(
		root, "HEAD", {"sample_app": "apps/sample_app"}, tmp_path / "no-bench", "site1", "python3", 80
	)
	assert result is None


@needs_git
def test_an_unknown_base_ref_names_it(tmp_path):
	root = app_repo(tmp_path / "repo")
	with pytest.raises(StackError, match="'nope'.*git fetch origin nope"):
		changes(root, "nope", ["apps/sample_app"])


def test_a_folder_outside_git_is_refused(tmp_path):
	with pytest.raises(StackError, match="not a git checkout"):
		changes(tmp_path, "main", ["apps/sample_app"])


# coverage of the changed lines

REPORT = {
	"files": {
		"sample_app/calc.py": {"executed_lines": [1, 2, 5], "missing_lines": [6, 9], "excluded_lines": []},
		"./sample_app/util.py": {"executed_lines": [1], "missing_lines": [3], "excluded_lines": []},
	}
}


def test_only_changed_statements_count():
	changed = {
		"sample_app/calc.py": {2, 3, 4, 5, 6},  # 3 and 4 are blank or comments: not statements
		"sample_app/util.py": {3},
		"sample_app/modules.txt": {1},  # not measured: no statements
	}
	assert measure(changed, REPORT) == ChangedCoverage(
		covered=2, executable=4, uncovered={"sample_app/calc.py": [6], "sample_app/util.py": [3]}
	)


def test_a_change_of_comments_only_has_nothing_to_cover():
	coverage = measure({"sample_app/calc.py": {3, 4}}, REPORT)
	assert (coverage.covered, coverage.executable, coverage.percent) == (0, 0, 100.0)


# the unittest summary

FAILED_RUN = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
	<testsuite name="sample_app.tests.test_calc.TestCalc" tests="4" failures="1" errors="1" skipped="1">
		<testcase classname="sample_app.tests.test_calc.TestCalc" name="test_add" time="0.000"/>
		<testcase classname="sample_app.tests.test_calc.TestCalc" name="test_div" time="0.001">
			<error type="ZeroDivisionError" message="division by zero"><![CDATA[Traceback ...
ZeroDivisionError: division by zero
]]></error>
		</testcase>
		<testcase classname="sample_app.tests.test_calc.TestCalc" name="test_sub" time="0.000">
			<failure type="AssertionError" message="2 != 3"><![CDATA[AssertionError: 2 != 3]]></failure>
		</testcase>
		<testcase classname="sample_app.tests.test_calc.TestCalc" name="test_mul" time="0.000">
			<skipped type="skip" message="later"/>
		</testcase>
	</testsuite>
</testsuites>
"""


def passing_run(ran: int, skipped: int = 0) -> str:
	"""A report as unittest-xml-reporting writes it for `ran` tests, the last `skipped` of them skipped."""
	cases = [f'<testcase classname="m.C" name="test_{i}" time="0.0"/>' for i in range(ran - skipped)]
	cases += [
		f'<testcase classname="m.C" name="test_s{i}"><skipped type="skip" message="x"/></testcase>'
		for i in range(skipped)
	]
	suite = f'<testsuite name="m.C">{"".join(cases)}</testsuite>'
	return f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>{suite}</testsuites>'


def test_a_failed_run_names_its_tests():
	assert parse_junit_xml(FAILED_RUN) == SuiteRun(
		ran=4,
		failures=1,
		errors=1,
		skipped=1,
		failed=(
			"sample_app.tests.test_calc.TestCalc.test_div",
			"sample_app.tests.test_calc.TestCalc.test_sub",
		),
	)


def test_a_failed_set_up_class_is_named_after_its_class():
	report = """<testsuites><testsuite name="unittest.suite._ErrorHolder" tests="1" errors="1">
		<testcase classname="" name="setUpClass (sample_app.tests.test_calc.TestCalc)">
			<error type="RuntimeError" message="setup"/>
		</testcase></testsuite></testsuites>"""
	assert parse_junit_xml(report) == SuiteRun(
		ran=1, errors=1, failed=("sample_app.tests.test_calc.TestCalc.setUpClass",)
	)


def test_a_passing_run():
	run = parse_junit_xml(passing_run(9, skipped=2))
	assert run == SuiteRun(ran=9, skipped=2)
	assert run.passed == 7
	assert parse_junit_xml(passing_run(1)) == SuiteRun(ran=1)


def test_no_report_means_the_run_did_not_finish():
	# run-tests opens the report before it imports the tests: a run that stops there leaves it empty
	assert parse_junit_xml("") is None
	assert (
		parse_junit_xml('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n\t<testsuite name="m.C">')
		is None
	)


# the verdict


def result(covered, executable, uncovered=None, tests=None):
	return AppResult(
		"sample_app", tests or SuiteRun(ran=9), ChangedCoverage(covered, executable, uncovered or {})
	)


def test_pass_says_the_numbers():
	check = verdict([result(12, 14, {"sample_app/calc.py": [12, 13]})], 80)
	assert (check.check, check.result) == ("app tests", "pass")
	assert check.detail == "sample_app: 12/14 changed lines covered (85.7% ≥ 80%), 9 tests passed"
	assert check.data == {
		"threshold": 80,
		"apps": {
			"sample_app": {
				"tests": {"ran": 9, "passed": 9, "failures": 0, "errors": 0, "skipped": 0, "failed": []},
				"changed_lines": 14,
				"covered_lines": 12,
				"percent": 85.7,
				"uncovered": {"sample_app/calc.py": [12, 13]},
			}
		},
	}


def test_exactly_the_threshold_passes():
	check = verdict([result(4, 5)], 80)
	assert check.result == "pass"
	assert "4/5 changed lines covered (80% ≥ 80%)" in check.detail


def test_just_under_the_threshold_fails_and_never_shows_as_equal():
	check = verdict([result(1999, 2500, {"sample_app/calc.py": [3]})], 80)
	assert check.result == "fail"
	assert "(79.9% < 80%)" in check.detail


def test_threshold_zero_and_one_hundred():
	assert verdict([result(0, 3, {"sample_app/calc.py": [1, 2, 3]})], 0).result == "pass"
	assert verdict([result(9, 10, {"sample_app/calc.py": [4]})], 100).result == "fail"
	assert verdict([result(10, 10)], 100).detail == (
		"sample_app: 10/10 changed lines covered (100% ≥ 100%), 9 tests passed"
	)


def test_too_little_coverage_lists_the_uncovered_lines_compactly():
	uncovered = {"sample_app/calc.py": [12, 13, 14, 20], "sample_app/util.py": [3]}
	check = verdict([result(5, 10, uncovered)], 80)
	assert check.result == "fail"
	assert check.detail == (
		"sample_app: 5/10 changed lines covered (50% < 80%), 9 tests passed; "
		"uncovered: sample_app/calc.py:12-14,20 sample_app/util.py:3; add tests that run them"
	)


def test_a_long_list_of_files_is_cut_in_the_detail_only():
	uncovered = {f"app/m{n}.py": [n] for n in range(8)}
	assert (
		uncovered_text(uncovered)
		== "app/m0.py:0 app/m1.py:1 app/m2.py:2 app/m3.py:3 app/m4.py:4 (and 3 more files)"
	)
	assert verdict([result(0, 8, uncovered)], 80).data["apps"]["sample_app"]["uncovered"] == uncovered


def test_no_executable_changed_line_passes_and_says_so():
	check = verdict([result(0, 0, tests=SuiteRun(ran=3, skipped=1))], 80)
	assert (check.result, check.detail) == (
		"pass",
		"sample_app: no executable changed line, 2 tests passed, 1 skipped",
	)


def test_failed_tests_fail_the_check_whatever_the_coverage():
	tests = SuiteRun(ran=11, failures=1, errors=1, failed=("m.C.test_a", "m.C.test_b"))
	check = verdict([result(14, 14, tests=tests)], 80)
	assert check.result == "fail"
	assert check.detail == (
		"sample_app: 2 of 11 tests failed (m.C.test_a, m.C.test_b), "
		"14/14 changed lines covered (100% ≥ 80%); fix the failing tests"
	)
	assert check.data["apps"]["sample_app"]["tests"]["failed"] == ["m.C.test_a", "m.C.test_b"]


def test_one_failing_app_fails_the_check_and_every_app_is_reported():
	stopped = AppResult("other", problem="tests did not finish within 1800 s; make them faster")
	check = verdict([result(1, 1), stopped], 80)
	assert check.result == "fail"
	assert check.detail == (
		"sample_app: 1/1 changed lines covered (100% ≥ 80%), 9 tests passed; "
		"other: tests did not finish within 1800 s; make them faster"
	)
	assert check.data["apps"]["other"] == {"problem": "tests did not finish within 1800 s; make them faster"}


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
