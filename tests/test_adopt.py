"""`adopt` on the in-memory site: an app folder with fixtures and custom/*.json becomes blueprints,
the ledger records what equals the site, and no document is written."""

import json

import pytest
from builders import custom_field, role
from memory_site import MemorySite

from frappe_stack.adopt.adoption import AppInfo, adopt
from frappe_stack.adopt.shipped_documents import CUSTOMIZATIONS, read_app
from frappe_stack.stack import make_plan

NOTE_FIELD = custom_field("Note", "demo_ref", label="Demo Ref", module="Demo")
TODO_FIELD = custom_field("ToDo", "demo_area", label="Demo Area", module="Demo")
SETTER = {
	"doctype": "Property Setter",
	"name": "ToDo-priority-default",
	"doc_type": "ToDo",
	"field_name": "priority",
	"property": "default",
	"value": "High",
}
PERM = {"doctype": "Custom DocPerm", "name": "p1", "parent": "ToDo", "role": "Demo Clerk", "read": 1}


@pytest.fixture
def app(tmp_path) -> AppInfo:
	package = tmp_path / "demo_app" / "demo_app"
	(package / "fixtures").mkdir(parents=True)
	(package / "demo" / "custom").mkdir(parents=True)
	volatile = {"modified": "2026-01-01 10:00:00", "owner": "Administrator", "docstatus": 0}
	write(
		package / "fixtures" / "role.json", [role("Demo Clerk") | volatile, role("Demo Auditor") | volatile]
	)
	write(package / "fixtures" / "custom_field.json", [NOTE_FIELD | volatile])
	write(
		package / "fixtures" / "blog_category.json",
		[{"doctype": "Blog Category", "name": "t1", "source_text": "x"}],
	)
	write(package / "fixtures" / "broken.json", None)
	custom = {
		"doctype": "ToDo",
		"sync_on_migrate": 1,
		"custom_fields": [{k: v for k, v in TODO_FIELD.items() if k != "doctype"}],
		"property_setters": [{k: v for k, v in SETTER.items() if k != "doctype"}],
		"custom_perms": [{k: v for k, v in PERM.items() if k != "doctype"}],
		"links": [],
	}
	write(package / "demo" / "custom" / "todo.json", custom)
	hook = ["Role", {"dt": "Custom Field", "filters": {"module": "Demo"}}, "Blog Category"]
	return AppInfo("demo_app", package, ["demo"], hook)


def write(path, content):
	path.write_text("{not json" if content is None else json.dumps(content), encoding="utf-8")


def site_with(*documents) -> MemorySite:
	return MemorySite(documents=list(documents))


ALL = [role("Demo Clerk"), role("Demo Auditor"), NOTE_FIELD, TODO_FIELD, SETTER, PERM]


def test_read_app_finds_fixtures_and_customizations_as_frappe_syncs_them(app):
	found, problems = read_app(app.name, app.package, app.modules)
	assert {s.key for s in found} == {(d["doctype"], d["name"]) for d in ALL} | {("Blog Category", "t1")}
	todo = [s for s in found if s.via == CUSTOMIZATIONS]
	assert {s.path for s in todo} == {"$.custom_fields[0]", "$.property_setters[0]", "$.custom_perms[0]"}
	assert all(s.on_migrate and s.file == "demo_app/demo/custom/todo.json" for s in todo)
	assert [p.file for p in problems] == ["demo_app/fixtures/broken.json"]


def test_adopt_records_what_equals_the_site_and_writes_no_document(app, repo):
	site = site_with(*ALL)
	result = adopt(site, app, str(repo.root))
	assert not site.log.writes and not site.log.deletes
	assert sorted(result.baselined) == sorted((d["doctype"], d["name"]) for d in ALL)
	assert result.differs == []
	assert {s.doctype for s in result.not_adopted} == {"Blog Category"}
	assert [u.file for u in result.unreadable] == ["demo_app/fixtures/broken.json"]
	assert set(result.export.documents) == {"note", "roles", "todo"}
	assert all(entry.status == "Applied" for entry in site.ledger.values())
	plan, _, _ = make_plan(site, str(repo.root))
	assert not plan.has_changes
	# the files are still shipped (hooks.py unchanged yet): every adopted document has two owners
	assert len(result.change.entries) == 3 and result.change.new_fixtures == ["Blog Category"]
	assert [a.action for a in result.change.entries] == ["removed", "removed", "kept"]


def test_a_file_that_differs_from_the_site_is_listed_and_left_pending(app, repo):
	site = site_with(*ALL[:-1], PERM | {"read": 0, "write": 1})
	result = adopt(site, app, str(repo.root))
	assert [(d.doctype, d.name) for d in result.differs] == [("Custom DocPerm", "p1")]
	assert any("write" in change for change in result.differs[0].changes)
	assert ("Custom DocPerm", "p1") not in result.baselined
	assert site.ledger["todo"].status == "Pending"
	assert not site.log.writes
	plan, _, _ = make_plan(site, str(repo.root))
	assert [(op.action, op.name) for bp in plan.blueprints for op in bp.writes] == [("update", "p1")]


def test_a_document_missing_on_the_site_is_listed_for_apply_to_create(app, repo):
	site = site_with(*ALL[1:])
	result = adopt(site, app, str(repo.root))
	assert [(d.name, d.changes) for d in result.differs] == [("Demo Clerk", [])]
	assert "not on the site: apply creates it" in result.text()


def test_blueprints_inside_the_app_get_the_hook_line_and_the_app_label(app):
	site = site_with(*ALL)
	result = adopt(site, app, str(app.package / "blueprints"))
	assert result.change.hook_line == 'frappe_stack_blueprints = "blueprints"'
	assert site.ledger["roles"].source_path == "demo_app:blueprints/roles.json"


def test_shipped_documents_a_blueprint_manages_are_named_by_plan(app, repo):
	site = site_with(*ALL)
	adopt(site, app, str(repo.root))
	site.shipped = read_app(app.name, app.package, app.modules)[0]
	plan, _, _ = make_plan(site, str(repo.root))
	assert len(plan.shared) == len(ALL)
	perm = next(s for s in plan.shared if s.name == "p1")
	assert (perm.blueprint, perm.file) == ("todo", "demo_app/demo/custom/todo.json")
	assert '"sync_on_migrate": 0' in perm.fix()


def test_adopting_again_writes_nothing_at_all(app, repo):
	site = site_with(*ALL)
	adopt(site, app, str(repo.root))
	files = {path.name: path.read_bytes() for path in repo.dir.iterdir()}
	site.reset_log()
	again = adopt(site, app, str(repo.root))
	assert site.log.empty
	assert again.export.written == [] and len(again.export.unchanged) == 3
	assert {path.name: path.read_bytes() for path in repo.dir.iterdir()} == files
