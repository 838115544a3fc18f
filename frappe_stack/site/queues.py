"""This site's background jobs, as `diagnose` needs them: how many wait in each RQ queue, how many
workers the bench has, and the jobs that may be stuck (started ones, and the oldest waiting ones).
Only reads: RQ's registry cleanup (which moves abandoned jobs away) is left to the workers.
Job arguments are never read out: they may hold anything."""

from datetime import datetime, timezone

import frappe
from frappe.utils.background_jobs import get_queue, get_queue_list, get_queues_timeout, get_redis_conn
from redis.exceptions import RedisError
from rq.exceptions import DeserializationError
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.worker import Worker

# The oldest waiting jobs looked at per queue: queues are first in, first out, so these are the
# ones that may have waited too long.
QUEUED_EXAMINED = 20


def queue_facts() -> dict:
	"""{"ok", "workers", "depths": {queue: jobs of this site}, "started": [...], "queued": [...]},
	or {"ok": False, "error": ...} when Redis does not answer."""
	prefix = f"{frappe.local.site}::"  # Frappe names every job it enqueues "<site>::<id>"
	try:
		connection = get_redis_conn()
		facts = {"ok": True, "workers": len(Worker.all(connection=connection)), "depths": {}}
		started, queued = [], []
		for name in get_queue_list():
			queue = get_queue(name)
			waiting = [job_id for job_id in queue.get_job_ids() if job_id.startswith(prefix)]
			facts["depths"][name] = len(waiting)
			queued += _summaries(name, waiting[:QUEUED_EXAMINED], connection)
			registry = StartedJobRegistry(queue=queue)
			running = [
				job_id.decode() if isinstance(job_id, bytes) else job_id
				for job_id in connection.zrange(registry.key, 0, -1)
			]
			abandoned = set(registry.get_expired_job_ids())  # their worker stopped its heartbeat
			for summary in _summaries(name, [j for j in running if j.startswith(prefix)], connection):
				summary["heartbeat_expired"] = summary["id"] in abandoned
				started.append(summary)
		return facts | {"started": started, "queued": queued}
	except (RedisError, OSError) as e:
		return {"ok": False, "error": f"Redis queue {frappe.conf.redis_queue} did not answer: {e}"}


def _summaries(queue: str, job_ids: list[str], connection) -> list[dict]:
	default_timeout = get_queues_timeout().get(queue)
	return [
		{
			"id": job.id,
			"queue": queue,
			"method": _method(job),
			"enqueued_at": _utc(job.enqueued_at),
			"started_at": _utc(job.started_at),
			"timeout": job.timeout or default_timeout,
		}
		for job in Job.fetch_many(job_ids, connection=connection)
		if job is not None  # finished between the two reads
	]


def _method(job: Job) -> str:
	try:
		kwargs = job.kwargs or {}
		# a scheduled job runs run_scheduled_job; the method it runs is its job_type
		inner = kwargs.get("kwargs") if isinstance(kwargs.get("kwargs"), dict) else {}
		return str(inner.get("job_type") or kwargs.get("job_name") or job.func_name)
	except DeserializationError:  # enqueued by code this bench no longer has
		return "(unreadable job)"


def _utc(moment: datetime | None) -> str | None:
	# RQ keeps naive UTC times
	return moment.replace(tzinfo=timezone.utc).isoformat() if moment else None
