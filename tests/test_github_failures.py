"""frappe_stack.promote.github through real PyGithub HTTP against fake_github on 127.0.0.1: GitHub's
refusals, retries, timeouts and tokens, each one line that never carries the token."""

import logging
import socket

import pytest
from github_helpers import BRANCH, REPO, TOKEN, failure, promote
from github_helpers import client as client
from github_helpers import server as server

from frappe_stack.errors import StackError
from frappe_stack.promote.github import GitHub, GitHubError
from frappe_stack.tests.fake_github_model import DOCS


def closed_port_url() -> str:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return f"http://127.0.0.1:{s.getsockname()[1]}"


# ---- failures: one line, the status, GitHub's message, the fix; never the token -------------------


def test_wrong_token(client):
	error = failure(lambda: promote(client(token="ghp_wrong")))

	assert error.status == 401
	assert str(error) == (
		"GitHub: reading repository acme/site-config failed (HTTP 401: Bad credentials); check the token "
		"in FRAPPE_STACK_GITHUB_TOKEN or GITHUB_TOKEN: mistyped, expired or revoked"
	)
	assert "ghp_wrong" not in str(error)


def test_token_without_write_access(server, client):
	server.write = False

	error = failure(lambda: promote(client(retries=2)))

	assert error.status == 403
	assert str(error) == (
		f"GitHub: opening a pull request {BRANCH} -> main in acme/site-config failed (HTTP 403: Resource "
		"not accessible by personal access token); the token lacks the repo scope (classic token) or "
		"Contents and Pull requests write access to acme/site-config (fine-grained token)"
	)
	assert len(server.calls("POST", "/pulls")) == 1  # a 403 that is no rate limit is not retried


def test_rate_limit_fails_at_once_with_githubs_message(server, client):
	server.script(
		403,
		{"message": "API rate limit exceeded for user ID 1.", "documentation_url": DOCS},
		headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1714557600"},
	)

	error = failure(lambda: client(retries=3).is_protected("main"))

	assert str(error) == (
		"GitHub: reading repository acme/site-config failed (HTTP 403: API rate limit exceeded for user ID "
		"1.); this token has used up GitHub's rate limit; run again once it resets (within the hour)"
	)
	assert len(server.requests) == 1  # no waiting for the reset, which can take an hour


def test_unknown_repository(client):
	error = failure(lambda: promote(client(repo="acme/nope")))

	assert str(error) == (
		"GitHub: reading repository acme/nope failed (HTTP 404: Not Found); check the repository name "
		"acme/nope and that the token can access it"
	)


@pytest.mark.parametrize(
	("head", "github_says"),
	[
		("promote/never-pushed", "Validation Failed: head invalid"),
		("main", "Validation Failed: No commits between main and main"),
	],
)
def test_validation_failed(client, head, github_says):
	error = failure(lambda: client().open_or_update_pull(head, "main", "t", "b", [], []))

	assert error.status == 422
	assert str(error) == (
		f"GitHub: opening a pull request {head} -> main in acme/site-config failed (HTTP 422: "
		f"{github_says}); change what GitHub's validation message names and run again"
	)


def test_server_errors_are_retried(server, client):
	server.script(502, {"message": "Server Error"}, times=2)

	assert client(retries=2).is_protected("main") is True
	assert len(server.calls("GET", f"/repos/{REPO}")) == 3


def test_server_errors_beyond_the_retries(server, client):
	server.script(502, {"message": "Server Error"}, times=2)

	error = failure(lambda: client(retries=1).is_protected("main"))

	assert error.status == 502
	assert str(error) == (
		"GitHub: reading repository acme/site-config failed (HTTP 502: Server Error); "
		"GitHub had a server error; run again later"
	)


def test_connection_refused():
	url = closed_port_url()
	github = GitHub(REPO, TOKEN, url, retries=1, backoff=0, pace=False)

	error = failure(lambda: github.is_protected("main"))

	assert error.status is None
	assert str(error) == (
		f"GitHub: reading repository acme/site-config failed: could not connect to {url} (connection "
		"refused); check the GitHub base_url and the network"
	)


def test_no_answer_in_time(server, client):
	server.script(200, {}, delay=3)

	error = failure(lambda: client(timeout=1).is_protected("main"))

	assert str(error) == (
		f"GitHub: reading repository acme/site-config failed: no answer from {server.url} within 1s; "
		"check the network and run again"
	)


def test_a_server_that_does_not_speak_tls(server):
	url = server.url.replace("http://", "https://")
	github = GitHub(REPO, TOKEN, url, retries=0, pace=False)

	error = failure(lambda: github.is_protected("main"))

	assert str(error) == (
		f"GitHub: reading repository acme/site-config failed: could not talk to {url} (SSLError); "
		"check the GitHub base_url and the network"
	)


def test_failures_are_stack_errors_that_never_carry_the_token(server, client):
	server.write = False
	error = failure(lambda: promote(client()))

	assert isinstance(error, StackError)
	chain, current = [], error
	while current is not None:
		chain.append(current)
		current = current.__cause__ or current.__context__
	assert all(TOKEN not in str(exc) and TOKEN not in repr(exc) for exc in chain)


def test_the_token_is_never_logged(server, client, caplog):
	caplog.set_level(logging.DEBUG)
	github = client()
	number = promote(github, reviewers=["stack-bot", "alice"]).number
	github.pull_state(number)
	server.tag(REPO, "v0.1.0")
	github.create_release("v0.1.0", "v0.1.0", "notes")
	failure(lambda: client(token=TOKEN + "x").is_protected("main"))

	assert "/pulls" in caplog.text  # the requests were logged, and with them no token
	assert TOKEN not in caplog.text


@pytest.mark.parametrize(
	("token", "expected"),
	[
		(
			"",
			"no GitHub token: set FRAPPE_STACK_GITHUB_TOKEN or GITHUB_TOKEN to a token with access to acme/x",
		),
		(
			"ghp_abc\x00def",
			"FRAPPE_STACK_GITHUB_TOKEN or GITHUB_TOKEN holds control or non-ASCII characters; "
			"set it to the token exactly as GitHub showed it",
		),
	],
)
def test_unusable_token_is_refused_before_any_request(token, expected):
	with pytest.raises(GitHubError) as caught:
		GitHub("acme/x", token)
	assert str(caught.value) == expected


def test_a_token_read_with_its_newline_works(server, client):
	assert client(token=TOKEN + "\n").is_protected("main") is True


@pytest.mark.parametrize("repo", ["site-config", "acme/", "acme/site/config"])
def test_repository_must_be_owner_slash_name(repo):
	with pytest.raises(GitHubError, match="is not owner/name"):
		GitHub(repo, TOKEN)
