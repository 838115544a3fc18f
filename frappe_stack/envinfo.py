"""`env-diff` and `diagnose`, over the facts a site gives about itself (frappe_stack.site.runtime_info,
in the bench or over HTTP): two sites side by side, row by row; one site's health as checks.
Plain data in, plain data out: the thresholds below are the only judgement."""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from frappe_stack.checks.result import FAIL, PASS, WARN, CheckResult, result_lines, tally

SAME, DIFFERENT, PER_SITE = "same", "different", "per-site"
SECTIONS = ("apps", "runtime", "site", "config", "domains", "certificates")
# Every site has its own of these: shown side by side, never counted as a difference.
PER_SITE_SECTIONS = frozenset({"domains", "certificates"})
PER_SITE_CONFIG = frozenset({"db_name", "host_name"})
# Config keys that have a row of their own in another section.
SHOWN_ELSEWHERE = frozenset({"domains", "maintenance_mode", "pause_scheduler"})
MISSING = "—"
TEXT_WIDTH = 40  # longest value the text shows in full; --json has every value whole

# The "all" scheduled jobs start every 4 minutes on an active site; a dormant one (no activity for
# days) runs its jobs once a day.
SCHEDULER_QUIET_LIMIT = timedelta(minutes=30)
DORMANT_QUIET_LIMIT = timedelta(hours=25)
QUEUE_BACKLOG = 200  # jobs of the site waiting in one queue
QUEUED_TOO_LONG = timedelta(minutes=30)
# RQ stops a job at its timeout; one still running a minute later lost its worker.
STARTED_GRACE = timedelta(minutes=1)
ERRORS_FAIL_AT = 100  # Error Log rows in the last hour
CERTIFICATE_WARN_BEFORE = timedelta(days=14)  # Let's Encrypt renews 30 days ahead; 14 left means it did not
SHOWN_JOBS = 3


# ---- env-diff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnvRow:
	section: str
	key: str
	a: object
	b: object
	status: str  # same | different | per-site

	def as_dict(self) -> dict:
		return {"section": self.section, "key": self.key, "a": self.a, "b": self.b, "status": self.status}


@dataclass
class EnvDiff:
	a: str
	b: str
	rows: list[EnvRow]

	@property
	def differences(self) -> list[EnvRow]:
		return [row for row in self.rows if row.status == DIFFERENT]

	def as_dict(self) -> dict:
		return {
			"a": self.a,
			"b": self.b,
			"rows": [row.as_dict() for row in self.rows],
			"differences": len(self.differences),
		}

	def text(self) -> str:
		key_width = max((len(row.key) for row in self.rows), default=0)
		a_width = min(TEXT_WIDTH, max([len(_shown(row.a)) for row in self.rows] + [len(self.a)]))
		lines = [
			f"Environments: {self.a} ↔ {self.b}",
			f"    {'':<{key_width}}  {self.a:<{a_width}}  {self.b}",
		]
		section = None
		for row in self.rows:
			if row.section != section:
				section = row.section
				lines.append(section)
			mark = {SAME: " ", DIFFERENT: "*", PER_SITE: "~"}[row.status]
			lines.append(f"  {mark} {row.key:<{key_width}}  {_shown(row.a):<{a_width}}  {_shown(row.b)}")
		count = len(self.differences)
		per_site = sum(1 for row in self.rows if row.status == PER_SITE)
		lines.append(f"{count} difference(s), marked *." if count else "Same environment.")
		if per_site:
			lines.append(f"{per_site} value(s) that each site has its own of differ, marked ~ (not counted).")
		return "\n".join(lines)


def compare(a: dict, b: dict) -> EnvDiff:
	left, right = _flatten(a), _flatten(b)
	order = {section: i for i, section in enumerate(SECTIONS)}
	keys = sorted(left.keys() | right.keys(), key=lambda k: (order[k[0]], k[1]))
	rows = []
	for section, key in keys:
		va, vb = left.get((section, key)), right.get((section, key))
		per_site = section in PER_SITE_SECTIONS or (section == "config" and key in PER_SITE_CONFIG)
		status = SAME if va == vb else PER_SITE if per_site else DIFFERENT
		rows.append(EnvRow(section, key, va, vb, status))
	return EnvDiff(a.get("site") or "A", b.get("site") or "B", rows)


def _flatten(facts: dict) -> dict[tuple[str, str], object]:
	flat = {}
	for app, info in (facts.get("apps") or {}).items():
		for part in ("version", "branch", "commit"):
			flat[("apps", f"{app} {part}")] = info.get(part)
	database = facts.get("database") or {}
	flat[("runtime", "python")] = facts.get("python")
	flat[("runtime", "database type")] = database.get("type")
	flat[("runtime", "database version")] = database.get("version")
	if database.get("error"):
		flat[("runtime", "database error")] = database["error"]
	scheduler = facts.get("scheduler") or {}
	flat[("site", "time zone")] = facts.get("time_zone")
	flat[("site", "scheduler enabled")] = scheduler.get("enabled")
	flat[("site", "scheduler paused")] = scheduler.get("paused")
	flat[("site", "maintenance mode")] = facts.get("maintenance_mode")
	for key, value in (facts.get("config") or {}).items():
		if key not in SHOWN_ELSEWHERE:
			flat[("config", key)] = value
	flat[("domains", "domains")] = facts.get("domains")
	for cert in facts.get("certificates") or []:
		flat[("certificates", f"{cert['name']} ({cert['source']})")] = _certificate_state(cert)
	return flat


def _certificate_state(cert: dict) -> str:
	if cert.get("error"):
		return cert["error"]
	state = f"valid until {cert['not_after'][:10]}"
	return state + (f", untrusted: {cert['untrusted']}" if cert.get("untrusted") else "")


def _shown(value) -> str:
	if value is None:
		text = MISSING
	elif isinstance(value, bool):
		text = "yes" if value else "no"
	elif isinstance(value, dict | list):
		text = json.dumps(value, sort_keys=True)
	else:
		text = str(value)
	return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"


# ---- diagnose ----------------------------------------------------------------------------------


@dataclass
class Diagnosis:
	site: str
	results: list[CheckResult]

	@property
	def failed(self) -> list[CheckResult]:
		return [r for r in self.results if r.result == FAIL]

	def as_dict(self) -> dict:
		return {
			"site": self.site,
			"results": [r.as_dict() for r in self.results],
			"summary": tally(self.results),
			"healthy": not self.failed,
		}

	def text(self) -> str:
		lines = [f"Diagnosis: {self.site}", *result_lines(self.results)]
		counts = tally(self.results)
		if self.failed:
			names = ", ".join(r.check for r in self.failed)
			lines.append(f"Unhealthy: {counts[FAIL]} of {len(self.results)} checks failed ({names}).")
		else:
			lines.append(f"Healthy: {len(self.results)} checks, {counts[WARN]} warning(s).")
		return "\n".join(lines)


def diagnose(facts: dict, now: datetime) -> Diagnosis:
	"""`now` is timezone-aware. A check whose facts the site could not give (it did not answer)
	is left out rather than guessed."""
	site = facts.get("site") or "the site"
	checks = (
		_reachable(facts),
		_scheduler(facts, now, site),
		_queues(facts),
		_stuck_jobs(facts, now),
		_errors(facts),
		_maintenance(facts, site),
		_certificates(facts, now),
	)
	return Diagnosis(site, [check for check in checks if check is not None])


def _reachable(facts: dict) -> CheckResult:
	database = facts.get("database")
	if not facts.get("reachable"):
		return CheckResult("reachable", FAIL, facts.get("error") or "the site did not answer")
	if database and not database.get("ok"):
		return CheckResult(
			"reachable",
			FAIL,
			f"{database.get('error')}: start the database server, or fix db_host/db_port in the site config",
			database,
		)
	return CheckResult(
		"reachable", PASS, "the site answers" + (", and so does its database" if database else "")
	)


def _scheduler(facts: dict, now: datetime, site: str) -> CheckResult | None:
	scheduler = facts.get("scheduler")
	if scheduler is None:
		return None
	if not scheduler.get("enabled"):
		return CheckResult("scheduler", FAIL, f"disabled: bench --site {site} scheduler enable", scheduler)
	if scheduler.get("paused"):
		return CheckResult(
			"scheduler",
			FAIL,
			f"paused (site config pause_scheduler): bench --site {site} scheduler resume",
			scheduler,
		)
	start = "start the scheduler and the workers (bench start; supervisor in production), see bench doctor"
	if not scheduler.get("last_run"):
		return CheckResult(
			"scheduler", FAIL, f"enabled, but no scheduled job has ever run: {start}", scheduler
		)
	quiet = now - datetime.fromisoformat(scheduler["last_run"])
	limit = DORMANT_QUIET_LIMIT if scheduler.get("dormant") else SCHEDULER_QUIET_LIMIT
	if quiet > limit:
		return CheckResult(
			"scheduler", FAIL, f"enabled, but no scheduled job started for {_age(quiet)}: {start}", scheduler
		)
	return CheckResult("scheduler", PASS, f"enabled; a scheduled job started {_age(quiet)} ago", scheduler)


def _queues(facts: dict) -> CheckResult | None:
	queues = facts.get("queues")
	if queues is None:
		return None
	if not queues.get("ok"):
		return CheckResult(
			"queues", FAIL, f"{queues.get('error')}: start Redis (redis_queue in common_site_config)"
		)
	depths = queues.get("depths") or {}
	data = {"workers": queues.get("workers"), "depths": depths}
	waiting = ", ".join(f"{name} {count}" for name, count in sorted(depths.items()))
	if not queues.get("workers"):
		return CheckResult(
			"queues",
			FAIL,
			f"no background worker: start them (bench worker; supervisor in production); waiting: {waiting}",
			data,
		)
	backlog = sorted(name for name, count in depths.items() if count > QUEUE_BACKLOG)
	if backlog:
		return CheckResult(
			"queues",
			WARN,
			f"more than {QUEUE_BACKLOG} jobs wait in {', '.join(backlog)} ({waiting}): add workers or find the flood",
			data,
		)
	return CheckResult("queues", PASS, f"{queues['workers']} worker(s); waiting: {waiting}", data)


def _stuck_jobs(facts: dict, now: datetime) -> CheckResult | None:
	queues = facts.get("queues")
	if not queues or not queues.get("ok"):
		return None
	running = [
		job
		for job in queues.get("started") or []
		if job.get("heartbeat_expired")
		or (
			job.get("started_at")
			and now - datetime.fromisoformat(job["started_at"])
			> timedelta(seconds=job.get("timeout") or 0) + STARTED_GRACE
		)
	]
	waiting = [
		job
		for job in queues.get("queued") or []
		if job.get("enqueued_at") and now - datetime.fromisoformat(job["enqueued_at"]) > QUEUED_TOO_LONG
	]
	data = {"running": running, "waiting": waiting}
	# only the oldest jobs of each queue are read: when all of those waited too long, more may have
	examined = Counter(job["queue"] for job in queues.get("queued") or [])
	old = Counter(job["queue"] for job in waiting)
	depths = queues.get("depths") or {}
	more = any(old[queue] == count and depths.get(queue, 0) > count for queue, count in examined.items())
	if running:
		return CheckResult(
			"stuck jobs",
			FAIL,
			f"{len(running)} job(s) running past their timeout or left by their worker ({_jobs(running)}): "
			"stop them (Desk: RQ Job) and restart the workers",
			data,
		)
	if waiting:
		return CheckResult(
			"stuck jobs",
			WARN,
			f"{len(waiting)}{' or more' if more else ''} job(s) waiting over {_age(QUEUED_TOO_LONG)} "
			f"({_jobs(waiting)}): "
			"check that the workers run and keep up",
			data,
		)
	return CheckResult(
		"stuck jobs", PASS, f"none past its timeout, none waiting over {_age(QUEUED_TOO_LONG)}", data
	)


def _errors(facts: dict) -> CheckResult | None:
	errors = facts.get("errors_last_hour")
	if errors is None:
		return None
	count = errors.get("count") or 0
	if not count:
		return CheckResult("errors last hour", PASS, "no Error Log in the last hour", errors)
	top = ", ".join(f"{e['method'] or '(no method)'} ({e['count']})" for e in errors.get("top_methods") or [])
	detail = f"{count} Error Log(s) in the last hour, most from {top}: read them in Desk (Error Log)"
	return CheckResult("errors last hour", FAIL if count >= ERRORS_FAIL_AT else WARN, detail, errors)


def _maintenance(facts: dict, site: str) -> CheckResult | None:
	if "maintenance_mode" not in facts:
		return None
	if facts["maintenance_mode"]:
		return CheckResult(
			"maintenance mode",
			FAIL,
			f"on: users see 'updating' pages; bench --site {site} set-maintenance-mode off when the work is done",
		)
	return CheckResult("maintenance mode", PASS, "off")


def _certificates(facts: dict, now: datetime) -> CheckResult | None:
	certificates = facts.get("certificates")
	if certificates is None:
		return None
	if not certificates:
		return CheckResult(
			"certificates", PASS, "none configured (ssl_certificate, domains or an https host_name)"
		)
	worst, notes = PASS, []
	for cert in certificates:
		result, note = _certificate(cert, now)
		notes.append(note)
		worst = max(worst, result, key=[PASS, WARN, FAIL].index)
	return CheckResult("certificates", worst, "; ".join(notes), {"certificates": certificates})


def _certificate(cert: dict, now: datetime) -> tuple[str, str]:
	where = f"{cert['name']} ({cert['source']})"
	if cert.get("error"):
		return WARN, f"{where}: {cert['error']}"
	left = datetime.fromisoformat(cert["not_after"]) - now
	until = cert["not_after"][:10]
	if left <= timedelta(0):
		return FAIL, f"{where}: expired on {until}: renew it (bench setup lets-encrypt) and reload nginx"
	if left < CERTIFICATE_WARN_BEFORE:
		return WARN, f"{where}: expires in {_age(left)} ({until}): renew it now"
	if cert.get("untrusted"):
		return WARN, f"{where}: does not verify ({cert['untrusted']}); valid until {until}"
	return PASS, f"{where}: valid until {until} ({_age(left)} left)"


def _jobs(jobs: list[dict]) -> str:
	kinds = Counter(f"{job['method']} in {job['queue']}" for job in jobs)
	shown = ", ".join(f"{kind} ({count})" for kind, count in kinds.most_common(SHOWN_JOBS))
	return shown + (f" and {len(kinds) - SHOWN_JOBS} other method(s)" if len(kinds) > SHOWN_JOBS else "")


def _age(delta: timedelta) -> str:
	minutes = int(delta.total_seconds() // 60)
	if minutes < 60:
		return f"{minutes} min"
	if minutes < 48 * 60:
		return f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"
	return f"{minutes // (24 * 60)} days"
