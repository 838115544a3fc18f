"""Why blueprints did not apply, as a record that outlives the database: `bench migrate` writes it to
a file of the site (frappe_stack.site.apply_record) before it fails, a deploy reads it to say the real
error on its migrate step, and after restoring the backup (which rewinds the ledger and the audit
log) writes the Failed ledger rows and audit rows again from it."""

import traceback
from pathlib import Path

from frappe_stack.ledger import AuditRow
from frappe_stack.statuses import AuditResult, LedgerStatus

TRACE_FRAMES = 3  # the innermost frames: where it broke, not how the applier got there
# Frappe's functions that raise what a controller decided: the trace ends where it decided
RAISERS = {("frappe/__init__.py", name) for name in ("throw", "msgprint", "_raise_exception")}


def short_trace(exc: BaseException, frames: int = TRACE_FRAMES) -> str:
	"""`file.py:LINE in function` of the innermost frames, outermost first, on one line; Frappe's
	throw and msgprint left out."""
	summary = [
		("/".join(Path(frame.filename).parts[-2:]), frame.lineno, frame.name)
		for frame in traceback.extract_tb(exc.__traceback__)
	]
	while len(summary) > 1 and (summary[-1][0], summary[-1][2]) in RAISERS:
		summary.pop()
	return " > ".join(f"{file}:{line} in {name}" for file, line, name in summary[-frames:])


def record_of(result, site: str, at: str) -> dict:
	"""The outcome of one apply (an applier.ApplyResult), as plain JSON."""
	return {
		"site": site,
		"at": at,
		"ok": not result.failed,
		"failed": [
			{
				"blueprint": r.blueprint,
				"status": r.status,
				"error": r.error,
				"trace": r.trace,
			}
			for r in result.failed
		],
	}


def failure_lines(record: dict) -> list[str]:
	"""One line per blueprint that did not apply: its name, the document and error, where it broke."""
	return [
		f"{f['blueprint']}: {f['error']}" + (f" (at {f['trace']})" if f.get("trace") else "")
		for f in record.get("failed") or []
	]


def failed_message(record: dict) -> str | None:
	"""What `bench migrate` fails with: the blueprints that did not apply, or why none was applied
	(`error`: the repo did not validate); None when it applied."""
	if lines := failure_lines(record):
		return "blueprint(s) did not apply: " + "; ".join(lines)
	return f"no blueprint was applied: {record['error']}" if record.get("error") else None


def error_record(site: str, at: str, error: str) -> dict:
	"""An apply that stopped before any blueprint (validation), as plain JSON."""
	return {"site": site, "at": at, "ok": False, "failed": [], "error": error}


def rerecord(site, record: dict, context: str) -> None:
	"""After a restore rewound them: each blueprint that failed is Failed again in the ledger with its
	error (one skipped for another's failure keeps its reason), and the audit log says it again. A
	blueprint the restored site never had gets no ledger row: the site is as before it, nothing of it
	applied, and `status` cannot call it Applied."""
	ledger = site.read_ledger()
	for failure in record.get("failed") or []:
		name, error = failure["blueprint"], failure["error"]
		if entry := ledger.get(name):
			if failure["status"] == "failed":
				entry.status = LedgerStatus.FAILED
			elif entry.status in (LedgerStatus.APPLIED, LedgerStatus.DRIFTED):
				entry.status = LedgerStatus.PENDING  # as the applier leaves a skipped blueprint
			entry.last_error = error
			site.save_ledger(entry)
		outcome = AuditResult.FAILED if failure["status"] == "failed" else AuditResult.SKIPPED
		site.audit(AuditRow("apply", name, outcome, details=f"{context}: {error}"))
	site.commit()
