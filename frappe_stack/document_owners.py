"""One owner per document (law 8): a document that a blueprint manages (or deletes) and that an
installed app also ships in a file Frappe syncs on every migrate has two owners. Frappe's fixture
sync deletes and re-inserts it before the applier runs, so the two would fight on every migrate;
it is named, with the fix, by plan, diff, apply/migrate and check (which fails on it)."""

from dataclasses import dataclass

from frappe_stack.adopt.shipped_documents import FIXTURES, Shipped
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.validate import BlueprintSet
from frappe_stack.ledger import LedgerEntry
from frappe_stack.statuses import LedgerStatus


@dataclass(frozen=True)
class SharedOwner:
	doctype: str
	name: str
	blueprint: str
	app: str
	file: str
	via: str  # app_files.FIXTURES | CUSTOMIZATIONS
	deleted: bool = False  # the blueprint holds a tombstone for it

	def text(self) -> str:
		sync = (
			"Frappe's fixture sync re-imports it"
			if self.via == FIXTURES
			else "Frappe's customization sync (sync_on_migrate) re-imports it"
		)
		if self.deleted:
			what = f"blueprint {self.blueprint} deletes {self.doctype} '{self.name}', but app {self.app} ships it in {self.file}: {sync}"
		else:
			what = f"{self.doctype} '{self.name}' (blueprint {self.blueprint}) is also shipped by app {self.app} in {self.file}: {sync}"
		return f"{what} on every migrate. Fix: {self.fix()}"

	def fix(self) -> str:
		if self.via == FIXTURES:
			app_side = (
				f"remove it from {self.file} and from the `fixtures` in {self.app}'s hooks.py "
				f"(`frappe-stack adopt --app {self.app}` prints the change)"
			)
		else:
			app_side = f'remove it from {self.file} (or set "sync_on_migrate": 0 there)'
		return f"{app_side}, or remove it from blueprint {self.blueprint}"

	def as_dict(self) -> dict:
		return {
			"doctype": self.doctype,
			"name": self.name,
			"blueprint": self.blueprint,
			"app": self.app,
			"file": self.file,
			"via": self.via,
			"deleted": self.deleted,
			"fix": self.fix(),
		}


def shared_owners(desired: BlueprintSet, shipped: list[Shipped]) -> list[SharedOwner]:
	"""Every managed or tombstoned document that an app also ships in a file synced on migrate."""
	managed = [(bp.name, doc.key, False) for bp in desired.blueprints for doc in bp.documents]
	managed += [(bp.name, key, True) for bp in desired.blueprints for key in bp.deletes]
	return _shared(managed, shipped)


def shared_owners_of_ledger(ledger: dict[str, LedgerEntry], shipped: list[Shipped]) -> list[SharedOwner]:
	"""The same, for the blueprints as the ledger holds them (an apply answered from the ledger)."""
	live = [entry for entry in ledger.values() if entry.status != LedgerStatus.ORPHANED]
	managed = [(entry.blueprint, key, False) for entry in live for key in entry.documents]
	managed += [(entry.blueprint, key, True) for entry in live for key in entry.deletes]
	return _shared(managed, shipped)


def _shared(managed: list[tuple[str, Key, bool]], shipped: list[Shipped]) -> list[SharedOwner]:
	by_key: dict = {}
	for item in shipped:
		if item.on_migrate:
			by_key.setdefault(item.key, []).append(item)
	found = [
		SharedOwner(key[0], key[1], blueprint, item.app, item.file, item.via, deleted)
		for blueprint, key, deleted in managed
		for item in by_key.get(key, [])
	]
	return sorted(found, key=lambda s: (s.blueprint, s.doctype, s.name, s.file))


def shared_lines(shared: list[SharedOwner], indent: str = "  ") -> list[str]:
	"""The text block plan, diff and apply print (nothing when every document has one owner)."""
	if not shared:
		return []
	lines = [
		f"{indent}Two owners ({len(shared)}): an installed app also ships these; Frappe overwrites them on migrate"
	]
	return lines + [f"{indent}  ! {item.text()}" for item in shared]
