"""Report order, counts, blocking and rendering."""

from frappe_stack.review.findings import SEVERITIES, Finding, Report


def finding(severity: str, rule: str = "X001", file: str = "blueprints/a.json", path: str = "$") -> Finding:
	return Finding(rule, severity, "a", file, "DocType", "A", path, f"{rule} says so", "do it")


def test_findings_are_ordered_by_severity_then_file_then_path():
	report = Report(
		[
			finding("LOW"),
			finding("HIGH", file="blueprints/b.json"),
			finding("HIGH", path="$.documents[1]"),
			finding("CRITICAL", file="blueprints/z.json"),
		]
	)
	assert [(f.severity, f.file, f.path) for f in report.findings] == [
		("CRITICAL", "blueprints/z.json", "$"),
		("HIGH", "blueprints/a.json", "$.documents[1]"),
		("HIGH", "blueprints/b.json", "$"),
		("LOW", "blueprints/a.json", "$"),
	]


def test_critical_or_high_blocks_with_exit_2():
	for severity in ("CRITICAL", "HIGH"):
		report = Report([finding("LOW"), finding(severity)])
		assert report.blocking and report.exit_code == 2


def test_medium_and_low_do_not_block():
	assert Report([]).exit_code == 0
	report = Report([finding("MEDIUM"), finding("LOW")])
	assert not report.blocking and report.exit_code == 0


def test_counts_and_dict():
	report = Report([finding("HIGH"), finding("HIGH"), finding("LOW")])
	assert report.counts() == {"CRITICAL": 0, "HIGH": 2, "MEDIUM": 0, "LOW": 1}
	assert list(report.counts()) == list(SEVERITIES)
	data = report.as_dict()
	assert set(data) == {"findings", "summary"}
	assert data["summary"] == {"counts": report.counts(), "total": 3, "blocking": True}
	assert data["findings"][0] == {
		"rule": "X001",
		"severity": "HIGH",
		"blueprint": "a",
		"file": "blueprints/a.json",
		"doctype": "DocType",
		"name": "A",
		"path": "$",
		"message": "X001 says so",
		"fix": "do it",
	}


def test_text_is_one_line_per_finding():
	report = Report(
		[finding("HIGH", "WF003", "blueprints/beneficiary.json", "$.documents[4].states[1]"), finding("LOW")]
	)
	lines = report.text().splitlines()
	assert (
		lines[0]
		== "HIGH  WF003  blueprints/beneficiary.json $.documents[4].states[1]  WF003 says so. Fix: do it"
	)
	assert len(lines) == 2
	assert Report([]).text() == ""
