"""What counts as the change under review, and the engine running rules over it."""

import pytest
from builders import Repo, doctype, role
from fake_context import FakeContext
from review_cases import PERMS, STANDARD, cf, script, setter, workflow

from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.review.change import ADDED, DELETED, MODIFIED, RELEASED, compute_change
from frappe_stack.review.engine import review


@pytest.fixture
def repos(tmp_path):
	return Repo(tmp_path / "base"), Repo(tmp_path / "head")


def sets(repos):
	base, head = repos
	return load_blueprint_set(base.root), load_blueprint_set(head.root)


def kinds(change) -> dict:
	return {doc.key: doc.kind for doc in change.docs}


def test_no_base_means_everything_is_added(repos):
	_, head = repos
	head.write("roles", [role("Clerk"), role("Boss")])
	change = compute_change(None, load_blueprint_set(head.root))
	assert kinds(change) == {("Role", "Boss"): ADDED, ("Role", "Clerk"): ADDED}
	assert all(doc.before is None and doc.file == "blueprints/roles.json" for doc in change.docs)


def test_added_modified_and_unchanged(repos):
	base, head = repos
	base.write("roles", [role("Clerk"), role("Boss", desk_access=0)])
	head.write("roles", [role("Clerk"), role("Boss"), role("Auditor")])
	change = compute_change(*sets(repos))
	assert kinds(change) == {("Role", "Boss"): MODIFIED, ("Role", "Auditor"): ADDED}
	boss = next(doc for doc in change.docs if doc.name == "Boss")
	assert boss.before["desk_access"] == 0 and "desk_access" not in boss.after
	assert boss.path == "$.documents[1]" and boss.blueprint == "roles"


def test_a_document_moved_unchanged_to_another_blueprint_is_no_change(repos):
	base, head = repos
	base.write("a", [role("Clerk"), role("Boss")])
	head.write("a", [role("Clerk")])
	head.write("b", [role("Boss")])
	assert compute_change(*sets(repos)).docs == []


def test_tombstoned_is_deleted_and_gone_is_released(repos):
	base, head = repos
	base.write("fields", [doctype("Note", permissions=PERMS), cf("Note", "old"), cf("Note", "older")])
	head.write(
		"fields",
		[doctype("Note", permissions=PERMS)],
		delete=[{"doctype": "Custom Field", "name": "Note-old"}],
	)
	change = compute_change(*sets(repos))
	assert kinds(change) == {("Custom Field", "Note-old"): DELETED, ("Custom Field", "Note-older"): RELEASED}
	deleted = next(doc for doc in change.docs if doc.kind == DELETED)
	assert deleted.path == "$.delete[0]" and deleted.before["fieldname"] == "old" and deleted.after is None


def test_a_tombstone_already_in_base_is_no_change(repos):
	base, head = repos
	for repo in repos:
		repo.write("fields", [role("Clerk")], delete=[{"doctype": "Custom Field", "name": "Note-old"}])
	assert compute_change(*sets(repos)).docs == []
	assert base.read("fields") == head.read("fields")


def test_blueprint_filter(repos):
	_, head = repos
	head.write("a", [role("Clerk")])
	head.write("b", [role("Boss")])
	change = compute_change(None, load_blueprint_set(head.root), blueprint="b")
	assert kinds(change) == {("Role", "Boss"): ADDED}


def test_review_locates_findings_in_files_and_filters_by_blueprint(repos):
	base, head = repos
	base.write("scripts", [script("x = 1", name="Other")])
	head.write("scripts", [script("x = 1", name="Other"), script("frappe.db.commit()", name="Saver")])
	head.write("roles", [role("clerk helper")])
	report = review(*sets(repos), FakeContext())
	assert [(f.rule, f.file, f.path, f.name) for f in report.findings] == [
		("SS004", "blueprints/scripts.json", "$.documents[1].script", "Saver")
	]
	assert report.exit_code == 2
	assert review(*sets(repos), FakeContext(), blueprint="roles").findings == []


def test_review_of_an_unchanged_repo_is_clean(repos):
	for repo in repos:
		repo.write("scripts", [script("frappe.db.commit()")])
	report = review(*sets(repos), FakeContext())
	assert report.findings == [] and report.exit_code == 0


def test_a_clean_change_says_how_many_documents_the_rules_examined(repos):
	_, head = repos
	head.write("roles", [role("Reviewer"), role("Approver")])
	report = review(*sets(repos), FakeContext())
	assert report.findings == []
	assert report.text() == "No findings in the 2 changed document(s)."


def test_only_changed_fields_of_a_modified_doctype_are_reviewed(repos):
	base, head = repos
	lower = {"fieldname": "old_one", "label": "old one"}
	base.write("note", [doctype("Note", [lower], permissions=PERMS, description="x")])
	head.write(
		"note",
		[
			doctype(
				"Note",
				[lower, {"fieldname": "new_one", "label": "new one", "description": "y"}],
				permissions=PERMS,
				description="x",
			)
		],
	)
	report = review(*sets(repos), FakeContext())
	assert [(f.rule, f.path) for f in report.findings] == [("STY001", "$.documents[0].fields[1].label")]


def test_a_tombstoned_property_setter_is_located_at_its_tombstone(repos):
	base, head = repos
	base.write("todo", [setter("ToDo", "notes", "reqd", "0")])
	head.write("todo", [], delete=[{"doctype": "Property Setter", "name": "ToDo-notes-reqd"}])
	report = review(*sets(repos), STANDARD)
	assert [(f.rule, f.file, f.path, f.doctype, f.name) for f in report.findings] == [
		("FLD001", "blueprints/todo.json", "$.delete[0].reqd", "Property Setter", "ToDo-notes-reqd")
	]


def test_an_unknown_workflow_role_is_reported_once(repos):
	_, head = repos
	head.write("flow", [workflow([("Draft", "Ghost"), ("Done", "System Manager")], [])])
	rules = [f.rule for f in review(None, load_blueprint_set(head.root), FakeContext()).findings]
	assert rules.count("WF001") == 1 and "PRM002" not in rules
