"""The saved plan (promote/saved_plan.py) bound to the approval: `promote` makes it on the target
while check visits it; `deploy` makes it again on production, before any write, and refuses when
it is not the approved one, unless `--replan`, which is recorded in the audit log and the
Promotion's journal."""

from dataclasses import dataclass, field
from pathlib import Path

from frappe_stack import stack
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow
from frappe_stack.promote import saved_plan
from frappe_stack.promote.saved_plan import PlanChanged, PlannedDoc
from frappe_stack.statuses import AuditResult


def plan_on(site, root: Path) -> list[PlannedDoc]:
	"""What applying the config repo at `root` would do on `site` (a site of this bench or a URL)."""
	plan, _, _ = stack.make_plan(site, str(root))
	return saved_plan.planned_docs(plan)


@dataclass
class TargetPlan:
	"""promote's plan on the target, or why it could not be made (a checklist is shown first)."""

	docs: list[PlannedDoc] = field(default_factory=list)
	error: str = ""


def plan_target(site, root: Path) -> TargetPlan:
	try:
		return TargetPlan(plan_on(site, root))
	except StackError as e:
		return TargetPlan(error=str(e))


@dataclass
class PlanCheck:
	"""deploy's verdict on the saved plan: one line for its output, and what `--replan` overrode."""

	line: str
	differences: list[str] = field(default_factory=list)

	@property
	def replanned(self) -> bool:
		return bool(self.differences)


def check_saved_plan(
	site, root: Path, folder: Path, promotion: str | None, manifest: dict, resuming: bool, replan: bool
) -> PlanCheck:
	"""Compare the plan saved in `folder` (the checkout's promotions/) with the plan on `site` now;
	raise PlanChanged when they differ and `replan` is not given. Writes nothing."""
	if not promotion:
		return PlanCheck("none: a --ref deploy is bound to no approval, the checkout is deployed as it is")
	if resuming:
		return PlanCheck("checked when the interrupted deploy started; this run resumes it")
	path = folder / f"{promotion}{saved_plan.SUFFIX}"
	stated = (manifest.get("plan") or {}).get("hash")
	if not stated and not path.is_file():
		return PlanCheck(f"none: {promotion} was promoted before plans were saved; deployed without one")
	try:
		approved, approved_hash = saved_plan.load(path)
		if stated and stated != approved_hash:
			raise StackError(
				f"{path}: hash {approved_hash[:12]} is not the approved {stated[:12]} of {promotion}.json; "
				"fix: promote again to save a new plan, or deploy with --replan"
			)
	except StackError as e:
		if not replan:
			raise
		return PlanCheck(f"not usable, deployed anyway (--replan): {e}", [str(e)])
	lines = saved_plan.differences(approved, plan_on(site, root))
	if not lines:
		summary = saved_plan.summary_text(saved_plan.summary(approved))
		return PlanCheck(f"{approved_hash[:12]} matches production ({summary})")
	if not replan:
		raise PlanChanged(promotion, approved_hash, lines)
	return PlanCheck(
		f"{approved_hash[:12]} differs in {len(lines)} document(s), deployed anyway (--replan): "
		+ "; ".join(lines),
		lines,
	)


def record_replan(site, store, promotion: str, check: PlanCheck) -> None:
	"""Who deployed past a stale plan, and past what: in the audit log and the Promotion's journal,
	both written before the deploy's backup, so a restore keeps them."""
	detail = "deployed with --replan: " + "; ".join(check.differences)
	store.update(promotion, {}, detail, step="replan")
	site.audit(AuditRow("replan", "", AuditResult.SUCCESS, details=f"{promotion}: {detail}"))
	site.commit()
