"""export() on the in-memory site: secrets left out and reported, standard documents never exported,
and where the files go (site config, an empty repo, a blueprints folder)."""

import json

import pytest
from builders import Repo, custom_field, doctype, role
from export_helpers import contact_link, export, files
from export_helpers import site as site
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import StackError
from frappe_stack.export import NoExportTarget

SECRET = "hunter2-never-in-git"


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
