"""Helpers shared by test_check_coverage_* (split from one test file).

The tests gate: changed lines from git, changed-line coverage, the JUnit XML report, the verdict,
and the process side up to (not including) a real bench (frappe_stack/tests/test_app_tests_gate.py)."""

from pathlib import Path

from builders import commit_all, git

from frappe_stack.checks.coverage import AppResult, ChangedCoverage, SuiteRun

CALC = "def add(a, b):\n\treturn a + b\n\n\ndef sub(a, b):\n\treturn a - b\n"


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


# the verdict


def result(covered, executable, uncovered=None, tests=None):
	return AppResult(
		"sample_app", tests or SuiteRun(ran=9), ChangedCoverage(covered, executable, uncovered or {})
	)
