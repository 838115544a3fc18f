"""The applier on the in-memory site: tombstones delete, removed blueprints are orphaned, documents
leaving a blueprint are released, identical ones adopted, schema defaults are no change."""

import pytest
from applier_helpers import site as site
from applier_helpers import statuses
from builders import custom_field, role
from memory_site import MemorySite

from frappe_stack import render, stack
from frappe_stack.applier import APPLIED, ORPHANED, UNCHANGED
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec


def test_tombstone_deletes(repo):
	old = custom_field("Contact", "old_code")
	site = MemorySite([old])
	old_hash = site.hash_of(("Custom Field", "Contact-old_code"))
	repo.write("cleanup", [role("A")], delete=[{"doctype": "Custom Field", "name": "Contact-old_code"}])
	stack.apply(site, str(repo.root))
	assert ("Custom Field", "Contact-old_code") not in site.docs
	assert site.log.deletes == [("Custom Field", "Contact-old_code")]
	[row] = [row for row in site.audit_log if row.action == "delete"]
	assert (row.docname, row.before_hash, row.after_hash) == ("Contact-old_code", old_hash, None)
	assert ("Custom Field", "Contact-old_code") not in site.ledger["cleanup"].documents
	site.reset_log()
	stack.apply(site, str(repo.root))
	assert site.log.empty


def test_removed_blueprint_is_orphaned_and_its_documents_stay(repo):
	repo.copy_example()
	site = MemorySite()
	stack.apply(site, str(repo.root))
	documents = dict(site.docs)
	repo.remove("beneficiary")
	site.reset_log()
	result = stack.apply(site, str(repo.root))
	assert statuses(result) == {"field-roles": UNCHANGED, "beneficiary": ORPHANED}
	assert site.docs == documents
	assert site.log.writes == [] and site.log.deletes == []
	assert site.ledger["beneficiary"].status == "Orphaned"
	assert len(site.ledger["beneficiary"].documents) == 9
	assert [(row.action, row.blueprint) for row in site.log.audits] == [("orphan", "beneficiary")]
	assert result.summary()["orphaned"] == 1
	assert "orphaned" in render.apply_text(result, "memory.test")
	site.reset_log()
	stack.apply(site, str(repo.root))
	assert site.log.empty


def test_document_that_leaves_a_blueprint_is_released_not_deleted(repo):
	repo.write("roles", [role("A"), role("B")])
	site = MemorySite()
	stack.apply(site, str(repo.root))
	repo.write("roles", [role("A")])
	site.reset_log()
	result = stack.apply(site, str(repo.root))
	assert ("Role", "B") in site.docs
	assert site.log.writes == [] and site.log.deletes == []
	assert [(row.action, row.docname) for row in site.log.audits] == [("release", "B")]
	assert list(site.ledger["roles"].documents) == [("Role", "A")]
	assert "left the blueprint" in render.apply_text(result, "memory.test")
	site.reset_log()
	stack.apply(site, str(repo.root))
	assert site.log.empty


def test_existing_identical_document_is_adopted_without_a_write(repo):
	site = MemorySite([role("A")])
	repo.write("roles", [role("A")])
	result = stack.apply(site, str(repo.root))
	assert site.log.writes == [] and site.log.audits == []
	assert site.log.ledger_saves == ["roles"]
	assert statuses(result) == {"roles": APPLIED}


def test_schema_defaults_do_not_count_as_changes(repo):
	schema = DoctypeSchema(
		"Role",
		{
			"role_name": FieldSpec("role_name", "Data"),
			"desk_access": FieldSpec("desk_access", "Check", default="1"),
		},
	)
	# the site stores every default explicitly, the file leaves them out
	site = MemorySite([role("A", desk_access=1, creation="2024-01-01")], schemas={"Role": schema})
	repo.write("roles", [role("A", desk_access="1")])
	stack.apply(site, str(repo.root))
	assert site.log.writes == []


def test_an_apply_that_would_orphan_every_managed_blueprint_is_refused_unless_asked(repo, tmp_path):
	"""A wrong --path (an empty folder, another repo) looks like every file removed at once."""
	repo.copy_example()
	site = MemorySite()
	stack.apply(site, str(repo.root))
	documents, ledger = dict(site.docs), {name: entry.status for name, entry in site.ledger.items()}
	elsewhere = tmp_path / "other-checkout"
	(elsewhere / "blueprints").mkdir(parents=True)
	site.reset_log()
	with pytest.raises(stack.WouldOrphanEverything) as refused:
		stack.apply(site, str(elsewhere))
	said = str(refused.value)
	assert "none of the 2 blueprint(s) the ledger manages is in" in said and str(elsewhere) in said
	assert "beneficiary (blueprints/beneficiary.json)" in said and "--orphan-all" in said
	assert site.log.empty and site.docs == documents
	assert {name: entry.status for name, entry in site.ledger.items()} == ledger

	# one blueprint still there: removing the others is an ordinary change
	repo.remove("beneficiary")
	assert statuses(stack.apply(site, str(repo.root)))["beneficiary"] == ORPHANED
	# and on purpose, every one
	result = stack.apply(site, str(elsewhere), orphan_all=True)
	assert set(statuses(result).values()) == {ORPHANED} and site.docs == documents
	assert {entry.status for entry in site.ledger.values()} == {"Orphaned"}
	# nothing left to orphan: an empty folder is no longer refused
	assert stack.apply(site, str(elsewhere)).failed == []
