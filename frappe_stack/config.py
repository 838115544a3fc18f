"""`frappe-stack.toml` at the config repo root: where the environments are, and the settings of the
pre-promote checks. Every key is optional; a missing file means all defaults.

    [environments.staging]
    url = "https://staging.example.com"   # reached over HTTP with FRAPPE_STACK_API_KEY/SECRET
    site_name = "staging.example.com"     # optional: the X-Frappe-Site-Name header
    [environments.production]
    site = "erp.example.com"              # or: a site of this bench

    [window]
    timezone = "Africa/Nairobi"           # default: the staging site's time zone
    freeze = ["2026-12-24", "2026-12-28..2027-01-02"]
    friday_cutoff = "14:00"

    [thresholds]
    max_related_sets = 5
    coverage = 80

    [tests]
    site = "test_site"
    [tests.apps]
    my_app = "apps/my_app"                # relative to the repo root

    [backup]
    timeout = 900                         # seconds

    [git]
    base_branch = "main"
    remote = "origin"
    protected = ["production"]            # never pushed to by promote (base_branch never is either)

    [github]
    repo = "acme/erp-config"              # token from GITHUB_TOKEN or FRAPPE_STACK_GITHUB_TOKEN
    api_url = "https://api.github.com"    # GitHub Enterprise: https://HOST/api/v3

    [reviewers]
    rotation = ["alice", "bob", "chidi"]  # round-robin across promotions
    per_promotion = 1

    [promote]
    target = "production"                 # the environment promote checks and promotes to

Other top-level sections are left alone.
Secrets never live in this file; they come from the environment.
"""

import json
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath, PureWindowsPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
	import tomllib  # novermin (the except branch serves 3.10)
except ModuleNotFoundError:  # Python 3.10: the same parser, as the tomli backport
	import tomli as tomllib

from frappe_stack.errors import StackError

CONFIG_FILE = "frappe-stack.toml"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CLOCK = re.compile(r"(\d{2}):(\d{2})")
GITHUB_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Environment:
	name: str
	url: str | None  # exactly one of url and site
	site: str | None
	site_name: str | None = None  # only with url


@dataclass(frozen=True)
class Settings:
	environments: dict[str, Environment] = field(default_factory=dict)
	timezone: str | None = None  # None: the caller uses the site's time zone
	freeze: tuple[tuple[date, date], ...] = ()  # inclusive ranges of local dates
	friday_cutoff: time = time(14, 0)
	max_related_sets: int = 5
	coverage_threshold: float = 80.0
	test_apps: dict[str, str] = field(default_factory=dict)  # app -> its folder, relative to the repo
	test_site: str | None = None
	backup_timeout: int = 900
	base_branch: str = "main"
	remote: str = "origin"
	protected: tuple[str, ...] = ()  # branches promote never pushes to (besides base_branch)
	github_repo: str | None = None  # "owner/name"; None: promote stops after pushing the branch
	github_api: str = "https://api.github.com"
	reviewers: tuple[str, ...] = ()  # the rotation, GitHub logins
	reviewers_per_promotion: int = 1
	target: str = "production"  # the environment promote checks against


def environment(root: str | Path, name: str) -> dict:
	"""The URL of environment `name`, for the commands that only reach sites over HTTP."""
	file = Path(root) / CONFIG_FILE
	if not file.is_file():
		raise StackError(f'{file}: not found; create it with [environments.{name}] url = "https://..."')
	environments = _read(file).get("environments") or {}
	if name not in environments:
		known = ", ".join(sorted(environments)) or "none"
		raise StackError(f"{file}: environments.{name} is not defined (defined: {known}); add it")
	env = environments[name]
	if not isinstance(env, dict) or not env.get("url"):
		raise StackError(f'{file}: environments.{name}.url is missing; add url = "https://..."')
	return {"url": env["url"], "site_name": env.get("site_name")}


def load_settings(root: str | Path) -> Settings:
	"""Every setting, validated; the first bad one raises a StackError naming its key and the fix."""
	file = Path(root) / CONFIG_FILE
	data = _read(file) if file.is_file() else {}
	top = _Table(file, "", data)
	window = top.table("window", ("timezone", "freeze", "friday_cutoff"))
	thresholds = top.table("thresholds", ("max_related_sets", "coverage"))
	tests = top.table("tests", ("site", "apps"))
	backup = top.table("backup", ("timeout",))
	git = top.table("git", ("base_branch", "remote", "protected"))
	github = top.table("github", ("repo", "api_url"))
	reviewers = top.table("reviewers", ("rotation", "per_promotion"))
	promote = top.table("promote", ("target",))
	defaults = Settings()
	return Settings(
		environments=_environments(top),
		timezone=_timezone(window),
		freeze=_freeze(window),
		friday_cutoff=_friday_cutoff(window, defaults.friday_cutoff),
		max_related_sets=thresholds.number("max_related_sets", defaults.max_related_sets, 1, None, int),
		coverage_threshold=float(thresholds.number("coverage", defaults.coverage_threshold, 0, 100, float)),
		test_apps=_test_apps(tests),
		test_site=tests.text("site"),
		backup_timeout=backup.number("timeout", defaults.backup_timeout, 1, None, int),
		base_branch=_branch(git, "base_branch", defaults.base_branch),
		remote=git.text("remote") or defaults.remote,
		protected=tuple(_names(git, "protected", 'protected = ["main", "production"]')),
		github_repo=_github_repo(github),
		github_api=_github_api(github, defaults.github_api),
		reviewers=tuple(_names(reviewers, "rotation", 'rotation = ["alice", "bob"]')),
		reviewers_per_promotion=reviewers.number(
			"per_promotion", defaults.reviewers_per_promotion, 1, None, int
		),
		target=promote.text("target") or defaults.target,
	)


def _read(file: Path) -> dict:
	try:
		return tomllib.loads(file.read_text(encoding="utf-8"))
	except tomllib.TOMLDecodeError as e:
		raise StackError(f"{file}: {e}; fix the TOML syntax there") from None


class _Table:
	"""One table of the file, read key by key; errors carry the file and the dotted key."""

	def __init__(self, file: Path, path: str, data: dict):
		self.file, self.path, self.data = file, path, data

	def key(self, key: str) -> str:
		return f"{self.path}.{key}" if self.path else key

	def fail(self, key: str, problem: str, fix: str):
		raise StackError(f"{self.file}: {self.key(key)}: {problem}; {fix}")

	def table(self, key: str, known: tuple[str, ...] | None = None) -> "_Table":
		"""The sub-table `key` (empty when absent). With `known`, any other key is a typo to report,
		not a setting to ignore silently."""
		value = self.data.get(key, {})
		if not isinstance(value, dict):
			self.fail(
				key, f"{_show(value)} is not a table", f"write it as [{self.key(key)}] with its keys below"
			)
		table = _Table(self.file, self.key(key), value)
		for unknown in sorted(set(value) - set(known or value)):
			table.fail(unknown, "unknown key", f"use one of {', '.join(known)}")
		return table

	def text(self, key: str) -> str | None:
		value = self.data.get(key)
		if value is not None and (not isinstance(value, str) or not value.strip()):
			problem = "is empty" if isinstance(value, str) else f"{_show(value)} is not a string"
			self.fail(key, problem, f'write it as {key} = "..." or remove it')
		return value

	def number(self, key: str, default, low, high, kind: type):
		value = self.data.get(key, default)
		kinds = (int, float) if kind is float else (int,)
		wanted = "a number" if kind is float else "a whole number"
		bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
		# bool is an int in Python, but `coverage = true` is a mistake, not 1
		if isinstance(value, bool) or not isinstance(value, kinds):
			self.fail(
				key, f"{_show(value)} is not {wanted}", f"write {wanted} {bounds}, e.g. {key} = {default}"
			)
		# written as "not inside" so that nan, which compares false with everything, is refused too
		if not (low <= value and (high is None or value <= high)):
			self.fail(key, f"{value} is out of range", f"write {wanted} {bounds}, e.g. {key} = {default}")
		return value


def _show(value) -> str:
	return json.dumps(value, default=str)


def _environments(top: _Table) -> dict[str, Environment]:
	environments = top.table("environments")
	found = {}
	for name in environments.data:
		env = environments.table(name, ("url", "site", "site_name"))
		url, site, site_name = env.text("url"), env.text("site"), env.text("site_name")
		if bool(url) == bool(site):
			environments.fail(
				name,
				"has both url and site" if url else "has neither url nor site",
				'give one: url = "https://..." for a site reached over HTTP, site = "SITE" for a site of this bench',
			)
		if url and not url.startswith(("http://", "https://")):
			env.fail("url", f"{_show(url)} is not an http(s) URL", 'write it as url = "https://..."')
		if site and site_name:
			env.fail("site_name", "only goes with url", "remove it; a site of this bench is named by site")
		found[name] = Environment(name, url, site, site_name)
	return found


def _timezone(window: _Table) -> str | None:
	name = window.text("timezone")
	if name is None:
		return None
	try:
		ZoneInfo(name)
	except (ZoneInfoNotFoundError, ValueError):
		window.fail("timezone", f"{_show(name)} is not an IANA time zone", 'write one like "Africa/Nairobi"')
	return name


def _freeze(window: _Table) -> tuple[tuple[date, date], ...]:
	entries = window.data.get("freeze", [])
	fix = 'write dates like "2026-12-24" or ranges like "2026-12-28..2027-01-02"'
	if not isinstance(entries, list):
		window.fail("freeze", f"{_show(entries)} is not a list", f"write freeze = [...]; {fix}")
	ranges = []
	for index, entry in enumerate(entries):
		start, dots, end = entry.partition("..") if isinstance(entry, str) else (entry, "", entry)
		days = [_day(start), _day(end if dots else start)]
		if None in days:
			window.fail(f"freeze[{index}]", f"{_show(entry)} is not a date or date range", fix)
		if days[0] > days[1]:
			window.fail(
				f"freeze[{index}]",
				f"{_show(entry)} ends before it starts",
				"write START..END, earliest first",
			)
		ranges.append(tuple(days))
	return tuple(ranges)


def _day(value) -> date | None:
	"""A date from "YYYY-MM-DD" or a bare TOML date; a TOML date-time is not a day."""
	if isinstance(value, date):
		return None if isinstance(value, datetime) else value
	if not isinstance(value, str) or not DAY.fullmatch(value):
		return None
	try:
		return date.fromisoformat(value)
	except ValueError:
		return None


def _friday_cutoff(window: _Table, default: time) -> time:
	value = window.data.get("friday_cutoff")
	if value is None:
		return default
	clock = CLOCK.fullmatch(value) if isinstance(value, str) else None
	if clock and int(clock[1]) < 24 and int(clock[2]) < 60:
		return time(int(clock[1]), int(clock[2]))
	window.fail("friday_cutoff", f"{_show(value)} is not a time", 'write it as "14:00"')


def _test_apps(tests: _Table) -> dict[str, str]:
	apps = tests.table("apps")
	found = {}
	for app, folder in apps.data.items():
		if not app.isidentifier():
			apps.fail(
				app, f"{_show(app)} is not an app name", "use the app's Python package name, like my_app"
			)
		if not isinstance(folder, str) or not folder.strip():
			apps.fail(
				app,
				f"{_show(folder)} is not a folder",
				f'write {app} = "apps/{app}", relative to the repo root',
			)
		normal = posixpath.normpath(folder.replace("\\", "/"))
		if (
			PurePosixPath(folder).is_absolute()
			or PureWindowsPath(folder).is_absolute()
			or folder.startswith("~")
		):
			apps.fail(
				app, f"{_show(folder)} is absolute", f'write it relative to the repo root, like "apps/{app}"'
			)
		if normal == ".." or normal.startswith("../"):
			apps.fail(
				app, f"{_show(folder)} leaves the config repo", f'point inside it, like "apps/{app}" or "."'
			)
		found[app] = normal
	return found


def _branch(git: _Table, key: str, default: str) -> str:
	branch = git.text(key) or default
	if branch.startswith("-") or any(c.isspace() for c in branch):
		git.fail(key, f"{_show(branch)} is not a branch name", f'write it like {key} = "main"')
	return branch


def _names(table: _Table, key: str, example: str) -> list[str]:
	"""A list of branch names or logins: non-empty strings without spaces."""
	value = table.data.get(key, [])
	if not isinstance(value, list) or not all(
		isinstance(v, str) and v and not v.startswith("-") and not any(c.isspace() for c in v) for v in value
	):
		table.fail(key, f"{_show(value)} is not a list of names", f"write it like {example}")
	return list(dict.fromkeys(value))


def _github_repo(github: _Table) -> str | None:
	repo = github.text("repo")
	if repo is not None and not GITHUB_REPO.fullmatch(repo):
		github.fail("repo", f"{_show(repo)} is not owner/name", 'write it like repo = "acme/erp-config"')
	return repo


def _github_api(github: _Table, default: str) -> str:
	url = github.text("api_url") or default
	if not url.startswith(("http://", "https://")):
		github.fail("api_url", f"{_show(url)} is not an http(s) URL", f'write it like api_url = "{default}"')
	return url.rstrip("/")
