"""Role coverage: which roles a change hands work to, and whether the target has people holding them."""

import pytest
from builders import Repo, custom_field, doctype, role

from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.checks.result import FAIL, PASS, WARN
from frappe_stack.checks.role_coverage import AUTOMATIC_ROLES, role_coverage_check, roles_created, roles_used
from frappe_stack.review.change import compute_change


@pytest.fixture
def repos(tmp_path):
	return Repo(tmp_path / "base"), Repo(tmp_path / "head")


def used(repos, with_base: bool = True) -> list[str]:
	base, head = repos
	before = load_blueprint_set(base.root) if with_base else None
	return roles_used(compute_change(before, load_blueprint_set(head.root)))


def perm(role_name: str, **extra) -> dict:
	return {"role": role_name, "read": 1, **extra}


def beneficiary(*roles: str, **extra) -> dict:
	return doctype("Beneficiary", permissions=[perm(r) for r in roles], **extra)


def custom_docperm(parent: str, role_name: str, name: str | None = None) -> dict:
	return {
		"doctype": "Custom DocPerm",
		"name": name or f"{parent}-{role_name}",
		"parent": parent,
		"role": role_name,
		"read": 1,
	}


def workflow(states: list[tuple[str, str | None]], transitions: list[tuple[str, str, str, str]]) -> dict:
	return {
		"doctype": "Workflow",
		"name": "Beneficiary Approval",
		"workflow_name": "Beneficiary Approval",
		"document_type": "Beneficiary",
		"states": [{"state": s, "allow_edit": r} if r else {"state": s} for s, r in states],
		"transitions": [
			{"state": s, "action": a, "next_state": n, "allowed": r} for s, a, n, r in transitions
		],
	}


def report(*roles: str) -> dict:
	return {
		"doctype": "Report",
		"name": "Beneficiaries",
		"report_name": "Beneficiaries",
		"ref_doctype": "Beneficiary",
		"report_type": "Report Builder",
		"roles": [{"role": r} for r in roles],
	}


def workspace(*roles: str) -> dict:
	return {
		"doctype": "Workspace",
		"name": "Welfare",
		"label": "Welfare",
		"roles": [{"role": r} for r in roles],
	}


# ---- roles_used: where roles come from --------------------------------------------------------------


def test_doctype_permission_rows_give_their_roles(repos):
	_, head = repos
	head.write("beneficiary", [beneficiary("Field Officer", "Program Manager")])
	assert used(repos, with_base=False) == ["Field Officer", "Program Manager"]


def test_custom_docperm_gives_its_role(repos):
	_, head = repos
	head.write("perms", [custom_docperm("Customer", "Sales Clerk")])
	assert used(repos) == ["Sales Clerk"]


def test_workflow_states_allow_edit_and_transitions_allowed_give_their_roles(repos):
	_, head = repos
	head.write(
		"approval",
		[
			workflow(
				[("Draft", "Field Officer"), ("Approved", "Approver"), ("Rejected", None)],
				[
					("Draft", "Approve", "Approved", "Approver"),
					("Draft", "Reject", "Rejected", "Reviewer"),
				],
			)
		],
	)
	assert used(repos) == ["Approver", "Field Officer", "Reviewer"]


def test_report_roles_and_workspace_roles_are_used(repos):
	_, head = repos
	head.write("views", [report("Auditor"), workspace("Coordinator")])
	assert used(repos) == ["Auditor", "Coordinator"]


def test_roles_from_every_source_are_merged_sorted_and_once(repos):
	_, head = repos
	head.write(
		"feature",
		[
			beneficiary("Field Officer", "Approver"),
			custom_docperm("Customer", "Field Officer"),
			workflow([("Draft", "Field Officer")], [("Draft", "Approve", "Approved", "Approver")]),
			report("Auditor", "Approver"),
			workspace("Field Officer"),
		],
	)
	assert used(repos) == ["Approver", "Auditor", "Field Officer"]


def test_a_role_document_alone_hands_work_to_nobody(repos):
	"""Defining a role is not using it: no permission, state or report names it."""
	_, head = repos
	head.write("roles", [role("Field Officer"), custom_field("Customer", "village")])
	assert used(repos) == []


@pytest.mark.parametrize("automatic", sorted(AUTOMATIC_ROLES))
def test_automatic_roles_are_never_used(repos, automatic):
	_, head = repos
	head.write(
		"feature",
		[
			beneficiary(automatic, "Field Officer"),
			custom_docperm("Customer", automatic),
			workflow([("Draft", automatic)], [("Draft", "Approve", "Approved", automatic)]),
			report(automatic),
			workspace(automatic),
		],
	)
	assert used(repos) == ["Field Officer"]


def test_the_automatic_roles_are_frappes_four():
	assert AUTOMATIC_ROLES == {"Administrator", "Guest", "All", "Desk User"}


# ---- roles_used: only the documents as they are after the change -----------------------------------


def test_unchanged_documents_contribute_no_roles(repos):
	base, head = repos
	for repo in repos:
		repo.write("beneficiary", [beneficiary("Field Officer")])
	head.write("views", [workspace("Coordinator")])
	assert used(repos) == ["Coordinator"]
	assert base.read("beneficiary") == head.read("beneficiary")


def test_a_removed_permission_row_role_is_not_used(repos):
	base, head = repos
	base.write("beneficiary", [beneficiary("Field Officer", "Old Clerk")])
	head.write("beneficiary", [beneficiary("Field Officer")])
	assert used(repos) == ["Field Officer"]


def test_a_role_replaced_in_a_workflow_transition_is_not_used(repos):
	base, head = repos
	states = [("Draft", "Field Officer")]
	base.write("approval", [workflow(states, [("Draft", "Approve", "Approved", "Old Approver")])])
	head.write("approval", [workflow(states, [("Draft", "Approve", "Approved", "Approver")])])
	assert used(repos) == ["Approver", "Field Officer"]


def test_a_tombstoned_document_contributes_nothing(repos):
	base, head = repos
	base.write("perms", [custom_docperm("Customer", "Sales Clerk")])
	head.write("perms", [], delete=[{"doctype": "Custom DocPerm", "name": "Customer-Sales Clerk"}])
	change = compute_change(load_blueprint_set(base.root), load_blueprint_set(head.root))
	assert [doc.kind for doc in change.docs] == ["deleted"]
	assert roles_used(change) == []


def test_a_document_dropped_from_the_repo_contributes_nothing(repos):
	base, head = repos
	base.write("views", [report("Auditor"), workspace("Coordinator")])
	head.write("views", [workspace("Coordinator")])
	change = compute_change(load_blueprint_set(base.root), load_blueprint_set(head.root))
	assert {doc.name: doc.kind for doc in change.docs} == {"Beneficiaries": "released"}
	assert roles_used(change) == []


def test_no_change_uses_no_roles(repos):
	for repo in repos:
		repo.write("beneficiary", [beneficiary("Field Officer")])
	assert used(repos) == []


# ---- role_coverage_check ---------------------------------------------------------------------------


def test_every_role_held_passes_with_counts_sorted_by_role():
	result = role_coverage_check({"Manager": 3, "Field Officer": 27}, "prod.example.com")
	assert result.check == "role coverage"
	assert result.result == PASS
	assert result.detail == "Field Officer(27), Manager(3)"
	assert result.data == {"holders": {"Field Officer": 27, "Manager": 3}, "unheld": []}
	assert list(result.data["holders"]) == ["Field Officer", "Manager"]


def test_a_role_nobody_holds_fails_naming_it_and_saying_to_assign_it():
	result = role_coverage_check({"Manager": 3, "Approver": 0, "Field Officer": 27}, "prod.example.com")
	assert result.result == FAIL
	assert result.detail.startswith("Approver(0), Field Officer(27), Manager(3); ")
	assert "no enabled user holds Approver on prod.example.com" in result.detail
	assert "assign it to the people who will do that work" in result.detail
	assert result.data["unheld"] == ["Approver"]


def test_several_roles_nobody_holds_are_all_named_sorted():
	result = role_coverage_check({"Zeta": 0, "Alpha": 0, "Manager": 1}, "prod")
	assert result.result == FAIL
	assert "no enabled user holds Alpha, Zeta on prod" in result.detail
	assert "assign them" in result.detail
	assert result.data["unheld"] == ["Alpha", "Zeta"]


def test_no_roles_passes():
	result = role_coverage_check({}, "prod")
	assert result.result == PASS
	assert result.detail == "the change hands work to no role"


def test_the_result_is_one_line():
	result = role_coverage_check({"A": 0, "B": 2}, "prod")
	assert "\n" not in result.detail
	assert result.as_dict() == {
		"check": "role coverage",
		"result": FAIL,
		"detail": result.detail,
		"data": result.data,
	}


# ---- roles a new production cannot have users for yet ---------------------------------------------


def test_system_manager_counts_as_held_by_administrator():
	"""A new DocType's first permission row is System Manager; on a fresh production only
	Administrator holds it, and that is enough."""
	result = role_coverage_check({"System Manager": 0, "Field Officer": 2}, "prod")
	assert result.result == PASS
	assert result.detail == "Field Officer(2), System Manager(Administrator)"
	assert result.data["unheld"] == []


def test_a_role_the_change_creates_warns_to_assign_users_after_the_deploy():
	result = role_coverage_check({"Approver": 0, "Field Officer": 2}, "prod", created={"Approver"})
	assert result.result == WARN
	assert (
		result.detail
		== "Approver(new), Field Officer(2); new: assign users to Approver on prod after the deploy"
	)
	assert result.data["new"] == ["Approver"]
	assert result.data["unheld"] == []


def test_a_created_role_someone_already_holds_on_the_target_passes():
	result = role_coverage_check({"Approver": 1}, "prod", created={"Approver"})
	assert result.result == PASS
	assert result.detail == "Approver(1)"


def test_a_role_that_exists_with_nobody_still_fails_beside_a_new_one():
	result = role_coverage_check({"Approver": 0, "Clerk": 0}, "prod", created={"Approver"}, absent=[])
	assert result.result == FAIL
	assert "no enabled user holds Clerk on prod" in result.detail
	assert result.data == {"holders": {"Approver": 0, "Clerk": 0}, "unheld": ["Clerk"], "new": ["Approver"]}


def test_a_role_missing_on_the_target_that_the_change_does_not_create_fails_saying_so():
	result = role_coverage_check({"Auditor": 0, "Clerk": 1}, "prod", absent=["Auditor"])
	assert result.result == FAIL
	assert "Auditor does not exist on prod and this change does not create it" in result.detail
	assert result.data["missing"] == ["Auditor"]
	assert result.data["unheld"] == []


def test_roles_created_are_the_role_documents_the_change_adds(repos):
	base, head = repos
	base.write("roles", [role("Clerk")])
	head.write("roles", [role("Clerk"), role("Approver")])
	head.write("beneficiary", [beneficiary("Approver", "Clerk")])
	change = compute_change(load_blueprint_set(base.root), load_blueprint_set(head.root))
	assert roles_created(change) == {"Approver"}
