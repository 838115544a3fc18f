"""`diff`: repo vs ledger vs live site, in three buckets a PM can read.

only_on_site  customizations on the site that no blueprint holds
only_in_git   blueprint documents the site does not have
changed       documents on both sides that differ, tagged pending (the repo changed since the
              last apply), drift (the site changed since then) or conflict (both), with
              field-level detail (site -> repo); a tombstoned document still on the site too

It reads the planner's classification rather than classifying again.
"""

from dataclasses import dataclass, field

from frappe_stack.blueprint.field_diff import FieldChange, field_changes
from frappe_stack.blueprint.model import Key
from frappe_stack.document_owners import SharedOwner, shared_lines
from frappe_stack.drift import DriftChange
from frappe_stack.plan import CREATE, DELETE, UPDATE, Plan


@dataclass
class DiffItem:
	doctype: str
	name: str
	blueprint: str | None
	kind: str  # create | update | delete | unmanaged
	tag: str | None = None  # pending | drift | conflict
	changes: list[FieldChange] = field(default_factory=list)

	def as_dict(self) -> dict:
		return {
			"doctype": self.doctype,
			"name": self.name,
			"blueprint": self.blueprint,
			"kind": self.kind,
			"tag": self.tag,
			"changes": [c.as_dict() for c in self.changes],
		}


@dataclass
class Diff:
	site: str
	repo: str
	only_on_site: list[DiffItem] = field(default_factory=list)
	only_in_git: list[DiffItem] = field(default_factory=list)
	changed: list[DiffItem] = field(default_factory=list)
	shared: list[SharedOwner] = field(default_factory=list)  # reported, not a difference
	ledger: list[DriftChange] = field(default_factory=list)  # statuses this diff set, shown in text()

	@property
	def is_clean(self) -> bool:
		return not (self.only_on_site or self.only_in_git or self.changed)

	def summary(self) -> dict:
		tags = [item.tag for item in self.changed]
		return {
			"only_on_site": len(self.only_on_site),
			"only_in_git": len(self.only_in_git),
			"changed": len(self.changed),
			"pending": tags.count("pending"),
			"drift": tags.count("drift"),
			"conflict": tags.count("conflict"),
			"clean": self.is_clean,
		}

	def as_dict(self) -> dict:
		# `ledger` stays out: the JSON is the difference itself, and `status --json` has the statuses
		return {
			"site": self.site,
			"repo": self.repo,
			"only_on_site": [i.as_dict() for i in self.only_on_site],
			"only_in_git": [i.as_dict() for i in self.only_in_git],
			"changed": [i.as_dict() for i in self.changed],
			"shared_owners": [s.as_dict() for s in self.shared],
			"summary": self.summary(),
		}

	def text(self) -> str:
		lines = [f"Diff: site={self.site}  vs  config-repo={self.repo}"]
		for bucket in ("only_on_site", "only_in_git", "changed"):
			items = getattr(self, bucket)
			lines.append(f"  {bucket + ':':<16} {len(items)}")
			for item in items:
				where = f"  ({item.blueprint})" if item.blueprint else ""
				tag = f" [{item.tag}]" if item.tag else ""
				lines.append(f"    {item.doctype} '{item.name}'{tag}{where}{_kind_note(item)}")
				lines += [f"      {change.render(item.name)}" for change in item.changes]
		lines += shared_lines(self.shared)
		lines += [f"  ledger: {change.line()}" for change in self.ledger]
		if self.is_clean:
			lines.append("Summary: clean.")
		else:
			s = self.summary()
			lines.append(
				f"Summary: {s['only_on_site']} only on the site, {s['only_in_git']} only in git, {s['changed']} changed "
				f"({s['pending']} pending, {s['drift']} drift, {s['conflict']} conflict)."
			)
		return "\n".join(lines)


def _kind_note(item: DiffItem) -> str:
	return {"delete": "  tombstone: apply deletes it"}.get(item.kind, "")


def build_diff(
	plan: Plan,
	live: dict[Key, dict],
	discovered: set[Key],
	owners: dict[Key, str],
	site: str,
	repo: str,
) -> Diff:
	"""`live` holds the canonical site documents the plan covers; `discovered` the site's
	customizations; `owners` the ledger's blueprint of documents no file holds any more."""
	diff = Diff(site, repo, shared=list(plan.shared))
	in_repo: set[Key] = set()
	for bp in plan.blueprints:
		for op in bp.ops:
			in_repo.add(op.key)
			if op.action == CREATE:
				diff.only_in_git.append(DiffItem(op.doctype, op.name, bp.name, "create", _tag(op)))
			elif op.action == UPDATE:
				changes = field_changes(live.get(op.key), op.document)
				diff.changed.append(DiffItem(op.doctype, op.name, bp.name, "update", _tag(op), changes))
			elif op.action == DELETE:
				diff.changed.append(DiffItem(op.doctype, op.name, bp.name, "delete", "pending"))
	for key in sorted(discovered - in_repo):
		diff.only_on_site.append(DiffItem(key[0], key[1], owners.get(key), "unmanaged"))
	return diff


def _tag(op) -> str | None:
	if op.conflict:
		return "conflict"
	if op.drift:
		return "drift"
	return "pending" if op.pending else None
