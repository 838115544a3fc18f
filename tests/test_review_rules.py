"""Every review rule: one case that fires it and one that does not, at least."""

import pytest
from review_cases import PERMS, Case, docperm, dt, report, run
from review_rule_firing_cases import FIRES
from review_rule_quiet_cases import QUIET

from frappe_stack.review.rules import RULES, rule_by_id


@pytest.mark.parametrize("rule_id, case, expect", FIRES)
def test_rule_fires(rule_id, case, expect):
	found = run(rule_id, case)
	assert found, f"{rule_id} did not fire"
	severity = rule_by_id()[rule_id].severity
	assert all(f.rule == rule_id and f.severity == severity for f in found)
	assert any(expect in f.message for f in found), [f.message for f in found]
	assert all(f.path.startswith("$.documents[0]") and f.fix for f in found)


@pytest.mark.parametrize("rule_id, case", QUIET)
def test_rule_stays_quiet(rule_id, case):
	assert run(rule_id, case) == []


def test_every_rule_has_a_firing_and_a_quiet_case():
	ids = {rule.id for rule in RULES}
	assert {p.values[0] for p in FIRES} == ids
	assert {p.values[0] for p in QUIET} == ids


def test_rule_ids_are_unique_and_severities_known():
	assert len({rule.id for rule in RULES}) == len(RULES)
	assert {rule.severity for rule in RULES} <= {"CRITICAL", "HIGH", "MEDIUM", "LOW"}


@pytest.mark.parametrize(
	"document, path",
	[
		(dt(permissions=[*PERMS, {"role": "Ghost", "read": 1}]), "$.documents[0].permissions[1].role"),
		(docperm("Ghost"), "$.documents[0].role"),
		(
			report("select 1", roles=[{"role": "System Manager"}, {"role": "Ghost"}]),
			"$.documents[0].roles[1].role",
		),
	],
	ids=["doctype-permission", "custom-docperm", "report-role"],
)
def test_an_unknown_role_points_at_the_row_naming_it(document, path):
	assert [f.path for f in run("PRM002", Case(document))] == [path]
