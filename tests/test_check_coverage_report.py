"""The tests gate: coverage of the changed lines, the unittest summary, and the verdict."""

from check_coverage_helpers import FAILED_RUN, result

from frappe_stack.checks.coverage import (
	AppResult,
	ChangedCoverage,
	SuiteRun,
	measure,
	parse_junit_xml,
	uncovered_text,
	verdict,
)

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
