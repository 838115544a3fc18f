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
import subprocess
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from frappe_stack.tests.fake_github_endpoints import GitHubEndpoints
from frappe_stack.tests.fake_github_model import FakePull, FakeRepo, Recorded, Refusal, Reply


class FakeGitHub(GitHubEndpoints):
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
