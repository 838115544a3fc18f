"""The ledger: what was last applied on a site, per blueprint. Plain data; the site adapter
stores it in the `Blueprint` DocType."""

from dataclasses import dataclass, field

from frappe_stack.blueprint.model import Key
from frappe_stack.statuses import AuditResult, LedgerStatus


@dataclass(frozen=True)
class LedgerDoc:
	doctype: str
	name: str
	# Hash of the document as the blueprint file had it, and as the site held it right after apply.
	# They differ when a controller normalizes a value; both are needed to tell drift from that.
	source_hash: str
	applied_hash: str


@dataclass
class LedgerEntry:
	blueprint: str
	status: LedgerStatus = LedgerStatus.PENDING
	source_path: str = ""
	content_hash: str = ""
	applied_hash: str = ""
	applied_on: str | None = None
	applied_by: str | None = None
	git_commit: str | None = None
	last_error: str = ""
	documents: dict[Key, LedgerDoc] = field(default_factory=dict)
	# The file's own keys besides its documents (description, depends_on, requires, delete): with
	# `documents`, the memory of how the site's documents are grouped, so an export into an empty
	# folder writes the same files again.
	header: dict = field(default_factory=dict)

	def __post_init__(self):
		# rows from the database and JSON from a remote site carry the plain value
		self.status = LedgerStatus(self.status)

	@property
	def deletes(self) -> list[Key]:
		"""The documents the blueprint's tombstones delete, as its file's header holds them."""
		return [(item["doctype"], item["name"]) for item in self.header.get("delete", [])]

	def as_dict(self) -> dict:
		return {
			"blueprint": self.blueprint,
			"status": self.status,
			"source_path": self.source_path,
			"content_hash": self.content_hash,
			"applied_hash": self.applied_hash,
			"applied_on": self.applied_on,
			"applied_by": self.applied_by,
			"git_commit": self.git_commit,
			"last_error": self.last_error,
			"documents": len(self.documents),
			"header": self.header,
		}


@dataclass(frozen=True)
class AuditRow:
	"""One append-only audit record. `details` is plain text and never carries secrets."""

	action: str
	blueprint: str
	result: AuditResult
	doctype: str = ""
	docname: str = ""
	before_hash: str | None = None
	after_hash: str | None = None
	details: str = ""


def entry_to_dict(entry: LedgerEntry) -> dict:
	return entry.as_dict() | {
		"documents": [[d.doctype, d.name, d.source_hash, d.applied_hash] for d in entry.documents.values()]
	}


def entry_from_dict(data: dict) -> LedgerEntry:
	fields = {k: v for k, v in data.items() if k != "documents"}
	documents = {
		(dt, name): LedgerDoc(dt, name, source, applied) for dt, name, source, applied in data["documents"]
	}
	return LedgerEntry(**fields, documents=documents)
