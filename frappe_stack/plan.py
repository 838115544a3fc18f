"""Compare desired (blueprint files) with the ledger and the live site; produce operations.

The Plan is plain data with several readers: the applier executes it, `plan` renders it as text
or JSON. Nothing here touches a site.
"""

from dataclasses import dataclass, field

from frappe_stack.blueprint.model import Blueprint, Key
from frappe_stack.blueprint.validate import BlueprintSet
from frappe_stack.ledger import LedgerDoc, LedgerEntry
from frappe_stack.statuses import LedgerStatus

CREATE, UPDATE, DELETE, NOOP = "create", "update", "delete", "noop"


@dataclass(frozen=True)
class DocOp:
	action: str
	doctype: str
	name: str
	before_hash: str | None  # live hash now (None: not on the site)
	source_hash: str | None  # hash of the desired document (None for a delete)
	pending: bool = False  # the repo changed since the last apply
	drift: bool = False  # the site changed since the last apply
	document: dict | None = None

	@property
	def key(self) -> Key:
		return (self.doctype, self.name)

	@property
	def conflict(self) -> bool:
		return self.pending and self.drift

	def as_dict(self) -> dict:
		out = {"action": self.action, "doctype": self.doctype, "name": self.name}
		out.update(pending=self.pending, drift=self.drift, conflict=self.conflict)
		out.update(before_hash=self.before_hash, source_hash=self.source_hash)
		return out


@dataclass
class BlueprintPlan:
	name: str
	file: str = ""
	content_hash: str = ""
	needs: list[str] = field(default_factory=list)
	ops: list[DocOp] = field(default_factory=list)
	released: list[Key] = field(
		default_factory=list
	)  # left the blueprint without a tombstone: kept on the site
	header: dict = field(default_factory=dict)  # the file's description, depends_on, requires, delete
	orphaned: bool = False
	ledger_stale: bool = False  # the ledger row must be (re)written even if no document changes

	@property
	def writes(self) -> list[DocOp]:
		return [op for op in self.ops if op.action != NOOP]

	@property
	def has_changes(self) -> bool:
		return bool(self.writes) or self.ledger_stale

	def count(self, action: str) -> int:
		return sum(1 for op in self.ops if op.action == action)

	def as_dict(self) -> dict:
		return {
			"blueprint": self.name,
			"file": self.file,
			"orphaned": self.orphaned,
			"needs": self.needs,
			"changes": self.has_changes,
			"counts": {a: self.count(a) for a in (CREATE, UPDATE, DELETE, NOOP)},
			"drift": sum(1 for op in self.ops if op.drift),
			"released": [{"doctype": dt, "name": n} for dt, n in self.released],
			"documents": [op.as_dict() for op in self.ops if op.action != NOOP or op.drift],
		}


@dataclass
class Plan:
	blueprints: list[BlueprintPlan]
	# owners.SharedOwner: managed documents an installed app also ships (law 8), set by stack
	shared: list = field(default_factory=list)
	# the ledger manages blueprints and none of them is in the folders: most likely a wrong path,
	# so apply refuses (stack.WouldOrphanEverything) unless told to orphan them all
	orphans_all_managed: bool = False

	@property
	def has_changes(self) -> bool:
		return any(bp.has_changes for bp in self.blueprints)

	def summary(self) -> dict:
		ops = [op for bp in self.blueprints for op in bp.ops]
		counts = {a: sum(1 for op in ops if op.action == a) for a in (CREATE, UPDATE, DELETE, NOOP)}
		counts["drift"] = sum(1 for op in ops if op.drift)
		counts["orphaned"] = sum(1 for bp in self.blueprints if bp.orphaned)
		return counts

	def as_dict(self) -> dict:
		return {
			"summary": self.summary(),
			"changes": self.has_changes,
			"orphans_all_managed": self.orphans_all_managed,
			"blueprints": [bp.as_dict() for bp in self.blueprints],
			"shared_owners": [s.as_dict() for s in self.shared],
		}


def compare(desired: BlueprintSet, ledger: dict[str, LedgerEntry], live: dict[Key, str]) -> Plan:
	"""`live` maps each managed or tombstoned document present on the site to its canonical hash."""
	recorded: dict[Key, LedgerDoc] = {
		key: doc
		for entry in ledger.values()
		if entry.status != LedgerStatus.ORPHANED
		for key, doc in entry.documents.items()
	}
	plans = [
		_blueprint_plan(bp, desired.needs.get(bp.name, []), ledger.get(bp.name), recorded, live)
		for bp in desired.blueprints
	]
	present = {bp.name for bp in desired.blueprints}
	for name in sorted(set(ledger) - present):
		entry = ledger[name]
		plans.append(
			BlueprintPlan(
				name=name,
				file=entry.source_path,
				orphaned=True,
				ledger_stale=entry.status != LedgerStatus.ORPHANED,
			)
		)
	managed = any(entry.status != LedgerStatus.ORPHANED for entry in ledger.values())
	return Plan(plans, orphans_all_managed=managed and not present & set(ledger))


def _blueprint_plan(bp: Blueprint, needs, entry: LedgerEntry | None, recorded, live) -> BlueprintPlan:
	ops = [
		_doc_op(doc.key, doc.hash, doc.data, recorded.get(doc.key), live.get(doc.key))
		for doc in bp.apply_order
	]
	for key in bp.deletes:
		before = live.get(key)
		ops.append(DocOp(DELETE if before else NOOP, key[0], key[1], before, None, pending=bool(before)))
	kept = {doc.key for doc in bp.documents} | set(bp.deletes)
	released = sorted(key for key in (entry.documents if entry else {}) if key not in kept)
	plan = BlueprintPlan(bp.name, bp.file, bp.content_hash, list(needs), ops, released, bp.header())
	plan.ledger_stale = _ledger_stale(plan, bp, entry)
	return plan


def _doc_op(key: Key, desired: str, data: dict, led: LedgerDoc | None, live: str | None) -> DocOp:
	doctype, name = key
	pending = led is None or led.source_hash != desired
	if live is None:
		return DocOp(
			CREATE, doctype, name, None, desired, pending=pending, drift=led is not None, document=data
		)
	converged = led is not None and led.source_hash == desired and led.applied_hash == live
	if live == desired or converged:
		return DocOp(NOOP, doctype, name, live, desired, document=data)
	drift = led is not None and led.applied_hash != live
	return DocOp(UPDATE, doctype, name, live, desired, pending=pending, drift=drift, document=data)


def _ledger_stale(plan: BlueprintPlan, bp: Blueprint, entry: LedgerEntry | None) -> bool:
	if entry is None or entry.status != LedgerStatus.APPLIED or plan.released:
		return True
	if entry.content_hash != bp.content_hash or entry.source_path != bp.file or entry.header != bp.header():
		return True
	expected = {
		op.key: (op.source_hash, op.before_hash) for op in plan.ops if op.action == NOOP and op.source_hash
	}
	actual = {key: (d.source_hash, d.applied_hash) for key, d in entry.documents.items()}
	return expected != actual
