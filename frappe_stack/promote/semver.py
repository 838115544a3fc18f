"""Release versions as semver.org 2.0.0 defines them: parsing `vX.Y.Z[-pre][+build]` (the `v` is
optional) and precedence, which decides whether `ship` may use a version after the last tag."""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

# The regular expression semver.org publishes, with [0-9] for \d: Python's \d also matches digits
# of other scripts, which semver does not allow.
_IDENTIFIER = r"(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
SEMVER = re.compile(
	r"v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
	rf"(?:-({_IDENTIFIER}(?:\.{_IDENTIFIER})*))?"
	r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)


@functools.total_ordering
@dataclass(frozen=True, eq=False)
class Version:
	major: int
	minor: int
	patch: int
	prerelease: tuple[str, ...] = ()
	build: tuple[str, ...] = ()

	def __str__(self) -> str:
		text = f"{self.major}.{self.minor}.{self.patch}"
		if self.prerelease:
			text += "-" + ".".join(self.prerelease)
		if self.build:
			text += "+" + ".".join(self.build)
		return text

	@property
	def tag(self) -> str:
		"""The git tag `ship` writes: always with the `v`, whichever way the version was typed."""
		return f"v{self}"

	def _precedence(self) -> tuple:
		# A release ranks above its pre-releases (1.0.0-rc.1 < 1.0.0); numeric identifiers compare as
		# numbers and rank below alphanumeric ones; a longer list of equal identifiers ranks higher,
		# which tuple comparison gives. Build metadata never counts (semver 2.0.0, items 10 and 11).
		identifiers = tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in self.prerelease)
		return (self.major, self.minor, self.patch, not self.prerelease, identifiers)

	def __eq__(self, other) -> bool:
		if not isinstance(other, Version):
			return NotImplemented
		return self._precedence() == other._precedence()

	def __lt__(self, other) -> bool:
		if not isinstance(other, Version):
			return NotImplemented
		return self._precedence() < other._precedence()

	def __hash__(self) -> int:
		return hash(self._precedence())


def parse(text: str) -> Version | None:
	"""The version `text` spells, or None when it is not one."""
	match = SEMVER.fullmatch(text.strip())
	if match is None:
		return None
	major, minor, patch, prerelease, build = match.groups()
	return Version(
		int(major),
		int(minor),
		int(patch),
		tuple(prerelease.split(".")) if prerelease else (),
		tuple(build.split(".")) if build else (),
	)


def latest(tags: Iterable[str]) -> str | None:
	"""The tag with the highest version, as it is spelled; tags that are not versions are ignored."""
	versions = [(version, tag) for tag in tags if (version := parse(tag)) is not None]
	return max(versions, key=lambda pair: pair[0])[1] if versions else None


def next_allowed(version: str, tags: Iterable[str]) -> str | None:
	"""Why `version` cannot be the next release after `tags`, or None when it can."""
	last = latest(tags)
	wanted = parse(version)
	if wanted is None:
		example = _suggestions(parse(last))[0] if last else "v0.1.0"
		return f"'{version}' is not a semantic version; fix: write it as vMAJOR.MINOR.PATCH, like {example}"
	if last is not None and not wanted > parse(last):
		return (
			f"{wanted.tag} is not greater than the last tag {last}; "
			f"fix: use a greater version, like {' or '.join(_suggestions(parse(last)))}"
		)
	return None


def _suggestions(last: Version) -> list[str]:
	"""The next patch, minor and major release after `last` (a pre-release's own release first)."""
	if last.prerelease:
		return [f"v{last.major}.{last.minor}.{last.patch}"]
	return [
		f"v{last.major}.{last.minor}.{last.patch + 1}",
		f"v{last.major}.{last.minor + 1}.0",
		f"v{last.major + 1}.0.0",
	]
