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
from dataclasses import dataclass, field

from frappe_stack import __version__
from frappe_stack.applier import ORPHANED, UNCHANGED, ApplyResult, BlueprintResult
from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.blueprint.loader import Source
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.secret_refs import SITE_CONFIG, is_reference
from frappe_stack.document_owners import shared_owners_of_ledger
from frappe_stack.ledger import LedgerEntry, entry_to_dict
from frappe_stack.plan import NOOP, BlueprintPlan, DocOp
from frappe_stack.site_protocols import ChangeMarks
from frappe_stack.statuses import LedgerStatus

# Above this many characters the record keeps only the fingerprint of the whole (the per-blueprint
# ones let an incremental apply skip reading the blueprints that did not change).
RECORD_LIMIT = 60_000


@dataclass(frozen=True)
class Fingerprints:
	whole: str
	blueprints: dict[str, str]  # per blueprint the ledger holds: its file, ledger row and documents

	def record(self) -> str:
		full = json.dumps({"whole": self.whole, "blueprints": self.blueprints}, sort_keys=True)
		return full if len(full) <= RECORD_LIMIT else json.dumps({"whole": self.whole})

	@staticmethod
	def read(recorded: str | None) -> "Fingerprints | None":
		try:
			data = json.loads(recorded or "")
			return Fingerprints(data["whole"], data.get("blueprints", {}))
		except (ValueError, KeyError, TypeError):
			return None  # none, or written by another version: read everything


@dataclass
class Check:
	result: ApplyResult | None = None  # the whole no-op, answered from the ledger
	settled: set[str] = field(default_factory=set)  # blueprints unchanged since the last clean apply


def fingerprints(
	site: ChangeMarks, sources: list[Source], ledger: dict[str, LedgerEntry]
) -> Fingerprints | None:
	"""The fingerprints of the repo and the site as they are; None when a source folder is missing
	(the full apply reports it)."""
	files, secrets = {}, set()
	for source in sources:
		if not source.blueprint_dir.is_dir():
			return None
		for file in sorted(source.blueprint_dir.glob("*.json")):
			content = file.read_bytes()
			files[source.shown(file)] = hashlib.sha256(content).hexdigest()
			if f'"{SITE_CONFIG}"'.encode() in content:
				secrets |= _secret_keys(content)
	marks = site.change_marks(_watched(ledger.values()))
	common = {
		"frappe_stack": __version__,
		"schema": site.schema_mark(),
		"secrets": site.secret_mark(sorted(secrets)),
	}
	blueprints = {
		name: content_hash(
			{
				**common,
				"file": [entry.source_path, files.get(entry.source_path)],
				"ledger": entry_to_dict(entry) | {"documents": _documents(entry)},
				"marks": [[*key, marks.get(key)] for key in _watched([entry])],
			}
		)
		for name, entry in ledger.items()
	}
	whole = content_hash({**common, "files": sorted(files.items()), "blueprints": sorted(blueprints.items())})
	return Fingerprints(whole, blueprints)


def check(site, sources: list[Source], ledger: dict[str, LedgerEntry]) -> Check:
	"""When nothing changed since the last clean apply, the no-op result answered from the ledger
	(the documents an installed app ships too are still named); else the blueprints that did not
	change, whose documents need not be read."""
	if not isinstance(site, ChangeMarks):
		return Check()
	recorded = Fingerprints.read(site.recorded_fingerprint())
	if recorded is None:
		return Check()
	current = fingerprints(site, sources, ledger)
	if current is None:
		return Check()
	if current.whole == recorded.whole:
		result = ApplyResult(
			[_unchanged(entry) for _, entry in sorted(ledger.items())],
			shared_owners_of_ledger(ledger, site.shipped_documents()),
			quick=True,
		)
		return Check(result)
	return Check(
		settled={name for name, value in current.blueprints.items() if recorded.blueprints.get(name) == value}
	)


def record(site, sources: list[Source], result: ApplyResult) -> None:
	"""After a full apply: the fingerprints of what it left when it ended clean, else none (the
	next apply must read everything). Written only when they change, so a no-op writes nothing."""
	if not isinstance(site, ChangeMarks):
		return
	current = None if result.failed else fingerprints(site, sources, site.read_ledger())
	value = current.record() if current else None
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


def _watched(entries) -> list[Key]:
	"""The managed and tombstoned documents of the ledger entries."""
	keys = [key for entry in entries for key in entry.documents]
	keys += [key for entry in entries for key in entry.deletes]
	return sorted(set(keys))


def _documents(entry: LedgerEntry) -> list:
	return sorted([list(key), doc.source_hash, doc.applied_hash] for key, doc in entry.documents.items())


def _unchanged(entry: LedgerEntry) -> BlueprintResult:
	ops = [
		DocOp(NOOP, doc.doctype, doc.name, doc.applied_hash, doc.source_hash)
		for doc in entry.documents.values()
	]
	ops += [DocOp(NOOP, doctype, name, None, None) for doctype, name in entry.deletes]
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
