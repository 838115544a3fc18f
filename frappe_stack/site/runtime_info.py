"""What this site runs on and how it is doing, as plain data for `env-diff` and `diagnose` (the same
data the API sends). Nothing here judges; frappe_stack.envinfo does. A database or Redis that does
not answer is a fact (an `error`), never an exception: that is when a diagnosis matters most.
Secrets in the site config are replaced by "(secret)" before anything leaves this module."""

import platform
from datetime import timedelta, timezone
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime, now_datetime
from frappe.utils.scheduler import is_dormant, is_scheduler_disabled

from frappe_stack import tls
from frappe_stack.config_secrets import shareable
from frappe_stack.site.queues import queue_facts
from frappe_stack.site.target import installed_apps, system_timezone
from frappe_stack.sources import git_branch, git_commit

ERRORS_SINCE = timedelta(hours=1)
TOP_ERROR_METHODS = 5


def environment_facts() -> dict:
	conf = frappe.local.conf
	facts = {
		"site": frappe.local.site,
		"python": platform.python_version(),
		"database": {"type": conf.db_type},
		"maintenance_mode": bool(conf.maintenance_mode),
		"scheduler": {"paused": bool(conf.pause_scheduler)},
		"config": shareable(dict(conf)),
		"domains": _domains(),
		"certificates": certificates(),
	}
	try:
		facts["apps"] = _apps()
		facts["database"]["version"] = frappe.db.sql("select version()")[0][0]
		facts["time_zone"] = system_timezone()
		facts["scheduler"]["enabled"] = not is_scheduler_disabled(verbose=False)
	except _database_errors() as e:
		facts["database"]["error"] = _database_error(e)
	return facts


def diagnosis_facts() -> dict:
	conf = frappe.local.conf
	facts = {
		"site": frappe.local.site,
		"reachable": True,
		"maintenance_mode": bool(conf.maintenance_mode),
		"queues": queue_facts(),
		"certificates": certificates(),
	}
	try:
		facts["scheduler"] = {
			"enabled": not is_scheduler_disabled(verbose=False),
			"paused": bool(conf.pause_scheduler),
			# a dormant site (no activity for days) runs its scheduled jobs once a day
			"dormant": is_dormant(),
			# set when a worker starts a scheduled job: the scheduler and the workers both ran
			"last_run": _utc(frappe.db.sql("select max(last_execution) from `tabScheduled Job Type`")[0][0]),
		}
		facts["errors_last_hour"] = _recent_errors()
		facts["database"] = {"ok": True}
	except _database_errors() as e:
		facts["database"] = {"ok": False, "error": _database_error(e)}
	return facts


def certificates() -> list[dict]:
	"""The certificate files the site config names (bench setup lets-encrypt and add-domain write
	them there), and what an https host_name serves."""
	conf = frappe.local.conf
	found = []
	if conf.ssl_certificate:
		found.append(tls.in_file(conf.ssl_certificate, frappe.local.site))
	for domain in conf.domains or []:
		if isinstance(domain, dict) and domain.get("ssl_certificate"):
			found.append(tls.in_file(domain["ssl_certificate"], domain.get("domain") or ""))
	host = urlparse(conf.host_name or "")
	if host.scheme == "https" and host.hostname:
		found.append(tls.served(host.hostname, host.port or 443))
	return [certificate.as_dict() for certificate in found]


def _domains() -> list[str]:
	conf = frappe.local.conf
	names = [d.get("domain") if isinstance(d, dict) else d for d in conf.domains or []]
	return [frappe.local.site, *(str(name) for name in names if name)]


def _apps() -> dict:
	apps = {}
	for app, version in installed_apps().items():
		folder = Path(frappe.get_app_path(app))
		apps[app] = {"version": version, "branch": git_branch(folder), "commit": git_commit(folder)}
	return apps


def _recent_errors() -> dict:
	since = now_datetime() - ERRORS_SINCE  # Error Log times are the system time zone's, like now_datetime
	count = frappe.db.count("Error Log", {"creation": (">=", since)})
	top = frappe.db.sql(
		"""select coalesce(method, ''), count(*) from `tabError Log` where creation >= %s
		group by method order by count(*) desc, method limit %s""",
		(since, TOP_ERROR_METHODS),
	)
	return {"count": count, "top_methods": [{"method": m[:140], "count": n} for m, n in top]}


def _utc(moment) -> str | None:
	"""A naive datetime of the system time zone (as Frappe stores them), as UTC ISO 8601."""
	if not moment:
		return None
	local = get_datetime(moment).replace(tzinfo=ZoneInfo(system_timezone()))
	return local.astimezone(timezone.utc).isoformat()


def _database_errors() -> tuple[type[Exception], ...]:
	return (frappe.db.OperationalError, frappe.db.InternalError)


def _database_error(error: Exception) -> str:
	return f"the database did not answer: {error}"
