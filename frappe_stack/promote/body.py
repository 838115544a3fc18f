"""The pull request body of a promotion: what a reviewer needs to approve it without opening
staging. Plain Markdown; the same text goes to a file when no GitHub is configured."""

from dataclasses import dataclass, field

from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.checks.result import FAIL, PASS, WARN, Checklist
from frappe_stack.promote.saved_plan import summary_text
from frappe_stack.promote.summary import BlueprintChange
from frappe_stack.review.findings import Report

MARKS = {PASS: "✅ pass", WARN: "⚠️ warn", FAIL: "❌ fail"}
TEST_CHECKS = ("app tests", "smoke tests")


@dataclass
class PromotionFacts:
	name: str
	label: str
	source: str
	target: str
	checklist: Checklist
	changes: list[BlueprintChange]
	report: Report
	backup: BackupRecord
	rollback_command: str
	audit: list[dict] = field(default_factory=list)  # at, actor, action, blueprint, result, details
	emergency: str | None = None
	plan: dict | None = None  # saved_plan.summary and "file": the plan this approval is for


def pr_body(p: PromotionFacts) -> str:
	documents = sum(c.documents for c in p.changes)
	lines = [
		"## Summary",
		"",
		f"Promotion **{p.name}** (`{p.label}`) from **{p.source}** to **{p.target}**: "
		f"{len(p.changes)} blueprint(s), {documents} document(s).",
	]
	if p.emergency:
		lines += ["", f"> **Emergency** promotion outside the window: {_cell(p.emergency)}"]
	lines += [
		"",
		"## Blueprints changed",
		"",
		"| Blueprint | Action | Documents | What |",
		"| --- | --- | --- | --- |",
	]
	lines += [f"| {c.blueprint} | {c.action} | {c.documents} | {_cell(c.detail)} |" for c in p.changes]
	lines += ["", "## Checklist", "", "| Check | Result | Detail |", "| --- | --- | --- |"]
	lines += [f"| {r.check} | {MARKS[r.result]} | {_cell(r.detail)} |" for r in p.checklist.results]
	lines += ["", "## Review findings", ""]
	if p.report.findings:
		lines += [
			f"- **{f.severity}** `{f.rule}` {f.file} `{f.path}`: {_cell(f.message)}. Fix: {_cell(f.fix)}"
			for f in p.report.findings
		]
	else:
		lines.append("No findings.")
	lines += ["", "## Tests", ""]
	tests = [r for r in p.checklist.results if r.check in TEST_CHECKS]
	lines += [f"- {r.check}: {MARKS[r.result]}, {_cell(r.detail)}" for r in tests] or ["No tests ran."]
	lines += ["", "## Audit log excerpt", ""]
	if p.audit:
		lines += [
			"| At | Who | Action | Blueprint | Result | Details |",
			"| --- | --- | --- | --- | --- | --- |",
		]
		lines += [
			f"| {row['at']} | {row['actor']} | {row['action']} | {row['blueprint'] or ''} | {row['result']} "
			f"| {_cell(row['details'] or '')} |"
			for row in p.audit
		]
	else:
		lines.append("No audit rows for these blueprints.")
	lines += _plan_section(p.plan, p.target)
	backup = p.backup
	lines += [
		"",
		"## Backup",
		"",
		f"- Site: {backup.site}",
		f"- Id: `{backup.label}`, file `{backup.path}`",
		f"- Taken: {backup.taken_at}; size {backup.size:,} bytes; sha256 `{backup.sha256}`",
		f"- Verified: {'yes' if backup.verified else 'NO: ' + '; '.join(backup.problems)}",
		"",
		"## Rollback",
		"",
		"```bash",
		p.rollback_command,
		"```",
		"",
	]
	return "\n".join(lines)


def _plan_section(plan: dict | None, target: str) -> list[str]:
	if not plan:
		return []
	return [
		"",
		"## Saved plan",
		"",
		f"Approving this pull request approves this plan against **{target}**: `{plan['hash']}`, "
		f"{summary_text(plan)}; saved in `{plan['file']}`.",
		"",
		f"`deploy` makes the plan again on {target} before it writes anything and refuses, naming each "
		"document, when it differs (production changed since the approval). `deploy --replan` deploys "
		"anyway and records that in the audit log.",
	]


def _cell(text: str) -> str:
	"""One Markdown table cell: no line breaks, no column separators."""
	return " ".join(str(text).split()).replace("|", "\\|")
