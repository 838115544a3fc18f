"""A rule: a small function over one changed document, registered with its id and severity.

Rule functions build findings with `hit`, leaving rule id and severity to the registration so
each lives in one place (rules/__init__.py)."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Finding

Check = Callable[[ChangedDoc, Change, Context], list[Finding]]


@dataclass(frozen=True)
class Rule:
	id: str
	severity: str
	name: str  # CamelCase, for SARIF
	title: str  # one line saying what the rule finds
	check: Check

	def run(self, doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
		return [replace(f, rule=self.id, severity=self.severity) for f in self.check(doc, change, context)]


def hit(doc: ChangedDoc, path: str, message: str, fix: str) -> Finding:
	return Finding("", "", doc.blueprint, doc.file, doc.doctype, doc.name, path, message, fix)


def subject(doc: ChangedDoc) -> str:
	return f"{doc.doctype} '{doc.name}'"
