"""Scratch sites for a rehearsal (frappe_stack.workflows.rehearsal): made on this bench from
production's backup (`bench new-site --source-sql`), given production's site config (the
encryption key and the secrets blueprints refer to) with the scheduler paused and emails muted,
deployed on in their own process, then dropped with their folder.

The database root password comes from FRAPPE_STACK_DB_ROOT_PASSWORD, else the bench's
root_password; it is passed to bench and never printed."""

import json
import os
import secrets
import tempfile
from pathlib import Path

import frappe

from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.errors import StackError
from frappe_stack.site import bench_ops
from frappe_stack.site.error_text import error_text
from frappe_stack.site.frappe_site import FrappeSite
from frappe_stack.workflows.rehearsal import deploy_on_scratch

ROOT_PASSWORD_ENV = "FRAPPE_STACK_DB_ROOT_PASSWORD"
# production's own database, and switches the rehearsal sets itself
NOT_COPIED = {"db_name", "db_password", "db_user", "maintenance_mode"}
SCRATCH_CONFIG = {"pause_scheduler": 1, "mute_emails": 1, "maintenance_mode": 0}


def free_name(production: str, stamp: str) -> str:
	"""`<production>-rehearsal-<stamp>`, with a counter when a site of that name exists."""
	base = f"{production}-rehearsal-{stamp}"
	name, n = base, 1
	while (_sites() / name).exists():
		n += 1
		name = f"{base}-{n}"
	return name


def create(name: str, backup_path: str, root: Path) -> None:
	"""A new site `name` holding the backup's database, configured as production is, applying `root`."""
	production = _read_config(Path(frappe.get_site_path("site_config.json")))
	done = bench_ops.bench_command(
		"new-site",
		name,
		"--source-sql",
		backup_path,
		"--admin-password",
		secrets.token_urlsafe(16),
		"--db-root-password",
		_root_password(),
	)
	if not done.ok:
		raise StackError(f"bench new-site {name} failed: {bench_ops.tail_of(done.output)}")
	config_file = _sites() / name / "site_config.json"
	config = {k: v for k, v in production.items() if k not in NOT_COPIED}
	config.update(_read_config(config_file))  # the scratch site's own database
	config.update(SCRATCH_CONFIG, frappe_stack_blueprints=str(root))
	config_file.write_text(json.dumps(config, indent=1, sort_keys=True))


def deploy(name: str, root: Path, label: str, commit: str, backup: BackupRecord) -> dict:
	"""The deploy's steps on the scratch site, in its own process (`bench execute`); its
	DeployResult as a dict."""
	frappe.db.commit()  # hold no lock the scratch site's process could wait on
	with tempfile.TemporaryDirectory(prefix="frappe-stack-rehearsal-") as folder:
		result_file = Path(folder) / "result.json"
		kwargs = {
			"root": str(root),
			"label": label,
			"commit": commit,
			"backup": backup.as_dict(),
			"result_file": str(result_file),
		}
		done = bench_ops.bench(name, "execute", f"{__name__}.deploy_here", "--kwargs", repr(kwargs))
		if result_file.is_file():
			return json.loads(result_file.read_text(encoding="utf-8"))
	return {"status": "Failed", "steps": [], "reason": f"bench execute: {bench_ops.tail_of(done.output)}"}


def deploy_here(root: str, label: str, commit: str, backup: dict, result_file: str) -> None:
	"""Run by `bench --site SCRATCH execute` in the scratch site's process. Never raises: bench
	execute would run a function that raised a second time."""
	try:
		result = deploy_on_scratch(
			FrappeSite(),
			frappe.local.site,
			Path(root),
			label,
			commit,
			BackupRecord.from_dict(backup),
			bench_ops,
		).as_dict()
	except Exception as e:
		result = {"status": "Failed", "steps": [], "reason": error_text(e)}
	Path(result_file).write_text(json.dumps(result, default=str), encoding="utf-8")


def drop(name: str) -> str | None:
	"""Drop the scratch site's database and folder; None when it is gone, else why."""
	if not (_sites() / name).exists():
		return None  # new-site stopped before it made anything
	with tempfile.TemporaryDirectory(prefix="frappe-stack-dropped-") as archive:
		done = bench_ops.bench_command(
			"drop-site",
			name,
			"--force",
			"--no-backup",
			"--archived-sites-path",
			archive,
			"--db-root-password",
			_root_password(),
		)
	if (_sites() / name).exists():
		return (
			f"bench drop-site {name} failed: {bench_ops.tail_of(done.output)}; drop it by hand "
			f"(bench drop-site {name} --force --no-backup)"
		)
	return None


def _root_password() -> str:
	password = os.environ.get(ROOT_PASSWORD_ENV) or frappe.conf.get("root_password")
	if not password:
		raise StackError(
			f"a rehearsal makes a scratch site and needs the database root password: set {ROOT_PASSWORD_ENV} "
			"or root_password in sites/common_site_config.json"
		)
	return password


def _read_config(path: Path) -> dict:
	return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _sites() -> Path:
	return bench_ops.bench_path() / "sites"
