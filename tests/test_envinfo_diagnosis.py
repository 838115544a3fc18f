"""diagnose: judging one site's health (reachable, scheduler, queues, jobs, errors, maintenance mode,
certificates) from its facts."""

from datetime import timedelta

import pytest
from envinfo_helpers import NOW, healthy

from frappe_stack import envinfo
from frappe_stack.envinfo import diagnose


def result_of(facts: dict, check: str):
	return next(r for r in diagnose(facts, NOW).results if r.check == check)


# ---- diagnose --------------------------------------------------------------------------------


def test_a_healthy_site_passes_every_check():
	report = diagnose(healthy(), NOW)
	assert [r.check for r in report.results] == [
		"reachable",
		"scheduler",
		"queues",
		"stuck jobs",
		"errors last hour",
		"maintenance mode",
		"certificates",
	]
	assert {r.result for r in report.results} == {"pass"}
	assert report.as_dict()["healthy"] is True
	assert report.as_dict()["summary"] == {"pass": 7, "warn": 0, "fail": 0}
	assert report.text().splitlines()[-1] == "Healthy: 7 checks, 0 warning(s)."
	assert "a scheduled job started 3 min ago" in result_of(healthy(), "scheduler").detail


def test_a_site_that_does_not_answer_is_a_failed_check_and_nothing_is_guessed():
	facts = {"site": "https://erp.example.com", "reachable": False, "error": "could not reach https://erp..."}
	report = diagnose(facts, NOW)
	assert [(r.check, r.result) for r in report.results] == [("reachable", "fail")]
	assert report.results[0].detail == "could not reach https://erp..."
	assert report.text().splitlines()[-1] == "Unhealthy: 1 of 1 checks failed (reachable)."


def test_a_database_that_does_not_answer_fails_reachable():
	facts = healthy(database={"ok": False, "error": "the database did not answer: (2003, refused)"})
	del facts["scheduler"], facts["errors_last_hour"]
	report = diagnose(facts, NOW)
	assert [r.check for r in report.results] == [
		"reachable",
		"queues",
		"stuck jobs",
		"maintenance mode",
		"certificates",
	]
	assert report.results[0].result == "fail"
	assert "start the database server" in report.results[0].detail


@pytest.mark.parametrize(
	("scheduler", "result", "words"),
	[
		({"enabled": False}, "fail", "disabled: bench --site erp.example.com scheduler enable"),
		({"paused": True}, "fail", "scheduler resume"),
		({"last_run": None}, "fail", "no scheduled job has ever run"),
		({"last_run": (NOW - timedelta(minutes=45)).isoformat()}, "fail", "for 45 min"),
		({"last_run": (NOW - timedelta(hours=3)).isoformat(), "dormant": True}, "pass", "3 h ago"),
		({"last_run": (NOW - timedelta(hours=26)).isoformat(), "dormant": True}, "fail", "for 26 h"),
	],
)
def test_scheduler(scheduler, result, words):
	facts = healthy()
	facts["scheduler"] = facts["scheduler"] | scheduler
	check = result_of(facts, "scheduler")
	assert check.result == result
	assert words in check.detail


def test_redis_that_does_not_answer_fails_queues_and_leaves_stuck_jobs_out():
	facts = healthy(
		queues={"ok": False, "error": "Redis queue redis://127.0.0.1:11000 did not answer: refused"}
	)
	report = diagnose(facts, NOW)
	assert "stuck jobs" not in [r.check for r in report.results]
	queues = result_of(facts, "queues")
	assert queues.result == "fail"
	assert queues.detail.startswith("Redis queue redis://127.0.0.1:11000 did not answer")


def test_no_worker_fails_and_a_backlog_warns():
	facts = healthy()
	facts["queues"] = facts["queues"] | {"workers": 0}
	check = result_of(facts, "queues")
	assert check.result == "fail"
	assert "no background worker" in check.detail
	assert "waiting: default 2, long 0, short 0" in check.detail
	facts["queues"] = facts["queues"] | {"workers": 2, "depths": {"default": envinfo.QUEUE_BACKLOG + 1}}
	assert result_of(facts, "queues").result == "warn"


def started(minutes_ago: int, timeout: int = 300, heartbeat_expired: bool = False) -> dict:
	return {
		"id": f"erp.example.com::{minutes_ago}",
		"queue": "long",
		"method": "erpnext.stock.repost",
		"enqueued_at": (NOW - timedelta(minutes=minutes_ago + 1)).isoformat(),
		"started_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
		"timeout": timeout,
		"heartbeat_expired": heartbeat_expired,
	}


def test_a_job_running_past_its_timeout_or_left_by_its_worker_is_stuck():
	facts = healthy()
	facts["queues"] = facts["queues"] | {"started": [started(3)]}
	assert result_of(facts, "stuck jobs").result == "pass"
	facts["queues"] = facts["queues"] | {"started": [started(3, heartbeat_expired=True), started(20)]}
	check = result_of(facts, "stuck jobs")
	assert check.result == "fail"
	assert check.detail.startswith(
		"2 job(s) running past their timeout or left by their worker (erpnext.stock.repost in long (2))"
	)
	assert len(check.data["running"]) == 2


def test_jobs_waiting_too_long_warn_and_say_when_there_may_be_more():
	def queued(n: int, minutes_ago: int) -> list[dict]:
		return [
			{
				"id": f"erp.example.com::{i}",
				"queue": "default",
				"method": "frappe.email.queue.flush",
				"enqueued_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
				"started_at": None,
				"timeout": 300,
			}
			for i in range(n)
		]

	facts = healthy()
	facts["queues"] = facts["queues"] | {"queued": queued(2, 45) + queued(1, 5), "depths": {"default": 3}}
	check = result_of(facts, "stuck jobs")
	assert check.result == "warn"
	assert check.detail.startswith("2 job(s) waiting over 30 min (frappe.email.queue.flush in default (2))")
	facts["queues"] = facts["queues"] | {"queued": queued(20, 45), "depths": {"default": 500}}
	assert result_of(facts, "stuck jobs").detail.startswith("20 or more job(s) waiting over 30 min")


def test_errors_in_the_last_hour():
	top = [{"method": "erpnext.sync", "count": 3}, {"method": "", "count": 1}]
	check = result_of(healthy(errors_last_hour={"count": 4, "top_methods": top}), "errors last hour")
	assert check.result == "warn"
	assert check.detail.startswith(
		"4 Error Log(s) in the last hour, most from erpnext.sync (3), (no method) (1)"
	)
	many = {"count": envinfo.ERRORS_FAIL_AT, "top_methods": top}
	assert result_of(healthy(errors_last_hour=many), "errors last hour").result == "fail"


def test_maintenance_mode_on_fails():
	check = result_of(healthy(maintenance_mode=True), "maintenance mode")
	assert check.result == "fail"
	assert "bench --site erp.example.com set-maintenance-mode off" in check.detail


def test_certificates_the_worst_one_decides():
	def cert(name: str, days: float, **extra) -> dict:
		not_after = (NOW + timedelta(days=days)).isoformat()
		return {"name": name, "source": f"tls {name}:443", "not_after": not_after, "untrusted": None} | extra

	facts = healthy(certificates=[cert("a.example.com", 80)])
	assert (
		result_of(facts, "certificates").detail
		== "a.example.com (tls a.example.com:443): valid until 2026-07-23 (80 days left)"
	)
	facts = healthy(certificates=[cert("a.example.com", 80), cert("b.example.com", 3)])
	assert result_of(facts, "certificates").result == "warn"
	facts = healthy(
		certificates=[cert("a.example.com", 80), cert("b.example.com", 3), cert("c.example.com", -1)]
	)
	check = result_of(facts, "certificates")
	assert check.result == "fail"
	assert "c.example.com (tls c.example.com:443): expired on 2026-05-03" in check.detail
	unreadable = {"name": "d", "source": "file /x.pem", "not_after": None, "error": "cannot read /x.pem"}
	assert result_of(healthy(certificates=[unreadable]), "certificates").result == "warn"
