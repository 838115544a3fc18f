"""The one retry policy of every HTTP client in frappe_stack (a site's API, GitHub, Slack): urllib3's
Retry, mounted on a requests Session, so retrying lives in one place and reads the same everywhere.

- Every verb is retried: the clients' POSTs either read or are safe to send twice (a lost pull
  request or release is found again; a Slack post twice is better than none).
- Lost connections, timeouts and the statuses a client names are retried, `total` times at most.
- The wait before retry n is backoff × 2^(n-1) (urllib3 waits nothing before the first: a server
  that has just failed gets a moment), unless the answer carries Retry-After in seconds; that is
  honoured up to MAX_WAIT, so a server asking for an hour cannot hang a CI job. A Retry-After date
  (which needs both clocks to agree) or garbage counts as none.
- When the retries run out on a status the last answer is returned, so a client's error can say
  what the server said; on a network failure requests raises, and `timed_out` and `caused_by` see
  through its wrappers.
"""

import logging
import math
import time
from collections.abc import Callable

import requests
import urllib3
from requests.adapters import HTTPAdapter

MAX_WAIT = 30  # seconds: the most a Retry-After may make a client wait
SERVER_ERRORS = frozenset(range(500, 600))


class Policy(urllib3.Retry):
	def __init__(
		self,
		total: int = 3,
		*,
		max_wait: float = MAX_WAIT,
		pause: Callable[[float], None] = time.sleep,
		**options,
	):
		options.setdefault("allowed_methods", None)
		options.setdefault("raise_on_status", False)
		super().__init__(total, **options)
		# `pause` is what waits: tests pass a list's append to see the waits without waiting
		self.max_wait, self.pause = max_wait, pause

	def new(self, **changes) -> "Policy":
		# urllib3 makes a new Retry after every try from its own fields only
		copy = super().new(**changes)
		copy.max_wait, copy.pause = self.max_wait, self.pause
		return copy

	def get_backoff_time(self) -> float:
		if not self.history:
			return 0
		return min(self.backoff_max, self.backoff_factor * 2 ** (len(self.history) - 1))

	def parse_retry_after(self, value: str) -> float | None:
		"""Seconds within 0..max_wait; None (the backoff applies) for a date or anything else."""
		try:
			seconds = float(value)
		except ValueError:
			return None
		return None if math.isnan(seconds) else min(max(seconds, 0), self.max_wait)

	def sleep(self, response=None) -> None:
		told = (
			self.get_retry_after(response)
			if response is not None and self.respect_retry_after_header
			else None
		)
		self.pause(self.get_backoff_time() if told is None else told)


def session(policy: Policy) -> requests.Session:
	"""A requests Session that sends every request, http or https, under `policy`."""
	adapter = HTTPAdapter(max_retries=policy)
	http = requests.Session()
	http.mount("https://", adapter)
	http.mount("http://", adapter)
	return http


def caused_by(exc: BaseException, kind: type[BaseException] | tuple[type[BaseException], ...]) -> bool:
	"""Whether `kind` is in the chain under `exc`; requests and urllib3 wrap the socket's error in
	two or three layers, one of them only an argument (MaxRetryError.reason)."""
	seen: set[int] = set()
	stack: list[object] = [exc]
	while stack:
		current = stack.pop()
		if not isinstance(current, BaseException) or id(current) in seen:
			continue
		if isinstance(current, kind):
			return True
		seen.add(id(current))
		stack += [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
	return False


def timed_out(exc: requests.RequestException) -> bool:
	"""Whether the server took too long, however requests wrapped it (once the retries have run out it
	raises ConnectionError around urllib3's MaxRetryError, whatever the last try met)."""
	# urllib3's NewConnectionError (nobody listening) is a kind of ConnectTimeoutError
	if caused_by(exc, urllib3.exceptions.NewConnectionError):
		return False
	return isinstance(exc, requests.Timeout) or caused_by(
		exc, (TimeoutError, urllib3.exceptions.TimeoutError)
	)


class _NoRetriedUrls(logging.Filter):
	"""urllib3 logs a warning with the request's path on every retry after a lost connection, and a
	path can be the secret (a Slack webhook's is): under a Policy the path is left out."""

	def filter(self, record: logging.LogRecord) -> bool:
		args = record.args
		if isinstance(args, tuple) and len(args) == 3 and isinstance(args[0], Policy):
			record.args = (*args[:2], "(path not shown)")
		return True


logging.getLogger("urllib3.connectionpool").addFilter(_NoRetriedUrls())
