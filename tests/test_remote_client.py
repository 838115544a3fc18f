"""RemoteSite and the `frappe-stack` console script against a real HTTP server on 127.0.0.1 that
answers like Frappe's REST API (tests/fake_frappe.py)."""

import json
import socket
import time
from functools import partial

import pytest
from click.testing import CliRunner
from fake_frappe import API, FakeFrappe, serve

from frappe_stack import cli, remote
from frappe_stack.blueprint.canonical import canonical_document, content_hash
from frappe_stack.blueprint.live import LiveDoc
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec, schema_from_dict, schema_to_dict
from frappe_stack.ledger import LedgerDoc, LedgerEntry, entry_from_dict, entry_to_dict
from frappe_stack.remote import RemoteError, RemoteSite

KEY = "a1b2c3d4e5f6a7b"
SECRET = "s3cret-0f9e8d7c6b5a4-never-shown"
ENV = {"FRAPPE_STACK_API_KEY": KEY, "FRAPPE_STACK_API_SECRET": SECRET}
MISSING_APP = (
	"frappe.exceptions.ValidationError: Failed to get method for command frappe_stack.api.describe "
	"with App frappe_stack is not installed"
)
ROLE = {"doctype": "Role", "name": "R", "role_name": "R"}


@pytest.fixture
def fake():
	site = FakeFrappe()
	stop = serve(site)
	yield site
	stop()


@pytest.fixture
def slept() -> list[float]:
	return []


@pytest.fixture
def client(fake, slept):
	def make(**options) -> RemoteSite:
		options.setdefault("sleep", slept.append)
		options.setdefault("timeout", 5)
		return RemoteSite(fake.url, KEY, SECRET, **options)

	return make


def closed_port_url() -> str:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	return f"http://127.0.0.1:{port}"


def error_of(site: RemoteSite) -> str:
	with pytest.raises(RemoteError) as caught:
		site.site_name()
	return str(caught.value)


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


# ---- headers -------------------------------------------------------------------------------------


def test_the_request_carries_token_key_secret_and_asks_for_json(fake, client):
	assert client().site_name() == "fake.test"
	[request] = fake.requests
	assert request.method == "POST"
	assert request.path == API + "describe"
	assert request.headers["Authorization"] == f"token {KEY}:{SECRET}"
	assert request.headers["Accept"] == "application/json"
	assert request.headers["Content-Type"] == "application/json"
	assert request.body == {}
	assert "X-Frappe-Site-Name" not in request.headers


def test_the_site_name_header_is_sent_when_a_site_name_is_given(fake, client):
	client(site_name="staging.example.com").site_name()
	assert fake.requests[0].headers["X-Frappe-Site-Name"] == "staging.example.com"


def test_a_trailing_slash_on_the_url_is_dropped(fake, slept):
	site = RemoteSite(fake.url + "/", KEY, SECRET, sleep=slept.append)
	assert site.url == fake.url
	assert site.site_name() == "fake.test"
	assert fake.requests[0].path == API + "describe"


def test_a_key_read_from_a_file_with_its_newline_still_works(fake, slept):
	RemoteSite(fake.url, KEY + "\n", SECRET + "\n", sleep=slept.append).site_name()
	assert fake.requests[0].headers["Authorization"] == f"token {KEY}:{SECRET}"


# ---- retries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_a_passing_failure_is_retried_with_backoff_until_it_succeeds(fake, client, slept, status):
	fake.push(status, {"exc_type": "TooBusy", "exception": "try again"})
	fake.push(status, {"exc_type": "TooBusy", "exception": "try again"})
	site = client()
	assert site.site_name() == "fake.test"
	assert slept == [0.5, 1]
	assert len(fake.requests) == 3 == site.requests


def test_it_gives_up_after_its_retries_with_one_line(fake, client, slept):
	for _ in range(4):
		fake.push(503, {"exc_type": "ServiceUnavailable", "exception": "the bench is restarting"})
	site = client(retries=3)
	message = error_of(site)
	assert message == f"{fake.url} answered HTTP 503: the bench is restarting"
	assert slept == [0.5, 1, 2]
	assert len(fake.requests) == 4 == site.requests


def test_the_backoff_doubles_from_the_given_start(fake, client, slept):
	for _ in range(3):
		fake.push(502, "<html>Bad Gateway</html>", "text/html")
	error_of(client(retries=2, backoff=0.25))
	assert slept == [0.25, 0.5]


def test_a_400_is_not_retried(fake, client, slept):
	fake.push(
		400, {"exc_type": "ValidationError", "exception": "frappe.exceptions.ValidationError: bad keys"}
	)
	message = error_of(client())
	assert "answered HTTP 400" in message
	assert "bad keys" in message
	assert slept == []
	assert len(fake.requests) == 1


def test_a_dropped_connection_is_retried_until_it_succeeds(fake, client, slept):
	fake.push(None)
	fake.push(None)
	site = client()
	assert site.site_name() == "fake.test"
	assert slept == [0.5, 1]
	assert len(fake.requests) == 3


def test_a_closed_port_is_retried_then_could_not_reach(slept):
	url = closed_port_url()
	site = RemoteSite(url, KEY, SECRET, retries=2, sleep=slept.append)
	message = error_of(site)
	assert message == f"could not reach {url}: check the URL and that the site is up"
	assert slept == [0.5, 1]
	assert site.requests == 3


# ---- errors --------------------------------------------------------------------------------------


def test_a_401_names_the_key_variables(fake, client, slept):
	fake.push(401, {"exc_type": "AuthenticationError"})
	message = error_of(client())
	assert "HTTP 401" in message
	assert "FRAPPE_STACK_API_KEY" in message
	assert "FRAPPE_STACK_API_SECRET" in message
	assert slept == []


def test_a_403_names_the_roles_needed(fake, client):
	fake.push(403, {"exc_type": "StackPermissionError"})
	message = error_of(client())
	assert "HTTP 403" in message
	assert "System Manager or Stack Manager" in message


def test_an_html_page_is_not_a_frappe_site(fake, client):
	fake.push(200, "<!doctype html><title>Welcome to nginx</title>", "text/html; charset=utf-8")
	message = error_of(client())
	assert "does not answer like a Frappe site" in message
	assert "HTTP 200" in message
	assert "text/html" in message


def test_json_that_is_not_an_object_is_not_a_frappe_site(fake, client):
	fake.push(200, [1, 2, 3])
	assert "does not answer like a Frappe site" in error_of(client())


@pytest.mark.parametrize(
	"body",
	[
		{"exc_type": "ValidationError", "exception": MISSING_APP},
		# a site that hides tracebacks (allow_error_traceback off) sends no "exception"
		{
			"exc_type": "ValidationError",
			"_server_messages": json.dumps([json.dumps({"message": MISSING_APP.split(": ", 1)[1]})]),
		},
	],
	ids=["exception", "server-messages-only"],
)
def test_a_417_failed_to_get_method_is_a_site_without_frappe_stack(fake, client, slept, body):
	fake.push(417, body)
	message = error_of(client())
	assert message == f"{fake.url} is a Frappe site without frappe_stack installed (HTTP 417)"
	assert slept == []


def test_a_404_is_a_site_without_frappe_stack(fake, client, slept):
	fake.push(404, {"exc_type": "DoesNotExistError"})
	assert "without frappe_stack installed (HTTP 404)" in error_of(client())
	assert slept == []


@pytest.mark.parametrize("exc_type", ["ModuleNotFoundError", "AttributeError"])
def test_an_import_error_is_a_bench_without_frappe_stack(fake, client, exc_type):
	fake.push(500, {"exc_type": exc_type, "exception": f"{exc_type}: No module named 'frappe_stack'"})
	assert "without frappe_stack installed (HTTP 500)" in error_of(client(retries=0))


def test_json_without_a_message_says_what_the_server_answered(fake, client):
	fake.push(200, {"data": "something else"})
	message = error_of(client())
	assert message.startswith(f"{fake.url} answered HTTP 200: ")
	assert "something else" in message


def test_a_5xx_after_retries_shows_the_server_exception_shortened(fake, client, slept):
	text = "frappe.exceptions.DataError: " + "x" * 1000
	for _ in range(3):
		fake.push(500, {"exc_type": "DataError", "exception": text})
	message = error_of(client(retries=2))
	assert message.startswith(f"{fake.url} answered HTTP 500: frappe.exceptions.DataError: xxx")
	assert text[:300] in message
	assert text[:301] not in message
	assert slept == [0.5, 1]


def test_a_site_that_does_not_answer_in_time(fake, client, slept):
	fake.push(200, {"message": fake.site}, delay=10)
	started = time.monotonic()
	message = error_of(client(timeout=0.3, retries=0))
	assert time.monotonic() - started < 5
	assert message == f"{fake.url} did not answer within 0.3s"
	assert slept == []


def test_a_timeout_is_retried(fake, client, slept):
	fake.push(200, {"message": fake.site}, delay=10)
	fake.push(200, {"message": fake.site}, delay=10)
	site = client(timeout=0.3, retries=1)
	assert "did not answer within 0.3s" in error_of(site)
	assert slept == [0.5]
	assert site.requests == 2
	assert len(fake.requests) == 2


def test_a_url_without_a_scheme_is_one_line_and_not_retried(slept):
	site = RemoteSite("staging.example.com", KEY, SECRET, sleep=slept.append)
	message = error_of(site)
	assert message.startswith("could not send a request to staging.example.com")
	assert "check the URL" in message
	assert slept == []


# ---- credentials ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "secret"), [("", SECRET), (KEY, ""), ("", ""), (None, None), (" ", "\n")])
def test_missing_credentials_are_refused_before_any_request(fake, key, secret):
	with pytest.raises(RemoteError) as caught:
		RemoteSite(fake.url, key, secret)
	assert "FRAPPE_STACK_API_KEY" in str(caught.value)
	assert "FRAPPE_STACK_API_SECRET" in str(caught.value)
	assert fake.requests == []


@pytest.mark.parametrize("secret", [SECRET[:6] + "\n" + SECRET[6:], SECRET + "\r\nX-Evil: 1", SECRET + "é"])
def test_a_secret_requests_would_refuse_is_refused_without_showing_it(fake, secret):
	with pytest.raises(RemoteError) as caught:
		RemoteSite(fake.url, KEY, secret)
	assert "FRAPPE_STACK_API_SECRET" in str(caught.value)
	assert SECRET[6:] not in str(caught.value)
	assert fake.requests == []


# ---- the secret never shows ----------------------------------------------------------------------

ERROR_CASES = {
	"401": [(401, {"exc_type": "AuthenticationError"})],
	"403": [(403, {"exc_type": "StackPermissionError"})],
	"html": [(200, "<html>login</html>", "text/html")],
	"not-installed": [(417, {"exc_type": "ValidationError", "exception": MISSING_APP})],
	"404": [(404, {"exc_type": "DoesNotExistError"})],
	"400": [(400, {"exc_type": "ValidationError", "exception": "bad request"})],
	"no-message": [(200, {"data": 1})],
	"500": [(500, {"exc_type": "DataError", "exception": "boom"})] * 4,
	"dropped": [(None, None)] * 4,
	"timeout": [(200, {"message": {}}, "application/json", 10)] * 4,
}


def script(fake: FakeFrappe, case: str) -> None:
	for reply in ERROR_CASES[case]:
		fake.push(*reply)


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_no_remote_error_shows_the_secret(fake, client, case):
	script(fake, case)
	message = error_of(client(timeout=0.3))
	assert SECRET not in message
	assert "\n" not in message


@pytest.fixture
def quick_cli(monkeypatch, slept):
	"""The console script with a short timeout and no real sleeping between retries."""
	monkeypatch.setattr(cli, "RemoteSite", partial(RemoteSite, timeout=0.3, sleep=slept.append))


def invoke(*args: str, env: dict | None = None):
	return CliRunner().invoke(cli.main, list(args), env=ENV if env is None else env)


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_no_cli_error_shows_the_secret(fake, quick_cli, tmp_path, case, as_json):
	script(fake, case)
	result = invoke("status", "--url", fake.url, "--path", str(tmp_path), *(["--json"] if as_json else []))
	assert result.exit_code == 1, result.output
	assert isinstance(result.exception, SystemExit)
	assert SECRET not in result.output
	if as_json:
		assert set(json.loads(result.stdout)) == {"error"}
	else:
		assert result.stdout == ""
		[line] = result.stderr.splitlines()
		assert line.startswith("Error: ")


@pytest.mark.parametrize("url", ["closed-port", "staging.example.com"])
def test_no_cli_error_shows_the_secret_when_nothing_answers(quick_cli, tmp_path, url):
	url = closed_port_url() if url == "closed-port" else url
	result = invoke("status", "--url", url, "--path", str(tmp_path))
	assert result.exit_code == 1
	assert isinstance(result.exception, SystemExit)
	assert SECRET not in result.output
	assert result.stderr.startswith("Error: could not")


def test_a_secret_with_a_line_break_never_reaches_the_cli_output(fake, quick_cli, tmp_path):
	broken = SECRET[:6] + "\n" + SECRET[6:]
	env = {"FRAPPE_STACK_API_KEY": KEY, "FRAPPE_STACK_API_SECRET": broken}
	result = invoke("status", "--url", fake.url, "--path", str(tmp_path), env=env)
	assert result.exit_code == 1
	assert isinstance(result.exception, SystemExit)
	assert SECRET[6:] not in result.output
	assert "FRAPPE_STACK_API_SECRET" in result.stderr
	assert fake.requests == []


def test_the_cli_without_credentials_names_both_variables_and_sends_nothing(fake, tmp_path):
	env = {"FRAPPE_STACK_API_KEY": "", "FRAPPE_STACK_API_SECRET": ""}
	result = invoke("status", "--url", fake.url, "--path", str(tmp_path), env=env)
	assert result.exit_code == 1
	assert "FRAPPE_STACK_API_KEY" in result.stderr
	assert "FRAPPE_STACK_API_SECRET" in result.stderr
	assert fake.requests == []


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
