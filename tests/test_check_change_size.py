"""Change size: changed blueprints grouped into related sets, and the split when there are too many."""

import pytest
from builders import Repo, custom_field, doctype, role

from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.checks.change_size import change_size_check, related_sets
from frappe_stack.checks.result import FAIL, PASS
from frappe_stack.review.change import compute_change


@pytest.fixture
def repos(tmp_path):
	return Repo(tmp_path / "base"), Repo(tmp_path / "head")


def sets_of(repos) -> list[list[str]]:
	base, head = (load_blueprint_set(repo.root) for repo in repos)
	return related_sets(compute_change(base, head), head)


def workflow(document_type: str) -> dict:
	return {
		"doctype": "Workflow",
		"name": f"{document_type} Approval",
		"workflow_name": f"{document_type} Approval",
		"document_type": document_type,
	}


def docperm(parent: str, role_name: str) -> dict:
	return {"doctype": "Custom DocPerm", "name": f"{parent}-{role_name}", "parent": parent, "role": role_name}


def test_a_custom_field_joins_the_blueprint_of_its_doctype(repos):
	_, head = repos
	head.write("beneficiary", [doctype("Beneficiary")])
	head.write("beneficiary-fields", [custom_field("Beneficiary", "village")])
	assert sets_of(repos) == [["beneficiary", "beneficiary-fields"]]


def test_a_workflow_joins_the_blueprint_of_its_document_type(repos):
	_, head = repos
	head.write("approval", [workflow("Grant")])
	head.write("grant", [doctype("Grant")])
	assert sets_of(repos) == [["approval", "grant"]]


def test_a_permission_joins_the_blueprint_of_its_role(repos):
	_, head = repos
	head.write("field-roles", [role("Field Officer")])
	head.write("contact-perms", [docperm("Contact", "Field Officer")])
	assert sets_of(repos) == [["contact-perms", "field-roles"]]


def test_depends_on_relates_blueprints_without_references(repos):
	_, head = repos
	head.write("roles", [role("Clerk")])
	head.write("dashboard", [doctype("Report Card")], depends_on=["roles"])
	assert sets_of(repos) == [["dashboard", "roles"]]


def test_relations_are_transitive_through_changed_blueprints(repos):
	_, head = repos
	head.write("roles", [role("Field Officer")])
	head.write("beneficiary", [doctype("Beneficiary", permissions=[{"role": "Field Officer", "read": 1}])])
	head.write("beneficiary-fields", [custom_field("Beneficiary", "village")])
	assert sets_of(repos) == [["beneficiary", "beneficiary-fields", "roles"]]


def test_unrelated_blueprints_are_separate_sets_in_order_of_their_first_member(repos):
	_, head = repos
	head.write("zeta", [role("Zeta")])
	head.write("contact-fields", [custom_field("Contact", "nickname")])
	head.write("beneficiary", [doctype("Beneficiary")])
	head.write("beneficiary-fields", [custom_field("Beneficiary", "village")])
	assert sets_of(repos) == [["beneficiary", "beneficiary-fields"], ["contact-fields"], ["zeta"]]


def test_an_unchanged_blueprint_does_not_join_the_changed_ones_that_need_it(repos):
	base, head = repos
	for repo in repos:
		repo.write("beneficiary", [doctype("Beneficiary")])
	base.write("fields-a", [custom_field("Beneficiary", "village")])
	base.write("fields-b", [custom_field("Beneficiary", "district")])
	head.write("fields-a", [custom_field("Beneficiary", "village", label="Village")])
	head.write("fields-b", [custom_field("Beneficiary", "district", label="District")])
	assert sets_of(repos) == [["fields-a"], ["fields-b"]]


def test_only_changed_blueprints_count(repos):
	_, head = repos
	for repo in repos:
		repo.write("steady", [role("Clerk")])
	head.write("new", [role("Boss")])
	assert sets_of(repos) == [["new"]]


def test_a_removed_blueprint_is_a_set_of_its_own(repos):
	base, head = repos
	base.write("old", [role("Clerk")])
	head.write("new", [role("Boss")])
	assert sets_of(repos) == [["new"], ["old"]]


def test_no_change_gives_no_sets_and_passes(repos):
	for repo in repos:
		repo.write("steady", [role("Clerk")])
	assert sets_of(repos) == []
	check = change_size_check([], 5)
	assert (check.check, check.result, check.detail) == ("change size", PASS, "no blueprint changed")
	assert check.data == {"sets": [], "limit": 5, "split": []}


def test_within_the_limit_the_sets_are_listed():
	sets = [["beneficiary", "field-roles"], ["contact-fields"]]
	check = change_size_check(sets, 5)
	assert (check.check, check.result) == ("change size", PASS)
	assert check.detail == "2 related sets (limit 5): beneficiary+field-roles; contact-fields"
	assert check.data == {"sets": sets, "limit": 5, "split": []}


def test_one_set_reads_in_the_singular():
	assert change_size_check([["roles"]], 5).detail == "1 related set (limit 5): roles"


def test_exactly_the_limit_passes():
	sets = [[name] for name in "abcde"]
	check = change_size_check(sets, 5)
	assert check.result == PASS
	assert check.detail == "5 related sets (limit 5): a; b; c; d; e"


def test_one_over_the_limit_fails_with_a_split_that_keeps_sets_whole():
	sets = [["a"], ["b", "c"], ["d"], ["e"], ["f"], ["g"]]
	check = change_size_check(sets, 5)
	assert (check.check, check.result) == ("change size", FAIL)
	assert check.detail == (
		"6 unrelated sets exceed the limit of 5; split into 2 promotions: 1) a, b+c, d, e, f  2) g"
	)
	assert check.data == {"sets": sets, "limit": 5, "split": [sets[:5], sets[5:]]}


def test_the_split_packs_at_most_limit_sets_per_promotion_in_order():
	sets = [[name] for name in "abcdefg"]
	check = change_size_check(sets, 3)
	assert check.detail == (
		"7 unrelated sets exceed the limit of 3; split into 3 promotions: 1) a, b, c  2) d, e, f  3) g"
	)
	assert check.data["split"] == [sets[0:3], sets[3:6], sets[6:]]


def test_a_limit_of_one_gives_one_promotion_per_set():
	check = change_size_check([["a", "b"], ["c"]], 1)
	assert check.detail == "2 unrelated sets exceed the limit of 1; split into 2 promotions: 1) a+b  2) c"
