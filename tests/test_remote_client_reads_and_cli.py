"""RemoteSite's reads (describe once, documents in pages, schema and ledger over JSON) and the
`frappe-stack` diff/env/status commands against tests/fake_frappe.py."""

import json

import pytest
from remote_client_helpers import KEY, SECRET, invoke
from remote_client_helpers import client as client
from remote_client_helpers import fake as fake
from remote_client_helpers import slept as slept

from frappe_stack import remote
from frappe_stack.blueprint.canonical import canonical_document, content_hash
from frappe_stack.blueprint.live import LiveDoc
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec, schema_from_dict, schema_to_dict
from frappe_stack.ledger import LedgerDoc, LedgerEntry, entry_from_dict, entry_to_dict

ROLE = {"doctype": "Role", "name": "R", "role_name": "R"}


def ledger_row(name: str = "roles", **fields) -> dict:
	entry = LedgerEntry(
		name,
		status="Applied",
		source_path="blueprints/roles.json",
		content_hash="c" * 64,
		applied_hash="a" * 64,
		applied_on="2024-05-01 10:11:12",
		applied_by="ops@example.com",
		git_commit="0123abc",
		documents={("Role", "R"): LedgerDoc("Role", "R", "1" * 64, "2" * 64)},
	)
	for key, value in fields.items():
		setattr(entry, key, value)
	return entry_to_dict(entry)


def live_entry(document: dict) -> dict:
	return {"document": document, "hash": content_hash(canonical_document(document))}


# ---- describe, once; documents, in pages ---------------------------------------------------------


def test_describe_is_asked_once_and_serves_every_read(fake, client):
	schema = DoctypeSchema("Role", {"role_name": FieldSpec("role_name", "Data")})
	fake.site["schemas"] = {"Role": schema_to_dict(schema)}
	fake.site["ledger"] = [ledger_row("roles"), ledger_row("web", status="Failed", last_error="x")]
	fake.site["customizations"] = [["Role", "R"], ["Custom Field", "ToDo-x"]]
	site = client()
	for _ in range(2):
		assert site.site_name() == "fake.test"
		assert site.schema("Role") == schema
		assert site.schema("Workflow") is None
		assert site.customizations() == [("Role", "R"), ("Custom Field", "ToDo-x")]
		ledger = site.read_ledger()
		assert sorted(ledger) == ["roles", "web"]
		assert ledger["web"].status == "Failed"
		assert ledger["roles"].documents[("Role", "R")] == LedgerDoc("Role", "R", "1" * 64, "2" * 64)
	assert len(fake.calls("describe")) == 1
	assert site.requests == 1


def test_live_asks_in_pages_of_page_size(fake, client, monkeypatch):
	monkeypatch.setattr(remote, "PAGE_SIZE", 2)
	roles = [{"doctype": "Role", "name": f"R{i}", "role_name": f"R{i}"} for i in range(5)]
	for role in roles:
		fake.documents[("Role", role["name"])] = live_entry(role)
	site = client()
	keys = [("Role", f"R{i}") for i in range(5)]
	found = site.live(keys)
	assert [r.body["keys"] for r in fake.calls("documents")] == [
		[["Role", "R0"], ["Role", "R1"]],
		[["Role", "R2"], ["Role", "R3"]],
		[["Role", "R4"]],
	]
	assert site.requests == 3
	assert sorted(found) == keys
	assert fake.calls("describe") == []


def test_live_asks_each_key_once(fake, client, monkeypatch):
	monkeypatch.setattr(remote, "PAGE_SIZE", 2)
	fake.documents[("Role", "A")] = live_entry({"doctype": "Role", "name": "A", "role_name": "A"})
	site = client()
	site.live([("Role", "B"), ("Role", "A"), ("Role", "B"), ("Role", "A"), ("Role", "C")])
	asked = [key for r in fake.calls("documents") for key in r.body["keys"]]
	assert asked == [["Role", "B"], ["Role", "A"], ["Role", "C"]]
	assert site.requests == 2


def test_live_fills_live_docs_and_leaves_out_what_the_site_lacks(fake, client):
	document = {"doctype": "Role", "name": "R", "role_name": "R", "desk_access": 1}
	fake.documents[("Role", "R")] = {"document": document, "hash": "h" * 64}
	site = client()
	found = site.live([("Role", "R"), ("Role", "Gone")])
	assert found == {("Role", "R"): LiveDoc(document, "h" * 64)}


def test_live_of_nothing_sends_nothing(fake, client):
	assert client().live([]) == {}
	assert fake.requests == []


# ---- what travels over HTTP round-trips -------------------------------------------------------------


def nested_schema() -> DoctypeSchema:
	grandchild = DoctypeSchema("Rule Condition", {"value": FieldSpec("value", "Float", "1.5")})
	child = DoctypeSchema(
		"Workflow Transition",
		{
			"state": FieldSpec("state", "Link", None, "Workflow State"),
			"allow_self_approval": FieldSpec("allow_self_approval", "Check", 1),
		},
		{"conditions": grandchild},
		columns=frozenset({"show_preview_popup"}),  # a column an older version left behind
	)
	return DoctypeSchema(
		"Workflow",
		{
			"workflow_name": FieldSpec("workflow_name", "Data"),
			"is_active": FieldSpec("is_active", "Check", "0"),
			"password": FieldSpec("password", "Password"),
		},
		{"transitions": child, "states": DoctypeSchema("Workflow Document State")},
	)


def test_schema_round_trips_through_json_with_nested_tables():
	schema = nested_schema()
	data = json.loads(json.dumps(schema_to_dict(schema)))
	assert data["tables"]["transitions"]["tables"]["conditions"]["fields"] == [
		["value", "Float", "1.5", None]
	]
	assert data["tables"]["transitions"]["columns"] == ["show_preview_popup"]
	back = schema_from_dict(data)
	assert back == schema
	assert list(back.fields) == list(schema.fields)
	assert back.tables["transitions"].tables["conditions"].fields["value"].effective_default() == 1.5


def test_ledger_entry_round_trips_through_json_with_its_documents():
	entry = LedgerEntry(
		"workflows",
		status="Drifted",
		source_path="blueprints/workflows.json",
		content_hash="c" * 64,
		applied_hash="a" * 64,
		applied_on="2024-05-01 10:11:12",
		applied_by="ops@example.com",
		git_commit=None,
		last_error="",
		documents={
			("Workflow", "Leave"): LedgerDoc("Workflow", "Leave", "1" * 64, "2" * 64),
			("Role", "Approver"): LedgerDoc("Role", "Approver", "3" * 64, "3" * 64),
		},
	)
	data = json.loads(json.dumps(entry_to_dict(entry)))
	assert data["documents"] == [
		["Workflow", "Leave", "1" * 64, "2" * 64],
		["Role", "Approver", "3" * 64, "3" * 64],
	]
	assert entry_from_dict(data) == entry


def test_the_site_schema_and_ledger_arrive_as_they_were_sent(fake, client):
	fake.site["schemas"] = {"Workflow": schema_to_dict(nested_schema())}
	fake.site["ledger"] = [ledger_row("roles")]
	site = client()
	assert site.schema("Workflow") == nested_schema()
	assert site.read_ledger() == {"roles": entry_from_dict(ledger_row("roles"))}


# ---- the console script --------------------------------------------------------------------------


@pytest.fixture
def role_repo(tmp_path):
	(tmp_path / "blueprints").mkdir()
	(tmp_path / "blueprints" / "x.json").write_text(
		json.dumps({"blueprint": "x", "documents": [ROLE]}), encoding="utf-8"
	)
	return tmp_path


def test_cli_diff_is_clean_when_the_site_has_the_role(fake, role_repo):
	fake.documents[("Role", "R")] = live_entry(dict(ROLE))
	result = invoke("diff", "--url", fake.url, "--path", str(role_repo), "--json")
	assert result.exit_code == 0, result.output
	out = json.loads(result.stdout)
	assert out["site"] == "fake.test"
	assert out["summary"]["clean"] is True
	assert out["only_in_git"] == out["only_on_site"] == out["changed"] == []
	assert [r.body for r in fake.calls("documents")] == [{"keys": [["Role", "R"]]}]
	assert len(fake.calls("describe")) == 1
	assert fake.requests[0].headers["Authorization"] == f"token {KEY}:{SECRET}"


def test_cli_diff_exits_2_when_the_site_lacks_the_role(fake, role_repo):
	result = invoke("diff", "--url", fake.url, "--path", str(role_repo), "--json")
	assert result.exit_code == 2, result.output
	out = json.loads(result.stdout)
	assert out["summary"]["clean"] is False
	assert [(i["doctype"], i["name"], i["blueprint"]) for i in out["only_in_git"]] == [("Role", "R", "x")]
	assert SECRET not in result.output


def test_cli_diff_exits_2_when_the_site_role_differs(fake, role_repo):
	fake.documents[("Role", "R")] = live_entry(dict(ROLE, desk_access=0))
	result = invoke("diff", "--url", fake.url, "--path", str(role_repo), "--json")
	assert result.exit_code == 2, result.output
	assert [i["name"] for i in json.loads(result.stdout)["changed"]] == ["R"]


def test_cli_env_reads_frappe_stack_toml_from_path(fake, role_repo):
	fake.documents[("Role", "R")] = live_entry(dict(ROLE))
	(role_repo / "frappe-stack.toml").write_text(
		f'[environments.staging]\nurl = "{fake.url}"\nsite_name = "staging.example.com"\n\n'
		'[environments.production]\nurl = "http://127.0.0.1:9"\n',
		encoding="utf-8",
	)
	result = invoke("diff", "--env", "staging", "--path", str(role_repo), "--json")
	assert result.exit_code == 0, result.output
	assert {r.headers["X-Frappe-Site-Name"] for r in fake.requests} == {"staging.example.com"}
	again = invoke("diff", "--env", "staging", "--site-name", "other.example.com", "--path", str(role_repo))
	assert again.exit_code == 0, again.output
	assert fake.requests[-1].headers["X-Frappe-Site-Name"] == "other.example.com"


def test_cli_site_name_option_sets_the_header(fake, tmp_path):
	result = invoke("status", "--url", fake.url, "--site-name", "s1.example.com", "--path", str(tmp_path))
	assert result.exit_code == 0, result.output
	assert fake.requests[0].headers["X-Frappe-Site-Name"] == "s1.example.com"


def test_cli_status_prints_the_ledger_rows(fake, tmp_path):
	fake.site["ledger"] = [
		ledger_row("roles"),
		ledger_row("web", status="Failed", last_error="Role 'X' not found", applied_by=None),
	]
	result = invoke("status", "--url", fake.url, "--path", str(tmp_path))
	assert result.exit_code == 0, result.output
	lines = result.stdout.splitlines()
	assert lines[0] == "Blueprints on site fake.test"
	assert lines[2].split() == ["roles", "Applied", "1", "2024-05-01", "10:11:12", "ops@example.com"]
	assert lines[3].split() == ["web", "Failed", "1", "2024-05-01", "10:11:12", "-"]
	assert lines[4].strip() == "last error: Role 'X' not found"
	assert SECRET not in result.output


def test_cli_status_json(fake, tmp_path):
	fake.site["ledger"] = [ledger_row("roles")]
	result = invoke("status", "--url", fake.url, "--path", str(tmp_path), "--json")
	assert result.exit_code == 0, result.output
	out = json.loads(result.stdout)
	assert out["site"] == "fake.test"
	assert [(b["blueprint"], b["status"], b["documents"]) for b in out["blueprints"]] == [
		("roles", "Applied", 1)
	]


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_cli_without_url_or_env_says_which_site(tmp_path, as_json):
	result = invoke("status", "--path", str(tmp_path), *(["--json"] if as_json else []))
	assert result.exit_code == 1
	assert "say which site" in result.output
	assert isinstance(result.exception, SystemExit)


def test_what_installed_apps_ship_comes_with_describe_and_older_sites_have_none(fake, client):
	assert client().shipped_documents() == []  # a site whose frappe_stack predates the key
	fake.site["shipped"] = [
		{
			"app": "demo",
			"file": "demo/fixtures/role.json",
			"path": "$[0]",
			"doctype": "Role",
			"name": "R",
			"via": "fixtures",
		}
	]
	(item,) = client().shipped_documents()
	assert (item.app, item.file, item.key, item.on_migrate) == (
		"demo",
		"demo/fixtures/role.json",
		("Role", "R"),
		True,
	)
