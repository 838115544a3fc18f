"""The change under review: documents added, modified or removed between a base BlueprintSet and
the head (working tree). Identity is (doctype, name) across all blueprints, so a document that
moves to another blueprint unchanged is no change."""

from dataclasses import dataclass, field

from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import adapter_for
from frappe_stack.blueprint.validate import BlueprintSet

ADDED, MODIFIED, DELETED, RELEASED = "added", "modified", "deleted", "released"


@dataclass(frozen=True)
class ChangedDoc:
	blueprint: str
	file: str
	path: str  # in head; for a released document (gone without tombstone), its path in base
	key: Key
	before: dict | None
	after: dict | None
	# A tombstone in head deletes the document from the site; without one it only stops being
	# managed and stays there (the plan "releases" it), so no data goes.
	tombstoned: bool = False

	@property
	def doctype(self) -> str:
		return self.key[0]

	@property
	def name(self) -> str:
		return self.key[1]

	@property
	def kind(self) -> str:
		if self.after is not None:
			return ADDED if self.before is None else MODIFIED
		return DELETED if self.tombstoned else RELEASED


@dataclass
class Change:
	docs: list[ChangedDoc]
	head_docs: dict[Key, dict] = field(default_factory=dict)
	base_docs: dict[Key, dict] = field(default_factory=dict)

	def head_names(self, doctype: str) -> set[str]:
		return {name for dt, name in self.head_docs if dt == doctype}

	def head_of(self, doctype: str) -> list[dict]:
		return [data for (dt, _), data in self.head_docs.items() if dt == doctype]

	def referenced(self, doctype: str) -> set[str]:
		"""Names of `doctype` that the changed documents reference, as they are after the change."""
		return {
			name
			for doc in self.docs
			if doc.after is not None
			for kind, name in adapter_for(doc.doctype).refs(doc.after)
			if kind == doctype
		}


def _documents(blueprints: BlueprintSet | None) -> dict[Key, tuple]:
	if blueprints is None:
		return {}
	return {doc.key: (bp, doc) for bp in blueprints.blueprints for doc in bp.documents}


def _tombstones(blueprints: BlueprintSet | None) -> dict[Key, tuple]:
	if blueprints is None:
		return {}
	return {
		key: (bp, f"$.delete[{index}]")
		for bp in blueprints.blueprints
		for index, key in enumerate(bp.deletes)
	}


def compute_change(base: BlueprintSet | None, head: BlueprintSet, blueprint: str | None = None) -> Change:
	"""What changed from base (None: an empty repo, everything is new) to head; only the documents
	of blueprint `blueprint` when given (a removal belongs to the blueprint that holds its tombstone,
	or held the document)."""
	before, after = _documents(base), _documents(head)
	base_tombs, head_tombs = _tombstones(base), _tombstones(head)
	docs = []
	for key, (bp, doc) in after.items():
		old = before.get(key)
		if old is None or old[1].data != doc.data:
			docs.append(ChangedDoc(bp.name, bp.file, doc.path, key, old[1].data if old else None, doc.data))
	for key, (bp, path) in head_tombs.items():
		if key not in base_tombs:
			old = before.get(key)
			docs.append(ChangedDoc(bp.name, bp.file, path, key, old[1].data if old else None, None, True))
	for key, (bp, doc) in before.items():
		if key not in after and key not in head_tombs:
			docs.append(ChangedDoc(bp.name, bp.file, doc.path, key, doc.data, None))
	if blueprint is not None:
		docs = [doc for doc in docs if doc.blueprint == blueprint]
	docs.sort(key=lambda d: (d.file, d.path))
	return Change(
		docs,
		head_docs={key: doc.data for key, (_, doc) in after.items()},
		base_docs={key: doc.data for key, (_, doc) in before.items()},
	)
