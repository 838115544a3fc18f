"""The tests gate's pure half: which lines a change touches (from `git diff --unified=0`), how many of
the executable ones the app's tests ran (from a coverage.py JSON report), what the tests' JUnit XML
report says, and the verdict as a CheckResult. The processes that produce these live in app_tests.py."""

import codecs
import math
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.etree import ElementTree

from frappe_stack.checks.result import FAIL, PASS, CheckResult

CHECK = "app tests"
# a detail line stays readable; data lists every uncovered line
SHOWN_FILES = 5

_HUNK = re.compile(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@")
# unittest's stand-in for a failed setUpClass/setUpModule: "setUpClass (pkg.mod.Class)", no class name
_FIXTURE = re.compile(r"^(\S+) \((.+)\)$")


@dataclass(frozen=True)
class SuiteRun:
	"""What `bench run-tests` reported: its counts and the names of the tests that failed."""

	ran: int
	failures: int = 0
	errors: int = 0
	skipped: int = 0
	failed: tuple[str, ...] = ()

	@property
	def passed(self) -> int:
		return self.ran - self.failures - self.errors - self.skipped

	@property
	def broken(self) -> int:
		return self.failures + self.errors


@dataclass(frozen=True)
class ChangedCoverage:
	"""Of the changed lines that are statements, how many ran; the rest by file (path in the app)."""

	covered: int
	executable: int
	uncovered: dict[str, list[int]] = field(default_factory=dict)

	@property
	def percent(self) -> float:
		return 100.0 * self.covered / self.executable if self.executable else 100.0


@dataclass(frozen=True)
class AppResult:
	app: str
	tests: SuiteRun | None = None
	coverage: ChangedCoverage | None = None
	problem: str = ""  # why the run did not finish, with the fix; then tests and coverage are unknown


def changed_lines(diff: str, new_files: dict[str, int] | None = None) -> dict[str, set[int]]:
	"""Line numbers (in the new version) that `git diff --unified=0` adds or rewrites, by path; each
	of `new_files` (untracked path -> its line count) counts as added in full. Deleted files and
	hunks that only delete add nothing: there is no new line left to test."""
	changed: dict[str, set[int]] = {}
	current, in_header = None, False
	for line in diff.splitlines():
		if line.startswith("diff --git "):
			current, in_header = None, True
		elif in_header and line.startswith("+++ "):
			# inside a hunk an added line may also start with "+++ ", so only headers name files
			current = _new_path(line[4:])
		elif line.startswith("@@ "):
			in_header = False
			match = _HUNK.match(line)
			count = int(match.group(2) or 1) if match else 0
			if current and count:
				start = int(match.group(1))
				changed.setdefault(current, set()).update(range(start, start + count))
	for path, count in (new_files or {}).items():
		changed.setdefault(path, set()).update(range(1, count + 1))
	return changed


def _new_path(name: str) -> str | None:
	name = name.rstrip("\t")  # git ends names that hold a space with a tab
	if name == "/dev/null":
		return None
	if name.startswith('"'):  # git C-quotes names with special characters (octal UTF-8 bytes)
		name = codecs.escape_decode(name[1:-1].encode())[0].decode("utf-8")
	return name.removeprefix("b/")


def by_app(changed: dict[str, set[int]], apps: dict[str, str]) -> dict[str, dict[str, set[int]]]:
	"""The changed lines of each app whose folder the change touches, by path relative to that folder
	(the deepest folder wins when one app lives inside another's folder)."""
	folders = sorted(apps.items(), key=lambda item: -len(PurePosixPath(item[1]).parts))
	result: dict[str, dict[str, set[int]]] = {}
	for path, lines in changed.items():
		for app, folder in folders:
			if PurePosixPath(path).is_relative_to(folder):
				relative = PurePosixPath(path).relative_to(folder).as_posix()
				result.setdefault(app, {})[relative] = lines
				break
	return result


def measure(changed: dict[str, set[int]], report: dict) -> ChangedCoverage:
	"""Changed-line coverage from a coverage.py JSON report whose file names are relative to the app
	folder. Only statements count: a changed comment or blank line is not executable, and a changed
	file the report does not measure (not Python, or omitted) has no statements."""
	files = {PurePosixPath(name).as_posix(): data for name, data in report.get("files", {}).items()}
	covered = executable = 0
	uncovered = {}
	for path in sorted(changed):
		data = files.get(path)
		if data is None:
			continue
		ran = changed[path] & set(data["executed_lines"])
		missed = changed[path] & set(data["missing_lines"])
		covered += len(ran)
		executable += len(ran) + len(missed)
		if missed:
			uncovered[path] = sorted(missed)
	return ChangedCoverage(covered, executable, uncovered)


def parse_junit_xml(report: str) -> SuiteRun | None:
	"""The JUnit XML report `bench run-tests --junit-xml-output` writes (unittest-xml-reporting):
	one `testcase` per test, holding a `failure`, `error` or `skipped` when it did not pass. None
	when there is no report, i.e. the run stopped before or while running tests."""
	try:
		root = ElementTree.fromstring(report)
	except ElementTree.ParseError:
		return None
	if root.tag not in ("testsuites", "testsuite"):
		return None
	cases = list(root.iter("testcase"))
	failures = [case for case in cases if case.find("failure") is not None]
	errors = [case for case in cases if case.find("error") is not None]
	failed = {id(case) for case in failures + errors}
	return SuiteRun(
		ran=len(cases),
		failures=len(failures),
		errors=len(errors),
		skipped=sum(case.find("skipped") is not None for case in cases),
		failed=tuple(_test_name(case) for case in cases if id(case) in failed),
	)


def _test_name(case: ElementTree.Element) -> str:
	where, name = case.get("classname", ""), case.get("name", "")
	if where:
		return f"{where}.{name}"
	fixture = _FIXTURE.match(name)
	return f"{fixture[2]}.{fixture[1]}" if fixture else name


def verdict(results: list[AppResult], threshold: float) -> CheckResult:
	"""One check over every changed app: fail when any app's tests failed or did not finish, or
	when its changed-line coverage is under `threshold` percent."""
	parts, failing = [], False
	for result in results:
		text, ok = _app_detail(result, threshold)
		parts.append(text)
		failing = failing or not ok
	data = {"threshold": threshold, "apps": {r.app: _app_data(r) for r in results}}
	return CheckResult(CHECK, FAIL if failing else PASS, "; ".join(parts), data)


def _app_detail(result: AppResult, threshold: float) -> tuple[str, bool]:
	if result.problem:
		return f"{result.app}: {result.problem}", False
	tests, coverage = result.tests, result.coverage
	enough = coverage.covered * 100 >= threshold * coverage.executable
	if coverage.executable:
		sign = "≥" if enough else "<"
		measured = (
			f"{coverage.covered}/{coverage.executable} changed lines covered "
			f"({_percent(coverage.percent)} {sign} {_percent(threshold)})"
		)
	else:
		measured = "no executable changed line"
	if tests.broken:
		names = f" ({', '.join(tests.failed)})" if tests.failed else ""
		text = f"{result.app}: {tests.broken} of {tests.ran} tests failed{names}, {measured}"
	else:
		skipped = f", {tests.skipped} skipped" if tests.skipped else ""
		text = (
			f"{result.app}: {measured}, {tests.passed} test{'' if tests.passed == 1 else 's'} passed{skipped}"
		)
	if not enough:
		text += f"; uncovered: {uncovered_text(coverage.uncovered)}; add tests that run them"
	elif tests.broken:
		text += "; fix the failing tests"
	return text, enough and not tests.broken


def _percent(value: float) -> str:
	# rounded down, so 79.96% never shows as "80% < 80%"
	return f"{math.floor(value * 10) / 10:g}%"


def uncovered_text(uncovered: dict[str, list[int]]) -> str:
	"""`calc.py:12-14,20 util.py:3`, at most SHOWN_FILES files."""
	shown = [f"{path}:{_ranges(lines)}" for path, lines in list(uncovered.items())[:SHOWN_FILES]]
	more = len(uncovered) - SHOWN_FILES
	return " ".join(shown) + (f" (and {more} more files)" if more > 0 else "")


def _ranges(lines: list[int]) -> str:
	spans: list[list[int]] = []
	for line in lines:
		if spans and line == spans[-1][1] + 1:
			spans[-1][1] = line
		else:
			spans.append([line, line])
	return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _app_data(result: AppResult) -> dict:
	if result.problem:
		return {"problem": result.problem}
	tests, coverage = result.tests, result.coverage
	return {
		"tests": {
			"ran": tests.ran,
			"passed": tests.passed,
			"failures": tests.failures,
			"errors": tests.errors,
			"skipped": tests.skipped,
			"failed": list(tests.failed),
		},
		"changed_lines": coverage.executable,
		"covered_lines": coverage.covered,
		"percent": round(coverage.percent, 1),
		"uncovered": coverage.uncovered,
	}
