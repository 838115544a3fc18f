"""The deploy's smoke step counts what it ran and what passed the same way: the site's answer is
one check of both, so "1 check(s)" run never reads "0 check(s) passed"."""

from frappe_stack.checks.result import PASS, WARN
from frappe_stack.smoke_plan import SmokeReport, SmokeResult, after_deploy_line


def test_nothing_changed_to_test_still_counts_the_site_answering():
	assert after_deploy_line(SmokeReport()) == "1 of 1 check(s) passed: the site answers"


def test_each_passed_check_is_counted_and_named():
	report = SmokeReport([SmokeResult("DocType Visit loads and lists", PASS, "= 0 row(s) read")])
	assert after_deploy_line(report) == (
		"2 of 2 check(s) passed: the site answers, DocType Visit loads and lists"
	)


def test_a_warning_is_run_but_not_passed_and_says_why():
	report = SmokeReport(
		[
			SmokeResult("DocType Visit loads and lists", PASS),
			SmokeResult("Number Card Open Visits", WARN, "not a Document Type card"),
		]
	)
	assert after_deploy_line(report) == (
		"2 of 3 check(s) passed: the site answers, DocType Visit loads and lists; "
		"1 warned: Number Card Open Visits: not a Document Type card"
	)
