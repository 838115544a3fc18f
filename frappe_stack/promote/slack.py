"""Posting the release notes to a Slack incoming webhook, after `ship` has tagged the release.

A failed post is reported, never raised: the release stands without it. The webhook URL is a secret
(whoever has it can post to the channel), so a reason names its host only, never the URL or the
path, and never the text of a requests exception (which quotes the URL)."""

import math
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests

MAX_WAIT = 30  # seconds: the most a Retry-After from Slack may make us wait


def post(
	webhook_url: str,
	text: str,
	timeout: float = 10,
	retries: int = 3,
	sleep: Callable[[float], None] = time.sleep,
) -> str | None:
	"""None when Slack took `text`, else why not. Timeouts, connection errors, 429 and 5xx answers
	are tried again up to `retries` more times (waiting 1, 2, 4... seconds, or what Retry-After says);
	other answers (a revoked or mistyped webhook) are final."""
	try:
		parts = urlsplit(webhook_url)
		host = parts.hostname if parts.scheme in ("http", "https") else None
	except ValueError:
		host = None
	if not host:
		return "the Slack webhook is not an http(s) URL; set it to the URL Slack gave for the webhook"
	reason, wait = None, 1
	for attempt in range(retries + 1):
		if attempt:
			sleep(wait)
		wait = 2**attempt  # before the next try, unless Slack says otherwise
		try:
			answer = requests.post(webhook_url, json={"text": text}, timeout=timeout)
		except requests.Timeout:
			reason = f"no answer within {timeout:g}s"
			continue
		except (requests.RequestException, ValueError) as e:  # ValueError: a URL requests cannot use
			reason = f"could not reach it ({type(e).__name__})"
			continue
		if answer.ok:
			return None
		# Slack says what went wrong in the body (no_service, invalid_payload, channel_is_archived)
		said = " ".join(_without(answer.text, parts.path).split())[:200]
		reason = f"answered {answer.status_code}" + (f" {said}" if said else "")
		if answer.status_code == 429:
			wait = _retry_after(answer.headers.get("Retry-After"), wait)
		elif answer.status_code < 500:
			break
	tries = f" after {attempt + 1} attempts" if attempt else ""
	return f"Slack webhook at {host}: {reason}{tries}"


def _retry_after(value: str | None, default: float) -> float:
	"""Retry-After in seconds, within 0..MAX_WAIT; `default` when it is absent, a date or nan."""
	try:
		seconds = float(value)
	except (TypeError, ValueError):
		return default
	return default if math.isnan(seconds) else min(max(seconds, 0), MAX_WAIT)


def _without(text: str, secret: str) -> str:
	# in case a proxy in between quotes the request line back
	return text.replace(secret, "...") if secret.strip("/") else text
