"""What a promotion carries, per blueprint: added (new file), removed (file gone) or changed, with
the documents it touches. The PR body, the Promotion record and the changelog all show this."""

from collections import Counter
from dataclasses import dataclass

from frappe_stack.review.change import ADDED, DELETED, MODIFIED, RELEASED, Change

ADDED_BP, CHANGED_BP, REMOVED_BP = "added", "changed", "removed"
KIND_WORDS = {ADDED: "new", MODIFIED: "changed", DELETED: "deleted", RELEASED: "released"}


@dataclass(frozen=True)
class BlueprintChange:
	blueprint: str
	action: str  # added | changed | removed
	documents: int
	detail: str = ""  # e.g. "1 changed (DocType Beneficiary), 2 new (Custom Field ...)"

	def __post_init__(self):
		# an unknown action would silently drop the change from the changelog
		if self.action not in (ADDED_BP, CHANGED_BP, REMOVED_BP):
			raise ValueError(f"action {self.action!r} is not one of {ADDED_BP}, {CHANGED_BP}, {REMOVED_BP}")

	def as_dict(self) -> dict:
		return {
			"blueprint": self.blueprint,
			"action": self.action,
			"documents": self.documents,
			"detail": self.detail,
		}


def blueprint_changes(
	change: Change, base_blueprints: list[str], head_blueprints: list[str]
) -> list[BlueprintChange]:
	out = []
	for name in sorted({doc.blueprint for doc in change.docs}):
		docs = [doc for doc in change.docs if doc.blueprint == name]
		if name not in base_blueprints:
			action = ADDED_BP
		elif name not in head_blueprints:
			action = REMOVED_BP
		else:
			action = CHANGED_BP
		kinds = Counter(doc.kind for doc in docs)
		detail = ", ".join(
			f"{kinds[kind]} {KIND_WORDS[kind]} ("
			+ ", ".join(f"{d.doctype} {d.name}" for d in docs if d.kind == kind)
			+ ")"
			for kind in (ADDED, MODIFIED, DELETED, RELEASED)
			if kinds[kind]
		)
		out.append(BlueprintChange(name, action, len(docs), detail))
	return out
