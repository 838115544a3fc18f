"""RemoteSite.backup and target_facts against a real HTTP server on 127.0.0.1 that answers like
Frappe's REST API (tests/fake_frappe.py); sleeps are recorded, never slept."""

import json

import pytest
from fake_frappe import API, FakeFrappe
from remote_client_helpers import fake as fake
from remote_client_helpers import slept as slept

from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.remote import RemoteError, RemoteSite

KEY = "k3y-9f8e7d6c5b4a"
SECRET = "s3cret-1a2b3c4d5e6f-never-shown"
LABEL = "sprint-15-beneficiary"
TABLES = ["tabBeneficiary", "tabCustomer"]


@pytest.fixture
def site(fake, slept) -> RemoteSite:
	return RemoteSite(fake.url, KEY, SECRET, sleep=slept.append, timeout=5)


def status(state: str, **extra) -> dict:
	return {"message": {"status": state, "label": LABEL, **extra}}


def good_record() -> dict:
	return BackupRecord(
		"prod.example.com",
		LABEL,
		path="/home/frappe/bench/sites/prod/private/frappe_stack/backups/x/db.sql.gz",
		size=123456,
		sha256="ab" * 32,
		taken_at="2024-05-01 10:11:12",
		tables=sorted(["tabUser", *TABLES]),
	).as_dict()


def push_all(fake: FakeFrappe, *replies: dict) -> None:
	for reply in replies:
		fake.push(200, reply)


def shown(record: BackupRecord) -> str:
	return json.dumps(record.as_dict())


# ---- polling ------------------------------------------------------------------------------------------


def test_queued_running_complete_returns_the_sites_record(fake, site, slept):
	push_all(
		fake, status("queued"), status("running"), status("running"), status("complete", record=good_record())
	)
	record = site.backup(LABEL, TABLES, timeout=60, poll=3)
	assert record == BackupRecord.from_dict(good_record())
	assert record.verified
	assert slept == [3, 3, 3]
	assert [r.path for r in fake.requests] == [API + "request_backup"] + [API + "backup_status"] * 3
	assert fake.requests[0].body == {"label": LABEL, "tables": TABLES, "timeout": 60}
	assert all(r.body == {"label": LABEL} for r in fake.requests[1:])


def test_a_backup_complete_at_once_is_not_polled(fake, site, slept):
	push_all(fake, status("complete", record=good_record()))
	record = site.backup(LABEL, TABLES, timeout=60)
	assert record.verified
	assert slept == []
	assert len(fake.requests) == 1


def test_a_failed_backup_with_a_record_returns_its_problems(fake, site):
	bad = good_record() | {"problems": ["the dump creates no table tabCustomer"], "verified": False}
	push_all(fake, status("queued"), status("failed", record=bad))
	record = site.backup(LABEL, TABLES, timeout=60)
	assert not record.verified
	assert record.problems == ["the dump creates no table tabCustomer"]
	assert record.site == "prod.example.com"


def test_a_failed_backup_without_a_record_returns_its_error(fake, site):
	push_all(fake, status("running"), status("failed", error="mysqldump: Got error 28: No space left"))
	record = site.backup(LABEL, TABLES, timeout=60)
	assert not record.verified
	assert record.problems == ["mysqldump: Got error 28: No space left"]
	assert record.site == fake.url
	assert record.label == LABEL


def test_an_unknown_status_is_a_problem_not_a_success(fake, site, slept):
	push_all(fake, status("none"))
	record = site.backup(LABEL, TABLES, timeout=60)
	assert not record.verified
	assert record.problems == ["backup none"]
	assert slept == []


def test_a_backup_that_never_completes_stops_after_the_timeout(fake, site, slept):
	push_all(fake, status("queued"), *[status("queued")] * 50)
	record = site.backup(LABEL, TABLES, timeout=10, poll=2)
	assert slept == [2, 2, 2, 2, 2]
	assert sum(slept) == 10
	assert len(fake.calls("backup_status")) == 5
	assert not record.verified
	[problem] = record.problems
	assert "still queued after 10s" in problem
	assert "background workers" in problem
	assert record.site == fake.url and record.label == LABEL


def test_a_timeout_while_running_says_running(fake, site, slept):
	push_all(fake, status("queued"), *[status("running")] * 10)
	record = site.backup(LABEL, TABLES, timeout=3, poll=2)
	assert slept == [2, 2]
	assert "still running after 3s" in record.problems[0]
	assert "background workers" in record.problems[0]


def test_a_zero_timeout_asks_once_and_gives_up(fake, site, slept):
	push_all(fake, status("queued"))
	record = site.backup(LABEL, TABLES, timeout=0)
	assert slept == []
	assert len(fake.requests) == 1
	assert "background workers" in record.problems[0]


def test_the_site_refusing_the_backup_request_is_a_remote_error(fake, site):
	fake.push(403, {"exc_type": "StackPermissionError"})
	with pytest.raises(RemoteError) as caught:
		site.backup(LABEL, TABLES, timeout=60)
	assert "HTTP 403" in str(caught.value)
	assert SECRET not in str(caught.value) and KEY not in str(caught.value)


# ---- the key never shows -------------------------------------------------------------------------------

OUTCOMES = {
	"complete": [status("queued"), status("complete", record=good_record())],
	"failed-record": [status("failed", record=good_record() | {"problems": ["bad"], "verified": False})],
	"failed-error": [status("running"), status("failed", error="worker died")],
	"unknown": [status("none")],
	"timeout": [status("queued")] * 10,
}


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_the_api_key_and_secret_never_appear_in_the_record(fake, site, outcome):
	push_all(fake, *OUTCOMES[outcome])
	record = site.backup(LABEL, TABLES, timeout=4, poll=2)
	text = shown(record)
	assert KEY not in text
	assert SECRET not in text
	assert fake.requests[0].headers["Authorization"] == f"token {KEY}:{SECRET}"


# ---- target_facts --------------------------------------------------------------------------------------


def test_target_facts_asks_for_the_roles_and_doctypes_and_returns_the_answer(fake, site):
	facts = {
		"site": "prod.example.com",
		"roles": {"Field Officer": 27, "Manager": 3},
		"apps": {"frappe": "15.30.0", "erpnext": "15.12.1"},
		"doctypes": ["Beneficiary", "Customer"],
	}
	fake.push(200, {"message": facts})
	assert site.target_facts(["Field Officer", "Manager"], ["Beneficiary", "Customer"]) == facts
	[request] = fake.requests
	assert request.path == API + "target_facts"
	assert request.body == {"roles": ["Field Officer", "Manager"], "doctypes": ["Beneficiary", "Customer"]}
