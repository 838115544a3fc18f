"""export(): the site's customizations as canonical blueprint files, on the in-memory site."""

import json
import os
import tempfile
from pathlib import Path

import pytest
from builders import Repo, custom_field, doctype, role
from hypothesis import given, settings
from hypothesis import strategies as st
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import StackError, ValidationFailed
from frappe_stack.export import NoExportTarget

SECRET = "hunter2-never-in-git"


def keys(documents: list[dict]) -> list[tuple[str, str]]:
	return sorted((d["doctype"], d["name"]) for d in documents)


def beneficiary_feature() -> list[dict]:
	"""A custom DocType with what a PM adds around it in Desk."""
	return [
		doctype(
			"Beneficiary",
			fields=[
				{"fieldname": "full_name", "fieldtype": "Data", "label": "Full Name"},
				{"fieldname": "age", "fieldtype": "Int", "label": "Age"},
				{
					"fieldname": "workflow_state",
					"fieldtype": "Link",
					"options": "Workflow State",
					"hidden": 1,
				},
			],
			permissions=[{"role": "Field Officer", "read": 1, "write": 1}],
		),
		custom_field("Beneficiary", "village", label="Village", insert_after="age"),
		{
			"doctype": "Property Setter",
			"name": "Beneficiary-age-bold",
			"doc_type": "Beneficiary",
			"field_name": "age",
			"property": "bold",
			"property_type": "Check",
			"value": "1",
		},
		{
			"doctype": "Custom DocPerm",
			"name": "perm-0001",
			"parent": "Beneficiary",
			"role": "Program Officer",
			"read": 1,
		},
		{"doctype": "Client Script", "name": "Beneficiary-Form", "dt": "Beneficiary", "script": "// hello"},
		{
			"doctype": "Workflow",
			"name": "Beneficiary Approval",
			"workflow_name": "Beneficiary Approval",
			"document_type": "Beneficiary",
			"workflow_state_field": "workflow_state",
			"states": [
				{"state": "Registered", "allow_edit": "Field Officer"},
				{"state": "Approved", "allow_edit": "Program Officer"},
			],
			"transitions": [
				{
					"state": "Registered",
					"action": "Approve",
					"next_state": "Approved",
					"allowed": "Program Officer",
				}
			],
		},
		{"doctype": "Workflow State", "name": "Registered", "workflow_state_name": "Registered"},
		{"doctype": "Workflow State", "name": "Approved", "workflow_state_name": "Approved"},
		{"doctype": "Workflow Action Master", "name": "Approve", "workflow_action_name": "Approve"},
		role("Field Officer"),
		role("Program Officer"),
	]


def contact_link() -> dict:
	return custom_field("Contact", "beneficiary", fieldtype="Link", options="Beneficiary")


def docperm(parent: str, role_name: str) -> dict:
	return {"doctype": "Custom DocPerm", "name": f"{parent}-{role_name}", "parent": parent, "role": role_name}


def files(repo: Repo) -> dict[str, bytes]:
	return {file.name: file.read_bytes() for file in sorted(repo.dir.glob("*.json"))}


def file_keys(repo: Repo, name: str) -> list[tuple[str, str]]:
	return keys(repo.read(name)["documents"])


def export(site, repo: Repo, **options):
	return stack.export(site, str(repo.root), **options)


@pytest.fixture
def site():
	return MemorySite([*beneficiary_feature(), contact_link()])


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


# ---- secrets ---------------------------------------------------------------------------------------


def assert_secret_absent(repo: Repo, result) -> None:
	for name, data in files(repo).items():
		assert SECRET.encode() not in data, name
	assert SECRET not in json.dumps(result.as_dict())


def test_the_default_of_a_password_custom_field_is_left_out_and_reported(repo):
	field = custom_field("Contact", "api_key", fieldtype="Password", default=SECRET, label="API Key")
	site = MemorySite([field])
	result = export(site, repo)
	[doc] = repo.read("contact")["documents"]
	assert "default" not in doc
	assert doc == {k: v for k, v in site.canonical(field).items() if k != "default"}
	assert result.left_out == ["Custom Field 'Contact-api_key'.default: default of Password field 'api_key'"]
	assert result.as_dict()["summary"]["left_out"] == 1
	assert_secret_absent(repo, result)
	assert site.docs[("Custom Field", "Contact-api_key")]["default"] == SECRET


def test_a_secret_left_out_stays_on_the_site_and_the_site_stays_converged(repo):
	site = MemorySite([custom_field("Contact", "api_key", fieldtype="Password", default=SECRET)])
	export(site, repo)
	plan, _, _ = stack.make_plan(site, str(repo.root))
	assert not plan.has_changes
	assert stack.diff(site, str(repo.root)).is_clean
	site.reset_log()
	stack.apply(site, str(repo.root))
	assert site.log.empty
	assert site.docs[("Custom Field", "Contact-api_key")]["default"] == SECRET
	again = export(site, repo)
	assert again.written == []
	assert again.left_out == ["Custom Field 'Contact-api_key'.default: default of Password field 'api_key'"]


def test_the_default_of_a_password_field_of_a_doctype_is_left_out(repo):
	site = MemorySite(
		[
			doctype(
				"Gateway",
				fields=[
					{"fieldname": "url", "fieldtype": "Data"},
					{"fieldname": "token", "fieldtype": "Password", "default": SECRET},
				],
			)
		]
	)
	result = export(site, repo)
	[doc] = repo.read("gateway")["documents"]
	assert doc["fields"][1] == {"fieldname": "token", "fieldtype": "Password"}
	assert result.left_out == ["DocType 'Gateway'.fields[1].default: default of Password field 'token'"]
	assert_secret_absent(repo, result)


def test_a_password_field_value_of_a_doctype_with_a_schema_is_left_out(repo):
	schema = DoctypeSchema(
		"Notification",
		{
			"subject": FieldSpec("subject", "Data"),
			"document_type": FieldSpec("document_type", "Link", options="DocType"),
			"webhook_secret": FieldSpec("webhook_secret", "Password"),
		},
	)
	notification = {
		"doctype": "Notification",
		"name": "New Case",
		"subject": "New case",
		"document_type": "Case",
		"webhook_secret": SECRET,
	}
	site = MemorySite([notification], schemas={"Notification": schema})
	result = export(site, repo)
	assert repo.read("case")["documents"] == [
		{"doctype": "Notification", "name": "New Case", "subject": "New case", "document_type": "Case"}
	]
	assert result.left_out == ["Notification 'New Case'.webhook_secret: Password field 'webhook_secret'"]
	assert_secret_absent(repo, result)
	load_blueprint_set(repo.root, schema=site.schema)  # the loader, which refuses secrets, accepts it
	assert stack.diff(site, str(repo.root)).is_clean


# ---- standard documents and where the files go -----------------------------------------------------


def test_standard_documents_are_never_exported(repo):
	site = MemorySite([doctype("Contact", custom=0), role("System Manager"), contact_link()])
	site.standard = {("DocType", "Contact"), ("Role", "System Manager")}
	result = export(site, repo)
	assert result.documents == {"contact": [("Custom Field", "Contact-beneficiary")]}
	text = b"".join(files(repo).values())
	assert b"System Manager" not in text
	assert b'"doctype": "DocType"' not in text


def test_no_path_and_no_site_config_is_an_error(site):
	with pytest.raises(NoExportTarget, match="--path") as excinfo:
		stack.export(site)
	assert isinstance(excinfo.value, StackError)
	assert "frappe_stack_blueprints" in str(excinfo.value)
	assert site.log.empty


def test_the_site_config_is_the_default_target(tmp_path):
	root = tmp_path / "config-repo"
	site = MemorySite([contact_link()], configured=str(root))
	result = stack.export(site)
	assert result.directory == str(root / "blueprints")
	assert (root / "blueprints" / "contact.json").is_file()


@pytest.mark.parametrize("exists", [True, False])
def test_an_empty_config_repo_root_gets_a_new_blueprints_folder(tmp_path, exists):
	root = tmp_path / "config-repo"
	if exists:
		root.mkdir()
	result = stack.export(MemorySite([contact_link()]), str(root))
	assert [p.relative_to(root).as_posix() for p in sorted(root.rglob("*"))] == [
		"blueprints",
		"blueprints/contact.json",
	]
	assert result.written == ["blueprints/contact.json"]


def test_a_path_to_the_blueprints_folder_itself_is_written_in_place(repo):
	repo.write("people", [role("A")])
	stack.export(MemorySite([role("A"), contact_link()]), str(repo.dir))
	assert sorted(files(repo)) == ["contact.json", "people.json"]
	assert not (repo.dir / "blueprints").exists()


def test_a_folder_of_blueprints_with_another_name_is_written_in_place(tmp_path):
	folder = tmp_path / "bp"
	folder.mkdir()
	(folder / "people.json").write_text('{"blueprint": "people", "documents": []}\n')
	result = stack.export(MemorySite([contact_link()]), str(folder))
	assert sorted(p.name for p in folder.iterdir()) == ["contact.json", "people.json"]
	assert result.written == ["bp/contact.json"]


# ---- law 2: round trip -----------------------------------------------------------------------------

NAMES = st.sampled_from(["Beneficiary", "Case", "Village"])
ROLES = st.sampled_from(["Agent", "Officer", "Auditor"])


@st.composite
def customized_sites(draw) -> list[dict]:
	documents = {}
	for name in draw(st.sets(NAMES, max_size=2)):
		perms = [{"role": r, "read": 1} for r in sorted(draw(st.sets(ROLES, max_size=2)))]
		fields = [{"fieldname": f, "fieldtype": draw(st.sampled_from(["Data", "Int"]))} for f in ("a", "b")]
		fields += (
			[{"fieldname": "link", "fieldtype": "Link", "options": draw(NAMES)}]
			if draw(st.booleans())
			else []
		)
		documents[("DocType", name)] = doctype(name, fields=fields, permissions=perms)
	for dt, field in draw(st.sets(st.tuples(NAMES | st.just("Contact"), st.sampled_from("xyz")), max_size=4)):
		documents[("Custom Field", f"{dt}-{field}")] = custom_field(
			dt, field, label=draw(st.text("ab ", max_size=4))
		)
	for dt, role_name in draw(st.sets(st.tuples(NAMES | st.just("Contact"), ROLES), max_size=3)):
		documents[("Custom DocPerm", f"{dt}-{role_name}")] = docperm(dt, role_name)
	for role_name in draw(st.sets(ROLES)):
		documents[("Role", role_name)] = role(role_name)
	return list(documents.values())


@settings(max_examples=40, deadline=None)
@given(customized_sites())
def test_round_trip_export_apply_on_a_fresh_site_export_gives_the_same_bytes(documents):
	with tempfile.TemporaryDirectory() as scratch:
		staging, again = Repo(Path(scratch) / "staging"), Repo(Path(scratch) / "again")
		site = MemorySite(documents)
		first = stack.export(site, str(staging.root))
		assert first.unchanged == []
		exported = files(staging)
		if documents:
			desired = load_blueprint_set(staging.root)
			assert all(staging.bytes(bp.name) == bp.canonical_bytes() for bp in desired.blueprints)
			plan, _, _ = stack.make_plan(site, str(staging.root))
			assert not plan.has_changes

		fresh = MemorySite()
		if documents:
			stack.apply(fresh, str(staging.root))
		assert fresh.docs == {key: site.canonical(doc) for key, doc in site.docs.items()}
		stack.export(fresh, str(again.root))
		assert files(again) == exported

		site.reset_log()
		second = stack.export(site, str(staging.root))
		assert second.written == [] and site.log.empty


def _link(fieldname: str, target: str) -> dict:
	return {"fieldname": fieldname, "fieldtype": "Link", "label": fieldname.title(), "options": target}


def test_an_export_that_would_not_validate_writes_nothing(repo):
	# Beneficiary is already in a blueprint and links to Household; the new Household links
	# back, so household.json and beneficiary.json would need each other
	beneficiary = doctype("Beneficiary", [_link("household", "Household")])
	repo.write("beneficiary", [beneficiary])
	before = repo.bytes("beneficiary")
	site = MemorySite([beneficiary, doctype("Household", [_link("head", "Beneficiary")])])
	with pytest.raises(ValidationFailed) as caught:
		stack.export(site, str(repo.root))
	assert "dependency cycle" in str(caught.value)
	assert repo.bytes("beneficiary") == before
	assert sorted(p.name for p in repo.dir.glob("*.json")) == ["beneficiary.json"]
	assert site.log.empty


def test_exporting_a_standard_document_by_name_is_refused_before_writing(repo):
	site = MemorySite([doctype("Standard Thing", custom=0)])
	with pytest.raises(ValidationFailed) as caught:
		stack.export(site, str(repo.root), only=[("DocType", "Standard Thing")])
	assert "a standard document that an app owns" in str(caught.value)
	assert list(repo.root.rglob("*.json")) == []


def test_a_bad_blueprint_name_is_refused_before_writing(repo):
	site = MemorySite([role("Clerk")])
	with pytest.raises(ValidationFailed):
		stack.export(site, str(repo.root), blueprint="Not A Name")
	assert list(repo.root.rglob("*.json")) == []
