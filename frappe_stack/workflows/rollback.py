"""`bench --site PROD frappe-stack rollback --promotion ID | --to GITREF`: restore the backup taken
before a promotion was deployed (data written since is lost), or apply the blueprints as they were
at a ref (configuration goes back, data stays)."""

import tempfile
from pathlib import Path

from frappe_stack import stack
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow
from frappe_stack.site import bench_ops, promotions
from frappe_stack.site.frappe_site import FrappeSite, connected
from frappe_stack.sources import blueprints_at, resolve_sources
from frappe_stack.statuses import AuditResult, PromotionStatus
from frappe_stack.workflows.rollback_report import (
	RollbackResult,
	changed_documents,
	config_rollback_detail,
	repo_holds_newer,
)


def run_rollback(site_name: str, promotion: str, wait: float = 0) -> RollbackResult:
	with connected(site_name) as site:
		return rollback(site, site_name, promotion, wait)


def rollback(site, site_name: str, promotion: str, wait: float) -> RollbackResult:
	"""Restore the backup taken before `promotion` was deployed, on `site`, already open."""
	record = promotions.get(promotion)
	path = record.get("backup_path")
	with bench_ops.deploy_lock(site_name, wait):
		bench_ops.set_maintenance(True)
		try:
			problem = bench_ops.restore(site_name, path)
		except Exception as exc:
			problem = site.error_text(exc)
		finally:
			bench_ops.set_maintenance(False)
		# the restore put every Promotion back as it was (bench_ops.restore): only this one's event is new
		if problem:
			promotions.update(
				promotion, {"status": PromotionStatus.FAILED, "failure_reason": f"rollback failed: {problem}"}
			)
			site.audit(AuditRow("rollback", "", AuditResult.FAILED, details=f"{promotion}: {problem}"))
			site.commit()
			return RollbackResult("backup", PromotionStatus.FAILED, problem)
		promotions.update(
			promotion,
			{
				"status": PromotionStatus.ROLLED_BACK,
				"failure_reason": "rolled back by hand",
				"finished_at": bench_ops.timestamp(),
			},
			f"restored {path}",
			step="rollback",
		)
		site.audit(AuditRow("rollback", "", AuditResult.SUCCESS, details=f"{promotion}: restored {path}"))
		site.commit()
	return RollbackResult("backup", PromotionStatus.ROLLED_BACK, f"{site_name} restored from {path}")


def run_config_rollback(site_name: str, ref: str, path: str | None = None) -> RollbackResult:
	with connected(site_name) as site:
		return config_rollback(site, site_name, ref, path)


def config_rollback(site, site_name: str, ref: str, path: str | None = None) -> RollbackResult:
	"""Apply the blueprints as they were at `ref` on `site`, already open."""
	source = resolve_sources(site, path)[0]
	with tempfile.TemporaryDirectory(prefix="frappe_stack_rollback_") as scratch:
		at_ref = blueprints_at(source, ref, Path(scratch))
		newer = repo_holds_newer(source.blueprint_dir, at_ref.blueprint_dir)
		result = stack.apply(site, scratch)
	if result.failed:
		failed = "; ".join(f"{r.blueprint}: {r.error}" for r in result.failed)
		return RollbackResult("config", PromotionStatus.FAILED, failed)
	changed = changed_documents(result)
	details = f"blueprints as at {ref} applied: " + ("; ".join(changed) or "no document changed")
	site.audit(AuditRow("rollback", "", AuditResult.SUCCESS, details=details))
	site.commit()
	return RollbackResult(
		"config", "Applied", config_rollback_detail(ref, site_name, changed, newer), changed
	)


def rollback_job(promotion: str) -> None:
	"""The Promotion form's Rollback button, in a background job (a restore outlives a request): the
	job's site is open already."""
	site = FrappeSite()
	result = rollback(site, site.site_name(), promotion, wait=60)
	if result.status != PromotionStatus.ROLLED_BACK:
		raise StackError(f"rollback of {promotion} failed: {result.detail}")
