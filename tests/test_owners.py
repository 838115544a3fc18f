"""One owner per document: what a blueprint manages or deletes and an app also ships in a file
Frappe syncs on every migrate is named by plan, diff and apply, and fails `check`."""

from builders import custom_field, role
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.adopt.shipped_documents import CUSTOMIZATIONS, FIXTURES, Shipped
from frappe_stack.checks.one_owner import one_owner_check
from frappe_stack.checks.result import FAIL, PASS
from frappe_stack.render import apply_text, plan_text

FIELD = custom_field("ToDo", "area")


def shipped(doctype, name, via=FIXTURES, on_migrate=True, file="demo/fixtures/custom_field.json"):
	return Shipped("demo", file, "$[0]", {"doctype": doctype, "name": name}, via, on_migrate)


def site_and_repo(repo, *shipped_documents):
	repo.write("todo", [FIELD], delete=[{"doctype": "Role", "name": "Old"}])
	site = MemorySite()
	site.shipped = list(shipped_documents)
	return site


def test_plan_names_managed_and_tombstoned_documents_an_app_ships_with_the_fix(repo):
	site = site_and_repo(
		repo, shipped("Custom Field", "ToDo-area"), shipped("Role", "Old", file="demo/fixtures/role.json")
	)
	plan, _, _ = stack.make_plan(site, str(repo.root))
	assert [(s.doctype, s.name, s.deleted) for s in plan.shared] == [
		("Custom Field", "ToDo-area", False),
		("Role", "Old", True),
	]
	text = plan_text(plan, "memory.test")
	assert "Two owners (2)" in text
	assert (
		"Custom Field 'ToDo-area' (blueprint todo) is also shipped by app demo in demo/fixtures/custom_field.json"
		in text
	)
	assert "blueprint todo deletes Role 'Old', but app demo ships it in demo/fixtures/role.json" in text
	assert plan.as_dict()["shared_owners"][0]["fix"].startswith(
		"remove it from demo/fixtures/custom_field.json"
	)


def test_only_files_synced_on_migrate_count(repo):
	custom = shipped(
		"Custom Field", "ToDo-area", CUSTOMIZATIONS, on_migrate=False, file="demo/m/custom/todo.json"
	)
	site = site_and_repo(repo, custom, shipped("Role", "Unmanaged"))
	assert stack.make_plan(site, str(repo.root))[0].shared == []


def test_diff_and_apply_carry_them_without_making_the_diff_unclean(repo):
	site = site_and_repo(
		repo, shipped("Custom Field", "ToDo-area", CUSTOMIZATIONS, file="demo/m/custom/todo.json")
	)
	result = stack.apply(site, str(repo.root))
	assert "sync_on_migrate" in apply_text(result, "memory.test")
	assert result.as_dict()["shared_owners"][0]["via"] == CUSTOMIZATIONS
	diff = stack.diff(site, str(repo.root))
	assert diff.is_clean and len(diff.shared) == 1
	assert "Two owners (1)" in diff.text()


def test_the_one_owner_check_fails_naming_them_and_passes_when_there_are_none(repo):
	site = site_and_repo(repo, shipped("Custom Field", "ToDo-area"))
	shared = stack.diff(site, str(repo.root)).shared
	failed = one_owner_check(shared)
	assert failed.result == FAIL
	assert (
		"Custom Field 'ToDo-area' (blueprint todo, app demo: demo/fixtures/custom_field.json)"
		in failed.detail
	)
	assert "Fix: remove it from demo/fixtures/custom_field.json" in failed.detail
	assert one_owner_check([]).result == PASS
	many = one_owner_check(shared * 5)
	assert "and 2 more" in many.detail and len(many.data["shared"]) == 5


def test_roles_the_app_ships_but_no_blueprint_holds_are_not_reported(repo):
	site = site_and_repo(repo, shipped("Role", "Field Officer", file="demo/fixtures/role.json"))
	repo.write("roles", [role("Clerk")])
	assert stack.make_plan(site, str(repo.root))[0].shared == []
