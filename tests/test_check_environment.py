"""Environment: the apps and DocTypes a change needs on the target, and the check comparing them."""

import pytest
from builders import Repo, custom_field, doctype, role

from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.checks.app_requirements import Needs, environment_check, needs, with_applier
from frappe_stack.checks.result import FAIL, PASS, WARN
from frappe_stack.review.change import compute_change

TARGET = "prod.example.com"


@pytest.fixture
def repos(tmp_path):
	return Repo(tmp_path / "base"), Repo(tmp_path / "head")


def needs_of(repos, doctype_apps: dict | None = None, module_apps: dict | None = None) -> Needs:
	base, head = repos
	before, after = load_blueprint_set(base.root), load_blueprint_set(head.root)
	return needs(compute_change(before, after), after, doctype_apps or {}, module_apps or {})


def link(fieldname: str, options: str) -> dict:
	return {"fieldname": fieldname, "fieldtype": "Link", "options": options, "label": fieldname.title()}


# ---- needs: requires ---------------------------------------------------------------------------------


def test_a_changed_blueprint_requires_its_apps(repos):
	_, head = repos
	head.write("grants", [role("Grant Officer")], requires={"erpnext": "15.10.0", "hrms": ""})
	need = needs_of(repos)
	assert need.apps == {"erpnext": "15.10.0", "hrms": ""}
	assert need.why["erpnext"] == "blueprint grants requires erpnext 15.10.0"
	assert need.why["hrms"] == "blueprint grants requires hrms"
	assert need.doctypes == []


def test_an_unchanged_blueprint_requires_is_ignored(repos):
	for repo in repos:
		repo.write("payroll", [role("Payroll Clerk")], requires={"hrms": "15.0.0"})
	_, head = repos
	head.write("grants", [role("Grant Officer")], requires={"erpnext": "15.0.0"})
	assert needs_of(repos).apps == {"erpnext": "15.0.0"}


def test_nothing_changed_needs_nothing(repos):
	for repo in repos:
		repo.write("payroll", [role("Payroll Clerk")], requires={"hrms": "15.0.0"})
	need = needs_of(repos, {"Employee": "hrms"}, {"Custom": "frappe"})
	assert need == Needs({}, {}, [])


@pytest.mark.parametrize(("first", "second"), [("15.10.0", "15.9.0"), ("15.9.0", "15.10.0")])
def test_the_highest_minimum_wins_whatever_the_order(repos, first, second):
	_, head = repos
	head.write("a-grants", [role("Grant Officer")], requires={"erpnext": first})
	head.write("b-loans", [role("Loan Officer")], requires={"erpnext": second})
	need = needs_of(repos)
	assert need.apps == {"erpnext": "15.10.0"}
	winner = "a-grants" if first == "15.10.0" else "b-loans"
	assert need.why["erpnext"] == f"blueprint {winner} requires erpnext 15.10.0"


def test_a_minimum_beats_any_version(repos):
	_, head = repos
	head.write("a-grants", [role("Grant Officer")], requires={"erpnext": ""})
	head.write("b-loans", [role("Loan Officer")], requires={"erpnext": "15.2.0"})
	assert needs_of(repos).apps == {"erpnext": "15.2.0"}


# ---- needs: referenced DocTypes and modules --------------------------------------------------------------


def test_referenced_doctypes_the_repo_does_not_define(repos):
	_, head = repos
	head.write("groups", [doctype("Beneficiary Group")])
	head.write(
		"beneficiary",
		[
			doctype("Beneficiary", [link("group", "Beneficiary Group"), link("customer", "Customer")]),
			custom_field("Sales Invoice", "beneficiary", fieldtype="Link", options="Beneficiary"),
		],
	)
	need = needs_of(repos)
	assert need.doctypes == ["Customer", "Sales Invoice"]


def test_a_doctype_defined_in_an_unchanged_blueprint_is_not_needed_from_the_target(repos):
	for repo in repos:
		repo.write("groups", [doctype("Beneficiary Group")])
	_, head = repos
	head.write("beneficiary", [doctype("Beneficiary", [link("group", "Beneficiary Group")])])
	assert needs_of(repos).doctypes == []


def test_a_referenced_doctype_makes_its_app_needed_without_a_minimum(repos):
	_, head = repos
	head.write("invoice", [custom_field("Sales Invoice", "village")])
	need = needs_of(repos, doctype_apps={"Sales Invoice": "erpnext", "Employee": "hrms"})
	assert need.apps == {"erpnext": ""}
	assert need.why == {"erpnext": "DocType Sales Invoice comes from erpnext"}
	assert need.doctypes == ["Sales Invoice"]


def test_a_documents_module_makes_its_app_needed(repos):
	_, head = repos
	head.write("beneficiary", [doctype("Beneficiary", module="Non Profit")])
	need = needs_of(repos, module_apps={"Non Profit": "erpnext", "Payroll": "hrms"})
	assert need.apps == {"erpnext": ""}
	assert need.why == {"erpnext": "module Non Profit belongs to erpnext"}


def test_a_requires_minimum_is_kept_when_a_doctype_also_needs_the_app(repos):
	_, head = repos
	head.write("invoice", [custom_field("Sales Invoice", "village")], requires={"erpnext": "15.3.0"})
	need = needs_of(repos, doctype_apps={"Sales Invoice": "erpnext"})
	assert need.apps == {"erpnext": "15.3.0"}
	assert need.why["erpnext"] == "blueprint invoice requires erpnext 15.3.0"


def test_apps_are_sorted(repos):
	_, head = repos
	head.write("x", [role("Clerk")], requires={"zapp": "", "hrms": "", "erpnext": ""})
	assert list(needs_of(repos).apps) == ["erpnext", "hrms", "zapp"]


# ---- environment_check ---------------------------------------------------------------------------------


def need(apps: dict[str, str] | None = None, doctypes: list[str] = ()) -> Needs:
	apps = apps or {}
	why = {app: f"blueprint x requires {app} {version}".rstrip() for app, version in apps.items()}
	return Needs(apps, why, list(doctypes))


def check(need: Needs, target_apps: dict, target_doctypes=(), staging_apps: dict | None = None):
	return environment_check(need, target_apps, list(target_doctypes), staging_apps or {}, TARGET)


def test_a_missing_app_fails_with_its_reason():
	result = check(need({"erpnext": "15.0.0"}), {"frappe": "15.30.0"})
	assert result.check == "environment"
	assert result.result == FAIL
	assert "erpnext is not installed (blueprint x requires erpnext 15.0.0)" in result.detail
	assert result.detail.startswith(f"{TARGET}: ")
	assert result.detail.endswith(f"install or upgrade the apps on {TARGET} first")
	assert result.data["problems"] == ["erpnext is not installed (blueprint x requires erpnext 15.0.0)"]


def test_older_than_the_minimum_fails_comparing_numbers_not_text():
	result = check(need({"erpnext": "15.10.0"}), {"erpnext": "15.9.0"})
	assert result.result == FAIL
	assert "erpnext 15.9.0 is older than 15.10.0" in result.detail


def test_newer_than_the_minimum_passes_comparing_numbers_not_text():
	result = check(need({"erpnext": "15.9.0"}), {"erpnext": "15.10.0"})
	assert result.result == PASS
	assert result.detail == f"{TARGET} has what the change needs: erpnext 15.10.0"


def test_exactly_the_minimum_passes():
	assert check(need({"erpnext": "15.10.0"}), {"erpnext": "15.10.0"}).result == PASS


@pytest.mark.parametrize(("minimum", "expected"), [("15.20.0", PASS), ("15.20.1", PASS), ("15.21.0", FAIL)])
def test_a_version_with_a_v_and_a_suffix_parses(minimum, expected):
	result = check(need({"erpnext": minimum}), {"erpnext": "v15.20.1-dev"})
	assert result.result == expected


def test_any_version_is_enough_when_there_is_no_minimum():
	assert check(need({"erpnext": ""}), {"erpnext": "14.0.0"}).result == PASS


def test_older_than_staging_warns():
	result = check(need({"erpnext": ""}), {"erpnext": "15.1.0"}, staging_apps={"erpnext": "15.2.0"})
	assert result.result == WARN
	assert "erpnext 15.1.0 is older than staging's 15.2.0" in result.detail
	assert result.detail.startswith(f"{TARGET} has erpnext 15.1.0; ")
	assert result.data["warnings"] == ["erpnext 15.1.0 is older than staging's 15.2.0"]


def test_staging_older_or_equal_or_without_the_app_does_not_warn():
	for staging in ({"erpnext": "15.1.0"}, {"erpnext": "15.0.9"}, {}):
		assert check(need({"erpnext": ""}), {"erpnext": "15.1.0"}, staging_apps=staging).result == PASS


def test_older_than_the_minimum_fails_rather_than_warns():
	result = check(need({"erpnext": "15.3.0"}), {"erpnext": "15.1.0"}, staging_apps={"erpnext": "15.4.0"})
	assert result.result == FAIL
	assert result.data["warnings"] == []


def test_a_missing_referenced_doctype_fails():
	result = check(need(doctypes=["Customer", "Sales Invoice"]), {}, target_doctypes=["Sales Invoice"])
	assert result.result == FAIL
	assert "DocType Customer missing" in result.detail
	assert result.data["missing_doctypes"] == ["Customer"]


def test_all_problems_are_listed_in_one_line():
	result = check(need({"erpnext": "15.10.0", "hrms": ""}, doctypes=["Employee"]), {"erpnext": "15.9.0"}, ())
	assert result.result == FAIL
	assert result.data["problems"] == [
		"erpnext 15.9.0 is older than 15.10.0 (blueprint x requires erpnext 15.10.0)",
		"hrms is not installed (blueprint x requires hrms)",
		"DocType Employee missing",
	]
	assert "\n" not in result.detail


def test_all_good_passes_listing_the_apps():
	result = check(
		need({"erpnext": "15.10.0", "hrms": ""}, doctypes=["Customer"]),
		{"frappe": "15.30.0", "hrms": "15.2.0", "erpnext": "15.12.1"},
		target_doctypes=["Customer", "User"],
		staging_apps={"erpnext": "15.12.1"},
	)
	assert result.result == PASS
	assert result.detail == f"{TARGET} has what the change needs: erpnext 15.12.1, hrms 15.2.0"
	assert result.data["problems"] == result.data["warnings"] == []
	assert result.data["missing_doctypes"] == []


def test_nothing_needed_passes():
	result = check(need(), {"frappe": "15.30.0"})
	assert result.result == PASS
	assert result.detail == f"{TARGET} has what the change needs: no app beyond Frappe"


def test_needs_from_a_repo_feed_the_check(repos):
	_, head = repos
	head.write(
		"invoice",
		[custom_field("Sales Invoice", "village"), doctype("Beneficiary", module="Non Profit")],
		requires={"erpnext": "15.10.0"},
	)
	found = needs_of(repos, {"Sales Invoice": "erpnext"}, {"Non Profit": "non_profit"})
	failed = check(found, {"erpnext": "15.9.0"}, ["Sales Invoice"])
	assert failed.result == FAIL
	assert (
		"erpnext 15.9.0 is older than 15.10.0 (blueprint invoice requires erpnext 15.10.0)" in failed.detail
	)
	assert "non_profit is not installed (module Non Profit belongs to non_profit)" in failed.detail
	passed = check(found, {"erpnext": "15.10.0", "non_profit": "1.0.0"}, ["Sales Invoice"])
	assert passed.result == PASS


@pytest.mark.parametrize(("minimum", "have"), [("1.0.0", "1.0"), ("15.0.0", "15")])
def test_versions_differing_only_in_trailing_zeros_are_equal(minimum, have):
	assert check(need({"myapp": minimum}), {"myapp": have}).result == PASS
	assert check(need({"myapp": ""}), {"myapp": have}, staging_apps={"myapp": minimum}).result == PASS


def test_every_target_needs_the_applier():
	need = with_applier(Needs({"erpnext": "15.0.0"}, {"erpnext": "blueprint x requires erpnext 15.0.0"}, []))
	assert need.apps == {"erpnext": "15.0.0", "frappe_stack": ""}
	failed = check(need, {"frappe": "15.50.0", "erpnext": "15.1.0"})
	assert failed.result == FAIL
	assert "frappe_stack is not installed (its applier runs the blueprints at migrate)" in failed.detail
