"""diff(): repo vs ledger vs site in three buckets, with field-level detail, on the in-memory site."""

import json

import pytest
from builders import custom_field, doctype, role
from diff_helpers import beneficiary, diff, summary_of
from diff_helpers import site as site
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.field_diff import CHANGED, FieldChange
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.diff import build_diff
from frappe_stack.ledger import LedgerDoc, LedgerEntry
from frappe_stack.plan import compare
from frappe_stack.stack import NoBlueprintSource

SECRET = "hunter2-never-printed"


# ---- clean ----------------------------------------------------------------------------------------


def test_clean_after_apply(site, repo):
	result = diff(site, repo)
	assert result.is_clean
	assert result.text() == "\n".join(
		[
			f"Diff: site=memory.test  vs  config-repo={repo.dir}",
			"  only_on_site:    0",
			"  only_in_git:     0",
			"  changed:         0",
			"Summary: clean.",
		]
	)
	assert result.summary() == {
		"only_on_site": 0,
		"only_in_git": 0,
		"changed": 0,
		"pending": 0,
		"drift": 0,
		"conflict": 0,
		"clean": True,
	}


def test_diff_writes_nothing(site, repo):
	repo.write("beneficiary", [beneficiary("Data")])
	site.put(custom_field("Contact", "notes"))
	assert not diff(site, repo).is_clean
	assert site.log.empty and site.log.commits == 0


def test_nothing_configured_is_an_error():
	with pytest.raises(NoBlueprintSource):
		stack.diff(MemorySite())


def test_the_site_config_is_the_default_repo(site, repo):
	site.configured = str(repo.root)
	assert stack.diff(site).is_clean
	repo.write("people", [role("Officer"), role("Clerk")])
	assert [i.name for i in stack.diff(site).only_in_git] == ["Clerk"]


# ---- only on the site -----------------------------------------------------------------------------


def test_a_customization_no_blueprint_holds_is_only_on_the_site(site, repo):
	site.put(custom_field("Contact", "notes"))
	result = diff(site, repo)
	assert [summary_of(i) for i in result.only_on_site] == [
		("Custom Field", "Contact-notes", None, "unmanaged", None)
	]
	assert result.only_in_git == [] and result.changed == []
	assert "    Custom Field 'Contact-notes'" in result.text().splitlines()
	assert result.text().endswith(
		"Summary: 1 only on the site, 0 only in git, 0 changed (0 pending, 0 drift, 0 conflict)."
	)


def test_a_document_of_a_removed_blueprint_names_the_ledgers_blueprint(site, repo):
	repo.remove("people")
	result = diff(site, repo)
	assert [summary_of(i) for i in result.only_on_site] == [("Role", "Officer", "people", "unmanaged", None)]
	assert "    Role 'Officer'  (people)" in result.text().splitlines()
	# once apply marked the blueprint Orphaned, the ledger still knows where it came from
	stack.apply(site, str(repo.root))
	assert site.ledger["people"].status == "Orphaned"
	assert [summary_of(i) for i in diff(site, repo).only_on_site] == [
		("Role", "Officer", "people", "unmanaged", None)
	]


def test_only_on_the_site_is_sorted(site, repo):
	for fieldname in ("zeta", "alpha"):
		site.put(custom_field("Contact", fieldname))
	site.put(role("Auditor"))
	assert [(i.doctype, i.name) for i in diff(site, repo).only_on_site] == [
		("Custom Field", "Contact-alpha"),
		("Custom Field", "Contact-zeta"),
		("Role", "Auditor"),
	]


def test_standard_documents_are_never_only_on_the_site(site, repo):
	site.put(role("System Manager"))
	site.standard = {("Role", "System Manager")}
	assert diff(site, repo).is_clean


# ---- only in git ----------------------------------------------------------------------------------


def test_a_blueprint_document_never_applied_is_only_in_git_pending(site, repo):
	repo.write("people", [role("Officer"), role("Clerk")])
	result = diff(site, repo)
	assert [summary_of(i) for i in result.only_in_git] == [("Role", "Clerk", "people", "create", "pending")]
	assert result.only_in_git[0].changes == []
	assert "    Role 'Clerk' [pending]  (people)" in result.text().splitlines()


def test_a_document_deleted_on_the_site_after_apply_is_only_in_git_drift(site, repo):
	del site.docs[("Role", "Officer")]
	result = diff(site, repo)
	assert [summary_of(i) for i in result.only_in_git] == [("Role", "Officer", "people", "create", "drift")]
	assert result.summary()["drift"] == 0  # drift counts changed documents only


def test_deleted_on_the_site_and_edited_in_the_file_is_a_conflict(site, repo):
	del site.docs[("Role", "Officer")]
	repo.write("people", [role("Officer", desk_access=0)])
	[item] = diff(site, repo).only_in_git
	assert (item.kind, item.tag) == ("create", "conflict")


# ---- changed --------------------------------------------------------------------------------------


def test_a_file_edited_after_apply_is_changed_pending_with_field_detail(site, repo):
	repo.write("beneficiary", [beneficiary("Data")])
	result = diff(site, repo)
	[item] = result.changed
	assert summary_of(item) == ("DocType", "Beneficiary", "beneficiary", "update", "pending")
	assert item.changes == [FieldChange("fields[age].fieldtype", "Int", "Data", CHANGED)]
	lines = result.text().splitlines()
	assert "    DocType 'Beneficiary' [pending]  (beneficiary)" in lines
	assert "      Beneficiary › fields[age].fieldtype: Int → Data" in lines
	assert result.summary()["pending"] == 1


def test_a_site_edited_after_apply_is_changed_drift(site, repo):
	site.put(beneficiary("Data"))
	result = diff(site, repo)
	[item] = result.changed
	assert summary_of(item) == ("DocType", "Beneficiary", "beneficiary", "update", "drift")
	# site → repo: what applying the repo would do
	assert item.changes == [FieldChange("fields[age].fieldtype", "Data", "Int", CHANGED)]
	assert "      Beneficiary › fields[age].fieldtype: Data → Int" in result.text().splitlines()


def test_both_edited_is_a_conflict(site, repo):
	site.put(beneficiary("Float"))
	repo.write("beneficiary", [beneficiary("Data")])
	result = diff(site, repo)
	[item] = result.changed
	assert (item.kind, item.tag) == ("update", "conflict")
	assert item.changes == [FieldChange("fields[age].fieldtype", "Float", "Data", CHANGED)]
	assert "    DocType 'Beneficiary' [conflict]  (beneficiary)" in result.text().splitlines()


def test_both_edited_to_the_same_content_is_clean(site, repo):
	site.put(beneficiary("Data"))
	repo.write("beneficiary", [beneficiary("Data")])
	assert diff(site, repo).is_clean


def test_several_field_changes_are_all_listed(site, repo):
	repo.write(
		"beneficiary",
		[
			doctype(
				"Beneficiary",
				fields=[
					{"fieldname": "full_name", "fieldtype": "Data", "label": "Name"},
					{"fieldname": "village", "fieldtype": "Data"},
				],
				description="Registered people",
			)
		],
	)
	[item] = diff(site, repo).changed
	assert [(c.path, c.site, c.kind) for c in item.changes] == [
		("description", None, "added"),
		("fields[full_name].label", "Full Name", "changed"),
		("fields[village]", None, "added"),
		("fields[age]", {"fieldname": "age", "fieldtype": "Int", "label": "Age"}, "removed"),
	]


def test_a_tombstoned_document_still_on_the_site_is_changed_delete(site, repo):
	site.put(custom_field("Contact", "old_code"))
	repo.write("people", [role("Officer")], delete=[{"doctype": "Custom Field", "name": "Contact-old_code"}])
	result = diff(site, repo)
	assert [summary_of(i) for i in result.changed] == [
		("Custom Field", "Contact-old_code", "people", "delete", "pending")
	]
	assert result.only_on_site == []
	assert "    Custom Field 'Contact-old_code' [pending]  (people)  tombstone: apply deletes it" in (
		result.text().splitlines()
	)
	stack.apply(site, str(repo.root))
	assert ("Custom Field", "Contact-old_code") not in site.docs
	assert diff(site, repo).is_clean


def test_a_tombstone_for_a_document_the_site_does_not_have_is_clean(site, repo):
	repo.write("people", [role("Officer")], delete=[{"doctype": "Custom Field", "name": "Contact-gone"}])
	stack.apply(site, str(repo.root))
	assert diff(site, repo).is_clean


def test_a_mix_of_everything_is_counted_and_rendered(site, repo):
	repo.write("people", [role("Officer"), role("Clerk"), role("Agent"), role("Driver")])
	stack.apply(site, str(repo.root))
	repo.write(
		"people",
		[
			role("Officer", desk_access=0),  # pending
			role("Clerk"),  # drift below
			role("Agent", description="repo"),  # conflict below
			role("Driver"),
			role("Nurse"),  # only in git
		],
	)
	site.put(role("Clerk", description="site"))
	site.put(role("Agent", description="site"))
	site.put(custom_field("Contact", "notes"))  # only on the site
	result = diff(site, repo)
	assert {i.name: i.tag for i in result.changed} == {
		"Officer": "pending",
		"Clerk": "drift",
		"Agent": "conflict",
	}
	assert result.summary() == {
		"only_on_site": 1,
		"only_in_git": 1,
		"changed": 3,
		"pending": 1,
		"drift": 1,
		"conflict": 1,
		"clean": False,
	}
	text = result.text()
	assert "Summary: 1 only on the site, 1 only in git, 3 changed (1 pending, 1 drift, 1 conflict)." in text
	assert "      Agent › description: site → repo" in text.splitlines()
	assert "      Officer › desk_access: (none) → 0" in text.splitlines()


# ---- machine-readable -----------------------------------------------------------------------------


def test_as_dict_has_the_buckets_items_and_summary(site, repo):
	repo.write("beneficiary", [beneficiary("Data")])
	site.put(custom_field("Contact", "notes"))
	out = diff(site, repo).as_dict()
	assert set(out) == {"site", "repo", "only_on_site", "only_in_git", "changed", "shared_owners", "summary"}
	assert (out["site"], out["repo"]) == ("memory.test", str(repo.dir))
	assert out["only_in_git"] == []
	assert out["only_on_site"] == [
		{
			"doctype": "Custom Field",
			"name": "Contact-notes",
			"blueprint": None,
			"kind": "unmanaged",
			"tag": None,
			"changes": [],
		}
	]
	assert out["changed"] == [
		{
			"doctype": "DocType",
			"name": "Beneficiary",
			"blueprint": "beneficiary",
			"kind": "update",
			"tag": "pending",
			"changes": [{"path": "fields[age].fieldtype", "site": "Int", "repo": "Data", "kind": "changed"}],
		}
	]
	assert out["summary"]["changed"] == 1 and out["summary"]["clean"] is False
	assert json.loads(json.dumps(out)) == out


def test_build_diff_does_not_report_managed_documents_as_only_on_the_site(repo):
	repo.write("people", [role("Officer")])
	desired = load_blueprint_set(repo.root)
	[doc] = desired.by_name()["people"].documents
	ledger = {
		"people": LedgerEntry(
			"people", "Applied", documents={doc.key: LedgerDoc("Role", "Officer", doc.hash, doc.hash)}
		)
	}
	plan = compare(desired, ledger, {doc.key: doc.hash})
	discovered = {doc.key, ("Role", "Clerk")}
	result = build_diff(plan, {doc.key: doc.data}, discovered, {("Role", "Clerk"): "old"}, "s", "r")
	assert result.only_in_git == [] and result.changed == []
	assert [summary_of(i) for i in result.only_on_site] == [("Role", "Clerk", "old", "unmanaged", None)]


# ---- secrets are never printed --------------------------------------------------------------------


def test_a_password_default_on_the_site_is_masked_in_the_field_detail(repo):
	repo.write("contact", [custom_field("Contact", "api_key", fieldtype="Password")])
	site = MemorySite()
	stack.apply(site, str(repo.root))
	site.put(custom_field("Contact", "api_key", fieldtype="Password", default=SECRET))
	result = diff(site, repo)
	[item] = result.changed
	assert item.tag == "drift"
	assert item.changes == [FieldChange("default", "(secret)", None, "removed")]
	assert "      Contact-api_key › default: (secret) → (none)" in result.text().splitlines()
	assert SECRET not in result.text()
	assert SECRET not in json.dumps(result.as_dict())
	assert site.docs[("Custom Field", "Contact-api_key")]["default"] == SECRET  # the site is untouched


def test_a_password_value_of_a_schemad_doctype_is_masked(repo):
	schema = DoctypeSchema(
		"Notification",
		{"subject": FieldSpec("subject", "Data"), "webhook_secret": FieldSpec("webhook_secret", "Password")},
	)
	notification = {"doctype": "Notification", "name": "New Case", "subject": "New case"}
	repo.write("case", [notification])
	site = MemorySite(schemas={"Notification": schema})
	stack.apply(site, str(repo.root))
	site.put(notification | {"subject": "Case opened", "webhook_secret": SECRET})
	result = diff(site, repo)
	[item] = result.changed
	assert {c.path: (c.site, c.repo) for c in item.changes} == {
		"subject": ("Case opened", "New case"),
		"webhook_secret": ("(secret)", None),
	}
	assert SECRET not in result.text() and SECRET not in json.dumps(result.as_dict())
