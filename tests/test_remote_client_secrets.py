"""RemoteSite and the `frappe-stack` console script never show the API secret, whatever the remote
site answers (tests/fake_frappe.py)."""

import json
from functools import partial

import pytest
from fake_frappe import FakeFrappe
from remote_client_helpers import KEY, MISSING_APP, SECRET, closed_port_url, error_of, invoke
from remote_client_helpers import client as client
from remote_client_helpers import fake as fake
from remote_client_helpers import slept as slept

from frappe_stack import cli
from frappe_stack.remote import RemoteSite

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
