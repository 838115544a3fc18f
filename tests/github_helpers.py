"""Helpers shared by test_github_* (split from one test file).

frappe_stack.promote.github through real PyGithub HTTP, against a server on 127.0.0.1 that answers
like GitHub's REST API (frappe_stack/tests/fake_github.py)."""

import pytest

from frappe_stack.promote.github import GitHub, GitHubError
from frappe_stack.tests.fake_github import FakeGitHub

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
