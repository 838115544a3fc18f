"""Shapes of credentials in text: provider token formats, private keys, JWTs, and Authorization
headers with the credential written out. Used on every string of every document."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

SHAPES = (
	("a GitHub token", re.compile(r"\b(?:gh[opsu]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})")),
	("a Slack token", re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}")),
	("an AWS access key id", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
	("a Stripe live secret key", re.compile(r"\bsk_live_[A-Za-z0-9]{16,}")),
	("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
	("a private key", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")),
	("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}")),
	(
		"a credential in an Authorization header",
		# a template ({{ token }}) or a variable is not a credential: the class leaves out { and spaces
		re.compile(r"(?i)authorization[\"']?\s*:\s*[\"']?(?:basic|bearer|token)\s+[A-Za-z0-9+/=._~:-]{16,}"),
	),
)


@dataclass(frozen=True)
class Shape:
	path: str  # JSON path below the document, e.g. ".script"
	what: str


def strings(value, path: str = "") -> Iterator[tuple[str, str]]:
	"""(path, text) for every string value inside a document."""
	if isinstance(value, str):
		yield path, value
	elif isinstance(value, dict):
		for key, item in value.items():
			yield from strings(item, f"{path}.{key}")
	elif isinstance(value, list):
		for index, item in enumerate(value):
			yield from strings(item, f"{path}[{index}]")


def find_shapes(document: dict) -> list[Shape]:
	found = []
	for path, text in strings(document):
		for what, pattern in SHAPES:
			if pattern.search(text):
				found.append(Shape(path, what))
	return found
