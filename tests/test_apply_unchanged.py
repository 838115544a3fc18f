"""The no-op apply answered from the ledger (frappe_stack.unchanged): taken only when neither the
repo, the ledger, the managed documents nor the schemas changed since the last clean apply; any of
those changes makes apply read and compare everything again; a change in one blueprint makes it
read that blueprint's documents only."""

import json

from builders import custom_field, role
from memory_site import MemorySite
from test_singles_and_secret_refs import WEBHOOK, hook

from frappe_stack import render, stack, unchanged
from frappe_stack.adopt.shipped_documents import FIXTURES, Shipped
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec


def applied(repo) -> MemorySite:
	repo.copy_example()
	repo.write("cleanup", [role("Keeper")], delete=[{"doctype": "Role", "name": "Gone"}])
	site = MemorySite()
	first = stack.apply(site, str(repo.root))
	assert not first.failed and not first.quick
	site.reset_log()
	return site


def test_a_second_apply_with_nothing_changed_is_answered_from_the_ledger(repo):
	site = applied(repo)
	full = stack.apply(site, str(repo.root), full=True)
	quick = stack.apply(site, str(repo.root))
	assert quick.quick and not full.quick
	assert quick.summary() == full.summary()
	assert quick.summary()["noop"] == full.summary()["noop"] > 0
	assert sorted((r.blueprint, r.status) for r in quick.results) == sorted(
		(r.blueprint, r.status) for r in full.results
	)
	assert site.log.empty and site.log.fingerprints == []
	text = render.apply_text(quick, "memory.test")
	assert "Nothing changed since the last apply" in text and "--full" in text


def test_a_desk_edit_of_a_managed_document_is_seen_and_overwritten(repo):
	site = applied(repo)
	edited = dict(site.docs[("Role", "Keeper")], desk_access=0)
	site.put(edited)
	result = stack.apply(site, str(repo.root))
	assert not result.quick
	assert result.summary()["drift"] == 1 and ("Role", "Keeper") in site.log.writes
	assert stack.apply(site, str(repo.root)).quick


def test_a_changed_blueprint_file_is_read_in_full(repo):
	site = applied(repo)
	repo.write("cleanup", [role("Keeper"), role("Second")], delete=[{"doctype": "Role", "name": "Gone"}])
	result = stack.apply(site, str(repo.root))
	assert not result.quick and result.summary()["create"] == 1


def test_a_tombstoned_document_made_again_on_the_site_is_deleted_again(repo):
	site = applied(repo)
	site.put(role("Gone"))
	result = stack.apply(site, str(repo.root))
	assert not result.quick and result.summary()["delete"] == 1
	assert ("Role", "Gone") not in site.docs


def test_a_schema_change_is_read_in_full(repo):
	site = applied(repo)
	site.schemas["Role"] = DoctypeSchema("Role", {"role_name": FieldSpec("role_name", "Data")})
	assert not stack.apply(site, str(repo.root)).quick


def test_a_ledger_changed_by_something_else_is_read_in_full(repo):
	site = applied(repo)
	site.ledger["cleanup"].status = "Drifted"
	result = stack.apply(site, str(repo.root))
	assert not result.quick and site.ledger["cleanup"].status == "Applied"


def test_a_failed_apply_forgets_the_fingerprint(repo):
	site = applied(repo)
	repo.write("broken", [custom_field("Contact", "code")])
	site.fail_on = {("Custom Field", "Contact-code")}
	assert stack.apply(site, str(repo.root)).failed
	assert site.fingerprint is None and site.log.fingerprints[-1] is None
	site.fail_on = set()
	assert not stack.apply(site, str(repo.root)).quick  # the failed one is retried
	assert stack.apply(site, str(repo.root)).quick


def test_full_reads_everything_and_the_answer_still_names_two_owners(repo):
	site = applied(repo)
	site.shipped = [
		Shipped(
			"demo", "demo/fixtures/role.json", "$[0]", {"doctype": "Role", "name": "Keeper"}, FIXTURES, True
		)
	]
	quick, full = stack.apply(site, str(repo.root)), stack.apply(site, str(repo.root), full=True)
	assert quick.quick and not full.quick
	assert [s.as_dict() for s in quick.shared] == [s.as_dict() for s in full.shared]
	assert [(s.doctype, s.name, s.blueprint) for s in quick.shared] == [("Role", "Keeper", "cleanup")]


def test_a_removed_blueprint_file_is_orphaned_by_a_full_apply(repo):
	site = applied(repo)
	(repo.root / "blueprints" / "cleanup.json").unlink()
	result = stack.apply(site, str(repo.root))
	assert not result.quick and "cleanup" in [r.blueprint for r in result.results if r.status == "orphaned"]


def test_a_changed_secret_in_the_site_config_is_read_in_full(repo):
	site = MemorySite(schemas={"Webhook": WEBHOOK})
	site.config["hook_secret"] = "first"
	repo.write("hooks", [hook({"site_config": "hook_secret"})])
	stack.apply(site, str(repo.root))
	assert stack.apply(site, str(repo.root)).quick
	site.config["hook_secret"] = "second"
	assert not stack.apply(site, str(repo.root)).quick


def test_an_incremental_apply_reads_only_the_blueprint_that_changed(repo):
	site = applied(repo)
	repo.write("cleanup", [role("Keeper", desk_access=0)], delete=[{"doctype": "Role", "name": "Gone"}])
	site.read_keys.clear()
	result = stack.apply(site, str(repo.root))
	assert not result.quick
	assert result.summary()["update"] == 1 and site.log.writes == [("Role", "Keeper")]
	assert set(site.read_keys) == {("Role", "Keeper"), ("Role", "Gone")}
	assert stack.apply(site, str(repo.root)).quick


def test_a_desk_edit_in_one_blueprint_is_read_there_only(repo):
	site = applied(repo)
	card = ("Number Card", "Active Beneficiaries")
	site.put(dict(site.docs[card], label="Edited in Desk"))
	site.read_keys.clear()
	assert stack.apply(site, str(repo.root)).summary()["drift"] == 1
	assert card in site.read_keys and ("Role", "Keeper") not in site.read_keys
	# a Role or a field changes the schemas every blueprint is read with: all are read again
	site.put(dict(site.docs[("Role", "Keeper")], desk_access=0))
	site.read_keys.clear()
	stack.apply(site, str(repo.root))
	assert card in site.read_keys


def test_a_record_too_long_keeps_only_the_whole_fingerprint(repo, monkeypatch):
	monkeypatch.setattr(unchanged, "RECORD_LIMIT", 10)
	site = applied(repo)
	assert set(json.loads(site.fingerprint)) == {"whole"}
	assert stack.apply(site, str(repo.root)).quick
	repo.write("cleanup", [role("Keeper", desk_access=0)], delete=[{"doctype": "Role", "name": "Gone"}])
	site.read_keys.clear()
	assert stack.apply(site, str(repo.root)).summary()["update"] == 1
	assert ("Custom Field", "Contact-outreach_channel") in site.read_keys  # no blueprint was settled
