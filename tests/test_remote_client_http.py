"""RemoteSite against a real HTTP server on 127.0.0.1 that answers like Frappe's REST API
(tests/fake_frappe.py): headers, retries, and one-line errors."""

import json
import time

import pytest
from fake_frappe import API
from remote_client_helpers import KEY, MISSING_APP, SECRET, closed_port_url, error_of
from remote_client_helpers import client as client
from remote_client_helpers import fake as fake
from remote_client_helpers import slept as slept

from frappe_stack.remote import RemoteError, RemoteSite

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
