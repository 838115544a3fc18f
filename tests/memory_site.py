"""An in-memory site for the pure tests: what frappe_stack.applier.Site and frappe_stack.stack need.
frappe_stack/tests/contract_cases.py holds it to the adapter's behaviour (tests/test_contracts.py).

Documents live as plain dicts keyed by (doctype, name). A savepoint copies the whole state and
rollback_to restores it, as the database would. Every call that writes (documents, ledger, audit)
is also recorded in a log that rollbacks do not touch, so a test can assert "nothing was written".
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.blueprint.live import LiveReads
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.schema import DoctypeSchema
from frappe_stack.blueprint.set_schema import custom_field_spec
from frappe_stack.ledger import AuditRow, LedgerEntry
from frappe_stack.site_protocols import SCHEMA_DOCTYPES


class LinkValidationError(Exception):
	"""What Frappe raises for a Link whose options name a DocType that does not exist."""


class SchemaUpdateError(Exception):
	"""Stands in for a failing ALTER TABLE run after the writes of a blueprint."""


@dataclass
class WriteLog:
	writes: list[Key] = field(default_factory=list)
	deletes: list[Key] = field(default_factory=list)
	ledger_saves: list[str] = field(default_factory=list)
	audits: list[AuditRow] = field(default_factory=list)
	commits: int = 0
	finished_after_commits: list[int] = field(default_factory=list)  # finish_apply(): commits by then
	fingerprints: list = field(default_factory=list)  # what record_fingerprint kept (None: forgot)

	@property
	def empty(self) -> bool:
		return not (self.writes or self.deletes or self.ledger_saves or self.audits)


class MemorySite(LiveReads):
	def __init__(
		self,
		documents: list[dict] = (),
		schemas: dict[str, DoctypeSchema] | None = None,
		configured: str | None = None,
		apps: list[tuple[str, str]] = (),
		normalize: Callable[[dict], dict] | None = None,
		fail_on: set[Key] = frozenset(),
		user: str = "tester@example.com",
		name: str = "memory.test",
	):
		self.docs: dict[Key, dict] = {}
		for document in documents:
			self.put(document)
		self.ledger: dict[str, LedgerEntry] = {}
		self.audit_log: list[AuditRow] = []
		self.schemas = dict(schemas or {})
		self.configured = configured
		self.apps = list(apps)
		self.shipped: list = []  # adopt.app_files.Shipped: what installed apps ship in files
		self.normalize = normalize
		self.fail_on = set(fail_on)
		self.fail_finish = False
		self.fail_finish_apply = False  # finish_apply() raises, as clearing caches with Redis gone
		self.vanish: set[Key] = set()  # written, yet not found afterwards (Frappe named it otherwise)
		self.standard: set[Key] = set()  # documents an app owns: never exported, never only_on_site
		self.user = user
		self.name = name
		self.log = WriteLog()
		self._savepoints: dict[str, tuple] = {}
		self._clock = 0
		self.fingerprint: str | None = None
		self.config: dict = {}  # the site config, as far as secret_mark reads it
		self.read_keys: list[Key] = []  # every document live_documents was asked for

	# ---- test helpers ------------------------------------------------------------------------

	def put(self, document: dict) -> None:
		"""Change the site behind frappe_stack's back (a user editing in Desk)."""
		self.docs[(document["doctype"], document["name"])] = copy.deepcopy(document)

	def reset_log(self) -> WriteLog:
		log, self.log = self.log, WriteLog()
		return log

	def hash_of(self, key: Key) -> str:
		return self.live_hashes([key])[key]

	# ---- reading ------------------------------------------------------------------------------

	def schema(self, doctype: str) -> DoctypeSchema | None:
		"""As Frappe's meta: the DocType's fields and the Custom Fields the site holds for it."""
		base = self.schemas.get(doctype)
		if base is None:
			return None
		added = {
			spec.fieldname: spec
			for doc in self.docs.values()
			if doc.get("dt") == doctype and (spec := custom_field_spec(doc)) is not None
		}
		return replace(base, fields=added | base.fields) if added else base

	def live_documents(self, keys: list[Key]) -> dict[Key, dict]:
		self.read_keys += keys
		return {
			key: copy.deepcopy(self.docs[key]) for key in keys if key in self.docs and key not in self.vanish
		}

	def customizations(self) -> list[Key]:
		"""Everything on the memory site counts as a customization unless marked standard."""
		return sorted(key for key in self.docs if key not in self.standard)

	def read_ledger(self) -> dict[str, LedgerEntry]:
		return copy.deepcopy(self.ledger)

	def configured_source(self) -> str | None:
		return self.configured

	def app_sources(self) -> list[tuple[str, str]]:
		return list(self.apps)

	def shipped_documents(self) -> list:
		return list(self.shipped)

	def site_name(self) -> str:
		return self.name

	# ---- ChangeMarks (frappe_stack.unchanged) ---------------------------------------------------

	def change_marks(self, keys: list[Key]) -> dict[Key, str | None]:
		"""A document's content stands in for its `modified`: any change moves it, put() included."""
		return {key: content_hash(self.docs[key]) if key in self.docs else None for key in keys}

	def schema_mark(self) -> str:
		marked = sorted(
			(key, content_hash(doc)) for key, doc in self.docs.items() if key[0] in SCHEMA_DOCTYPES
		)
		return repr((sorted(self.schemas.items()), marked))

	def secret_mark(self, keys: list[str]) -> str:
		return content_hash([[key, self.config.get(key)] for key in keys])

	def recorded_fingerprint(self) -> str | None:
		return self.fingerprint

	def record_fingerprint(self, fingerprint: str | None) -> None:
		self.log.fingerprints.append(fingerprint)
		self.fingerprint = fingerprint

	# ---- writing ------------------------------------------------------------------------------

	def write(self, document: dict, new: bool = False) -> None:
		key = (document["doctype"], document["name"])
		self.log.writes.append(key)
		if key in self.fail_on:
			raise LinkValidationError(
				f"{key[0]} {key[1]}: Options must be a valid DocType for field in row 1 (Could not find DocType)"
			)
		stored = copy.deepcopy(document)
		if self.normalize is not None:
			stored = self.normalize(stored)
		self.docs[key] = stored

	def delete(self, doctype: str, name: str) -> None:
		self.log.deletes.append((doctype, name))
		if (doctype, name) in self.fail_on:
			raise LinkValidationError(f"Cannot delete {doctype} {name}: it is linked")
		if (doctype, name) not in self.docs:
			raise KeyError(f"{doctype} {name} not found")
		del self.docs[(doctype, name)]

	def finish_blueprint(self) -> None:
		if self.fail_finish:
			raise SchemaUpdateError("ALTER TABLE failed")

	def savepoint(self, name: str) -> None:
		self._savepoints[name] = copy.deepcopy((self.docs, self.ledger, self.audit_log))

	def rollback_to(self, name: str) -> None:
		self.docs, self.ledger, self.audit_log = copy.deepcopy(self._savepoints.pop(name))

	def commit(self) -> None:
		self._savepoints.clear()
		self.log.commits += 1

	def finish_apply(self) -> None:
		self.log.finished_after_commits.append(self.log.commits)
		if self.fail_finish_apply:
			raise ConnectionError("Error 111 connecting to 127.0.0.1:13000. Connection refused.")

	def save_ledger(self, entry: LedgerEntry) -> None:
		self.log.ledger_saves.append(entry.blueprint)
		self.ledger[entry.blueprint] = copy.deepcopy(entry)

	def audit(self, row: AuditRow) -> None:
		self.log.audits.append(row)
		self.audit_log.append(row)

	def now(self) -> str:
		self._clock += 1
		return f"2024-01-01 00:00:{self._clock:02d}"

	def error_text(self, exc: Exception) -> str:
		return f"{type(exc).__name__}: {exc}"
