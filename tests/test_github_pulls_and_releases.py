"""frappe_stack.promote.github through real PyGithub HTTP against fake_github on 127.0.0.1: pull
requests (opened, updated, reviewers, merged, commented) and releases."""

from github_helpers import BODY, BRANCH, REPO, TOKEN, failure, promote
from github_helpers import client as client
from github_helpers import server as server

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
