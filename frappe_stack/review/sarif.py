"""A review report as a SARIF 2.1.0 log, for GitHub code scanning and other SARIF readers.

Lines: SARIF wants a line, findings have JSON paths. The caller passes the text of each blueprint
file as it is in the working tree (`texts`, keyed by the finding's file name, or `read_texts`);
each path is located in that text by a small JSON scanner (json_lines.py), falling back to the
nearest ancestor present (a removed field points at its fields table) and to line 1 when the file
is not given or does not parse.
"""

import hashlib
from collections.abc import Mapping
from pathlib import Path

from frappe_stack.review.findings import CRITICAL, HIGH, LOW, MEDIUM, Finding, Report
from frappe_stack.review.json_lines import line_of, path_lines
from frappe_stack.review.rules import RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "frappe-stack"
# Placeholder until the project has a public home; README's get-app line has the same gap.
LEVELS = {CRITICAL: "error", HIGH: "error", MEDIUM: "warning", LOW: "note"}
FINGERPRINT = "frappeStack/v1"


def read_texts(root: str | Path, report: Report) -> dict[str, str]:
	"""The current text of every file the report names, read below the config repo root."""
	texts = {}
	for file in {f.file for f in report.findings}:
		path = Path(root) / file
		if path.is_file():
			texts[file] = path.read_text(encoding="utf-8")
	return texts


def _lines(texts: Mapping[str, str]) -> dict[str, dict[str, int]]:
	lines = {}
	for file, text in texts.items():
		try:
			lines[file] = path_lines(text)
		except ValueError:
			lines[file] = {}
	return lines


def _rule(rule) -> dict:
	return {
		"id": rule.id,
		"name": rule.name,
		"shortDescription": {"text": rule.title},
		"defaultConfiguration": {"level": LEVELS[rule.severity]},
		"properties": {"severity": rule.severity},
	}


def _fingerprint(finding: Finding) -> str:
	# the message carries row counts that change from run to run; identity does not
	identity = "\0".join((finding.rule, finding.file, finding.path, finding.doctype, finding.name))
	return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def _result(finding: Finding, index: dict[str, int], lines: dict[str, dict[str, int]]) -> dict:
	return {
		"ruleId": finding.rule,
		"ruleIndex": index[finding.rule],
		"level": LEVELS[finding.severity],
		"message": {"text": f"{finding.message}. Fix: {finding.fix}"},
		"locations": [
			{
				"physicalLocation": {
					"artifactLocation": {"uri": finding.file},
					"region": {"startLine": line_of(lines.get(finding.file, {}), finding.path)},
				},
				"logicalLocations": [{"fullyQualifiedName": finding.path, "kind": "element"}],
			}
		],
		"partialFingerprints": {FINGERPRINT: _fingerprint(finding)},
		"properties": {
			"blueprint": finding.blueprint,
			"doctype": finding.doctype,
			"name": finding.name,
			"severity": finding.severity,
		},
	}


def to_sarif(
	report: Report,
	tool_version: str,
	texts: Mapping[str, str] | None = None,
) -> dict:
	index = {rule.id: position for position, rule in enumerate(RULES)}
	lines = _lines(texts or {})
	driver = {
		"name": TOOL_NAME,
		"version": tool_version,
		"rules": [_rule(rule) for rule in RULES],
	}
	return {
		"$schema": SCHEMA_URI,
		"version": "2.1.0",
		"runs": [
			{"tool": {"driver": driver}, "results": [_result(f, index, lines) for f in report.findings]}
		],
	}
