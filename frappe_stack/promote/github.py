"""The one place that talks to GitHub, through PyGithub: the pull request `promote` opens, the revert
pull request `deploy` opens when it rolls back, the release `ship` creates.

The token comes from the caller (who reads GITHUB_TOKEN or FRAPPE_STACK_GITHUB_TOKEN) and goes into
the Authorization header only. Every failure becomes one GitHubError line written here from the HTTP
status and GitHub's own message, never from the text of a PyGithub or requests exception.
"""

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests
import urllib3
from github import Auth, Github, GithubException, UnknownObjectException
from github.PullRequest import PullRequest as GitHubPull
from github.Repository import Repository

from frappe_stack import http_policy
from frappe_stack.errors import StackError

TOKEN_VARIABLES = ("FRAPPE_STACK_GITHUB_TOKEN", "GITHUB_TOKEN")  # the first one set wins
TOKEN_NAMES = " or ".join(TOKEN_VARIABLES)


def env_token() -> str:
	"""The GitHub token from the environment ("" when none is set); never from a file."""
	return next((os.environ[name] for name in TOKEN_VARIABLES if os.environ.get(name)), "")


class GitHubError(StackError):
	"""A GitHub request that failed; `status` is GitHub's HTTP status, None when GitHub did not answer."""

	def __init__(self, message: str, status: int | None = None):
		super().__init__(message)
		self.status = status


@dataclass(frozen=True)
class PullRequest:
	number: int
	url: str
	created: bool  # False: the open pull request for this head branch was updated instead
	reviewers: tuple[str, ...] = ()  # asked to review on this run
	notes: tuple[str, ...] = ()  # what was left out and why, for the caller to show


class GitHub:
	def __init__(
		self,
		repo: str,
		token: str,
		base_url: str = "https://api.github.com",
		timeout: float = 15,
		retries: int = 3,
		*,
		backoff: float = 0.5,
		pace: bool = True,
	):
		# a token read from a file often ends in a newline, and requests would quote the whole header,
		# token included, in the error it raises for one
		token = (token or "").strip()
		if not token:
			raise GitHubError(f"no GitHub token: set {TOKEN_NAMES} to a token with access to {repo}")
		if not (token.isascii() and token.isprintable()):
			raise GitHubError(
				f"{TOKEN_NAMES} holds control or non-ASCII characters; set it to the token exactly as "
				"GitHub showed it"
			)
		owner, _, name = repo.partition("/")
		if not owner or not name or "/" in name:
			raise GitHubError(f"GitHub repository {repo!r} is not owner/name, like acme/site-config")
		self.repo, self.base_url, self.timeout = repo, base_url.rstrip("/"), timeout
		self._token = token
		self._repository: Repository | None = None
		self._github = Github(
			auth=Auth.Token(token),
			base_url=self.base_url,
			timeout=max(1, math.ceil(timeout)),  # PyGithub takes whole seconds only
			# server errors and lost connections, for every verb: a pull request or release whose
			# answer was lost is found again below, labels and review requests are idempotent.
			# Not PyGithub's GithubRetry: on a rate limit it sleeps until the limit resets, up to an
			# hour of what looks like a hang in CI; here a rate limit fails at once and says so (a
			# secondary one's Retry-After is waited for, up to http_policy.MAX_WAIT)
			retry=http_policy.Policy(
				retries, backoff_factor=backoff, status_forcelist=http_policy.SERVER_ERRORS
			),
			# GitHub asks integrations to space requests (a second between writes) to stay clear of its
			# secondary rate limits; there is nothing to space against a local test server
			seconds_between_requests=0.25 if pace else None,
			seconds_between_writes=1.0 if pace else None,
		)

	# ---- pull requests -------------------------------------------------------------------------

	def open_or_update_pull(
		self, head: str, base: str, title: str, body: str, labels: list[str], reviewers: list[str]
	) -> PullRequest:
		"""Open the pull request head -> base, or update the one already open for `head`: one open pull
		request per head branch, however often promote runs. Labels are added to those it has; the
		author cannot review their own pull request, so they are left out with a note."""
		pull, created = self._open_or_update(head, base, title, body)
		if labels:
			with self._calling(f"labelling pull request #{pull.number} in {self.repo}"):
				pull.add_to_labels(*labels)
		requested, notes = self._request_reviews(pull, reviewers)
		return PullRequest(pull.number, pull.html_url, created, requested, notes)

	def open_revert_pull(self, head: str, base: str, title: str, body: str, labels: list[str]) -> PullRequest:
		"""The pull request that takes a failed deploy's change out of `base`. Nobody from the rotation is
		asked to review: production is already restored, and whoever is on call merges it."""
		return self.open_or_update_pull(head, base, title, body, labels, reviewers=[])

	def pull_state(self, number: int) -> dict:
		"""state ("open" or "closed"), merged, merge_commit_sha (the merged commit once merged), head and
		base branch names."""
		repo = self._repo()
		with self._calling(
			f"reading pull request #{number} in {self.repo}",
			not_found=f"there is no pull request #{number} in {self.repo}",
		):
			pull = repo.get_pull(number)
			return {
				"state": pull.state,
				"merged": pull.merged,
				"merge_commit_sha": pull.merge_commit_sha,
				"head": pull.head.ref,
				"base": pull.base.ref,
			}

	def comment(self, number: int, body: str) -> str:
		"""Comment on a pull request (a deploy that rolled back tells the merged promotion); returns the
		comment's address."""
		repo = self._repo()
		with self._calling(
			f"commenting on pull request #{number} in {self.repo}",
			not_found=f"there is no pull request #{number} in {self.repo}",
		):
			return repo.get_pull(number).create_issue_comment(body).html_url

	def is_protected(self, branch: str) -> bool:
		repo = self._repo()
		with self._calling(f"reading branch {branch} of {self.repo}"):
			try:
				return repo.get_branch(branch).protected
			except UnknownObjectException:
				return False  # not on GitHub yet (promote has not pushed it): nothing protects it

	# ---- releases ------------------------------------------------------------------------------

	def create_release(self, tag: str, name: str, body: str) -> str:
		"""Publish the release for `tag`, which must already be on GitHub; returns its address. A release
		for the tag that exists already is an error, unless it is this one (same name and notes): a
		retried request whose answer was lost, or ship run again after a later step failed."""
		repo = self._repo()
		with self._calling(f"reading tag {tag} of {self.repo}"):
			try:
				repo.get_git_ref(f"tags/{tag}")
			except UnknownObjectException:
				# GitHub would make the tag itself, on the default branch's head: maybe not the commit
				# that carries the changelog entry
				raise GitHubError(
					f"GitHub: tag {tag} is not in {self.repo}; push it first (git push origin {tag})", 404
				) from None
		with self._calling(f"creating release {tag} in {self.repo}"):
			try:
				return repo.create_git_release(tag, name=name, message=body).html_url
			except GithubException as exc:
				if exc.status != 422 or "already_exists" not in _codes(exc.data):
					raise
				existing = repo.get_release(tag)
				if (existing.name, existing.body) == (name, body):
					return existing.html_url
				raise GitHubError(
					f"GitHub: creating release {tag} in {self.repo} failed: a release for tag {tag} "
					"already exists with other notes; ship a new version, or edit that release on GitHub",
					422,
				) from exc

	# ---- the requests behind them ---------------------------------------------------------------

	def _repo(self) -> Repository:
		if self._repository is None:
			with self._calling(f"reading repository {self.repo}"):
				self._repository = self._github.get_repo(self.repo)
		return self._repository

	def _open_or_update(self, head: str, base: str, title: str, body: str) -> tuple[GitHubPull, bool]:
		repo = self._repo()
		pull = self._open_pull_for(head)
		if pull is None:
			with self._calling(f"opening a pull request {head} -> {base} in {self.repo}"):
				try:
					return repo.create_pull(base=base, head=head, title=title, body=body), True
				except GithubException as exc:
					# a retried request whose first answer was lost, or a run at the same time, has
					# opened it already: update that one
					if exc.status != 422 or (pull := self._open_pull_for(head)) is None:
						raise
		with self._calling(f"updating pull request #{pull.number} in {self.repo}"):
			pull.edit(title=title, body=body, base=base)
		return pull, False

	def _open_pull_for(self, head: str) -> GitHubPull | None:
		repo = self._repo()
		with self._calling(f"listing open pull requests from {head} in {self.repo}"):
			# GitHub ignores a head filter without the owner and answers every open pull request, hence
			# owner:branch, and the check on each answer
			pulls = repo.get_pulls(state="open", head=f"{repo.owner.login}:{head}")
			return next((pull for pull in pulls if pull.head.ref == head), None)

	def _request_reviews(
		self, pull: GitHubPull, reviewers: list[str]
	) -> tuple[tuple[str, ...], tuple[str, ...]]:
		author = pull.user.login
		wanted = list(dict.fromkeys(reviewers))
		asked = tuple(name for name in wanted if name.casefold() != author.casefold())
		notes = ()
		if len(asked) < len(wanted):
			notes = (f"{author} opened pull request #{pull.number} and cannot review it; not asked",)
		if asked:
			with self._calling(
				f"asking {', '.join(asked)} to review pull request #{pull.number} in {self.repo}"
			):
				pull.create_review_request(reviewers=list(asked))
		return asked, notes

	@contextmanager
	def _calling(self, what: str, not_found: str | None = None) -> Iterator[None]:
		"""Turn a failed request inside into one GitHubError line: what failed, the status, GitHub's
		message and the fix."""
		try:
			yield
		except GithubException as exc:
			message = _message(exc.data)
			detail = f"HTTP {exc.status}: {message}" if message else f"HTTP {exc.status}"
			line = f"GitHub: {what} failed ({detail}); {self._fix(exc.status, message, not_found)}"
			raise GitHubError(self._redact(line), exc.status) from exc
		except requests.RequestException as exc:
			line = f"GitHub: {what} failed: {self._network_problem(exc)}"
			raise GitHubError(self._redact(line)) from exc

	def _fix(self, status: int, message: str, not_found: str | None) -> str:
		if status == 401:
			return f"check the token in {TOKEN_NAMES}: mistyped, expired or revoked"
		if status == 429 or (status == 403 and "rate limit" in message.lower()):
			return "this token has used up GitHub's rate limit; run again once it resets (within the hour)"
		if status == 403:
			return (
				f"the token lacks the repo scope (classic token) or Contents and Pull requests write access "
				f"to {self.repo} (fine-grained token)"
			)
		if status == 404:
			return not_found or f"check the repository name {self.repo} and that the token can access it"
		if status == 422:
			return "change what GitHub's validation message names and run again"
		if status >= 500:
			return "GitHub had a server error; run again later"
		return "see GitHub's message"

	def _network_problem(self, exc: requests.RequestException) -> str:
		if http_policy.timed_out(exc):
			return f"no answer from {self.base_url} within {self.timeout:g}s; check the network and run again"
		if http_policy.caused_by(exc, urllib3.exceptions.NewConnectionError):
			refused = http_policy.caused_by(exc, ConnectionRefusedError)
			why = "connection refused" if refused else "connection failed"
			return f"could not connect to {self.base_url} ({why}); check the GitHub base_url and the network"
		return f"could not talk to {self.base_url} ({type(exc).__name__}); check the GitHub base_url and the network"

	def _redact(self, line: str) -> str:
		# GitHub's messages may quote what was sent, and what was sent is ours to keep secret
		return line.replace(self._token, "***")


def _message(data: object) -> str:
	"""GitHub's message and its validation errors, on one line ("" for a body that is not GitHub's)."""
	if not isinstance(data, dict):
		return ""  # an HTML page from a proxy, or nothing
	details = []
	for error in data.get("errors") or []:
		if isinstance(error, dict):
			described = " ".join(str(error[key]) for key in ("field", "code") if error.get(key))
			details.append(str(error.get("message") or described))
		else:
			details.append(str(error))
	text = str(data.get("message") or "") + (": " + "; ".join(details) if details else "")
	return " ".join(text.split())


def _codes(data: object) -> set[str]:
	errors = data.get("errors") if isinstance(data, dict) else None
	return {error.get("code") for error in errors or [] if isinstance(error, dict)}
