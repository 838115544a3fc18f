"""export() on the in-memory site: managed documents go back to their own files, site edits are
written back, and exports are deterministic, canonical and learned by the ledger."""

import os

from builders import Repo, custom_field, doctype, role
from export_helpers import beneficiary_feature, contact_link, docperm, export, file_keys, files, keys
from export_helpers import site as site
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.validate import load_blueprint_set

# ---- managed documents ---------------------------------------------------------------------------


def test_managed_documents_go_back_to_their_own_file(site, repo):
	# "Field Officer" is used by beneficiary only, yet the repo keeps it in people.json
	repo.write("people", [role("Field Officer")], description="Who does what")
	stack.apply(site, str(repo.root))
	result = export(site, repo)
	assert file_keys(repo, "people") == [("Role", "Field Officer")]
	assert ("Role", "Field Officer") not in file_keys(repo, "beneficiary")
	assert repo.read("people")["description"] == "Who does what"
	assert result.unchanged == ["blueprints/people.json"]
	assert result.documents["people"] == [("Role", "Field Officer")]


def test_a_site_edit_is_written_back_into_its_file(repo):
	repo.write("beneficiary", [doctype("Beneficiary")], description="Registration")
	site = MemorySite()
	stack.apply(site, str(repo.root))
	edited = doctype("Beneficiary", fields=[{"fieldname": "title", "fieldtype": "Data", "label": "Name"}])
	site.put(edited)
	site.reset_log()
	result = export(site, repo)
	assert result.written == ["blueprints/beneficiary.json"]
	assert repo.read("beneficiary") == {
		"blueprint": "beneficiary",
		"description": "Registration",
		"documents": [site.canonical(edited)],
	}
	assert site.log.ledger_saves == ["beneficiary"]
	assert [(a.action, a.blueprint, a.result) for a in site.log.audits] == [
		("export", "beneficiary", "Success")
	]
	assert site.log.writes == [] and site.log.deletes == []
	assert stack.diff(site, str(repo.root)).is_clean


def test_file_documents_that_are_not_re_exported_are_kept(repo):
	# the file holds a field not yet applied, a tombstone and depends_on; only the DocType is on the site
	repo.write("base", [role("Clerk")])
	repo.write(
		"beneficiary",
		[doctype("Beneficiary"), custom_field("Beneficiary", "planned")],
		depends_on=["base"],
		delete=[{"doctype": "Custom Field", "name": "Beneficiary-old"}],
	)
	site = MemorySite([doctype("Beneficiary", description="Edited on the site")])
	export(site, repo)
	content = repo.read("beneficiary")
	assert keys(content["documents"]) == [("Custom Field", "Beneficiary-planned"), ("DocType", "Beneficiary")]
	assert content["depends_on"] == ["base"]
	assert content["delete"] == [{"doctype": "Custom Field", "name": "Beneficiary-old"}]
	by_key = {(d["doctype"], d["name"]): d for d in content["documents"]}
	assert by_key[("DocType", "Beneficiary")]["description"] == "Edited on the site"
	# the field still to create keeps the blueprint pending: plan and diff say so
	assert site.ledger["beneficiary"].status == "Pending"
	diff = stack.diff(site, str(repo.root))
	assert sorted((i.doctype, i.name, i.tag) for i in diff.only_in_git) == [
		("Custom Field", "Beneficiary-planned", "pending"),
		("Role", "Clerk", "pending"),
	]
	assert diff.changed == [] and diff.only_on_site == []


def test_a_managed_document_deleted_on_the_site_stays_in_its_file_as_drift(repo):
	repo.write("people", [role("A"), role("B")])
	site = MemorySite()
	stack.apply(site, str(repo.root))
	del site.docs[("Role", "B")]
	result = export(site, repo)
	assert file_keys(repo, "people") == [("Role", "A"), ("Role", "B")]
	assert result.documents == {"people": [("Role", "A")]}
	diff = stack.diff(site, str(repo.root))
	assert [(i.name, i.kind, i.tag) for i in diff.only_in_git] == [("B", "create", "drift")]


def test_export_of_an_applied_example_repo_changes_nothing(repo):
	repo.copy_example()
	before = files(repo)
	site = MemorySite()
	stack.apply(site, str(repo.root))
	site.reset_log()
	result = export(site, repo)
	assert files(repo) == before
	assert result.written == []
	assert result.unchanged == ["blueprints/beneficiary.json", "blueprints/field-roles.json"]
	assert site.log.empty


# ---- deterministic, canonical, learned by the ledger ---------------------------------------------


def test_two_exports_give_the_same_bytes_and_the_second_rewrites_nothing(site, repo):
	first = export(site, repo)
	written = files(repo)
	old = 1_000_000_000_000_000_000
	for file in repo.dir.glob("*.json"):
		os.utime(file, ns=(old, old))
	site.reset_log()
	second = export(site, repo)
	assert files(repo) == written
	assert second.written == []
	assert second.unchanged == first.written
	assert second.documents == first.documents
	assert all(file.stat().st_mtime_ns == old for file in repo.dir.glob("*.json"))
	assert site.log.ledger_saves == [] and site.log.audits == []
	assert site.log.empty


def test_the_same_documents_in_any_order_give_the_same_bytes(tmp_path):
	documents = [*beneficiary_feature(), contact_link(), role("Auditor")]
	one, two = Repo(tmp_path / "one"), Repo(tmp_path / "two")
	stack.export(MemorySite(documents), str(one.root))
	stack.export(MemorySite(documents[::-1]), str(two.root))
	assert files(one) == files(two)


def test_written_files_load_cleanly_and_are_canonical(site, repo):
	site.put(docperm("Contact", "Field Officer"))  # makes a shared roles blueprint with depends_on
	export(site, repo)
	desired = load_blueprint_set(repo.root)
	assert sorted(bp.name for bp in desired.blueprints) == ["beneficiary", "contact", "roles"]
	for bp in desired.blueprints:
		assert repo.bytes(bp.name) == bp.canonical_bytes()


def test_the_ledger_learns_the_export(site, repo):
	result = export(site, repo)
	desired = load_blueprint_set(repo.root).by_name()
	assert sorted(site.ledger) == ["beneficiary", "contact"]
	for name, entry in site.ledger.items():
		bp = desired[name]
		assert (entry.status, entry.source_path) == ("Applied", f"blueprints/{name}.json")
		assert entry.content_hash == entry.applied_hash == bp.content_hash
		assert {key: (d.source_hash, d.applied_hash) for key, d in entry.documents.items()} == {
			doc.key: (doc.hash, site.hash_of(doc.key)) for doc in bp.documents
		}
	assert sorted(row.blueprint for row in site.log.audits) == ["beneficiary", "contact"]
	assert {row.action for row in site.log.audits} == {"export"}
	assert site.log.writes == [] and site.log.deletes == []
	assert result.as_dict()["summary"] == {
		"written": 2,
		"unchanged": 0,
		"documents": len(beneficiary_feature()) + 1,
		"left_out": 0,
	}


def test_after_export_plan_has_no_changes_diff_is_clean_and_apply_writes_nothing(site, repo):
	export(site, repo)
	plan, _, _ = stack.make_plan(site, str(repo.root))
	assert not plan.has_changes
	assert stack.diff(site, str(repo.root)).is_clean
	site.reset_log()
	stack.apply(site, str(repo.root))
	assert site.log.empty


def test_as_dict_lists_the_blueprints_and_their_documents(repo):
	result = export(MemorySite([contact_link()]), repo)
	assert result.as_dict() == {
		"directory": str(repo.dir),
		"written": ["blueprints/contact.json"],
		"unchanged": [],
		"blueprints": {"contact": [{"doctype": "Custom Field", "name": "Contact-beneficiary"}]},
		"left_out": [],
		"repaired": [],
		"summary": {"written": 1, "unchanged": 0, "documents": 1, "left_out": 0},
	}
