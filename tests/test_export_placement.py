"""export() on the in-memory site: which blueprint file each new customization lands in, --blueprint
and --only, and refusals before writing."""

import pytest
from builders import custom_field, doctype, role
from export_helpers import beneficiary_feature, contact_link, docperm, export, file_keys, files, keys
from export_helpers import site as site
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import StackError, ValidationFailed

# ---- new customizations: one blueprint per customized DocType ------------------------------------


def test_a_doctype_and_its_customizations_land_in_one_blueprint_named_after_it(site, repo):
	result = export(site, repo)
	assert sorted(files(repo)) == ["beneficiary.json", "contact.json"]
	assert file_keys(repo, "beneficiary") == keys(beneficiary_feature())
	assert result.documents == {
		"beneficiary": keys(beneficiary_feature()),
		"contact": [("Custom Field", "Contact-beneficiary")],
	}
	assert result.written == ["blueprints/beneficiary.json", "blueprints/contact.json"]
	assert result.unchanged == [] and result.left_out == []
	assert result.directory == str(repo.dir)


def test_a_custom_field_on_a_standard_doctype_lands_in_that_doctypes_file(repo):
	site = MemorySite([contact_link()])
	export(site, repo)
	content = repo.read("contact")
	assert content == {"blueprint": "contact", "documents": [site.canonical(contact_link())]}


def test_exported_documents_are_the_sites_canonical_documents(site, repo):
	export(site, repo)
	for name in ("beneficiary", "contact"):
		for doc in repo.read(name)["documents"]:
			assert doc == site.canonical(site.docs[(doc["doctype"], doc["name"])])


def test_a_role_used_by_one_group_goes_into_that_group(repo):
	site = MemorySite([docperm("Contact", "Sales Agent"), role("Sales Agent"), doctype("Beneficiary")])
	export(site, repo)
	assert file_keys(repo, "contact") == [("Custom DocPerm", "Contact-Sales Agent"), ("Role", "Sales Agent")]
	assert not (repo.dir / "roles.json").exists()
	assert "depends_on" not in repo.read("contact")


def test_a_role_two_groups_use_goes_to_roles_and_both_depend_on_it(repo):
	site = MemorySite(
		[
			doctype("Beneficiary", permissions=[{"role": "Officer", "read": 1}]),
			docperm("Contact", "Officer"),
			role("Officer"),
		]
	)
	result = export(site, repo)
	assert file_keys(repo, "roles") == [("Role", "Officer")]
	assert repo.read("beneficiary")["depends_on"] == ["roles"]
	assert repo.read("contact")["depends_on"] == ["roles"]
	assert result.documents["roles"] == [("Role", "Officer")]
	desired = load_blueprint_set(repo.root).by_name()
	assert desired["contact"].depends_on == ["roles"]


def test_an_unused_role_goes_to_roles(repo):
	site = MemorySite([role("Auditor"), contact_link()])
	export(site, repo)
	assert file_keys(repo, "roles") == [("Role", "Auditor")]
	assert "depends_on" not in repo.read("contact")


def test_blueprint_option_puts_every_new_document_there(site, repo):
	result = export(site, repo, blueprint="field-work")
	assert sorted(files(repo)) == ["field-work.json"]
	assert file_keys(repo, "field-work") == keys([*beneficiary_feature(), contact_link()])
	assert list(result.documents) == ["field-work"]
	assert site.ledger["field-work"].status == "Applied"


def test_blueprint_option_leaves_managed_documents_in_their_own_file(site, repo):
	repo.write("people", [role("Field Officer")])
	export(site, repo, blueprint="field-work")
	assert file_keys(repo, "people") == [("Role", "Field Officer")]
	assert ("Role", "Field Officer") not in file_keys(repo, "field-work")


def test_only_exports_just_those_documents(site, repo):
	result = export(site, repo, only=[("Custom Field", "Contact-beneficiary"), ("Role", "Field Officer")])
	assert result.documents == {
		"contact": [("Custom Field", "Contact-beneficiary")],
		"roles": [("Role", "Field Officer")],
	}
	assert sorted(files(repo)) == ["contact.json", "roles.json"]
	assert sorted(site.ledger) == ["contact", "roles"]


def test_only_with_documents_the_site_does_not_have_exports_nothing_of_them(site, repo):
	result = export(site, repo, only=[("Role", "Nobody"), ("Role", "Field Officer")])
	assert result.documents == {"roles": [("Role", "Field Officer")]}


def test_only_a_managed_document_keeps_the_rest_of_its_file(site, repo):
	export(site, repo)
	site.put(role("Field Officer", desk_access=0, description="Registers beneficiaries"))
	before = repo.read("beneficiary")["documents"]
	result = export(site, repo, only=[("Role", "Field Officer")])
	assert result.written == ["blueprints/beneficiary.json"]
	after = repo.read("beneficiary")["documents"]
	assert keys(after) == keys(before)
	changed = [doc for doc in after if doc not in before]
	assert changed == [site.canonical(site.docs[("Role", "Field Officer")])]


def test_doctypes_linking_each_other_share_one_blueprint(repo):
	household = doctype(
		"Household", fields=[{"fieldname": "head", "fieldtype": "Link", "options": "Beneficiary"}]
	)
	person = doctype(
		"Beneficiary", fields=[{"fieldname": "household", "fieldtype": "Link", "options": "Household"}]
	)
	site = MemorySite(
		[household, person, custom_field("Contact", "household", fieldtype="Link", options="Household")]
	)
	result = export(site, repo)
	assert result.documents == {
		"beneficiary": [("DocType", "Beneficiary"), ("DocType", "Household")],
		"contact": [("Custom Field", "Contact-household")],
	}
	assert sorted(bp.name for bp in load_blueprint_set(repo.root).blueprints) == ["beneficiary", "contact"]
	assert stack.diff(site, str(repo.root)).is_clean


def test_an_invalid_repo_is_refused_before_writing(site, repo):
	repo.write_text("broken.json", '{"blueprint": "broken", "documents": [')
	with pytest.raises(ValidationFailed, match="broken.json"):
		export(site, repo)
	assert sorted(files(repo)) == ["broken.json"]
	assert site.log.empty


def test_unsupported_doctypes_are_refused_before_writing(repo):
	site = MemorySite([contact_link(), {"doctype": "ToDo", "name": "t1", "description": "x"}])
	with pytest.raises(StackError, match="ToDo"):
		export(site, repo)
	assert files(repo) == {}
	assert site.log.empty
