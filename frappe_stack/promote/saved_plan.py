"""The plan a promotion was approved with, bound to the approval (as Terraform's saved plans and
Salesforce's validate-then-quick-deploy): `promote` saves, next to the manifest, what applying the
change would do on production — each document's action and the live hash it expects to find —
and puts the plan's hash in the pull request body. `deploy` recomputes the plan on production
before any write and refuses when it differs: production drifted since the approval, or the
merged repo is not what was approved. `--replan` deploys anyway and is audit-logged.

Documents a plan leaves as they are count too: a managed document edited on production since the
approval turns from "noop" into "update", and that is a difference worth stopping for."""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.errors import StackError
from frappe_stack.plan import CREATE, DELETE, NOOP, UPDATE, Plan

SUFFIX = ".plan.json"


@dataclass(frozen=True)
class PlannedDoc:
	blueprint: str
	doctype: str
	name: str
	action: str
	live_hash: str | None  # what production held when the plan was made (None: not there)
	source_hash: str | None  # what the repo asks for (None: a delete)

	def label(self) -> str:
		return f"{self.doctype} '{self.name}' ({self.blueprint})"


def planned_docs(plan: Plan) -> list[PlannedDoc]:
	return sorted(
		(
			PlannedDoc(bp.name, op.doctype, op.name, op.action, op.before_hash, op.source_hash)
			for bp in plan.blueprints
			for op in bp.ops
		),
		key=lambda d: (d.blueprint, d.doctype, d.name),
	)


def as_json(docs: list[PlannedDoc]) -> dict:
	rows = [
		{
			"blueprint": d.blueprint,
			"doctype": d.doctype,
			"name": d.name,
			"action": d.action,
			"live_hash": d.live_hash,
			"source_hash": d.source_hash,
		}
		for d in docs
	]
	return {"documents": rows, "hash": content_hash(rows)}


def plan_hash(docs: list[PlannedDoc]) -> str:
	return as_json(docs)["hash"]


def summary(docs: list[PlannedDoc]) -> dict:
	"""What the manifest and the pull request body say of a plan: its hash and what it does."""
	counts = Counter(d.action for d in docs)
	actions = {action: counts[action] for action in (CREATE, UPDATE, DELETE, NOOP) if counts[action]}
	return {"hash": plan_hash(docs), "documents": len(docs), "actions": actions}


def summary_text(summary: dict) -> str:
	actions = ", ".join(f"{n} {action}" for action, n in summary["actions"].items())
	return f"{summary['documents']} document(s)" + (f": {actions}" if actions else "")


def save(folder: Path, promotion: str, docs: list[PlannedDoc]) -> Path:
	path = folder / f"{promotion}{SUFFIX}"
	path.write_text(json.dumps(as_json(docs), indent=1, sort_keys=True) + "\n", encoding="utf-8")
	return path


def load(path: Path) -> tuple[list[PlannedDoc], str]:
	"""The saved documents and the hash the file states; a file edited by hand fails its hash."""
	fix = "promote again to save a new plan, or deploy with --replan"
	try:
		data = json.loads(path.read_text(encoding="utf-8"))
		docs = [PlannedDoc(**row) for row in data["documents"]]
		stated = data["hash"]
	except FileNotFoundError:
		raise StackError(f"{path}: the promotion's saved plan is missing; fix: {fix}") from None
	except (ValueError, KeyError, TypeError) as e:
		raise StackError(f"{path}: not a saved plan ({e}); fix: {fix}") from None
	if plan_hash(docs) != stated:
		raise StackError(f"{path}: hash: the plan does not match its own hash (edited?); fix: {fix}")
	return docs, stated


def differences(approved: list[PlannedDoc], now: list[PlannedDoc]) -> list[str]:
	"""One line per document whose action or expected live state changed since the approval."""
	before = {(d.doctype, d.name): d for d in approved}
	after = {(d.doctype, d.name): d for d in now}
	lines = []
	for key in sorted(before.keys() | after.keys()):
		was, is_ = before.get(key), after.get(key)
		if was is None:
			lines.append(f"{is_.label()}: not in the approved plan, now {is_.action}")
		elif is_ is None:
			lines.append(f"{was.label()}: approved to {was.action}, no longer in the plan")
		elif was.source_hash != is_.source_hash:
			lines.append(f"{is_.label()}: the repo's version differs from the approved one")
		elif was.live_hash != is_.live_hash or was.action != is_.action:
			lines.append(
				f"{is_.label()}: changed on production since the approval "
				f"(approved {was.action} of {_short(was.live_hash)}, now {is_.action} of {_short(is_.live_hash)})"
			)
	return lines


def _short(live_hash: str | None) -> str:
	return live_hash[:12] if live_hash else "nothing"


class PlanChanged(StackError):
	"""deploy's refusal: the plan recomputed on production is not the one approved."""

	def __init__(self, promotion: str, approved_hash: str, lines: list[str]):
		self.differences = lines
		super().__init__(
			"\n".join(
				[
					f"{promotion}: production changed since the approval (saved plan {approved_hash[:12]}, "
					f"{len(lines)} document(s) differ); nothing was written:",
					*(f"  {line}" for line in lines),
					"fix: review the changes and re-promote, or deploy with --replan (recorded in the audit log)",
				]
			)
		)
