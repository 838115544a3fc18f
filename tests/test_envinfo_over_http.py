"""The remote client and `frappe-stack env-diff|diagnose` against a fake Frappe on 127.0.0.1."""

import json
import socket
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from envinfo_helpers import NOW, environment, healthy, production
from fake_frappe import API, FakeFrappe, serve
from tls_server import make_certificate, serve_tls

from frappe_stack import cli
from frappe_stack.envinfo import diagnose
from frappe_stack.remote import RemoteSite

KEY, SECRET = "k3y", "s3cret-never-shown"


ENV = {"FRAPPE_STACK_API_KEY": KEY, "FRAPPE_STACK_API_SECRET": SECRET}


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
