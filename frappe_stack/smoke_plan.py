"""Smoke tests of a blueprint-only change (the tests gate of the pre-promote checks): for each
DocType the change touches, a sample document is inserted, every workflow transition is walked
as a user holding its role, and each changed Number Card and Dashboard Chart is evaluated, all
inside a transaction that is rolled back. This module picks what to test and holds the results;
the site adapter runs them (frappe_stack.site.smoke_runner)."""

from dataclasses import dataclass, field

from frappe_stack.blueprint.grouping import TARGET_FIELD
from frappe_stack.checks.result import FAIL, PASS, WARN
from frappe_stack.review.change import Change


@dataclass(frozen=True)
class SmokeTargets:
	doctypes: list[str]
	number_cards: list[str]
	dashboard_charts: list[str]


@dataclass(frozen=True)
class SmokeResult:
	test: str  # e.g. "insert Beneficiary", "workflow Beneficiary Approval: Registered -Submit-> Under Review"
	result: str  # pass | warn | fail
	detail: str = ""

	def as_dict(self) -> dict:
		return {"test": self.test, "result": self.result, "detail": self.detail}


@dataclass
class SmokeReport:
	results: list[SmokeResult] = field(default_factory=list)
	nothing: str = ""  # the line saying no document changed since the base, if none did

	@property
	def failed(self) -> bool:
		return any(r.result == FAIL for r in self.results)

	def as_dict(self) -> dict:
		counts = {kind: sum(1 for r in self.results if r.result == kind) for kind in (PASS, WARN, FAIL)}
		payload = {"results": [r.as_dict() for r in self.results], "summary": counts}
		return payload | ({"nothing_to_examine": self.nothing} if self.nothing else {})

	def text(self) -> str:
		if self.nothing:
			return self.nothing
		if not self.results:
			return "Smoke tests: the change touches no DocType, Number Card or Dashboard Chart."
		lines = [f"  {r.result:<5} {r.test}" + (f": {r.detail}" if r.detail else "") for r in self.results]
		counts = self.as_dict()["summary"]
		return "\n".join(
			[
				"Smoke tests (rolled back):",
				*lines,
				f"Summary: {counts[PASS]} passed, {counts[FAIL]} failed, {counts[WARN]} warned.",
			]
		)


def after_deploy_line(report: SmokeReport) -> str:
	"""The deploy's smoke step in one line, once nothing failed: the site's answer is a check too,
	so that the number run and the number passed are counted the same way."""
	counts = report.as_dict()["summary"]
	total, passed = 1 + len(report.results), 1 + counts[PASS]
	line = f"{passed} of {total} check(s) passed: the site answers"
	line += "".join(f", {r.test}" for r in report.results if r.result == PASS)
	warned = [f"{r.test}: {r.detail}" for r in report.results if r.result == WARN]
	return line + (f"; {len(warned)} warned: {'; '.join(warned)}" if warned else "")


def smoke_targets(change: Change) -> SmokeTargets:
	"""What the change touches and still has: DocTypes it creates or customizes, cards, charts."""
	doctypes, cards, charts = set(), set(), set()
	for doc in change.docs:
		if doc.after is None:
			continue
		if doc.doctype == "Number Card":
			cards.add(doc.name)
		elif doc.doctype == "Dashboard Chart":
			charts.add(doc.name)
		target = doc.after.get(TARGET_FIELD.get(doc.doctype, ""))
		if target and doc.doctype in TARGET_FIELD:
			doctypes.add(target)
	return SmokeTargets(sorted(doctypes), sorted(cards), sorted(charts))
