"""Plain, readable text for plans, apply results and the ledger. JSON output uses as_dict()."""

from frappe_stack.applier import APPLIED, FAILED, SKIPPED, ApplyResult
from frappe_stack.document_owners import shared_lines
from frappe_stack.export import ExportResult
from frappe_stack.ledger import LedgerEntry
from frappe_stack.plan import CREATE, DELETE, NOOP, UPDATE, BlueprintPlan, DocOp, Plan

MARKS = {CREATE: "+", UPDATE: "~", DELETE: "-", NOOP: "="}


def plan_text(plan: Plan, site: str) -> str:
	lines = [f"Plan for site {site}"]
	for bp in plan.blueprints:
		lines += _blueprint_lines(bp)
	lines += shared_lines(plan.shared)
	lines.append(_summary_line(plan.summary(), "to create", "to update", "to delete"))
	lines.append(_next_step(plan))
	return "\n".join(lines)


def _next_step(plan: Plan) -> str:
	if not plan.has_changes:
		return "Nothing to do."
	if plan.orphans_all_managed:
		gone = sum(1 for bp in plan.blueprints if bp.orphaned and bp.ledger_stale)
		return (
			f"None of the {gone} blueprint(s) the ledger manages is in these folders: `frappe-stack apply` "
			"refuses to orphan them all. Fix: point --path or the site config key frappe_stack_blueprints "
			"at the config repo's checkout; to stop managing them all on purpose, use apply --orphan-all."
		)
	if any(bp.writes for bp in plan.blueprints):
		return "Run `frappe-stack apply` to make these changes."
	behind = [bp.name for bp in plan.blueprints if bp.ledger_stale and not bp.orphaned]
	gone = [bp.name for bp in plan.blueprints if bp.ledger_stale and bp.orphaned]
	news = [f"the ledger is behind the files of {', '.join(behind)}"] if behind else []
	if gone:
		news.append(f"the files of {', '.join(gone)} are gone (their documents stay on the site)")
	said = "; ".join(news)
	return (
		f"No document to write: the site already matches. {said[:1].upper()}{said[1:]}; "
		"`frappe-stack apply` records that without writing any document."
	)


def apply_text(result: ApplyResult, site: str) -> str:
	lines = [f"Applied to site {site}"]
	for outcome in result.results:
		if outcome.status == APPLIED:
			lines += _blueprint_lines(outcome.plan)
		elif outcome.status in (FAILED, SKIPPED):
			lines.append(f"  {outcome.blueprint:<28} {outcome.status.upper()}: {outcome.error}")
		elif outcome.plan.orphaned and outcome.plan.ledger_stale:
			lines += _blueprint_lines(outcome.plan)
	lines += shared_lines(result.shared)
	summary = result.summary()
	lines.append(_summary_line(summary, "created", "updated", "deleted"))
	if result.quick:
		lines.append(
			"Nothing changed since the last apply: the blueprint files, the ledger and the modified of "
			"every managed document are as it left them (`apply --full` reads and compares everything)."
		)
	if result.failed:
		lines.append(
			f"{summary['failed']} blueprint(s) failed, {summary['skipped']} skipped; their documents are unchanged."
		)
	return "\n".join(lines)


def status_text(entries: list[LedgerEntry], site: str) -> str:
	if not entries:
		return f"No blueprint has been applied on site {site} yet."
	lines = [
		f"Blueprints on site {site}",
		f"  {'blueprint':<28} {'status':<9} {'docs':>4}  {'applied on':<19}  by",
	]
	for e in entries:
		lines.append(
			f"  {e.blueprint:<28} {e.status:<9} {len(e.documents):>4}  {(e.applied_on or '-')[:19]:<19}  {e.applied_by or '-'}"
		)
		if e.last_error:
			lines.append(f"      last error: {e.last_error}")
	return "\n".join(lines)


def export_text(result: ExportResult, site: str) -> str:
	lines = [f"Exported site {site} to {result.directory}"]
	for name, keys in result.documents.items():
		lines.append(f"  {name:<28} {len(keys)} document(s)")
	lines.append(f"  written: {', '.join(result.written) or 'nothing (all files already up to date)'}")
	if result.left_out:
		lines.append("  left out (secrets never go into blueprints; set them on each site):")
		lines += [f"    {item}" for item in result.left_out]
	if result.repaired:
		lines.append("  written without what Frappe's own importer added (the site still holds it):")
		lines += [f"    {item}" for item in result.repaired]
	return "\n".join(lines)


def _blueprint_lines(bp: BlueprintPlan) -> list[str]:
	if bp.orphaned:
		return [f"  {bp.name:<28} orphaned: its file is gone; its documents stay on the site"]
	counts = "  ".join(f"{a} {bp.count(a)}" for a in (CREATE, UPDATE, DELETE, NOOP))
	lines = [f"  {bp.name:<28} {counts}"]
	lines += [f"    {MARKS[op.action]} {op.doctype} '{op.name}'{_tags(op)}" for op in bp.writes]
	lines += [
		f"    . {dt} '{name}' left the blueprint (no tombstone): kept on the site" for dt, name in bp.released
	]
	if bp.ledger_stale and not bp.writes and not bp.released:
		lines.append("    ledger will be updated (the site already matches)")
	return lines


def _tags(op: DocOp) -> str:
	if op.conflict:
		return "  [conflict: changed on the site and in the repo; the repo wins]"
	if op.drift:
		return "  [drift: changed on the site since the last apply; will be overwritten]"
	return ""


def _summary_line(summary: dict, created: str, updated: str, deleted: str) -> str:
	return (
		f"Summary: {summary['create']} {created}, {summary['update']} {updated}, {summary['delete']} {deleted}, "
		f"{summary['noop']} unchanged; {summary['drift']} drifted; {summary['orphaned']} orphaned."
	)
