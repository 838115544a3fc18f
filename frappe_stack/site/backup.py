"""The target's backup for a promotion: taken now with Frappe's own backup, into a folder of its
own (private/frappe_stack/backups/<label>) that Frappe's backup cleanup never looks at, then
verified. Remote targets ask for it over the API and poll (request_backup/backup_status): the
backup runs in a background job, and a status file in the folder says how far it got."""

import json
import re
from pathlib import Path

import frappe
from frappe.utils import now

from frappe_stack.checks.backup import BackupRecord, verify_dump
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow

LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
STATUS_FILE = "status.json"


def folder(label: str) -> Path:
	if not LABEL.fullmatch(label or ""):
		raise StackError(
			f"backup label {label!r}: use letters, digits, '.', '_' and '-' only, e.g. sprint-15-beneficiary"
		)
	return Path(frappe.get_site_path("private", "frappe_stack", "backups", label)).resolve()


def take_backup(site, label: str, tables: list[str]) -> BackupRecord:
	"""Back up the database (and site config) of `site`'s database into the label's folder and
	verify the dump; the attempt, good or bad, goes into the audit log."""
	from frappe.utils.backups import new_backup

	target = folder(label)
	record = BackupRecord(site=site.site_name(), label=label, taken_at=now())
	try:
		generator = new_backup(ignore_files=True, backup_path=str(target), force=True)
		record.path = str(Path(generator.backup_path_db).resolve())
	except Exception as e:
		record.problems = [f"the backup failed: {site.error_text(e)}"]
	else:
		verify_dump(record, tables)
	if not frappe.db.table_exists("Stack Audit Log"):
		return record  # a target without frappe_stack yet; the environment check says so
	site.audit(
		AuditRow(
			"backup",
			"",
			"Success" if record.verified else "Failed",
			details=f"{label}: {record.path or 'no file'} {record.size} bytes sha256 {record.sha256}"
			+ (f"; {'; '.join(record.problems)}" if record.problems else ""),
		)
	)
	site.commit()
	return record


def request_backup(label: str, tables: list[str], timeout: int) -> dict:
	target = folder(label)
	status = read_status(label)
	if status.get("status") in ("queued", "running"):
		return status  # one backup per label at a time; the caller polls the one under way
	target.mkdir(parents=True, exist_ok=True)
	_write_status(label, {"status": "queued", "label": label})
	frappe.enqueue(
		"frappe_stack.site.backup.run_backup_job",
		queue="long",
		timeout=timeout,
		at_front=True,  # the promotion waits on it; whatever else is queued can wait instead
		label=label,
		tables=tables,
	)
	return read_status(label)


def run_backup_job(label: str, tables: list[str]) -> None:
	from frappe_stack.site.frappe_site import FrappeSite

	_write_status(label, {"status": "running", "label": label})
	try:
		record = take_backup(FrappeSite(), label, tables)
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
