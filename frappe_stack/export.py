"""`export`: write the site's customizations as canonical blueprint files.

Managed documents go back to their own blueprint; customizations no blueprint holds yet go to
`--blueprint`, or to one blueprint per DocType they customize. Same site, same bytes; a file
whose content did not change is not rewritten. Secrets are left out and reported. The ledger
learns what was exported, so a following diff is clean (unless the site is read-only to us:
then it learns at the next apply, and the diff is clean anyway since the files match the site).
"""

import copy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from frappe_stack.blueprint.canonical import canonical_bytes, content_hash
from frappe_stack.blueprint.grouping import group_documents
from frappe_stack.blueprint.importer_quirks import drop_extra_amended_from, workflow_parts_missing
from frappe_stack.blueprint.loader import Source
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.blueprint.secret_fields import find_secrets
from frappe_stack.blueprint.validate import load_for_site
from frappe_stack.errors import StackError, ValidationFailed
from frappe_stack.ledger import AuditRow, LedgerDoc, LedgerEntry
from frappe_stack.statuses import AuditResult, LedgerStatus


class NoExportTarget(StackError):
	def __init__(self):
		super().__init__(
			"export needs a config repo: pass --path DIR or set the site config key frappe_stack_blueprints"
		)


@dataclass
class ExportResult:
	directory: str
	written: list[str] = field(default_factory=list)
	unchanged: list[str] = field(default_factory=list)
	documents: dict[str, list[Key]] = field(default_factory=dict)
	left_out: list[str] = field(default_factory=list)
	repaired: list[str] = field(default_factory=list)  # importer quirks the files leave out

	def as_dict(self) -> dict:
		return {
			"directory": self.directory,
			"written": self.written,
			"unchanged": self.unchanged,
			"blueprints": {
				name: [{"doctype": dt, "name": n} for dt, n in keys] for name, keys in self.documents.items()
			},
			"left_out": self.left_out,
			"repaired": self.repaired,
			"summary": {
				"written": len(self.written),
				"unchanged": len(self.unchanged),
				"documents": sum(len(keys) for keys in self.documents.values()),
				"left_out": len(self.left_out),
			},
		}


def export(
	site,
	path: str | None = None,
	blueprint: str | None = None,
	only: list[Key] | None = None,
	record: bool = True,
	documents: dict[Key, dict] | None = None,
	label: str = "",
	action: str = "export",
) -> ExportResult:
	"""`record=False` leaves the ledger alone (a remote site is read-only to the client).
	`documents` (adopt: an app's fixture files) are written instead of the site's copies, and
	recorded as applied only where they equal the site. `label` names the source as an app does."""
	documents = documents or {}
	target = path or site.configured_source()
	if not target:
		raise NoExportTarget()
	source = Source(Path(target), label)
	directory = _blueprint_folder(Path(target))
	existing = load_for_site(site, [source]).blueprints if directory.is_dir() else []
	files = {bp.name: bp.as_dict() for bp in existing}
	owner = {doc.key: bp.name for bp in existing for doc in bp.documents}
	ledger = site.read_ledger()
	# a blueprint the ledger knows and the folder lacks is written again as it was (an export into
	# an empty folder reproduces the repo); one whose file was removed and applied is Orphaned
	files.update(
		{
			name: {"blueprint": name, **entry.header, "documents": []}
			for name, entry in ledger.items()
			if name not in files and entry.status != LedgerStatus.ORPHANED and not only
		}
	)
	applied = {key: name for name, entry in ledger.items() if name in files for key in entry.documents}

	keys = sorted(set(only) if only else set(site.customizations()) | set(owner) | set(applied))
	_refuse_unsupported(keys)
	live = site.live(keys)
	result = ExportResult(str(directory))
	docs = {}
	live_hashes = {key: doc.hash for key, doc in live.items()}  # as the site holds it, secrets included
	for key in keys:
		if key in documents:
			docs[key] = documents[key]
			continue
		if key not in live:
			continue
		doc = copy.deepcopy(live[key].document)
		for secret in find_secrets(doc, site.schema(key[0])):  # masked in the live copy; left out here
			secret.remove()
			result.left_out.append(f"{key[0]} '{key[1]}'{secret.path}: {secret.what}")
		result.repaired += drop_extra_amended_from(doc)
		docs[key] = doc
	if not only and (existing := getattr(site, "existing", None)) is not None:
		added, said = workflow_parts_missing(list(docs.values()), existing)
		docs.update({(doc["doctype"], doc["name"]): site.canonical(doc) for doc in added})
		result.repaired += said

	homes = {key: owner.get(key) or applied.get(key) for key in docs}
	new = [docs[key] for key in docs if homes[key] is None]
	depends: dict[str, list[str]] = {}
	if blueprint:
		homes.update({(doc["doctype"], doc["name"]): blueprint for doc in new})
	else:
		groups, depends = group_documents(new)
		homes.update(
			{(doc["doctype"], doc["name"]): name for name, members in groups.items() for doc in members}
		)

	touched = sorted(set(homes.values()))
	contents = {}
	for name in touched:
		content = files.get(name) or {"blueprint": name, "documents": []}
		kept = [d for d in content["documents"] if (d["doctype"], d["name"]) not in docs]
		content["documents"] = sorted(
			kept + [docs[key] for key in docs if homes[key] == name], key=_file_order
		)
		depends_on = sorted(set(content.pop("depends_on", [])) | set(depends.get(name, [])))
		if depends_on:
			content["depends_on"] = depends_on
		contents[name] = canonical_bytes(content)
		result.documents[name] = sorted(key for key in docs if homes[key] == name)
	_validate_before_writing(directory, contents, source, site)

	for name, data in contents.items():
		file = directory / f"{name}.json"
		if file.exists() and file.read_bytes() == data:
			result.unchanged.append(source.shown(file))
		else:
			directory.mkdir(parents=True, exist_ok=True)
			file.write_bytes(data)
			result.written.append(source.shown(file))

	if record:
		written = load_for_site(site, [source])
		same = {k: d for k, d in docs.items() if k not in documents or content_hash(d) == live_hashes.get(k)}
		_record(site, written, touched, same, live_hashes, ledger, result, action)
	return result


def _validate_before_writing(directory: Path, contents: dict[str, bytes], source: Source, site) -> None:
	"""The repo as it would be after this export must load (law 5), or nothing is written: a
	standard document named with --doc, a bad --blueprint name, a new blueprint and an existing
	one that would need each other."""
	with tempfile.TemporaryDirectory(prefix="frappe_stack_export_") as scratch:
		trial = Path(scratch) / "blueprints"
		if directory.is_dir():
			shutil.copytree(directory, trial)
		trial.mkdir(exist_ok=True)
		for name, data in contents.items():
			(trial / f"{name}.json").write_bytes(data)
		try:
			load_for_site(site, [Source(trial, source.label)])
		except ValidationFailed as failed:
			raise ValidationFailed(
				failed.errors,
				"export stopped: these files would not apply on another site. Where a problem is in a "
				"document exported now, it is on the site: fix it there (Customize Form, the DocType "
				"form) and export again.",
			) from None


def _blueprint_folder(root: Path) -> Path:
	"""The folder to write: an existing blueprints/ (or a folder already holding blueprints), else
	a new blueprints/ in the config repo root."""
	if (root / "blueprints").is_dir() or not (root.name == "blueprints" or any(root.glob("*.json"))):
		return root / "blueprints"
	return root


def _file_order(doc: dict) -> tuple:
	"""The order the loader keeps documents in (Blueprint.canonical_bytes), so files are canonical."""
	return (ADAPTERS[doc["doctype"]].rank, doc["doctype"], doc["name"])


def _refuse_unsupported(keys: list[Key]) -> None:
	unknown = sorted({doctype for doctype, _ in keys if doctype not in ADAPTERS})
	if unknown:
		raise StackError(f"cannot export {', '.join(unknown)}: supported are {', '.join(ADAPTERS)}")


def _record(
	site,
	written,
	touched: list[str],
	docs: dict,
	live_hashes: dict,
	ledger: dict,
	result: ExportResult,
	action: str = "export",
) -> None:
	"""The ledger learns the exported documents as applied, so diff and plan are clean after. The
	applied hash is the site's own (a secret left out of the file stays on the site, converged)."""
	by_name = {bp.name: bp for bp in written.blueprints}
	for name in touched:
		bp = by_name[name]
		entry = ledger.get(name) or LedgerEntry(name)
		documents = {key: doc for key, doc in entry.documents.items() if key not in docs}
		for doc in bp.documents:
			if doc.key in docs and doc.key in live_hashes:  # not what export added and the site lacks
				documents[doc.key] = LedgerDoc(doc.doctype, doc.name, doc.hash, live_hashes[doc.key])
		complete = all(doc.key in documents for doc in bp.documents)
		recorded = LedgerEntry(
			blueprint=name,
			status=LedgerStatus.APPLIED if complete else LedgerStatus.PENDING,
			source_path=bp.file,
			content_hash=bp.content_hash,
			applied_hash=bp.content_hash if complete else entry.applied_hash,
			applied_on=site.now(),
			applied_by=site.user,
			git_commit=entry.git_commit,
			documents=documents,
			header=bp.header(),
		)
		if _differs(recorded, entry):
			site.save_ledger(recorded)
			site.audit(
				AuditRow(
					action,
					name,
					AuditResult.SUCCESS,
					details=f"{len(result.documents[name])} document(s) {action}ed",
				)
			)
	site.commit()


def _differs(recorded: LedgerEntry, entry: LedgerEntry) -> bool:
	"""Whether the ledger row must be written (the time of this export alone is no change)."""
	ignore = {"applied_on": None, "applied_by": None}
	return recorded.as_dict() | ignore != entry.as_dict() | ignore or recorded.documents != entry.documents
