"""frappe_stack.http_policy, the retry policy every HTTP client of the package shares, against a
server on 127.0.0.1 that answers from a script."""

import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from frappe_stack.http_policy import MAX_WAIT, Policy, session, timed_out

PACKAGE = Path(__file__).resolve().parent.parent / "frappe_stack"
SECRET_PATH = "/hooks/XXXXsecretXXXX"


class Scripted:
	"""Each request takes the next answer (status, headers, delay); the last one repeats. A status
	of None closes the connection without answering."""

	def __init__(self, *answers):
		self.answers, self.paths = list(answers), []
		scripted = self

		class Handler(BaseHTTPRequestHandler):
			def do_POST(self):
				self.rfile.read(int(self.headers.get("Content-Length") or 0))
				scripted.paths.append(self.path)
				status, headers, delay = (
					scripted.answers.pop(0) if len(scripted.answers) > 1 else scripted.answers[0]
				)
				if delay:
					threading.Event().wait(delay)
				if status is None:
					self.close_connection = True
					return
				try:
					self.send_response(status)
					for name, value in headers.items():
						self.send_header(name, value)
					self.send_header("Content-Length", "2")
					self.end_headers()
					self.wfile.write(b"{}")
				except OSError:
					pass

			def log_message(self, *args):
				pass

		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.server.daemon_threads = True
		self.url = f"http://127.0.0.1:{self.server.server_port}{SECRET_PATH}"
		threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture
def serve():
	servers = []

	def start(*answers):
		servers.append(Scripted(*answers))
		return servers[-1]

	yield start
	for server in servers:
		server.server.shutdown()
		server.server.server_close()


def answer(status=200, headers=None, delay=0.0):
	return (status, headers or {}, delay)


def post(url, statuses=frozenset({503}), total=3, timeout=5, **options):
	waits = []
	policy = Policy(total, backoff_factor=0.5, status_forcelist=statuses, pause=waits.append, **options)
	with session(policy) as http:
		return http.post(url, json={}, timeout=timeout), waits


def closed_port_url() -> str:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	return f"http://127.0.0.1:{port}{SECRET_PATH}"


def test_the_wait_doubles_from_the_first_retry(serve):
	server = serve(answer(503), answer(503), answer(503), answer(200))
	response, waits = post(server.url)
	assert response.status_code == 200
	assert waits == [0.5, 1, 2]
	assert len(server.paths) == 4


def test_when_the_retries_run_out_the_last_answer_is_returned(serve):
	server = serve(answer(503))
	response, waits = post(server.url, total=2)
	assert response.status_code == 503
	assert waits == [0.5, 1]
	assert len(server.paths) == 3


def test_a_status_not_listed_is_final(serve):
	server = serve(answer(404), answer(200))
	response, waits = post(server.url)
	assert response.status_code == 404
	assert waits == [] and len(server.paths) == 1


@pytest.mark.parametrize(
	("value", "wait"),
	[
		("2", 2),
		("0.25", 0.25),
		("99999", MAX_WAIT),
		("-5", 0),
		("nan", 0.5),
		("Wed, 21 Oct 2026 07:28:00 GMT", 0.5),
	],
)
def test_retry_after_in_seconds_is_honoured_up_to_the_cap(serve, value, wait):
	server = serve(answer(503, {"Retry-After": value}), answer(200))
	response, waits = post(server.url)
	assert response.status_code == 200
	assert waits == [wait]


def test_a_client_can_lower_the_cap(serve):
	server = serve(answer(503, {"Retry-After": "20"}), answer(200))
	_, waits = post(server.url, max_wait=5)
	assert waits == [5]


def test_a_429_that_says_when_to_come_back_is_retried_even_when_not_listed(serve):
	# GitHub's secondary rate limit: 429 with Retry-After
	server = serve(answer(429, {"Retry-After": "3"}), answer(200))
	response, waits = post(server.url, statuses=frozenset())
	assert response.status_code == 200
	assert waits == [3]


def test_a_dropped_connection_is_retried_for_a_post(serve):
	server = serve(answer(None), answer(200))
	response, waits = post(server.url)
	assert response.status_code == 200
	assert waits == [0.5]


def test_a_timeout_after_the_retries_is_told_apart_from_nobody_listening(serve):
	server = serve(answer(delay=2))
	with pytest.raises(requests.RequestException) as slow:
		post(server.url, total=1, timeout=0.2)
	assert timed_out(slow.value)
	with pytest.raises(requests.RequestException) as refused:
		post(closed_port_url(), total=1)
	assert not timed_out(refused.value)


def test_the_retry_warning_never_shows_the_path(caplog):
	with caplog.at_level(logging.WARNING, logger="urllib3"), pytest.raises(requests.ConnectionError):
		post(closed_port_url(), total=2)
	assert "Retrying" in caplog.text
	assert "XXXXsecretXXXX" not in caplog.text


def test_every_http_client_of_the_package_goes_through_the_policy():
	sends = re.compile(r"requests\.(get|post|put|patch|delete|request|Session)\(|Retry\(|PoolManager\(")
	found = [
		str(path.relative_to(PACKAGE))
		for path in PACKAGE.rglob("*.py")
		if "tests" not in path.relative_to(PACKAGE).parts
		and path.name != "http_policy.py"
		and sends.search(path.read_text(encoding="utf-8"))
	]
	assert found == []
