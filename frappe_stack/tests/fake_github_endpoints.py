"""The REST endpoints of fake_github.FakeGitHub: each route of GitHub's API that PyGithub calls for
frappe_stack.promote.github, the handler answering it from the model, and the JSON shapes GitHub
gives. Faithful where our code could go wrong (see fake_github)."""

import hashlib
import re
from urllib.parse import unquote

from frappe_stack.tests.fake_github_model import (
	NO_WRITE,
	FakePull,
	FakeRepo,
	Recorded,
	Refusal,
	not_found,
	now,
	validation_failed,
)

REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
ROUTES = [
	("GET", REPO, "get_repo"),
	("GET", REPO + r"/pulls", "list_pulls"),
	("POST", REPO + r"/pulls", "create_pull"),
	("GET", REPO + r"/pulls/(?P<number>\d+)", "get_pull"),
	("PATCH", REPO + r"/pulls/(?P<number>\d+)", "edit_pull"),
	("POST", REPO + r"/pulls/(?P<number>\d+)/requested_reviewers", "request_reviewers"),
	("GET", REPO + r"/issues/(?P<number>\d+)/labels", "get_labels"),
	("POST", REPO + r"/issues/(?P<number>\d+)/labels", "add_labels"),
	("POST", REPO + r"/issues/(?P<number>\d+)/comments", "add_comment"),
	("GET", REPO + r"/branches/(?P<branch>.+)", "get_branch"),
	("GET", REPO + r"/git/ref/(?P<ref>.+)", "get_ref"),
	("POST", REPO + r"/releases", "create_release"),
	("GET", REPO + r"/releases/tags/(?P<tag>[^/]+)", "get_release_by_tag"),
]
WRITES = {"POST", "PATCH", "PUT", "DELETE"}


class GitHubEndpoints:
	"""Mixin for FakeGitHub: `route` answers one request from `self.repos` as GitHub would (under
	FakeGitHub's lock), or raises a Refusal."""

	def route(self, request: Recorded) -> tuple[int, object]:
		self.authenticate(request.headers.get("Authorization", ""))
		self._sync_mirrors()
		for method, pattern, handler in ROUTES:
			match = re.fullmatch(pattern, request.path)
			if match and method == request.method:
				args = {key: unquote(value) for key, value in match.groupdict().items()}
				repo = self.repos.get(f"{args.pop('owner')}/{args.pop('repo')}".lower())
				if repo is None:
					raise not_found()
				if request.method in WRITES and not self.write:
					raise Refusal(403, NO_WRITE)
				return getattr(self, handler)(repo, request, **args)
		raise not_found()

	def authenticate(self, header: str) -> None:
		if not header:
			raise Refusal(401, "Requires authentication")
		scheme, _, token = header.partition(" ")
		if scheme.lower() not in ("token", "bearer") or token != self.token:
			raise Refusal(401, "Bad credentials")

	def get_repo(self, repo: FakeRepo, request: Recorded) -> tuple[int, dict]:
		return 200, self.repo_json(repo)

	def list_pulls(self, repo: FakeRepo, request: Recorded) -> tuple[int, list]:
		state = request.query.get("state", "open")
		pulls = [p for p in repo.pulls.values() if state in ("all", p.state)]
		owner, colon, branch = request.query.get("head", "").partition(":")
		if colon:  # GitHub ignores a head filter without the owner, silently: every pull request comes back
			pulls = [p for p in pulls if owner.lower() == repo.owner.lower() and p.head == branch]
		if "base" in request.query:
			pulls = [p for p in pulls if p.base == request.query["base"]]
		return 200, [self.pull_json(repo, p) for p in sorted(pulls, key=lambda p: -p.number)]

	def create_pull(self, repo: FakeRepo, request: Recorded) -> tuple[int, dict]:
		data = request.body if isinstance(request.body, dict) else {}
		for key in ("title", "head", "base"):
			if not data.get(key):
				raise validation_failed({"resource": "PullRequest", "code": "missing_field", "field": key})
		owner, colon, head = data["head"].rpartition(":")
		if (colon and owner.lower() != repo.owner.lower()) or head not in repo.branches:
			raise validation_failed({"resource": "PullRequest", "field": "head", "code": "invalid"})
		if data["base"] not in repo.branches:
			raise validation_failed({"resource": "PullRequest", "field": "base", "code": "invalid"})
		if repo.branches[head] == repo.branches[data["base"]]:
			message = f"No commits between {data['base']} and {head}"
			raise validation_failed({"resource": "PullRequest", "code": "custom", "message": message})
		for pull in repo.pulls.values():
			if pull.state == "open" and pull.head == head and pull.base == data["base"]:
				message = f"A pull request already exists for {repo.owner}:{head}."
				raise validation_failed({"resource": "PullRequest", "code": "custom", "message": message})
		pull = FakePull(
			repo.next_number,
			data["title"],
			data.get("body") or "",
			head,
			data["base"],
			repo.branches[head],
			self.login,
		)
		repo.pulls[pull.number] = pull
		repo.next_number += 1
		return 201, self.pull_json(repo, pull)

	def get_pull(self, repo: FakeRepo, request: Recorded, number: str) -> tuple[int, dict]:
		return 200, self.pull_json(repo, self.find_pull(repo, number))

	def edit_pull(self, repo: FakeRepo, request: Recorded, number: str) -> tuple[int, dict]:
		pull = self.find_pull(repo, number)
		data = request.body if isinstance(request.body, dict) else {}
		if "base" in data and data["base"] not in repo.branches:
			raise validation_failed({"resource": "PullRequest", "field": "base", "code": "invalid"})
		if data.get("state") not in (None, "open", "closed"):
			raise validation_failed({"resource": "PullRequest", "field": "state", "code": "invalid"})
		for key in ("title", "body", "base", "state"):
			if key in data:
				setattr(pull, key, data[key])
		return 200, self.pull_json(repo, pull)

	def request_reviewers(self, repo: FakeRepo, request: Recorded, number: str) -> tuple[int, dict]:
		pull = self.find_pull(repo, number)
		reviewers = (request.body or {}).get("reviewers") or []
		if any(name.lower() == pull.author.lower() for name in reviewers):
			raise Refusal(422, "Review cannot be requested from pull request author.")
		known = {name.lower() for name in repo.collaborators}
		if any(name.lower() not in known for name in reviewers):
			raise Refusal(
				422,
				"Reviews may only be requested from collaborators. One or more of the users or teams you "
				f"specified is not a collaborator of the {repo.full_name} repository.",
			)
		pull.reviewers += [name for name in reviewers if name not in pull.reviewers]
		return 201, self.pull_json(repo, pull)

	def get_labels(self, repo: FakeRepo, request: Recorded, number: str) -> tuple[int, list]:
		pull = self.find_pull(repo, number)
		return 200, [self.label_json(repo, name) for name in pull.labels]

	def add_labels(self, repo: FakeRepo, request: Recorded, number: str) -> tuple[int, list]:
		pull = self.find_pull(repo, number)
		# both shapes are documented: a bare list of names, or {"labels": [...]}
		names = request.body.get("labels", []) if isinstance(request.body, dict) else request.body or []
		if not names or not all(isinstance(name, str) and name for name in names):
			raise validation_failed({"resource": "Label", "code": "invalid", "field": "name"})
		for name in names:  # label names are case-insensitive; a new one is created in the repository
			if name.lower() not in (label.lower() for label in pull.labels):
				pull.labels.append(name)
		return 200, [self.label_json(repo, name) for name in pull.labels]

	def add_comment(self, repo: FakeRepo, request: Recorded, number: str) -> tuple[int, dict]:
		pull = self.find_pull(repo, number)
		body = (request.body or {}).get("body")
		if not body:
			raise validation_failed({"resource": "IssueComment", "code": "missing_field", "field": "body"})
		pull.comments.append(body)
		comment_id = pull.number * 1000 + len(pull.comments)
		api = f"{self.url}/repos/{repo.full_name}"
		return 201, {
			"id": comment_id,
			"node_id": f"IC_{comment_id}",
			"url": f"{api}/issues/comments/{comment_id}",
			"html_url": f"{self.html(repo)}/pull/{pull.number}#issuecomment-{comment_id}",
			"issue_url": f"{api}/issues/{pull.number}",
			"body": body,
			"user": self.user_json(self.login),
			"created_at": now(),
			"updated_at": now(),
		}

	def get_branch(self, repo: FakeRepo, request: Recorded, branch: str) -> tuple[int, dict]:
		if branch not in repo.branches:
			raise not_found("Branch not found")
		api = f"{self.url}/repos/{repo.full_name}"
		return 200, {
			"name": branch,
			"commit": {"sha": repo.branches[branch], "url": f"{api}/commits/{repo.branches[branch]}"},
			"protected": branch in repo.protected,
			"protection_url": f"{api}/branches/{branch}/protection",
			"_links": {"self": f"{api}/branches/{branch}", "html": f"{self.html(repo)}/tree/{branch}"},
		}

	def get_ref(self, repo: FakeRepo, request: Recorded, ref: str) -> tuple[int, dict]:
		kind, _, name = ref.partition("/")
		sha = {"tags": repo.tags, "heads": repo.branches}.get(kind, {}).get(name)
		if sha is None:
			raise not_found()
		api = f"{self.url}/repos/{repo.full_name}"
		return 200, {
			"ref": f"refs/{ref}",
			"node_id": f"REF_{sha[:12]}",
			"url": f"{api}/git/refs/{ref}",
			"object": {"sha": sha, "type": "commit", "url": f"{api}/git/commits/{sha}"},
		}

	def create_release(self, repo: FakeRepo, request: Recorded) -> tuple[int, dict]:
		data = request.body if isinstance(request.body, dict) else {}
		tag = data.get("tag_name")
		if not tag:
			raise validation_failed({"resource": "Release", "code": "missing_field", "field": "tag_name"})
		if tag in repo.releases:
			raise validation_failed({"resource": "Release", "code": "already_exists", "field": "tag_name"})
		# GitHub makes a missing tag itself, at the head of target_commitish or the default branch
		repo.tags.setdefault(tag, repo.branches[data.get("target_commitish") or repo.default_branch])
		release = {
			"name": data.get("name") or tag,
			"body": data.get("body") or "",
			"id": len(repo.releases) + 1,
		}
		repo.releases[tag] = release
		return 201, self.release_json(repo, tag)

	def get_release_by_tag(self, repo: FakeRepo, request: Recorded, tag: str) -> tuple[int, dict]:
		if tag not in repo.releases:
			raise not_found()
		return 200, self.release_json(repo, tag)

	# ---- GitHub's JSON shapes, with the fields PyGithub reads -----------------------------------

	def find_pull(self, repo: FakeRepo, number: str) -> FakePull:
		if int(number) not in repo.pulls:
			raise not_found()
		return repo.pulls[int(number)]

	def html(self, repo: FakeRepo) -> str:
		return f"https://github.com/{repo.full_name}"

	def user_json(self, login: str) -> dict:
		user_id = int(hashlib.sha1(login.encode()).hexdigest()[:6], 16)
		return {
			"login": login,
			"id": user_id,
			"node_id": f"U_{user_id}",
			"type": "User",
			"url": f"{self.url}/users/{login}",
			"html_url": f"https://github.com/{login}",
		}

	def repo_json(self, repo: FakeRepo) -> dict:
		api = f"{self.url}/repos/{repo.full_name}"
		return {
			"id": int(hashlib.sha1(repo.full_name.encode()).hexdigest()[:6], 16),
			"node_id": f"R_{repo.full_name}",
			"name": repo.name,
			"full_name": repo.full_name,
			"owner": self.user_json(repo.owner),
			"private": True,
			"html_url": self.html(repo),
			"url": api,
			"pulls_url": f"{api}/pulls{{/number}}",
			"issues_url": f"{api}/issues{{/number}}",
			"default_branch": repo.default_branch,
			"permissions": {"admin": False, "push": self.write, "pull": True},
		}

	def part_json(self, repo: FakeRepo, branch: str, sha: str) -> dict:
		return {
			"label": f"{repo.owner}:{branch}",
			"ref": branch,
			"sha": sha,
			"user": self.user_json(repo.owner),
			"repo": self.repo_json(repo),
		}

	def label_json(self, repo: FakeRepo, name: str) -> dict:
		label_id = int(hashlib.sha1(name.lower().encode()).hexdigest()[:6], 16)
		return {
			"id": label_id,
			"node_id": f"LA_{label_id}",
			"url": f"{self.url}/repos/{repo.full_name}/labels/{name}",
			"name": name,
			"color": "ededed",
			"default": False,
			"description": None,
		}

	def pull_json(self, repo: FakeRepo, pull: FakePull) -> dict:
		api = f"{self.url}/repos/{repo.full_name}"
		return {
			"id": 100000 + pull.number,
			"node_id": f"PR_{pull.number}",
			"number": pull.number,
			"url": f"{api}/pulls/{pull.number}",
			"html_url": f"{self.html(repo)}/pull/{pull.number}",
			"issue_url": f"{api}/issues/{pull.number}",
			"comments_url": f"{api}/issues/{pull.number}/comments",
			"state": pull.state,
			"locked": False,
			"title": pull.title,
			"body": pull.body,
			"user": self.user_json(pull.author),
			"labels": [self.label_json(repo, name) for name in pull.labels],
			"requested_reviewers": [self.user_json(name) for name in pull.reviewers],
			"requested_teams": [],
			"head": self.part_json(repo, pull.head, pull.head_sha),
			"base": self.part_json(repo, pull.base, repo.branches.get(pull.base, "")),
			"draft": False,
			"merged": pull.merged,
			# while open, GitHub names its test merge here: only `merged` says the sha is on the base
			"merge_commit_sha": pull.merge_commit_sha
			or hashlib.sha1(f"test {pull.head_sha}".encode()).hexdigest(),
			"comments": len(pull.comments),
			"created_at": pull.created_at,
			"updated_at": now(),
			"closed_at": None if pull.state == "open" else now(),
			"merged_at": now() if pull.merged else None,
		}

	def release_json(self, repo: FakeRepo, tag: str) -> dict:
		release = repo.releases[tag]
		api = f"{self.url}/repos/{repo.full_name}"
		return {
			"id": release["id"],
			"node_id": f"RE_{release['id']}",
			"url": f"{api}/releases/{release['id']}",
			"html_url": f"{self.html(repo)}/releases/tag/{tag}",
			"upload_url": f"{api}/releases/{release['id']}/assets{{?name,label}}",
			"tag_name": tag,
			"target_commitish": repo.default_branch,
			"name": release["name"],
			"body": release["body"],
			"draft": False,
			"prerelease": False,
			"author": self.user_json(self.login),
			"assets": [],
			"created_at": now(),
			"published_at": now(),
		}
