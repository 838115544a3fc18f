"""`rollback --to`: it lists the documents it changed, and warns that the config repo holds newer
blueprints only when the working tree's differ from those at the ref."""

from builders import Repo, doctype
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.workflows.rollback_report import (
	RollbackResult,
	changed_documents,
	config_rollback_detail,
	repo_holds_newer,
)

VISIT = doctype("Visit", [{"fieldname": "notes", "fieldtype": "Data", "label": "Notes"}], description="d")


def test_the_documents_an_apply_wrote_are_listed_and_a_second_apply_lists_none(tmp_path):
	repo = Repo(tmp_path / "repo")
	repo.write("visits", [VISIT])
	site = MemorySite()
	assert changed_documents(stack.apply(site, str(repo.root))) == ["created DocType Visit (visits)"]
	assert changed_documents(stack.apply(site, str(repo.root))) == []
	repo.write("visits", [doctype("Visit", [], description="changed")])
	assert changed_documents(stack.apply(site, str(repo.root))) == ["updated DocType Visit (visits)"]


def test_newer_only_when_the_files_differ(tmp_path):
	current, at_ref = tmp_path / "current", tmp_path / "at_ref"
	for folder in (current, at_ref):
		folder.mkdir()
		(folder / "a.json").write_text("{}\n")
	assert not repo_holds_newer(current, at_ref)
	(current / "b.json").write_text("{}\n")
	assert repo_holds_newer(current, at_ref)
	(at_ref / "b.json").write_text('{"x": 1}\n')
	assert repo_holds_newer(current, at_ref)


def test_the_warning_is_there_only_when_the_repo_is_newer():
	quiet = config_rollback_detail("v1.0.0", "prod", [], newer=False)
	assert quiet == "blueprints as at v1.0.0 applied on prod: no document changed"
	warned = config_rollback_detail("v1.0.0", "prod", ["deleted Role X (roles)"], newer=True)
	assert warned.startswith("blueprints as at v1.0.0 applied on prod: 1 document(s) changed; ")
	assert "the config repo still holds the newer ones" in warned


def test_the_text_lists_each_changed_document():
	result = RollbackResult("config", "Applied", "detail", ["created DocType Visit (visits)"])
	assert result.text().splitlines() == [
		"Rollback (config): Applied. detail",
		"  created DocType Visit (visits)",
	]
	assert (
		RollbackResult("backup", "Rolled Back", "restored").text()
		== "Rollback (backup): Rolled Back. restored"
	)
