"""One check's answer, and the checklist `check` prints: exit 2 when any check fails."""

from dataclasses import dataclass, field

PASS, WARN, FAIL = "pass", "warn", "fail"


@dataclass(frozen=True)
class CheckResult:
	check: str  # e.g. "role coverage"
	result: str  # pass | warn | fail
	detail: str  # one line, says why and, on fail, what to do
	data: dict = field(default_factory=dict)  # machine-readable facts behind the detail (--json)

	def as_dict(self) -> dict:
		return {"check": self.check, "result": self.result, "detail": self.detail, "data": self.data}


def tally(results: list[CheckResult]) -> dict[str, int]:
	return {kind: sum(1 for r in results if r.result == kind) for kind in (PASS, WARN, FAIL)}


def result_lines(results: list[CheckResult]) -> list[str]:
	"""One aligned line per result: `  fail  scheduler  disabled: ...`."""
	width = max((len(r.check) for r in results), default=0)
	return [f"  {r.result:<4}  {r.check:<{width}}  {r.detail}" for r in results]


@dataclass
class Checklist:
	source: str
	target: str
	results: list[CheckResult] = field(default_factory=list)
	emergency: str | None = None

	@property
	def failed(self) -> list[CheckResult]:
		return [r for r in self.results if r.result == FAIL]

	def as_dict(self) -> dict:
		return {
			"source": self.source,
			"target": self.target,
			"emergency": self.emergency,
			"results": [r.as_dict() for r in self.results],
			"summary": tally(self.results),
			"blocked": bool(self.failed),
		}

	def text(self) -> str:
		lines = [f"Pre-promote checks: {self.source} → {self.target}"]
		if self.emergency:
			lines.append(f"  EMERGENCY: {self.emergency}")
		lines += result_lines(self.results)
		failed = self.failed
		if failed:
			names = ", ".join(r.check for r in failed)
			lines.append(f"Blocked: {len(failed)} of {len(self.results)} checks failed ({names}).")
		else:
			warned = sum(1 for r in self.results if r.result == WARN)
			lines.append(f"Ready to promote: {len(self.results)} checks passed, {warned} with a warning.")
		return "\n".join(lines)
