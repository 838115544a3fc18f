"""Secrets are found in any string of any document, and never repeated in what review prints."""

import json

import pytest
from fake_context import FakeContext
from review_cases import Case, run, script

from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.findings import Report
from frappe_stack.review.rules import RULES
from frappe_stack.review.sarif import to_sarif

TOKENS = {
	"GitHub": "ghp_" + "A1b2C3d4" * 4 + "E5f6",
	"GitHub fine-grained": "github_pat_" + "11ABCDEFG0" * 3,
	"Slack": "xoxb-123456789012-abcdefghijkl",
	"AWS": "AKIA" + "Q7RZ2MXK4PLN3VBT",
	"Stripe": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
	"Google": "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
	"private key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
	"JWT": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
	"Authorization header": "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
}


def notification(message: str) -> dict:
	return {
		"doctype": "Notification",
		"name": "Welcome",
		"document_type": "Beneficiary",
		"message": "Hello",
		"recipients": [{"receiver_by_document_field": "email"}, {"cc": message}],
	}


def every_finding(case: Case) -> list:
	return [f for rule in RULES for f in run(rule.id, case)]


def rendered(findings: list) -> str:
	report = Report(findings)
	return json.dumps(report.as_dict()) + report.text() + json.dumps(to_sarif(report, "0.1.0"))


@pytest.mark.parametrize("kind", TOKENS)
def test_a_token_in_a_child_row_is_found_and_not_repeated(kind):
	found = every_finding(Case(notification(f"see {TOKENS[kind]} here")))
	assert [f.rule for f in found] == ["SEC001"]
	assert found[0].path == "$.documents[0].recipients[1].cc"
	assert TOKENS[kind] not in rendered(found)


@pytest.mark.parametrize(
	"code, secret",
	[
		('requests.get(u, headers={"Authorization": "Basic dXNlcjpodW50ZXIy"})', "dXNlcjpodW50ZXIy"),
		('password = "correct horse battery"', "correct horse battery"),
		('conn = connect(host="db", password="s3cr3t-pw")', "s3cr3t-pw"),
		('payload = {"api_secret": "b7f0c2a1e9"}', "b7f0c2a1e9"),
	],
)
def test_a_literal_credential_in_code_is_found_and_not_repeated(code, secret):
	found = every_finding(Case(script(code)))
	assert "SEC002" in {f.rule for f in found}
	assert secret not in rendered(found)


def test_a_removed_document_is_not_scanned():
	before = notification(TOKENS["GitHub"])
	doc = ChangedDoc(
		"bp", "blueprints/bp.json", "$.delete[0]", ("Notification", "Welcome"), before, None, True
	)
	found = [f for rule in RULES for f in rule.run(doc, Change([doc]), FakeContext())]
	assert found == []
