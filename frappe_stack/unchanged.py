"""The no-op apply that reads almost nothing: `bench migrate` runs apply every time, and most of
those runs have nothing to do.

An apply that ended clean records a fingerprint of everything its outcome depended on: the bytes
of the blueprint files, the ledger it left, the `modified` of every managed and tombstoned
document (and whether each exists), the site's schema mark (DocTypes, Custom Fields, Property
Setters, Roles, and the installed apps' versions) and frappe_stack's own version. When the next
apply computes the same fingerprint, neither the repo nor the site changed in a way apply could
act on, and it answers from the ledger without loading the blueprints against the site or reading
the live documents: about one query per doctype, instead of a validation pass and two queries per
table.

What it cannot see is a change written straight to the database that leaves `modified` as it
was. `plan`, `diff` and `apply --full` always read everything.
"""

import hashlib
import json
from typing import Protocol, runtime_checkable

from frappe_stack import __version__
from frappe_stack.applier import ORPHANED, UNCHANGED, ApplyResult, BlueprintResult
from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.blueprint.loader import Source
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.secret_refs import SITE_CONFIG, is_reference
from frappe_stack.document_owners import shared_owners_of_ledger
from frappe_stack.ledger import LedgerEntry, entry_to_dict
from frappe_stack.plan import NOOP, BlueprintPlan, DocOp
from frappe_stack.statuses import LedgerStatus

# the documents a blueprint's canonical form and its validation depend on, besides its own
SCHEMA_DOCTYPES = ("DocType", "Custom Field", "Property Setter", "Role")


@runtime_checkable
class ChangeMarks(Protocol):
	"""What a site shows of its changes without being read: cheap marks that move whenever a
	document or a schema changes, and the fingerprint the last clean apply left."""

	def change_marks(self, keys: list[Key]) -> dict[Key, str | None]:
		"""For each key, a mark that changes whenever the document is saved (its `modified`); None
		when the site does not have it."""

	def schema_mark(self) -> str:
		"""A mark that changes whenever a DocType, Custom Field, Property Setter or Role is added,
		changed or removed, or an installed app changes version."""

	def secret_mark(self, keys: list[str]) -> str:
		"""A mark that changes whenever the site config value of one of `keys` (the secrets the
		blueprints reference) changes; a digest, never the values."""

	def recorded_fingerprint(self) -> str | None: ...

	def record_fingerprint(self, fingerprint: str | None) -> None:
		"""Keep `fingerprint` (None: forget it) and commit."""


def fingerprint(site: ChangeMarks, sources: list[Source], ledger: dict[str, LedgerEntry]) -> str | None:
	"""The fingerprint of the repo and the site as they are; None when a source folder is missing
	(the full apply reports it)."""
	files, secrets = [], set()
	for source in sources:
		if not source.blueprint_dir.is_dir():
			return None
		for file in sorted(source.blueprint_dir.glob("*.json")):
			content = file.read_bytes()
			files.append([source.shown(file), hashlib.sha256(content).hexdigest()])
			if f'"{SITE_CONFIG}"'.encode() in content:
				secrets |= _secret_keys(content)
	keys = _watched(ledger)
	marks = site.change_marks(keys)
	return content_hash(
		{
			"frappe_stack": __version__,
			"files": files,
			"ledger": [
				entry_to_dict(ledger[name]) | {"documents": _documents(ledger[name])}
				for name in sorted(ledger)
			],
			"documents": [[doctype, name, marks.get((doctype, name))] for doctype, name in keys],
			"schema": site.schema_mark(),
			"secrets": site.secret_mark(sorted(secrets)),
		}
	)


def quick_result(site, sources: list[Source], ledger: dict[str, LedgerEntry]) -> ApplyResult | None:
	"""The no-op result, answered from the ledger (the documents an installed app ships too are
	still named), when the fingerprint equals the recorded one."""
	if not isinstance(site, ChangeMarks):
		return None
	recorded = site.recorded_fingerprint()
	if not recorded:
		return None
	if fingerprint(site, sources, ledger) != recorded:
		return None
	return ApplyResult(
		[_unchanged(entry) for _, entry in sorted(ledger.items())],
		shared_owners_of_ledger(ledger, site.shipped_documents()),
		quick=True,
	)


def record(site, sources: list[Source], result: ApplyResult) -> None:
	"""After a full apply: the fingerprint of what it left when it ended clean, else none (the next
	apply must read everything). Written only when it changes, so a no-op apply writes nothing."""
	if not isinstance(site, ChangeMarks):
		return
	value = None if result.failed else fingerprint(site, sources, site.read_ledger())
	if value != site.recorded_fingerprint():
		site.record_fingerprint(value)


def _secret_keys(content: bytes) -> set[str]:
	"""The site config keys a file's secret references name (a file that does not parse has none:
	its content hash already differs from what the last apply saw)."""
	keys: set[str] = set()

	def walk(value) -> None:
		if is_reference(value):
			keys.add(value[SITE_CONFIG])
		elif isinstance(value, dict):
			for item in value.values():
				walk(item)
		elif isinstance(value, list):
			for item in value:
				walk(item)

	try:
		walk(json.loads(content))
	except ValueError:
		pass
	return keys


def _watched(ledger: dict[str, LedgerEntry]) -> list[Key]:
	keys = [key for entry in ledger.values() for key in entry.documents]
	keys += [_tombstone(item) for entry in ledger.values() for item in entry.header.get("delete", [])]
	return sorted(set(keys))


def _tombstone(item: dict) -> Key:
	return item["doctype"], item["name"]


def _documents(entry: LedgerEntry) -> list:
	return sorted([list(key), doc.source_hash, doc.applied_hash] for key, doc in entry.documents.items())


def _unchanged(entry: LedgerEntry) -> BlueprintResult:
	ops = [
		DocOp(NOOP, doc.doctype, doc.name, doc.applied_hash, doc.source_hash)
		for doc in entry.documents.values()
	]
	ops += [DocOp(NOOP, *_tombstone(item), None, None) for item in entry.header.get("delete", [])]
	orphaned = entry.status == LedgerStatus.ORPHANED
	plan = BlueprintPlan(
		entry.blueprint,
		entry.source_path,
		entry.content_hash,
		ops=ops,
		header=entry.header,
		orphaned=orphaned,
	)
	return BlueprintResult(entry.blueprint, ORPHANED if orphaned else UNCHANGED, plan)
