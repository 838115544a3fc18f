"""The in-memory model behind fake_github.FakeGitHub: recorded requests, scripted replies, GitHub's
refusals (status, message, documentation_url) and the repositories with their pull requests."""

from dataclasses import dataclass, field
from datetime import datetime, timezone

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
