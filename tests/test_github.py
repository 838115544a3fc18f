"""frappe_stack.promote.github through real PyGithub HTTP, against a server on 127.0.0.1 that answers
like GitHub's REST API (frappe_stack/tests/fake_github.py)."""

import logging
import socket

import pytest

from frappe_stack.errors import StackError
from frappe_stack.promote.github import GitHub, GitHubError
from frappe_stack.tests.fake_github import DOCS, FakeGitHub

TOKEN = "ghp_Secr3tT0kenThatMustNeverBeShown00000"
REPO = "acme/site-config"
BRANCH = "promote/sprint-15-20240501-1000"
BODY = "## Summary\n\nBeneficiary registration"


@pytest.fixture
def server():
	with FakeGitHub(TOKEN, login="stack-bot") as fake:
		fake.add_repo(REPO, protected=("main",), collaborators=("alice", "bob", "carol"))
		fake.push(REPO, BRANCH)
		yield fake


@pytest.fixture
def client(server):
	def make(**options) -> GitHub:
		options = {"retries": 0, "timeout": 5, "backoff": 0, "pace": False, **options}
		return GitHub(options.pop("repo", REPO), options.pop("token", TOKEN), server.url, **options)

	return make


def promote(github: GitHub, title: str = "Promote sprint-15", labels=("promotion",), reviewers=("alice",)):
	return github.open_or_update_pull(BRANCH, "main", title, BODY, list(labels), list(reviewers))


def failure(call) -> GitHubError:
	with pytest.raises(GitHubError) as caught:
		call()
	message = str(caught.value)
	assert "\n" not in message and TOKEN not in message and TOKEN not in repr(caught.value)
	return caught.value


def closed_port_url() -> str:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return f"http://127.0.0.1:{s.getsockname()[1]}"


# ---- pull requests ------------------------------------------------------------------------------


def test_opens_a_pull_request_labelled_with_reviewers(server, client):
	pull = promote(client(), labels=["promotion", "emergency"], reviewers=["alice", "bob"])

	assert pull.created and pull.number == 1
	assert pull.url == "https://github.com/acme/site-config/pull/1"
	assert pull.reviewers == ("alice", "bob") and pull.notes == ()
	[opened] = server.pulls(REPO)
	assert (opened.head, opened.base, opened.title, opened.body) == (
		BRANCH,
		"main",
		"Promote sprint-15",
		BODY,
	)
	assert opened.labels == ["promotion", "emergency"]
	assert opened.reviewers == ["alice", "bob"]
	assert {r.headers["Authorization"] for r in server.requests} == {f"token {TOKEN}"}


def test_running_again_updates_the_same_pull_request(server, client):
	first = promote(client(), title="Promote sprint-15")
	again = promote(client(), title="Promote sprint-15 (take 2)", labels=["emergency"], reviewers=["bob"])

	assert not again.created and again.number == first.number and again.url == first.url
	[pull] = server.pulls(REPO)
	assert pull.title == "Promote sprint-15 (take 2)"
	assert pull.labels == ["promotion", "emergency"]
	assert pull.reviewers == ["alice", "bob"]
	assert len(server.calls("POST", "/pulls")) == 1
	# the owner is part of the filter: GitHub ignores a bare branch name and lists every pull request
	assert {r.query["head"] for r in server.calls("GET", "/pulls")} == {f"acme:{BRANCH}"}


def test_an_open_pull_request_from_another_branch_is_left_alone(server, client):
	server.push(REPO, "promote/other")
	other = client().open_or_update_pull("promote/other", "main", "Other", "", [], [])

	mine = promote(client())

	assert mine.created and mine.number != other.number
	assert [p.title for p in server.pulls(REPO, "open")] == ["Other", "Promote sprint-15"]


def test_a_merged_pull_request_is_not_reused(server, client):
	first = promote(client())
	server.merge(REPO, first.number)
	server.push(REPO, BRANCH)

	second = promote(client())

	assert second.created and second.number == first.number + 1
	assert [p.state for p in server.pulls(REPO)] == ["closed", "open"]


def test_a_pull_request_opened_but_not_answered_is_updated_not_opened_twice(server, client):
	server.push(REPO, "promote/lost")
	server.script(502, {"message": "Server Error"}, handle=True, only="POST /pulls")

	pull = client(retries=1).open_or_update_pull("promote/lost", "main", "Lost answer", BODY, [], [])

	assert len(server.calls("POST", "/pulls")) == 2  # the retry met GitHub's "already exists"
	assert [p.number for p in server.pulls(REPO)] == [pull.number]
	assert server.pulls(REPO)[0].title == "Lost answer"


def test_the_author_is_not_asked_to_review_and_a_note_says_so(server, client):
	pull = promote(client(), reviewers=["Stack-Bot", "alice"])

	assert pull.reviewers == ("alice",)
	assert pull.notes == ("stack-bot opened pull request #1 and cannot review it; not asked",)
	assert server.pulls(REPO)[0].reviewers == ["alice"]


def test_no_review_request_when_only_the_author_was_named(server, client):
	pull = promote(client(), reviewers=["stack-bot"])

	assert pull.reviewers == () and len(pull.notes) == 1
	assert server.calls("POST", "/requested_reviewers") == []


def test_a_reviewer_who_is_not_a_collaborator_fails_with_githubs_message(server, client):
	error = failure(lambda: promote(client(), reviewers=["mallory"]))

	assert error.status == 422
	assert str(error) == (
		"GitHub: asking mallory to review pull request #1 in acme/site-config failed (HTTP 422: Reviews "
		"may only be requested from collaborators. One or more of the users or teams you specified is not "
		"a collaborator of the acme/site-config repository.); change what GitHub's validation message "
		"names and run again"
	)


def test_pull_state_follows_the_pull_request_through_merge(server, client):
	github = client()
	number = promote(github).number
	head_sha = server.repos[REPO].branches[BRANCH]

	state = github.pull_state(number)
	test_merge = state.pop("merge_commit_sha")
	assert state == {"state": "open", "merged": False, "head": BRANCH, "base": "main"}

	merged = server.merge(REPO, number)

	state = github.pull_state(number)
	assert (state["state"], state["merged"], state["merge_commit_sha"]) == ("closed", True, merged)
	assert merged not in (head_sha, test_merge) and server.repos[REPO].branches["main"] == merged


def test_pull_state_of_a_missing_pull_request(client):
	error = failure(lambda: client().pull_state(99))

	assert str(error) == (
		"GitHub: reading pull request #99 in acme/site-config failed (HTTP 404: Not Found); "
		"there is no pull request #99 in acme/site-config"
	)


def test_protected_branches(server, client):
	github = client()

	assert github.is_protected("main") is True
	assert github.is_protected(BRANCH) is False
	assert github.is_protected("promote/not-pushed-yet") is False


def test_revert_pull_request_asks_nobody_and_is_opened_once(server, client):
	server.push(REPO, "revert/sprint-15")
	github = client()

	first = github.open_revert_pull(
		"revert/sprint-15", "main", "Revert sprint-15", "Smoke failed", ["revert"]
	)
	again = github.open_revert_pull("revert/sprint-15", "main", "Revert sprint-15", "Smoke failed again", [])

	assert first.created and not again.created and first.number == again.number
	[pull] = server.pulls(REPO)
	assert (pull.body, pull.labels, pull.reviewers) == ("Smoke failed again", ["revert"], [])
	assert server.calls("POST", "/requested_reviewers") == []


def test_comment_on_a_pull_request(server, client):
	github = client()
	number = promote(github).number

	url = github.comment(number, "Deploy failed; production restored.")

	assert url.startswith("https://github.com/acme/site-config/pull/1#issuecomment-")
	assert server.pulls(REPO)[0].comments == ["Deploy failed; production restored."]


# ---- releases -----------------------------------------------------------------------------------


def test_creates_the_release_for_a_pushed_tag(server, client):
	sha = server.tag(REPO, "v0.1.0")

	url = client().create_release("v0.1.0", "v0.1.0", "## [0.1.0]\n\n### Added\n- beneficiary")

	assert url == "https://github.com/acme/site-config/releases/tag/v0.1.0"
	release = server.repos[REPO].releases["v0.1.0"]
	assert release["body"] == "## [0.1.0]\n\n### Added\n- beneficiary"
	assert server.repos[REPO].tags["v0.1.0"] == sha


def test_a_second_release_for_a_tag_is_an_error_that_says_so(server, client):
	server.tag(REPO, "v0.1.0")
	client().create_release("v0.1.0", "v0.1.0", "notes")

	error = failure(lambda: client().create_release("v0.1.0", "v0.1.0", "other notes"))

	assert error.status == 422
	assert str(error) == (
		"GitHub: creating release v0.1.0 in acme/site-config failed: a release for tag v0.1.0 already "
		"exists with other notes; ship a new version, or edit that release on GitHub"
	)
	assert server.repos[REPO].releases["v0.1.0"]["body"] == "notes"


def test_the_same_release_again_is_the_one_there(server, client):
	server.tag(REPO, "v0.1.0")
	first = client().create_release("v0.1.0", "v0.1.0", "notes")

	assert client().create_release("v0.1.0", "v0.1.0", "notes") == first
	assert len(server.repos[REPO].releases) == 1


def test_a_release_created_but_not_answered_is_found_again(server, client):
	server.tag(REPO, "v0.1.0")
	server.script(502, {"message": "Server Error"}, handle=True, only="POST /releases")

	url = client(retries=1).create_release("v0.1.0", "v0.1.0", "notes")

	assert url == "https://github.com/acme/site-config/releases/tag/v0.1.0"
	assert len(server.calls("POST", "/releases")) == 2 and len(server.repos[REPO].releases) == 1


def test_a_release_for_a_tag_github_does_not_have_is_refused_before_creating_it(server, client):
	error = failure(lambda: client().create_release("v0.2.0", "v0.2.0", "notes"))

	assert (
		str(error) == "GitHub: tag v0.2.0 is not in acme/site-config; push it first (git push origin v0.2.0)"
	)
	assert server.calls("POST", "/releases") == [] and "v0.2.0" not in server.repos[REPO].tags


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
