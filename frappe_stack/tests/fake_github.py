"""A real HTTP server on 127.0.0.1 that answers like GitHub's REST API, for the endpoints PyGithub
calls on behalf of frappe_stack.promote.github, from an in-memory model: repositories with branches
(some protected), tags and collaborators; pull requests with their labels, requested reviewers and
comments; releases.

It is faithful where our code could go wrong: the pull list ignores a `head` filter that is not
`owner:branch`, a second open pull request for the same head and base is a 422, the author cannot be
asked to review, a second release for a tag is a 422, what does not exist is GitHub's 404, a wrong
token is `401 Bad credentials`, a token without write access gets GitHub's 403.

Tests play the people on github.com through methods (`push` a branch, `merge` a pull request),
queue odd answers with `script` (server errors, slowness, an answer lost after the work was done)
and read every request in `requests`.
"""

import hashlib
import json
import re
import subprocess
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

DOCS = "https://docs.github.com/rest"
NO_WRITE = "Resource not accessible by personal access token"


@dataclass
class Recorded:
	method: str
	path: str
	query: dict[str, str]
	headers: dict[str, str]
	body: object


@dataclass
class Reply:
	status: int
	body: object = None
	delay: float = 0
	handle: bool = False  # do the work first, then answer this instead (an answer lost on the way)
	only: str = ""  # "POST /pulls": for the first request with that method and path ending, else any
	headers: dict[str, str] = field(default_factory=dict)

	def fits(self, request: "Recorded") -> bool:
		method, _, path_end = self.only.partition(" ")
		return not self.only or (request.method == method and request.path.endswith(path_end))


class Refusal(Exception):
	"""GitHub's answer to a request it will not do."""

	def __init__(self, status: int, message: str, errors: list | None = None):
		super().__init__(message)
		self.body = {"message": message, "documentation_url": DOCS, "status": str(status)}
		if errors is not None:
			self.body["errors"] = errors
		self.status = status


def validation_failed(*errors: dict) -> Refusal:
	return Refusal(422, "Validation Failed", list(errors))


def not_found(message: str = "Not Found") -> Refusal:
	return Refusal(404, message)


def now() -> str:
	return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakePull:
	number: int
	title: str
	body: str
	head: str
	base: str
	head_sha: str
	author: str
	state: str = "open"
	merged: bool = False
	merge_commit_sha: str | None = None
	labels: list[str] = field(default_factory=list)
	reviewers: list[str] = field(default_factory=list)
	comments: list[str] = field(default_factory=list)
	created_at: str = field(default_factory=now)


@dataclass
class FakeRepo:
	owner: str
	name: str
	default_branch: str = "main"
	branches: dict[str, str] = field(default_factory=dict)  # name -> commit sha
	protected: set[str] = field(default_factory=set)
	collaborators: set[str] = field(default_factory=set)
	tags: dict[str, str] = field(default_factory=dict)
	pulls: dict[int, FakePull] = field(default_factory=dict)
	releases: dict[str, dict] = field(default_factory=dict)  # tag -> {"name", "body", "id"}
	next_number: int = 1  # pull requests and issues share one sequence on GitHub

	@property
	def full_name(self) -> str:
		return f"{self.owner}/{self.name}"


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


class FakeGitHub:
	"""`with FakeGitHub(token) as github:` serves on 127.0.0.1 at `github.url` until the block ends."""

	def __init__(self, token: str = "ghp_fake0token0for0tests", login: str = "stack-bot", write: bool = True):
		self.token, self.login, self.write = token, login, write
		self.repos: dict[str, FakeRepo] = {}
		self.requests: list[Recorded] = []
		self.replies: deque[Reply] = deque()
		self.mirrors: dict[str, str] = {}  # repo -> bare git repository standing for its git side
		self.url = ""
		self._lock = threading.Lock()  # handlers run in threads; one request changes the model at a time
		self._commits = 0
		self._stopping = threading.Event()
		self._server: ThreadingHTTPServer | None = None
		self._thread: threading.Thread | None = None

	# ---- what people do on github.com -----------------------------------------------------------

	def add_repo(
		self,
		full_name: str,
		branches: dict[str, str] | None = None,
		protected: tuple[str, ...] = (),
		collaborators: tuple[str, ...] = (),
	) -> FakeRepo:
		owner, name = full_name.split("/")
		repo = FakeRepo(owner, name, protected=set(protected), collaborators={self.login, *collaborators})
		repo.branches = dict(branches) if branches is not None else {"main": self.commit()}
		self.repos[full_name.lower()] = repo
		return repo

	def commit(self) -> str:
		"""A new commit sha."""
		self._commits += 1
		return hashlib.sha1(f"commit {self._commits}".encode()).hexdigest()

	def push(self, full_name: str, branch: str, sha: str | None = None) -> str:
		sha = sha or self.commit()
		self.repos[full_name.lower()].branches[branch] = sha
		return sha

	def tag(self, full_name: str, tag: str, sha: str | None = None) -> str:
		repo = self.repos[full_name.lower()]
		repo.tags[tag] = sha or repo.branches[repo.default_branch]
		return repo.tags[tag]

	def merge(self, full_name: str, number: int, sha: str | None = None) -> str:
		"""Merge an open pull request as the merge button does; returns the merge commit's sha (`sha`:
		the commit a test made itself, in a real git remote)."""
		with self._lock:
			repo = self.repos[full_name.lower()]
			pull = repo.pulls[number]
			assert pull.state == "open", f"#{number} is {pull.state}"
			pull.merge_commit_sha = repo.branches[pull.base] = sha or self.commit()
			pull.state, pull.merged = "closed", True
			return pull.merge_commit_sha

	def pulls(self, full_name: str, state: str = "all") -> list[FakePull]:
		return [p for p in self.repos[full_name.lower()].pulls.values() if state in ("all", p.state)]

	def script(
		self,
		status: int,
		body: object = None,
		times: int = 1,
		delay: float = 0,
		handle: bool = False,
		only: str = "",
		headers: dict[str, str] | None = None,
	) -> None:
		"""Answer the next `times` requests (those `only` names, like "POST /pulls") with `status` and
		`body`, after `delay` seconds; with `handle`, do what each request asks first (GitHub did the
		work, the answer was lost); `headers` are added to the answer's."""
		self.replies.extend(
			Reply(status, body, delay, handle, only, dict(headers or {})) for _ in range(times)
		)

	def calls(self, method: str, path_end: str) -> list[Recorded]:
		return [r for r in self.requests if r.method == method and r.path.endswith(path_end)]

	# ---- the API -------------------------------------------------------------------------------

	def answer(self, request: Recorded) -> Reply:
		with self._lock:
			scripted = next((reply for reply in self.replies if reply.fits(request)), None)
			if scripted:
				self.replies.remove(scripted)
		if scripted and not scripted.handle:
			return scripted
		with self._lock:
			try:
				status, body = self.route(request)
			except Refusal as refusal:
				status, body = refusal.status, refusal.body
		return scripted or Reply(status, body)

	def mirror(self, full_name: str, git_dir: str) -> None:
		"""Take `full_name`'s branches and tags from a real bare repository before each request: it is
		GitHub's git side, so whatever a test or the code under test pushes there, GitHub has."""
		self.mirrors[full_name.lower()] = git_dir

	def _sync_mirrors(self) -> None:
		for full_name, git_dir in self.mirrors.items():
			repo = self.repos[full_name]
			for kind, known in (("heads", repo.branches), ("tags", repo.tags)):
				listing = subprocess.run(
					["git", "--git-dir", git_dir, "for-each-ref", f"refs/{kind}"]
					+ ["--format=%(refname:short) %(*objectname) %(objectname)"],
					capture_output=True,
					text=True,
					check=True,
				).stdout
				# an annotated tag names its commit in *objectname; a branch or light tag in objectname
				known.update({line.split()[0]: line.split()[1] for line in listing.splitlines()})

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

	# ---- serving -------------------------------------------------------------------------------

	def __enter__(self) -> "FakeGitHub":
		fake = self

		class Handler(BaseHTTPRequestHandler):
			protocol_version = "HTTP/1.1"  # keep-alive, as PyGithub's session expects of GitHub

			def handle_one(self):
				url = urlsplit(self.path)
				raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
				try:
					body = json.loads(raw) if raw else None
				except ValueError:
					body = raw
				request = Recorded(
					self.command, url.path, dict(parse_qsl(url.query)), dict(self.headers), body
				)
				fake.requests.append(request)
				reply = fake.answer(request)
				if reply.delay and fake._stopping.wait(reply.delay):
					return
				payload = b"" if reply.body is None else json.dumps(reply.body).encode()
				try:
					self.send_response(reply.status)
					self.send_header("Content-Type", "application/json; charset=utf-8")
					self.send_header("Content-Length", str(len(payload)))
					for name, value in reply.headers.items():
						self.send_header(name, value)
					self.end_headers()
					self.wfile.write(payload)
				except OSError:  # the client gave up waiting
					self.close_connection = True

			do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = handle_one

			def log_message(self, format, *args):
				pass

		class Server(ThreadingHTTPServer):
			daemon_threads = True

			def handle_error(self, request, client_address):
				pass

		self._stopping.clear()
		self._server = Server(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
		self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
		self._thread.start()
		return self

	def __exit__(self, *exc_info) -> None:
		self._stopping.set()
		self._server.shutdown()
		self._server.server_close()
		self._thread.join(5)
