"""What the workflows (check, deploy, rollback, ship) ask of the bench and the open site, in small
functions, so that frappe_stack.workflows never imports frappe: `bench` subprocesses with a
timeout, the restore, maintenance mode, the deploy lock, the backup, the post-deploy smoke checks,
site config and the site's date."""

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import frappe
from frappe.installer import update_site_config
from frappe.utils import get_bench_path, getdate, now
from frappe.utils.file_lock import LockTimeoutError
from frappe.utils.synchronization import filelock

from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.errors import StackError
from frappe_stack.site import apply_record, promotions
from frappe_stack.site.bench_process import run_bench
from frappe_stack.site.promotion_backup import take_backup
from frappe_stack.site.smoke_runner import run_post_deploy

LOCK_NAME = "frappe_stack_deploy"  # sites/<site>/locks/frappe_stack_deploy.lock
STEP_TIMEOUT = 3600  # seconds for migrate or a restore


@dataclass
class BenchRun:
	ok: bool
	output: str  # the last lines, or why it was stopped


def bench(site_name: str, *args: str, timeout: float = STEP_TIMEOUT) -> BenchRun:
	"""`bench --site SITE ARGS` as its own process, as an operator would run it."""
	return bench_command("--site", site_name, *args, timeout=timeout)


def bench_command(*args: str, timeout: float = STEP_TIMEOUT) -> BenchRun:
	"""`bench ARGS` as its own process (no prompt can wait: its input is empty). Past `timeout`
	its whole process group is killed (a restore's mysql client with it) and the run is not ok."""
	code, output = run_bench(list(args), timeout)
	if code is None:
		command = args[2] if args[0] == "--site" else args[0]
		return BenchRun(
			False,
			f"bench {command} timed out after {timeout:g} s and was stopped; it said: {tail_of(output)}",
		)
	return BenchRun(code == 0, output)


def tail_of(output: str, lines: int = 3) -> str:
	kept = [line.strip() for line in output.splitlines() if line.strip()]
	return " | ".join(kept[-lines:]) or "no output"


def migrate(site_name: str, timeout: float = STEP_TIMEOUT) -> BenchRun:
	"""`bench migrate` (the applier runs in it), with this process's transaction out of its way.
	`last_apply` says afterwards how its apply went."""
	apply_record.clear(site_name)  # an older apply's record must not pass for this one's
	frappe.db.commit()  # nothing of ours may hold a lock that migrate's DDL would wait on
	try:
		return bench(site_name, "migrate", timeout=timeout)
	finally:
		see_other_writes()


def restore(site_name: str, backup_path: str, timeout: float = STEP_TIMEOUT) -> str | None:
	"""Restore the database from `backup_path` (Frappe's own restore); None when it worked, else why.
	Promotion records are history, not state: every one is put back as it was before the restore."""
	if not backup_path or not Path(backup_path).is_file():
		return f"no backup file at {backup_path or '(none recorded)'}"
	history = promotions.snapshot()
	frappe.db.commit()  # after the last read too: an open snapshot's table locks would hold up the restore
	try:
		done = bench(site_name, "restore", backup_path, "--force", timeout=timeout)
	finally:
		see_other_writes()
		promotions.put_back(history)
	return None if done.ok else tail_of(done.output)


def last_apply(site_name: str) -> dict | None:
	"""The outcome of the apply of the last `migrate` of `site_name` (apply_failures.record_of), None
	if it did not get that far."""
	return apply_record.read(site_name)


def see_other_writes() -> None:
	"""A new snapshot, and no cached metadata: another process (migrate, restore) wrote the site."""
	frappe.db.rollback()
	frappe.clear_cache()


def set_maintenance(on: bool) -> None:
	update_site_config("maintenance_mode", int(on))
	frappe.local.conf.maintenance_mode = int(on)


@contextmanager
def deploy_lock(site_name: str, wait: float):
	"""One deploy (or rollback) per site at a time, through Frappe's own site lock file (locks/
	under the site): an flock, so a deploy that dies releases it; `wait` seconds are given to one
	that is running."""
	try:
		with filelock(LOCK_NAME, timeout=wait):
			yield
	except LockTimeoutError:
		raise StackError(
			f"another deploy is running on {site_name}; wait for it, or pass --wait SECONDS"
		) from None


def backup(site, label: str, doctypes: list[str]) -> BackupRecord:
	"""A verified backup, checked for the tables of `doctypes` that exist on the site."""
	tables = [f"tab{doctype}" for doctype in doctypes if frappe.db.table_exists(doctype)]
	return take_backup(site, label, tables)


def smoke(targets, workflows: list[str], error_text):
	return run_post_deploy(targets, workflows, error_text)


def timestamp() -> str:
	return now()


def bench_path() -> Path:
	return Path(get_bench_path())


def config_value(key: str):
	"""A key of the open site's config (site_config.json, then common_site_config.json)."""
	return frappe.conf.get(key)


def today():
	"""Today in the open site's time zone."""
	return getdate()
