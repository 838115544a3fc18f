"""env-diff and diagnose: comparing two sites' facts, judging one site's health, rendering both; and
the remote client and `frappe-stack env-diff|diagnose` against a fake Frappe on 127.0.0.1."""

import copy
import json
import socket
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from fake_frappe import API, FakeFrappe, serve
from tls_server import make_certificate, serve_tls

from frappe_stack import cli, envinfo
from frappe_stack.envinfo import compare, diagnose
from frappe_stack.remote import RemoteSite

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=timezone.utc)
KEY, SECRET = "k3y", "s3cret-never-shown"
ENV = {"FRAPPE_STACK_API_KEY": KEY, "FRAPPE_STACK_API_SECRET": SECRET}


def environment(site: str = "staging.example.com", **changes) -> dict:
	facts = {
		"site": site,
		"apps": {
			"frappe": {"version": "15.50.0", "branch": "version-15", "commit": "32af4c50b0"},
			"frappe_stack": {"version": "0.1.0", "branch": "main", "commit": "808e99a"},
		},
		"python": "3.11.2",
		"database": {"type": "mariadb", "version": "10.11.6-MariaDB"},
		"time_zone": "Asia/Kolkata",
		"scheduler": {"enabled": True, "paused": False},
		"maintenance_mode": False,
		"config": {
			"db_name": f"_{site[:4]}",
			"db_password": "(secret)",
			"host_name": f"https://{site}",
			"maintenance_mode": 0,
			"background_workers": 1,
		},
		"domains": [site],
		"certificates": [
			{
				"name": site,
				"source": f"tls {site}:443",
				"not_after": "2026-07-01T00:00:00+00:00",
				"subject": f"CN={site}",
				"untrusted": None,
				"error": None,
			}
		],
	}
	for key, value in changes.items():
		facts[key] = value
	return facts


def production(**changes) -> dict:
	facts = environment("erp.example.com")
	facts["certificates"][0]["not_after"] = "2026-08-15T00:00:00+00:00"
	return facts | changes


def healthy(now: datetime = NOW, **changes) -> dict:
	facts = {
		"site": "erp.example.com",
		"reachable": True,
		"database": {"ok": True},
		"maintenance_mode": False,
		"scheduler": {
			"enabled": True,
			"paused": False,
			"dormant": False,
			"last_run": (now - timedelta(minutes=3)).isoformat(),
		},
		"queues": {
			"ok": True,
			"workers": 3,
			"depths": {"default": 2, "long": 0, "short": 0},
			"started": [],
			"queued": [
				{
					"id": "erp.example.com::a",
					"queue": "default",
					"method": "frappe.email.queue.flush",
					"enqueued_at": (now - timedelta(minutes=1)).isoformat(),
					"started_at": None,
					"timeout": 300,
				}
			],
		},
		"errors_last_hour": {"count": 0, "top_methods": []},
		"certificates": [],
	}
	return facts | changes


def result_of(facts: dict, check: str):
	return next(r for r in diagnose(facts, NOW).results if r.check == check)


# ---- compare ---------------------------------------------------------------------------------


def test_two_sites_alike_differ_only_in_what_each_site_has_its_own_of():
	result = compare(environment(), production())
	assert result.differences == []
	per_site = {(r.section, r.key) for r in result.rows if r.status == envinfo.PER_SITE}
	assert per_site == {
		("config", "db_name"),
		("config", "host_name"),
		("domains", "domains"),
		("certificates", "erp.example.com (tls erp.example.com:443)"),
		("certificates", "staging.example.com (tls staging.example.com:443)"),
	}
	assert result.as_dict()["differences"] == 0
	assert "Same environment." in result.text()


def test_each_difference_is_one_row():
	b = production(time_zone="Europe/Berlin")
	b["apps"] = copy.deepcopy(b["apps"]) | {"hrms": {"version": "15.1.0", "branch": None, "commit": None}}
	b["apps"]["frappe"]["commit"] = "ffff000000"
	b["config"] = b["config"] | {"frappe_stack_probe": 42}
	b["scheduler"] = {"enabled": False, "paused": False}
	result = compare(environment(), b)
	assert [(r.section, r.key, r.a, r.b) for r in result.differences] == [
		("apps", "frappe commit", "32af4c50b0", "ffff000000"),
		("apps", "hrms version", None, "15.1.0"),
		("site", "scheduler enabled", True, False),
		("site", "time zone", "Asia/Kolkata", "Europe/Berlin"),
		("config", "frappe_stack_probe", None, 42),
	]
	assert result.as_dict()["differences"] == 5


def test_rows_come_in_section_order_whatever_the_order_of_the_facts():
	a, b = environment(), production()
	reordered = json.loads(json.dumps(b, sort_keys=True))  # how Frappe's JSON answer orders them
	assert compare(a, reordered).rows == compare(a, b).rows
	sections = [r.section for r in compare(a, b).rows]
	assert sections == sorted(sections, key=envinfo.SECTIONS.index)


def test_config_keys_with_a_row_elsewhere_are_not_repeated():
	keys = {r.key for r in compare(environment(), production()).rows if r.section == "config"}
	assert "maintenance_mode" not in keys
	assert "db_password" in keys


def test_a_secret_is_the_same_placeholder_on_both_sides():
	row = next(r for r in compare(environment(), production()).rows if r.key == "db_password")
	assert (row.a, row.b, row.status) == ("(secret)", "(secret)", envinfo.SAME)


def test_a_database_that_did_not_answer_shows_as_a_row():
	down = production(database={"type": "mariadb", "error": "the database did not answer: (2003, ...)"})
	del down["apps"]
	result = compare(environment(), down)
	keys = {r.key for r in result.differences}
	assert "database error" in keys
	assert "frappe version" in keys


def test_text_marks_differences_and_per_site_values():
	result = compare(environment(), production(time_zone="Europe/Berlin"))
	text = result.text()
	lines = text.splitlines()
	assert lines[0] == "Environments: staging.example.com ↔ erp.example.com"
	[zone] = [line for line in lines if "time zone" in line]
	assert zone.startswith("  * time zone")
	assert zone.split()[-2:] == ["Asia/Kolkata", "Europe/Berlin"]
	[db_name] = [line for line in lines if "db_name" in line]
	assert db_name.startswith("  ~ db_name")
	assert "1 difference(s), marked *." in text
	assert "(not counted)" in text


def test_text_shortens_long_values_and_shows_missing_ones():
	b = production()
	b["config"] = b["config"] | {"long_value": "x" * 100}
	text = compare(environment(), b).text()
	[line] = [line for line in text.splitlines() if "long_value" in line]
	assert "—" in line
	assert "x" * (envinfo.TEXT_WIDTH - 1) + "…" in line
	assert "x" * envinfo.TEXT_WIDTH not in line


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


# ---- over HTTP ---------------------------------------------------------------------------------


@pytest.fixture
def fakes():
	sites, stops = [], []

	def make(facts: dict | None = None) -> FakeFrappe:
		site = FakeFrappe()
		stops.append(serve(site))
		if facts is not None:
			site.push(200, {"message": facts})
		sites.append(site)
		return site

	yield make
	for stop in stops:
		stop()


def invoke(*args: str):
	return CliRunner().invoke(cli.main, list(args), env=ENV)


def closed_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def test_remote_environment_and_diagnosis_ask_the_api(fakes):
	fake = fakes(environment())
	fake.push(200, {"message": healthy()})
	site = RemoteSite(fake.url, KEY, SECRET, sleep=lambda s: None)
	assert site.environment() == environment()
	assert site.diagnosis() == healthy()
	assert [r.path for r in fake.requests] == [API + "environment", API + "diagnosis"]


def test_cli_env_diff_over_http(fakes):
	a, b = fakes(environment()), fakes(production(time_zone="Europe/Berlin"))
	result = invoke("env-diff", a.url, b.url, "--json")
	assert result.exit_code == 2, result.output
	out = json.loads(result.stdout)
	assert [(r["key"], r["a"], r["b"]) for r in out["rows"] if r["status"] == "different"] == [
		("time zone", "Asia/Kolkata", "Europe/Berlin")
	]
	assert SECRET not in result.output
	a, b = fakes(environment()), fakes(production())
	assert invoke("env-diff", a.url, b.url).exit_code == 0


def test_cli_env_diff_takes_environment_names(fakes, tmp_path):
	a, b = fakes(environment()), fakes(production())
	(tmp_path / "frappe-stack.toml").write_text(
		f'[environments.staging]\nurl = "{a.url}"\n\n[environments.production]\nurl = "{b.url}"\n'
		'site_name = "erp.example.com"\n'
	)
	result = invoke("env-diff", "staging", "production", "--path", str(tmp_path))
	assert result.exit_code == 0, result.output
	assert b.requests[0].headers["X-Frappe-Site-Name"] == "erp.example.com"


def test_cli_diagnose_over_http(fakes):
	now = datetime.now(timezone.utc)  # the command judges as of now
	fake = fakes(healthy(now, maintenance_mode=True))
	result = invoke("diagnose", fake.url)
	assert result.exit_code == 2, result.output
	assert "fail  maintenance mode" in result.stdout
	fake = fakes(healthy(now))
	result = invoke("diagnose", "--url", fake.url, "--json")
	assert result.exit_code == 0, result.output
	assert json.loads(result.stdout)["healthy"] is True


def test_a_url_that_does_not_answer_is_an_unhealthy_diagnosis_not_an_error():
	url = f"http://127.0.0.1:{closed_port()}"
	facts = RemoteSite(url, KEY, SECRET, sleep=lambda s: None).diagnosis()
	assert facts == {
		"site": url,
		"reachable": False,
		"error": f"could not reach {url}: check the URL and that the site is up",
	}
	result = invoke("diagnose", url, "--json")
	assert result.exit_code == 2, result.output
	assert json.loads(result.stdout)["results"][0]["result"] == "fail"


def test_a_proxy_error_page_is_unreachable(fakes):
	fake = fakes()
	for _ in range(4):
		fake.push(502, "<html>Bad Gateway</html>", "text/html")
	facts = RemoteSite(fake.url, KEY, SECRET, sleep=lambda s: None).diagnosis()
	assert facts["reachable"] is False
	assert "HTTP 502" in facts["error"]


def test_maintenance_mode_answers_503_and_is_a_finding(fakes):
	fake = fakes()
	for _ in range(4):
		fake.push(503, {"exc_type": "SessionStopped", "exception": "frappe.exceptions.SessionStopped"})
	facts = RemoteSite(fake.url, KEY, SECRET, sleep=lambda s: None).diagnosis()
	assert facts == {"site": fake.url, "reachable": True, "maintenance_mode": True}
	assert [(r.check, r.result) for r in diagnose(facts, NOW).results] == [
		("reachable", "pass"),
		("maintenance mode", "fail"),
	]


def test_an_https_url_gets_its_certificate_read_even_when_it_is_expired(tmp_path):
	port, stop = serve_tls(*make_certificate(tmp_path, datetime.now(timezone.utc) - timedelta(days=1)))
	try:
		url = f"https://127.0.0.1:{port}"
		facts = RemoteSite(url, KEY, SECRET, sleep=lambda s: None).diagnosis()
	finally:
		stop()
	assert facts["reachable"] is False
	[cert] = facts["certificates"]
	assert cert["source"] == f"tls 127.0.0.1:{port}"
	report = diagnose(facts, datetime.now(timezone.utc))
	assert [(r.check, r.result) for r in report.results] == [("reachable", "fail"), ("certificates", "fail")]
