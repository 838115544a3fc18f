"""Execute a Plan through a site adapter, blueprint by blueprint, all or nothing (law 4).

Each blueprint runs inside a savepoint. A failure rolls it back, marks it Failed with the
error, and skips every blueprint that needs it; the others still apply. The ledger and audit
log are written only for what really changed, so a second run writes nothing (law 1).
"""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from frappe_stack.apply_failures import short_trace
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow, LedgerDoc, LedgerEntry
from frappe_stack.plan import CREATE, DELETE, BlueprintPlan, Plan
from frappe_stack.site_protocols import SiteLedger, SiteReader, SiteWriter, TransactionGuard
from frappe_stack.statuses import AuditResult, LedgerStatus

APPLIED, FAILED, SKIPPED, UNCHANGED, ORPHANED = "applied", "failed", "skipped", "unchanged", "orphaned"


@runtime_checkable
class Site(SiteReader, SiteWriter, TransactionGuard, SiteLedger, Protocol):
	"""What the applier needs from a site (frappe_stack.site_protocols). frappe_stack.site.frappe_site
	implements it on Frappe, tests/memory_site.py in memory."""


@dataclass
class BlueprintResult:
	blueprint: str
	status: str
	plan: BlueprintPlan
	error: str = ""
	trace: str = ""  # where a failure broke (apply_failures.short_trace)

	def as_dict(self) -> dict:
		out = self.plan.as_dict() | {"status": self.status}
		if self.error:
			out["error"] = self.error
		if self.status != APPLIED:
			out["counts"] = dict.fromkeys(out["counts"], 0) | {"noop": self.plan.count("noop")}
		return out


@dataclass
class ApplyResult:
	results: list[BlueprintResult] = field(default_factory=list)
	shared: list = field(default_factory=list)  # owners.SharedOwner, from the plan
	# answered from the ledger (frappe_stack.unchanged): neither the repo nor the site had changed
	quick: bool = False

	@property
	def failed(self) -> list[BlueprintResult]:
		return [r for r in self.results if r.status in (FAILED, SKIPPED)]

	def summary(self) -> dict:
		done = [r.plan for r in self.results if r.status == APPLIED]
		counts = {a: sum(bp.count(a) for bp in done) for a in ("create", "update", "delete")}
		counts["noop"] = sum(r.plan.count("noop") for r in self.results)
		counts["drift"] = sum(1 for bp in done for op in bp.ops if op.drift)
		counts["orphaned"] = sum(1 for r in self.results if r.status == ORPHANED)
		counts["failed"] = sum(1 for r in self.results if r.status == FAILED)
		counts["skipped"] = sum(1 for r in self.results if r.status == SKIPPED)
		return counts

	def as_dict(self) -> dict:
		return {
			"summary": self.summary(),
			"ok": not self.failed,
			"quick": self.quick,
			"blueprints": [r.as_dict() for r in self.results],
			"shared_owners": [s.as_dict() for s in self.shared],
		}


def apply_plan(
	plan: Plan,
	site: Site,
	ledger: dict[str, LedgerEntry],
	git_commit: str | None = None,
	progress: Callable[[int, int, BlueprintPlan], None] | None = None,
) -> ApplyResult:
	result = ApplyResult()
	broken: set[str] = set()
	try:
		for index, bp in enumerate(plan.blueprints, 1):
			if progress:
				progress(index, len(plan.blueprints), bp)
			if bp.orphaned:
				result.results.append(_orphan(bp, site, ledger.get(bp.name)))
				continue
			blocked = [name for name in bp.needs if name in broken]
			if blocked:
				broken.add(bp.name)
				result.results.append(_skip(bp, site, ledger.get(bp.name), blocked))
				continue
			if not bp.has_changes:
				result.results.append(BlueprintResult(bp.name, UNCHANGED, bp))
				continue
			outcome = _apply_blueprint(bp, site, ledger.get(bp.name), git_commit)
			if outcome.status == FAILED:
				broken.add(bp.name)
			result.results.append(outcome)
	except BaseException:
		# what broke the apply off goes on up, not the cleanup's own error after it (Redis gone by
		# now): that would turn an interrupt into an error, which a deploy records as a failed step
		with suppress(Exception):
			site.finish_apply()
		raise
	site.finish_apply()
	return result


def _apply_blueprint(bp: BlueprintPlan, site: Site, entry: LedgerEntry | None, git_commit) -> BlueprintResult:
	savepoint = f"frappe_stack_{abs(hash(bp.name))}"
	site.savepoint(savepoint)
	current = None
	try:
		for current in bp.writes:
			if current.action == DELETE:
				site.delete(current.doctype, current.name)
			else:
				site.write(current.document, new=current.action == CREATE)
		current = None
		site.finish_blueprint()
		managed = [op.key for op in bp.ops if op.source_hash]
		after = site.live_hashes(managed)
		if missing := [key for key in managed if key not in after]:
			raise StackError(
				f"not on the site after writing: {', '.join(f'{dt} {name!r}' for dt, name in missing)}; "
				"set the name Frappe gives these documents"
			)
	except Exception as exc:
		where = getattr(exc, "location", None) or (
			f"{current.action} {current.doctype} '{current.name}'" if current else "schema update"
		)
		error = f"{where}: {site.error_text(exc)}"
		try:
			site.rollback_to(savepoint)
		except Exception as restore_error:
			error += f"; {site.error_text(restore_error)}"
		failed = entry or LedgerEntry(bp.name)
		failed.status, failed.last_error = LedgerStatus.FAILED, error
		failed.source_path, failed.content_hash = bp.file, bp.content_hash
		site.save_ledger(failed)
		site.audit(AuditRow("apply", bp.name, AuditResult.FAILED, details=error))
		site.commit()
		return BlueprintResult(bp.name, FAILED, bp, error, short_trace(exc))

	site.save_ledger(
		LedgerEntry(
			blueprint=bp.name,
			status=LedgerStatus.APPLIED,
			source_path=bp.file,
			content_hash=bp.content_hash,
			applied_hash=bp.content_hash,
			applied_on=site.now(),
			applied_by=site.user,
			git_commit=git_commit or (entry.git_commit if entry else None),
			header=bp.header,
			documents={
				op.key: LedgerDoc(op.doctype, op.name, op.source_hash, after[op.key])
				for op in bp.ops
				if op.source_hash
			},
		)
	)
	for op in bp.writes:
		action = "overwrite-drift" if op.drift else op.action
		site.audit(
			AuditRow(
				action, bp.name, AuditResult.SUCCESS, op.doctype, op.name, op.before_hash, after.get(op.key)
			)
		)
	for doctype, name in bp.released:
		site.audit(
			AuditRow(
				"release",
				bp.name,
				AuditResult.SUCCESS,
				doctype,
				name,
				details="left the blueprint; kept on the site",
			)
		)
	site.commit()
	return BlueprintResult(bp.name, APPLIED, bp)


def _orphan(bp: BlueprintPlan, site: Site, entry: LedgerEntry | None) -> BlueprintResult:
	if bp.ledger_stale and entry is not None:
		entry.status = LedgerStatus.ORPHANED
		site.save_ledger(entry)
		site.audit(
			AuditRow(
				"orphan",
				bp.name,
				AuditResult.SUCCESS,
				details="blueprint file removed; its documents stay on the site",
			)
		)
		site.commit()
	return BlueprintResult(bp.name, ORPHANED, bp)


def _skip(bp: BlueprintPlan, site: Site, entry: LedgerEntry | None, blocked: list[str]) -> BlueprintResult:
	error = f"skipped: needs {', '.join(blocked)}, which did not apply"
	if entry is None or entry.last_error != error:
		skipped = entry or LedgerEntry(bp.name, source_path=bp.file, content_hash=bp.content_hash)
		if skipped.status in (LedgerStatus.APPLIED, LedgerStatus.DRIFTED):
			skipped.status = LedgerStatus.PENDING
		skipped.last_error = error
		site.save_ledger(skipped)
		site.audit(AuditRow("apply", bp.name, AuditResult.SKIPPED, details=error))
		site.commit()
	return BlueprintResult(bp.name, SKIPPED, bp, error)
