"""Posting the release notes to a Slack incoming webhook, after `ship` has tagged the release.

A failed post is reported, never raised: the release stands without it. The webhook URL is a secret
(whoever has it can post to the channel), so a reason names its host only, never the URL or the
path, and never the text of a requests exception (which quotes the URL)."""

import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from frappe_stack import http_policy

RETRIED = http_policy.SERVER_ERRORS | {429}


def post(
	webhook_url: str,
	text: str,
	timeout: float = 10,
	retries: int = 3,
	sleep: Callable[[float], None] = time.sleep,
) -> str | None:
	"""None when Slack took `text`, else why not. Timeouts, connection errors, 429 and 5xx answers
	are tried again up to `retries` more times (waiting 1, 2, 4... seconds, or what Retry-After says,
	see frappe_stack.http_policy); other answers (a revoked or mistyped webhook) are final."""
	try:
		parts = urlsplit(webhook_url)
		host = parts.hostname if parts.scheme in ("http", "https") else None
	except ValueError:
		host = None
	if not host:
		return "the Slack webhook is not an http(s) URL; set it to the URL Slack gave for the webhook"
	waits: list[float] = []

	def pause(seconds: float) -> None:
		waits.append(seconds)
		sleep(seconds)

	policy = http_policy.Policy(retries, backoff_factor=1, status_forcelist=RETRIED, pause=pause)
	with http_policy.session(policy) as http:
		try:
			answer = http.post(webhook_url, json={"text": text}, timeout=timeout)
		except (requests.RequestException, ValueError) as e:  # ValueError: a URL requests cannot use
			timed_out = isinstance(e, requests.RequestException) and http_policy.timed_out(e)
			reason = (
				f"no answer within {timeout:g}s" if timed_out else f"could not reach it ({type(e).__name__})"
			)
		else:
			if answer.ok:
				return None
			# Slack says what went wrong in the body (no_service, invalid_payload, channel_is_archived)
			said = " ".join(_without(answer.text, parts.path).split())[:200]
			reason = f"answered {answer.status_code}" + (f" {said}" if said else "")
	tries = f" after {len(waits) + 1} attempts" if waits else ""
	return f"Slack webhook at {host}: {reason}{tries}"


def _without(text: str, secret: str) -> str:
	# in case a proxy in between quotes the request line back
	return text.replace(secret, "...") if secret.strip("/") else text
