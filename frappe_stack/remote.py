"""A site reached over HTTP, for `frappe-stack diff|plan|status|export --url`: the read side of the
site adapter, fed by frappe_stack.api in a few requests. No frappe import: it runs anywhere.

Authentication is a Frappe API key and secret (from the environment); they go in one header and
nowhere else: never into messages, logs or output.
"""

import time
from collections.abc import Callable
from urllib.parse import urlparse

import requests

from frappe_stack import http_policy, tls
from frappe_stack.adopt.shipped_documents import Shipped, shipped_from_dict
from frappe_stack.blueprint.live import LiveDoc
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.schema import DoctypeSchema, schema_from_dict
from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.errors import StackError
from frappe_stack.ledger import LedgerEntry, entry_from_dict
from frappe_stack.remote_facts import RemoteFacts

API = "/api/method/frappe_stack.api."
PAGE_SIZE = 1000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class RemoteError(StackError):
	pass


class Unreachable(RemoteError):
	"""The site did not answer, or only with a server error: for `diagnose`, a finding."""

	def __init__(self, message: str, exc_type: str | None = None):
		super().__init__(message)
		self.exc_type = exc_type  # Frappe's name for it: SessionStopped is maintenance mode


class RemoteSite:
	def __init__(
		self,
		url: str,
		api_key: str,
		api_secret: str,
		site_name: str | None = None,
		timeout: float = 30,
		retries: int = 3,
		backoff: float = 0.5,
		sleep: Callable[[float], None] = time.sleep,
	):
		# a key read from a file often ends in a newline; requests would put the whole header, secret
		# included, into the InvalidHeader it raises
		api_key, api_secret = (api_key or "").strip(), (api_secret or "").strip()
		if not api_key or not api_secret:
			raise RemoteError(
				"no API credentials: set FRAPPE_STACK_API_KEY and FRAPPE_STACK_API_SECRET "
				"(a Frappe API key and secret of a System Manager or Stack Manager user)"
			)
		if not all(value.isascii() and value.isprintable() for value in (api_key, api_secret)):
			raise RemoteError(
				"FRAPPE_STACK_API_KEY or FRAPPE_STACK_API_SECRET holds control or non-ASCII characters; "
				"set them to the key and secret exactly as Frappe generated them"
			)
		self.url = url.rstrip("/")
		self.timeout, self.sleep = timeout, sleep
		self.requests = 0
		self._session = http_policy.session(
			http_policy.Policy(
				retries, backoff_factor=backoff, status_forcelist=RETRY_STATUSES, pause=self._retry
			)
		)
		self._session.headers.update(
			{"Authorization": f"token {api_key}:{api_secret}", "Accept": "application/json"}
		)
		if site_name:
			self._session.headers["X-Frappe-Site-Name"] = site_name
		self._described: dict | None = None

	# ---- the read side of the site adapter -----------------------------------------------------

	def schema(self, doctype: str) -> DoctypeSchema | None:
		data = self._describe()["schemas"].get(doctype)
		return schema_from_dict(data) if data else None

	def read_ledger(self) -> dict[str, LedgerEntry]:
		return {row["blueprint"]: entry_from_dict(row) for row in self._describe()["ledger"]}

	def customizations(self) -> list[Key]:
		return [tuple(key) for key in self._describe()["customizations"]]

	def live(self, keys: list[Key]) -> dict[Key, LiveDoc]:
		found = {}
		keys = list(dict.fromkeys(keys))
		for start in range(0, len(keys), PAGE_SIZE):
			answer = self._call("documents", {"keys": [list(k) for k in keys[start : start + PAGE_SIZE]]})
			for doctype, name, live in answer["documents"]:
				found[(doctype, name)] = LiveDoc(live["document"], live["hash"])
		return found

	def site_name(self) -> str:
		return self._describe()["site"]

	def configured_source(self) -> None:
		return None

	def app_sources(self) -> list:
		return []

	def shipped_documents(self) -> list[Shipped]:
		return [shipped_from_dict(item) for item in self._describe().get("shipped", [])]

	# ---- what `check` asks of a target ------------------------------------------------------

	def target_facts(self, roles: list[str], doctypes: list[str]) -> dict:
		return self._call("target_facts", {"roles": roles, "doctypes": doctypes})

	def backup(self, label: str, tables: list[str], timeout: int, poll: float = 2.0) -> BackupRecord:
		"""Ask the site for a verified backup and poll until it is complete, failed or `timeout`
		seconds have passed (the site's background worker takes it)."""
		status = self._call("request_backup", {"label": label, "tables": tables, "timeout": timeout})
		waited, deadline = 0.0, time.monotonic() + timeout
		while status.get("status") in ("queued", "running"):
			if waited >= timeout or time.monotonic() >= deadline:
				return BackupRecord(
					self.url,
					label,
					problems=[
						f"the backup was still {status['status']} after {timeout}s: check that the site's "
						"background workers run (bench doctor), or raise [backup] timeout"
					],
				)
			self.sleep(poll)
			waited += poll
			status = self._call("backup_status", {"label": label})
		if status.get("record"):
			return BackupRecord.from_dict(status["record"])
		return BackupRecord(
			self.url, label, problems=[status.get("error") or f"backup {status.get('status')}"]
		)

	# ---- HTTP ------------------------------------------------------------------------------

	def _describe(self) -> dict:
		if self._described is None:
			self._described = self._call("describe", {})
		return self._described

	def _call(self, method: str, payload: dict):
		self.requests += 1
		try:
			response = self._session.post(f"{self.url}{API}{method}", json=payload, timeout=self.timeout)
		except requests.RequestException as e:
			if http_policy.timed_out(e):
				raise Unreachable(f"{self.url} did not answer within {self.timeout:g}s") from None
			if isinstance(e, requests.ConnectionError):
				raise Unreachable(
					f"could not reach {self.url}: check the URL and that the site is up"
				) from None
			# no http(s)://, no host: nothing was sent, and nothing is retried
			raise RemoteError(
				f"could not send a request to {self.url} ({type(e).__name__}): check the URL, "
				"e.g. https://staging.example.com"
			) from None
		return self._answer(response)

	def _retry(self, wait: float) -> None:
		"""The policy's wait before it sends the request again."""
		self.requests += 1
		self.sleep(wait)

	def _answer(self, response: requests.Response):
		status = response.status_code
		if status == 401:
			raise RemoteError(
				f"{self.url} refused the API key (HTTP 401): check FRAPPE_STACK_API_KEY and FRAPPE_STACK_API_SECRET"
			)
		if status == 403:
			raise RemoteError(
				f"{self.url}: the API key's user is not allowed (HTTP 403); it needs the System Manager "
				"or Stack Manager role"
			)
		body = _json(response)
		if body is None:
			# a 5xx page of its own comes from the proxy in front of a site that is down
			raise (Unreachable if status >= 500 else RemoteError)(
				f"{self.url} does not answer like a Frappe site (HTTP {status}, "
				f"{response.headers.get('Content-Type') or 'no content type'}); check the URL"
			)
		# Frappe answers "Failed to get method ... App frappe_stack is not installed" (HTTP 417) on a
		# site of the same bench, and 404 or an import error where the bench lacks the app
		# (the text is in "exception" only where the site shows tracebacks; "_server_messages" always has it)
		missing = any(
			"Failed to get method" in str(body.get(key) or "") for key in ("exception", "_server_messages")
		)
		# ...and "... has no attribute 'facts'" where the site's frappe_stack is older than this one
		if missing and any(
			"has no attribute" in str(body.get(key) or "") for key in ("exception", "_server_messages")
		):
			raise RemoteError(
				f"{self.url} runs an older frappe_stack that lacks this request (HTTP {status}): "
				"update frappe_stack on the site (bench update, or get-app and migrate)"
			)
		if missing or status == 404 or body.get("exc_type") in ("ModuleNotFoundError", "AttributeError"):
			raise RemoteError(f"{self.url} is a Frappe site without frappe_stack installed (HTTP {status})")
		if status >= 500:
			raise Unreachable(
				f"{self.url} answered HTTP {status}: {_server_message(body)}", body.get("exc_type")
			)
		if status >= 400 or "message" not in body:
			raise RemoteError(f"{self.url} answered HTTP {status}: {_server_message(body)}")
		return body["message"]

	# ---- what env-diff and diagnose ask of a site ------------------------------------------

	def environment(self) -> dict:
		return self._call("environment", {})

	def diagnosis(self) -> dict:
		"""The site's health facts. A site that does not answer is a fact too (reachable: false), and
		the certificate of an https URL is read here, as the users of that URL get it."""
		try:
			facts = self._call("diagnosis", {})
		except Unreachable as e:
			if e.exc_type == "SessionStopped":  # Frappe's whole answer while in maintenance mode
				facts = {"site": self.url, "reachable": True, "maintenance_mode": True}
			else:
				facts = {"site": self.url, "reachable": False, "error": str(e)}
		url = urlparse(self.url)
		if url.scheme == "https" and url.hostname:
			here = tls.served(url.hostname, url.port or 443).as_dict()
			theirs = [c for c in facts.get("certificates") or [] if c["source"] != here["source"]]
			facts["certificates"] = [*theirs, here]
		return facts

	# ---- what `review --url` asks of a site -------------------------------------------------

	def facts(self) -> RemoteFacts:
		"""The review's Context, answered by the site's own in a few batched requests."""
		return RemoteFacts(lambda questions: self._call("facts", {"questions": questions})["answers"])


def _json(response: requests.Response) -> dict | None:
	try:
		body = response.json()
	except ValueError:
		return None
	return body if isinstance(body, dict) else None


def _server_message(body: dict) -> str:
	return str(body.get("exception") or body.get("exc_type") or body.get("_server_messages") or body)[:300]
