"""The pure steps of `check` (diff clean, applied, review, smoke tests) and the checklist they make."""

import json

import pytest

from frappe_stack.checks.checklist import applied_check, diff_clean_check, review_check, smoke_check
from frappe_stack.checks.result import FAIL, PASS, WARN, Checklist, CheckResult
from frappe_stack.diff import Diff, DiffItem
from frappe_stack.ledger import LedgerEntry
from frappe_stack.review.findings import CRITICAL, HIGH, LOW, MEDIUM, Finding, Report
from frappe_stack.smoke_plan import SmokeReport, SmokeResult

SITE = "staging.example.com"


# ---- diff clean ---------------------------------------------------------------------------------------


def test_a_clean_diff_passes():
	result = diff_clean_check(Diff(SITE, "/repo"))
	assert result.check == "diff clean"
	assert result.result == PASS
	assert result.detail == f"{SITE} matches the config repo"
	assert result.data["clean"] is True


def test_a_diff_with_differences_fails_with_counts_and_what_to_run():
	diff = Diff(
		SITE,
		"/repo",
		only_on_site=[DiffItem("Custom Field", "Customer-x", None, "unmanaged")],
		only_in_git=[
			DiffItem("Role", "Clerk", "roles", "create"),
			DiffItem("Role", "Boss", "roles", "create"),
		],
		changed=[DiffItem("DocType", "Beneficiary", "beneficiary", "update", "drift")],
	)
	result = diff_clean_check(diff)
	assert result.result == FAIL
	assert result.detail == (
		f"{SITE} and the repo differ: 1 only on the site, 2 only in git, 1 changed; "
		"run `frappe-stack diff`, then export or apply"
	)
	assert result.data == diff.summary()
	assert result.data["drift"] == 1


@pytest.mark.parametrize("bucket", ["only_on_site", "only_in_git", "changed"])
def test_any_one_difference_fails(bucket):
	diff = Diff(SITE, "/repo", **{bucket: [DiffItem("Role", "Clerk", "roles", "update", "pending")]})
	assert diff_clean_check(diff).result == FAIL


# ---- applied ------------------------------------------------------------------------------------------


def entry(name: str, status: str = "Applied", error: str = "") -> LedgerEntry:
	return LedgerEntry(name, status=status, last_error=error)


def test_every_repo_blueprint_applied_passes():
	result = applied_check([entry("roles"), entry("beneficiary")], ["beneficiary", "roles"], SITE)
	assert result.check == "applied"
	assert result.result == PASS
	assert result.detail == f"all 2 blueprints Applied on {SITE}"
	assert result.data == {"blueprints": 2, "problems": []}


def test_a_blueprint_never_applied_fails():
	result = applied_check([entry("roles")], ["beneficiary", "roles"], SITE)
	assert result.result == FAIL
	assert result.data["problems"] == ["beneficiary never applied"]
	assert (
		result.detail == f"on {SITE}: beneficiary never applied; run `frappe-stack apply` and fix what fails"
	)


def test_a_failed_blueprint_fails_with_its_error():
	result = applied_check(
		[entry("roles"), entry("beneficiary", "Failed", "Role 'Field Officer' not found")],
		["beneficiary", "roles"],
		SITE,
	)
	assert result.result == FAIL
	assert result.data["problems"] == ["beneficiary Failed (Role 'Field Officer' not found)"]
	assert "beneficiary Failed (Role 'Field Officer' not found)" in result.detail


@pytest.mark.parametrize("status", ["Pending", "Drifted", "Failed"])
def test_a_blueprint_not_applied_fails_with_its_status(status):
	result = applied_check([entry("roles", status)], ["roles"], SITE)
	assert result.result == FAIL
	assert result.data["problems"] == [f"roles {status}"]


def test_an_orphaned_ledger_entry_not_in_the_repo_is_ignored():
	ledger = [entry("roles"), entry("old-feature", "Orphaned"), entry("gone", "Failed", "boom")]
	result = applied_check(ledger, ["roles"], SITE)
	assert result.result == PASS
	assert result.detail == f"all 1 blueprints Applied on {SITE}"


def test_all_problems_are_listed_never_applied_first():
	ledger = [entry("a", "Pending"), entry("b", "Failed", "bad link"), entry("c")]
	result = applied_check(ledger, ["a", "b", "c", "d"], SITE)
	assert result.data["problems"] == ["d never applied", "a Pending", "b Failed (bad link)"]
	assert result.detail.startswith(f"on {SITE}: d never applied; a Pending; b Failed (bad link); run ")


def test_an_empty_repo_is_all_applied():
	assert applied_check([entry("old", "Orphaned")], [], SITE).result == PASS


# ---- review -------------------------------------------------------------------------------------------


def finding(severity: str, rule: str = "R1", path: str = "$.documents[0]") -> Finding:
	return Finding(
		rule, severity, "bp", "blueprints/bp.json", "DocType", "Beneficiary", path, "something", "fix it"
	)


def test_no_findings_passes():
	result = review_check(Report([]))
	assert result.check == "review"
	assert result.result == PASS
	assert result.detail == "no findings"
	assert result.data == {"counts": {CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0}, "rules": []}


def test_a_critical_finding_fails():
	result = review_check(Report([finding(MEDIUM, "M1"), finding(CRITICAL, "C1")]))
	assert result.result == FAIL
	assert (
		result.detail
		== "1 CRITICAL, 1 MEDIUM (C1); fix the CRITICAL and HIGH findings (`frappe-stack review`)"
	)
	assert result.data["rules"] == ["C1", "M1"]


def test_a_high_finding_fails():
	assert review_check(Report([finding(HIGH)])).result == FAIL


def test_only_medium_findings_warn():
	result = review_check(Report([finding(MEDIUM, "M2"), finding(MEDIUM, "M1", "$.documents[1]")]))
	assert result.result == WARN
	assert result.detail == "2 MEDIUM"
	assert result.data["rules"] == ["M1", "M2"]


def test_only_low_findings_warn():
	result = review_check(Report([finding(LOW)]))
	assert result.result == WARN
	assert result.detail == "1 LOW"


# ---- smoke tests --------------------------------------------------------------------------------------


def test_no_smoke_tests_passes_saying_nothing_was_touched():
	result = smoke_check(SmokeReport())
	assert result.check == "smoke tests"
	assert result.result == PASS
	assert result.detail == "the change touches no DocType, card or chart"


def test_all_smoke_tests_passing_passes_and_says_rolled_back():
	report = SmokeReport([SmokeResult("insert Beneficiary", PASS), SmokeResult("card Open", PASS)])
	result = smoke_check(report)
	assert result.result == PASS
	assert result.detail == "2 passed (rolled back)"
	assert result.data == {PASS: 2, WARN: 0, FAIL: 0}


def test_smoke_warnings_warn_naming_each_one_and_do_not_fail():
	report = SmokeReport(
		[SmokeResult("insert Beneficiary", PASS), SmokeResult("workflow X", WARN, "condition not tried")]
	)
	result = smoke_check(report)
	assert result.result == WARN
	assert result.detail == "1 passed, 1 warned: workflow X: condition not tried"


def test_a_failed_smoke_test_fails_naming_each_failure():
	report = SmokeReport(
		[
			SmokeResult("insert Beneficiary", FAIL, "Mandatory field village missing"),
			SmokeResult("workflow Approval: Draft -Approve-> Approved", PASS),
			SmokeResult("card Open Beneficiaries", FAIL, "Unknown column 'x'"),
		]
	)
	result = smoke_check(report)
	assert result.result == FAIL
	assert result.detail == (
		"2 of 3 failed: insert Beneficiary: Mandatory field village missing; "
		"card Open Beneficiaries: Unknown column 'x'"
	)
	assert result.data == {PASS: 1, WARN: 0, FAIL: 2}


# ---- the checklist ------------------------------------------------------------------------------------


def results(*kinds: str) -> list[CheckResult]:
	names = ["diff clean", "applied", "review", "smoke tests", "backup", "role coverage"]
	return [CheckResult(names[i], kind, f"detail {i}", {"i": i}) for i, kind in enumerate(kinds)]


def test_a_checklist_with_a_failure_is_blocked_and_lists_the_failing_checks():
	checklist = Checklist("staging", "prod", results(PASS, FAIL, WARN, PASS, FAIL))
	assert [r.check for r in checklist.failed] == ["applied", "backup"]
	assert checklist.text().splitlines() == [
		"Pre-promote checks: staging → prod",
		"  pass  diff clean   detail 0",
		"  fail  applied      detail 1",
		"  warn  review       detail 2",
		"  pass  smoke tests  detail 3",
		"  fail  backup       detail 4",
		"Blocked: 2 of 5 checks failed (applied, backup).",
	]


def test_a_checklist_without_failures_is_ready_and_counts_warnings():
	checklist = Checklist("staging", "prod", results(PASS, WARN, WARN))
	assert checklist.failed == []
	assert checklist.text().splitlines()[-1] == "Ready to promote: 3 checks passed, 2 with a warning."


def test_the_emergency_line_comes_right_after_the_heading():
	checklist = Checklist("staging", "prod", results(PASS), emergency="payments down, INC-42")
	lines = checklist.text().splitlines()
	assert lines[:2] == ["Pre-promote checks: staging → prod", "  EMERGENCY: payments down, INC-42"]
	assert lines[2:] == ["  pass  diff clean  detail 0", lines[-1]]
	assert lines[-1].startswith("Ready to promote: ")


def test_no_emergency_no_emergency_line():
	assert "EMERGENCY" not in Checklist("staging", "prod", results(PASS)).text()


def test_as_dict_has_the_summary_counts_and_blocked():
	checklist = Checklist("staging", "prod", results(PASS, FAIL, WARN, PASS), emergency="INC-42")
	data = json.loads(json.dumps(checklist.as_dict()))
	assert data["source"] == "staging" and data["target"] == "prod"
	assert data["emergency"] == "INC-42"
	assert data["summary"] == {PASS: 2, WARN: 1, FAIL: 1}
	assert data["blocked"] is True
	assert data["results"][1] == {"check": "applied", "result": FAIL, "detail": "detail 1", "data": {"i": 1}}
	assert [r["check"] for r in data["results"]] == ["diff clean", "applied", "review", "smoke tests"]


def test_as_dict_of_a_passing_checklist_is_not_blocked():
	data = Checklist("staging", "prod", results(PASS, WARN)).as_dict()
	assert data["blocked"] is False
	assert data["emergency"] is None
	assert data["summary"] == {PASS: 1, WARN: 1, FAIL: 0}


def test_an_empty_checklist_renders():
	checklist = Checklist("staging", "prod")
	assert checklist.text().splitlines() == [
		"Pre-promote checks: staging → prod",
		"Ready to promote: 0 checks passed, 0 with a warning.",
	]
	assert checklist.as_dict()["summary"] == {PASS: 0, WARN: 0, FAIL: 0}


def test_the_steps_make_a_checklist():
	steps = [
		diff_clean_check(Diff(SITE, "/repo")),
		applied_check([entry("roles", "Failed", "boom")], ["roles"], SITE),
		review_check(Report([finding(MEDIUM)])),
		smoke_check(SmokeReport()),
	]
	checklist = Checklist(SITE, "prod", steps)
	assert checklist.as_dict()["summary"] == {PASS: 2, WARN: 1, FAIL: 1}
	assert checklist.text().splitlines()[-1] == "Blocked: 1 of 4 checks failed (applied)."
