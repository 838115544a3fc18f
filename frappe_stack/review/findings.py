"""What a review finds, and the report that orders, counts and renders it."""

from dataclasses import asdict, dataclass

from frappe_stack.exit_codes import EXIT_CHANGES, EXIT_OK

CRITICAL, HIGH, MEDIUM, LOW = "CRITICAL", "HIGH", "MEDIUM", "LOW"
SEVERITIES = (CRITICAL, HIGH, MEDIUM, LOW)
BLOCKING = frozenset({CRITICAL, HIGH})


@dataclass(frozen=True)
class Finding:
	rule: str
	severity: str
	blueprint: str
	file: str  # the blueprint file, relative to the config repo root
	doctype: str
	name: str
	path: str  # JSON path inside the file, e.g. "$.documents[2].script"
	message: str
	fix: str

	def as_dict(self) -> dict:
		return asdict(self)

	def text(self) -> str:
		return f"{self.severity}  {self.rule}  {self.file} {self.path}  {self.message}. Fix: {self.fix}"


def _order(finding: Finding) -> tuple:
	return (SEVERITIES.index(finding.severity), finding.file, finding.path, finding.rule, finding.message)


class Report:
	def __init__(self, findings: list[Finding], nothing: str = "", examined: int = 0):
		self.findings = sorted(findings, key=_order)
		self.nothing = nothing  # the line saying no document changed since the base, if none did
		self.examined = examined  # how many changed documents the rules read

	@property
	def blocking(self) -> bool:
		return any(f.severity in BLOCKING for f in self.findings)

	@property
	def exit_code(self) -> int:
		"""2 when the change must not go on (any CRITICAL or HIGH), as `plan -detailed-exitcode` does."""
		return EXIT_CHANGES if self.blocking else EXIT_OK

	def counts(self) -> dict[str, int]:
		counts = dict.fromkeys(SEVERITIES, 0)
		for finding in self.findings:
			counts[finding.severity] += 1
		return counts

	def as_dict(self) -> dict:
		summary = {"counts": self.counts(), "total": len(self.findings), "blocking": self.blocking}
		payload = {"findings": [f.as_dict() for f in self.findings], "summary": summary}
		return payload | ({"nothing_to_examine": self.nothing} if self.nothing else {})

	def text(self) -> str:
		"""One line per finding; else one line saying that no document changed, or how many changed
		documents the rules found nothing in (a silent review reads like one that never ran)."""
		if self.findings or self.nothing:
			return "\n".join(f.text() for f in self.findings) or self.nothing
		return f"No findings in the {self.examined} changed document(s)." if self.examined else ""
