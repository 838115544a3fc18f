"""The target's backup for a promotion: taken now with Frappe's own backup, into a folder of its
own (private/frappe_stack/backups/<label>) that Frappe's backup cleanup never looks at, then
verified. Remote targets ask for it over the API and poll (request_backup/backup_status): the
backup runs in a background job (frappe_stack.site.frappe_site.run_backup_job, which opens the
site and calls run_job), and a status file in the folder says how far it got.

Frappe's new_backup has no timeout, and a dump can hang (a locked table, a full disk): the dump
runs as `bench backup` in a process group of its own, killed when the timeout passes."""

import json
import re
from pathlib import Path

import frappe
from frappe.utils import now, now_datetime

from frappe_stack.checks.backup_verification import BackupRecord, verify_dump
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow
from frappe_stack.site.bench_process import run_bench
from frappe_stack.site.error_text import error_text
from frappe_stack.statuses import AuditResult

LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
STATUS_FILE = "status.json"
TIMEOUT = 900  # seconds; the API's default too (frappe_stack.api.request_backup)


def folder(label: str) -> Path:
	if not LABEL.fullmatch(label or ""):
		raise StackError(
			f"backup label {label!r}: use letters, digits, '.', '_' and '-' only, e.g. sprint-15-beneficiary"
		)
	return Path(frappe.get_site_path("private", "frappe_stack", "backups", label)).resolve()


def take_backup(site, label: str, tables: list[str], timeout: float = TIMEOUT) -> BackupRecord:
	"""Back up the database (and site config) of the open site into the label's folder and verify
	the dump; the attempt, good or bad, goes into the audit log. `site` is the adapter (it audits
	and commits)."""
	target = folder(label)  # a bad label is refused before anything is attempted or audited
	record = BackupRecord(site=site.site_name(), label=label, taken_at=now())
	try:
		record.path = str(_dump(target, timeout).resolve())
	except Exception as e:
		record.problems = [f"the backup failed: {error_text(e)}"]
	else:
		verify_dump(record, tables)
	if not frappe.db.table_exists("Stack Audit Log"):
		return record  # a target without frappe_stack yet; the environment check says so
	site.audit(
		AuditRow(
			"backup",
			"",
			AuditResult.SUCCESS if record.verified else AuditResult.FAILED,
			details=f"{label}: {record.path or 'no file'} {record.size} bytes sha256 {record.sha256}"
			+ (f"; {'; '.join(record.problems)}" if record.problems else ""),
		)
	)
	site.commit()
	return record


def _dump(target: Path, timeout: float) -> Path:
	"""The database dump, taken by `bench backup` in a process group that is killed (mysqldump
	and gzip with it) when `timeout` seconds pass; the dump's path."""
	target.mkdir(parents=True, exist_ok=True)
	dump = target / f"{now_datetime():%Y%m%d_%H%M%S}-{frappe.local.site.replace('.', '_')}-database.sql.gz"
	code, output = run_bench(
		["--site", frappe.local.site, "backup", "--backup-path", str(target), "--backup-path-db", str(dump)],
		timeout,
	)
	if code is None:
		dump.unlink(missing_ok=True)
		raise StackError(
			f"the dump did not finish within {timeout:g} s; look for locked tables (SHOW PROCESSLIST) "
			"or raise [backup] timeout"
		) from None
	if code or not dump.is_file():
		last = next((line for line in reversed(output.splitlines()) if line.strip()), "no output")
		raise StackError(f"bench backup exited with code {code}: {last}")
	return dump


def request_backup(label: str, tables: list[str], timeout: int) -> dict:
	target = folder(label)
	status = read_status(label)
	if status.get("status") in ("queued", "running"):
		return status  # one backup per label at a time; the caller polls the one under way
	target.mkdir(parents=True, exist_ok=True)
	_write_status(label, {"status": "queued", "label": label})
	frappe.enqueue(
		"frappe_stack.site.frappe_site.run_backup_job",
		queue="long",
		timeout=timeout + 60,  # the dump's own timeout comes first and says so in the status file
		at_front=True,  # the promotion waits on it; whatever else is queued can wait instead
		label=label,
		tables=tables,
		dump_timeout=timeout,
	)
	return read_status(label)


def run_job(site, label: str, tables: list[str], timeout: float) -> None:
	"""The background job's work, on the adapter `site` the job opened."""
	_write_status(label, {"status": "running", "label": label})
	try:
		record = take_backup(site, label, tables, timeout)
	except Exception as e:
		_write_status(label, {"status": "failed", "label": label, "error": str(e)})
		raise
	_write_status(
		label,
		{"status": "complete" if record.verified else "failed", "label": label, "record": record.as_dict()},
	)


def read_status(label: str) -> dict:
	file = folder(label) / STATUS_FILE
	if not file.is_file():
		return {"status": "none", "label": label}
	return json.loads(file.read_text())


def _write_status(label: str, status: dict) -> None:
	file = folder(label) / STATUS_FILE
	file.parent.mkdir(parents=True, exist_ok=True)
	partial = file.with_suffix(".tmp")
	partial.write_text(json.dumps(status))
	partial.replace(file)  # a poll never reads half a file
