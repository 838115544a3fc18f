"""What frappe_stack asks of a site, as protocols: the core is written against these, the adapter
(frappe_stack.site.frappe_site, one module per protocol) implements them on Frappe, and the fakes
of the pure tests (tests/memory_site.py, tests/fake_context.py) implement them in memory.
frappe_stack/tests/contract_cases.py runs the same cases on both, so a fake cannot drift.

- SiteReader: the documents and schemas the site holds, read in bulk.
- ReferenceLookup: which DocTypes and documents the site has, for the loader to judge references
  to what is outside the blueprint set. Optional: a remote site does not say (nor do the pure
  tests' MemorySite, whose sites hold only what a test puts there), and references are then left
  unjudged (blueprint.validate.load_for_site).
- SiteWriter: writes and deletes through the site's own controllers, blueprint by blueprint.
- TransactionGuard: the all-or-nothing bracket around one blueprint (law 4).
- SiteLedger: the ledger and the append-only audit log.
- SiteFacts: what review rules may ask the site (counts over its rows, its DocTypes and Roles).
- ChangeMarks: what shows a change without reading documents, and the fingerprint of the last
  clean apply (frappe_stack.unchanged). Optional: a site without it is always read in full.
"""

from typing import Protocol, runtime_checkable

from frappe_stack.blueprint.live import LiveDoc
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.schema import DoctypeSchema
from frappe_stack.ledger import AuditRow, LedgerEntry
from frappe_stack.review.context import Context

SiteFacts = Context  # defined beside the review rules that ask it


@runtime_checkable
class SiteReader(Protocol):
	def schema(self, doctype: str) -> DoctypeSchema | None:
		"""The DocType's data fields and child tables as the site defines them (Custom Fields
		included); None when the site has no such DocType."""

	def live_documents(self, keys: list[Key]) -> dict[Key, dict]:
		"""The documents that exist, as plain dicts with their child rows; the others are left out."""

	def canonical(self, doc: dict) -> dict:
		"""The document in the managed form blueprints hold (blueprint.registry.managed_form)."""

	def live(self, keys: list[Key]) -> dict[Key, LiveDoc]:
		"""The documents that exist, canonical, secrets masked, hashed with their secrets."""

	def live_hashes(self, keys: list[Key]) -> dict[Key, str]:
		"""The content hash of each document that exists, equal to its LiveDoc's hash."""


@runtime_checkable
class ReferenceLookup(Protocol):
	def doctype_tables(self, names: list[str]) -> dict[str, bool]:
		"""Of `names`, the DocTypes on the site, each with whether it is a child table."""

	def existing(self, keys: list[Key]) -> set[Key]:
		"""Of `keys`, the documents the site has."""


@runtime_checkable
class SiteWriter(Protocol):
	user: str

	def write(self, document: dict, new: bool = False) -> None:
		"""Insert the document, or make the existing one hold exactly this content. `new`: the plan,
		made in this transaction, found no such document, so the site need not look again."""

	def delete(self, doctype: str, name: str) -> None:
		"""Delete the document; raises when it does not exist or cannot go."""

	def finish_blueprint(self) -> None:
		"""Run what the blueprint's writes deferred (schema changes, link checks); raises when any
		fails, and the blueprint is then rolled back."""

	def now(self) -> str: ...

	def error_text(self, exc: Exception) -> str:
		"""The error as a user reads it: no HTML, the exception type unless it is our own."""


@runtime_checkable
class TransactionGuard(Protocol):
	def savepoint(self, name: str) -> None:
		"""Begin a blueprint: what is written from here until commit() is undone by rollback_to."""

	def rollback_to(self, name: str) -> None:
		"""Undo every write since savepoint(name), ledger and audit rows included."""

	def commit(self) -> None:
		"""Make the blueprint's writes, ledger and audit rows permanent."""

	def finish_apply(self) -> None:
		"""The apply is over (its last commit made, or it failed): do what the site deferred to
		the end, once for all blueprints."""


@runtime_checkable
class SiteLedger(Protocol):
	def read_ledger(self) -> dict[str, LedgerEntry]: ...

	def save_ledger(self, entry: LedgerEntry) -> None: ...

	def audit(self, row: AuditRow) -> None:
		"""Append a row to the audit log; written with the next commit."""


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
