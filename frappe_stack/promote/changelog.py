"""The CHANGELOG.md entry `ship` writes, in the Keep a Changelog 1.1.0 format, built from plain data:
the promotions and blueprint changes since the last tag. Its body doubles as the release notes.

Blueprint changes go under Added / Changed / Removed. The promotions that carried them are listed
under a "Promotions" heading, emergencies with their reason: Keep a Changelog's "Security" means
vulnerabilities, and an out-of-window promotion is not one, so calling it that would mislead.

Inserting keeps every other byte of the file: the entry goes below the `## [Unreleased]` section
(whose hand-written notes stay where they are), and only the `[unreleased]` link is rewritten."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from frappe_stack.errors import StackError
from frappe_stack.promote.semver import Version
from frappe_stack.promote.summary import ADDED_BP, CHANGED_BP, REMOVED_BP, BlueprintChange

FILE = "CHANGELOG.md"
HEADER = """# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]
"""
SECTIONS = {ADDED_BP: "Added", CHANGED_BP: "Changed", REMOVED_BP: "Removed"}
LINK = re.compile(r"\[([^\]]+)\]:\s*\S")
UNRELEASED = re.compile(r"## \[unreleased\]", re.IGNORECASE)


@dataclass(frozen=True)
class Promotion:
	id: str
	label: str
	pr_number: int | None = None
	pr_url: str | None = None
	emergency_reason: str | None = None


@dataclass(frozen=True)
class Entry:
	version: Version
	day: date
	body: str  # the sections, without the version heading

	@property
	def text(self) -> str:
		return f"## [{self.version}] - {self.day.isoformat()}\n\n{self.body}"


def entry(
	version: Version, day: date, promotions: Iterable[Promotion], changes: Iterable[BlueprintChange]
) -> Entry:
	changes, promotions = list(changes), list(promotions)
	blocks = []
	for action, title in SECTIONS.items():
		lines = [_change_line(c) for c in sorted(changes, key=lambda c: c.blueprint) if c.action == action]
		if lines:
			blocks.append(f"### {title}\n\n" + "\n".join(lines) + "\n")
	if promotions:
		blocks.append("### Promotions\n\n" + "\n".join(map(_promotion_line, promotions)) + "\n")
	return Entry(version, day, "\n".join(blocks) or "No blueprint changes.\n")


def release_notes(entry: Entry) -> str:
	"""The text of the GitHub release (which shows the version and date itself) and the Slack post."""
	return entry.body


def _one_line(text: str) -> str:
	# free text (descriptions, reasons) must not break the Markdown list it sits in
	return " ".join(text.split())


def _change_line(change: BlueprintChange) -> str:
	count = f"{change.documents} document{'' if change.documents == 1 else 's'}"
	description = f": {_one_line(change.detail)}" if change.detail.strip() else ""
	# the count first: after the detail it read as part of its last parenthesis
	return f"- **{change.blueprint}** ({count}){description}"


def _promotion_line(promotion: Promotion) -> str:
	line = f"- {promotion.id} {_one_line(promotion.label)}"
	if promotion.pr_number is not None:
		number = f"#{promotion.pr_number}"
		line += f" ([{number}]({promotion.pr_url}))" if promotion.pr_url else f" ({number})"
	if promotion.emergency_reason:
		line += f", emergency: {_one_line(promotion.emergency_reason)}"
	return line


def insert(
	text: str | None, entry: Entry, repo_url: str | None = None, previous_tag: str | None = None
) -> str:
	"""`text` (a CHANGELOG.md, or None for a new one) with `entry` in place. With the GitHub
	`repo_url`, the version gets its compare link (or its release link, for the first release)."""
	text = HEADER if text is None else text
	newline = "\r\n" if "\r\n" in text else "\n"
	lines = text.splitlines(keepends=True)
	heading = f"## [{entry.version}]"
	if any(line.rstrip("\r\n") == heading or line.startswith(f"{heading} ") for line in lines):
		raise StackError(
			f"{FILE} already has an entry for {entry.version}; fix: ship a greater version, or remove "
			"that entry if it was left by a ship that failed"
		)
	at = _entry_position(lines, _links_start(lines))
	gap = ["\n"] if at < len(lines) else []  # a blank line before what follows, none at the end
	_splice(lines, at, [*entry.text.splitlines(keepends=True), *gap], newline, apart=True)
	if repo_url:
		_link(lines, entry, repo_url.rstrip("/"), previous_tag, newline)
	return "".join(lines)


def write(path: Path, entry: Entry, repo_url: str | None = None, previous_tag: str | None = None) -> None:
	"""Insert `entry` into the CHANGELOG.md at `path`, creating it with the standard header."""
	# bytes in and out, so the rest of the file (line endings included) stays as it was
	text = path.read_bytes().decode("utf-8") if path.exists() else None
	path.write_bytes(insert(text, entry, repo_url, previous_tag).encode("utf-8"))


def _links_start(lines: list[str]) -> int:
	"""Where the link reference definitions at the end of the file begin (len(lines) when none)."""
	start = len(lines)
	for index in range(len(lines) - 1, -1, -1):
		if LINK.match(lines[index]):
			start = index
		elif lines[index].strip():
			break
	return start


def _entry_position(lines: list[str], links: int) -> int:
	"""The line the entry goes before: the heading after `## [Unreleased]` (or the first version
	heading when there is no Unreleased section), else the trailing links, else the end."""
	after = next((i + 1 for i, line in enumerate(lines) if UNRELEASED.match(line)), 0)
	return next((i for i in range(after, links) if lines[i].startswith("## ")), links)


def _splice(lines: list[str], at: int, block: list[str], newline: str, apart: bool) -> None:
	"""Put `block` before line `at` in the file's line endings; `apart`: after a blank line."""
	if at == len(lines) and lines and not lines[-1].endswith("\n"):
		lines[-1] += newline  # the last line has to end before another can follow it
	if apart and at > 0 and lines[at - 1].strip():
		block = ["\n", *block]
	lines[at:at] = [line.replace("\n", newline) for line in block]


def _link(lines: list[str], entry: Entry, url: str, previous_tag: str | None, newline: str) -> None:
	tag = entry.version.tag
	target = f"{url}/compare/{previous_tag}...{tag}" if previous_tag else f"{url}/releases/tag/{tag}"
	new = [f"[{entry.version}]: {target}\n"]
	links = _links_start(lines)
	labels = [(i, match[1]) for i in range(links, len(lines)) if (match := LINK.match(lines[i]))]
	unreleased = next(((i, label) for i, label in labels if label.lower() == "unreleased"), None)
	if unreleased is not None:
		# the one existing line that changes: Unreleased now starts after this tag
		index, label = unreleased
		lines[index] = f"[{label}]: {url}/compare/{tag}...HEAD{newline}"
		_splice(lines, index + 1, new, newline, apart=False)
		return
	if any(UNRELEASED.match(line) for line in lines):
		new.insert(0, f"[unreleased]: {url}/compare/{tag}...HEAD\n")
	_splice(lines, labels[0][0] if labels else len(lines), new, newline, apart=not labels)
