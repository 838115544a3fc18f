"""Posting release notes to a Slack incoming webhook, against a local HTTP server on 127.0.0.1 that
answers from a script: retries on timeouts, 5xx and 429, final on other answers, never raises, and
never lets the webhook's secret path into what it reports."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from frappe_stack.http_policy import MAX_WAIT
from frappe_stack.promote.slack import post

SECRET_PATH = "/services/T000/B000/XXXXsecretXXXX"


class Webhook:
	"""A webhook whose answers are scripted: each request takes the next (status, body, headers,
	delay); the last one repeats."""

	def __init__(self, *answers):
		self.answers = list(answers)
		self.requests = []
		self.lock = threading.Lock()
		webhook = self

		class Handler(BaseHTTPRequestHandler):
			def do_POST(self):
				body = self.rfile.read(int(self.headers["Content-Length"]))
				with webhook.lock:
					webhook.requests.append((self.path, self.headers["Content-Type"], json.loads(body)))
					answer = webhook.answers.pop(0) if len(webhook.answers) > 1 else webhook.answers[0]
				status, text, headers, delay = answer
				time.sleep(delay)
				try:
					self.send_response(status)
					for name, value in headers.items():
						self.send_header(name, value)
					self.send_header("Content-Length", str(len(text)))
					self.end_headers()
					self.wfile.write(text.encode())
				except OSError:  # the client gave up waiting and closed the connection
					pass

			def log_message(self, *args):
				pass

		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.server.daemon_threads = True
		self.url = f"http://127.0.0.1:{self.server.server_port}{SECRET_PATH}"
		threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

	def close(self):
		self.server.shutdown()
		self.server.server_close()


def answer(status=200, text="ok", headers=None, delay=0.0):
	return (status, text, headers or {}, delay)


@pytest.fixture
def webhook():
	servers = []

	def start(*answers):
		servers.append(Webhook(*answers))
		return servers[-1]

	yield start
	for server in servers:
		server.close()


class Sleeps(list):
	"""Records the waits instead of waiting."""

	def __call__(self, seconds):
		self.append(seconds)


def assert_no_secret(reason):
	assert "XXXXsecretXXXX" not in reason and "/services/" not in reason


def test_posted(webhook):
	hook, sleeps = webhook(answer()), Sleeps()
	assert post(hook.url, "## v0.1.0\n\n### Added", sleep=sleeps) is None
	assert hook.requests == [(SECRET_PATH, "application/json", {"text": "## v0.1.0\n\n### Added"})]
	assert sleeps == []


def test_server_errors_are_tried_again_with_growing_waits(webhook):
	hook, sleeps = webhook(answer(500, "oops"), answer(503, ""), answer(200)), Sleeps()
	assert post(hook.url, "notes", sleep=sleeps) is None
	assert len(hook.requests) == 3
	assert sleeps == [1, 2]


def test_gives_up_after_the_retries_and_says_why(webhook):
	hook, sleeps = webhook(answer(502, "bad gateway")), Sleeps()
	reason = post(hook.url, "notes", retries=3, sleep=sleeps)
	assert reason == "Slack webhook at 127.0.0.1: answered 502 bad gateway after 4 attempts"
	assert len(hook.requests) == 4
	assert sleeps == [1, 2, 4]


def test_a_timeout_is_tried_again(webhook):
	hook, sleeps = webhook(answer(delay=1.0), answer()), Sleeps()
	assert post(hook.url, "notes", timeout=0.2, sleep=sleeps) is None
	assert len(hook.requests) == 2
	assert sleeps == [1]


def test_timeouts_every_time(webhook):
	hook = webhook(answer(delay=1.0))
	reason = post(hook.url, "notes", timeout=0.2, retries=1, sleep=Sleeps())
	assert reason == "Slack webhook at 127.0.0.1: no answer within 0.2s after 2 attempts"
	assert_no_secret(reason)


def test_rate_limit_waits_as_slack_says_within_a_bound(webhook):
	hook = webhook(
		answer(429, "rate_limited", {"Retry-After": "7"}), answer(429, "", {"Retry-After": "3600"}), answer()
	)
	sleeps = Sleeps()
	assert post(hook.url, "notes", sleep=sleeps) is None
	assert sleeps == [7, MAX_WAIT]


@pytest.mark.parametrize("value", ["nan", "Wed, 21 Oct 2026 07:28:00 GMT", "-5"])
def test_a_retry_after_that_is_not_a_number_of_seconds(webhook, value):
	hook, sleeps = webhook(answer(429, "", {"Retry-After": value}), answer()), Sleeps()
	assert post(hook.url, "notes", sleep=sleeps) is None
	assert sleeps == [0 if value == "-5" else 1]


@pytest.mark.parametrize(
	"status, said", [(404, "no_service"), (400, "invalid_payload"), (410, "channel_is_archived")]
)
def test_client_errors_are_final(webhook, status, said):
	hook, sleeps = webhook(answer(status, said)), Sleeps()
	reason = post(hook.url, "notes", sleep=sleeps)
	assert reason == f"Slack webhook at 127.0.0.1: answered {status} {said}"
	assert len(hook.requests) == 1 and sleeps == []


def test_an_answer_quoting_the_request_does_not_leak_the_path(webhook):
	hook = webhook(answer(403, f"forbidden: POST {SECRET_PATH}\n"))
	reason = post(hook.url, "notes", sleep=Sleeps())
	assert reason == "Slack webhook at 127.0.0.1: answered 403 forbidden: POST ..."


def test_nobody_listening(webhook):
	hook = webhook(answer())
	url = hook.url
	hook.close()
	sleeps = Sleeps()
	reason = post(url, "notes", retries=2, sleep=sleeps)
	assert reason == "Slack webhook at 127.0.0.1: could not reach it (ConnectionError) after 3 attempts"
	assert sleeps == [1, 2]
	assert_no_secret(reason)


@pytest.mark.parametrize(
	"url", ["", "hooks.slack.com/services/T/B/secret", "ftp://hooks.slack.com/secret", "http://[::1/secret"]
)
def test_not_a_webhook_url(url):
	reason = post(url, "notes", sleep=Sleeps())
	assert reason == "the Slack webhook is not an http(s) URL; set it to the URL Slack gave for the webhook"


def test_nothing_is_printed(webhook, capsys):
	hook = webhook(answer(500))
	post(hook.url, "notes", retries=1, sleep=Sleeps())
	assert capsys.readouterr() == ("", "")
