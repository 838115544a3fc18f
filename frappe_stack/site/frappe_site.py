"""The in-process site adapter: FrappeSite, the object every command opens with connected().
It is composed of one implementation per protocol of frappe_stack.site_protocols (the reader,
the writer, the transaction guard, the ledger store and the review facts, each a module of this
package) and adds what only a Frappe site answers: smoke checks, environment, diagnosis, backup
and what the remote API serves. This package (with the DocType controllers) is the only code
that imports frappe.
"""

import os
from contextlib import contextmanager

import frappe
from frappe.utils import now

from frappe_stack import __version__ as frappe_stack_version
from frappe_stack.adopt.shipped_documents import Shipped, shipped_to_dict
from frappe_stack.blueprint.live import LiveDoc
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.blueprint.schema import DoctypeSchema, schema_to_dict
from frappe_stack.checks.backup_verification import BackupRecord
from frappe_stack.ledger import AuditRow, LedgerEntry, entry_to_dict
from frappe_stack.site import change_marks, promotion_backup, target
from frappe_stack.site.error_text import error_text
from frappe_stack.site.facts import FrappeFacts
from frappe_stack.site.installed_app_files import shipped_documents
from frappe_stack.site.ledger_store import LedgerStore
from frappe_stack.site.reader import FrappeReader
from frappe_stack.site.runtime_info import diagnosis_facts, environment_facts
from frappe_stack.site.smoke_runner import run_smoke
from frappe_stack.site.transaction_guard import FrappeTransactionGuard
from frappe_stack.site.writer import FrappeWriter
from frappe_stack.smoke_plan import SmokeReport, SmokeTargets


class FrappeSite:
	"""Implements applier.Site (SiteReader, SiteWriter, TransactionGuard, SiteLedger) and
	ReferenceLookup by handing each call to the part that does it; facts() gives the SiteFacts."""

	def __init__(self):
		self.user = frappe.session.user
		self.reader = FrappeReader()
		self.ledger = LedgerStore(self.user)
		self.guard = FrappeTransactionGuard(
			self.reader, before_commit=self.ledger.write_audit_rows, on_rollback=self.ledger.forget_audit_rows
		)
		self.writer = FrappeWriter(self.reader, self.guard)

	# ---- SiteReader ------------------------------------------------------------------------

	def schema(self, doctype: str) -> DoctypeSchema | None:
		return self.reader.schema(doctype)

	def doctype_tables(self, names: list[str]) -> dict[str, bool]:
		return self.reader.doctype_tables(names)

	def existing(self, keys: list[Key]) -> set[Key]:
		return self.reader.existing(keys)

	def live_documents(self, keys: list[Key]) -> dict[Key, dict]:
		return self.reader.live_documents(keys)

	def canonical(self, doc: dict) -> dict:
		return self.reader.canonical(doc)

	def live(self, keys: list[Key]) -> dict[Key, LiveDoc]:
		return self.reader.live(keys)

	def live_hashes(self, keys: list[Key]) -> dict[Key, str]:
		return self.reader.live_hashes(keys)

	def customizations(self) -> list[Key]:
		return self.reader.customizations()

	# ---- SiteWriter and TransactionGuard ---------------------------------------------------

	def savepoint(self, name: str) -> None:
		self.writer.begin()
		self.guard.savepoint(name)

	def write(self, document: dict, new: bool = False) -> None:
		self.writer.write(document, new)

	def delete(self, doctype: str, name: str) -> None:
		self.writer.delete(doctype, name)

	def finish_blueprint(self) -> None:
		self.writer.finish_blueprint()

	def rollback_to(self, name: str) -> None:
		self.guard.rollback_to(name)

	def commit(self) -> None:
		self.guard.commit()

	def finish_apply(self) -> None:
		self.guard.finish_apply()

	def now(self) -> str:
		return now()

	def error_text(self, exc: Exception) -> str:
		return error_text(exc)

	# ---- SiteLedger ------------------------------------------------------------------------

	def read_ledger(self) -> dict[str, LedgerEntry]:
		return self.ledger.read_ledger()

	def save_ledger(self, entry: LedgerEntry) -> None:
		self.ledger.save_ledger(entry)

	def audit(self, row: AuditRow) -> None:
		self.ledger.audit(row)

	# ---- ChangeMarks (frappe_stack.unchanged) ----------------------------------------------

	def change_marks(self, keys: list[Key]) -> dict[Key, str | None]:
		return change_marks.change_marks(self.reader, keys)

	def schema_mark(self) -> str:
		return change_marks.schema_mark()

	def secret_mark(self, keys: list[str]) -> str:
		return change_marks.secret_mark(keys)

	def recorded_fingerprint(self) -> str | None:
		return change_marks.recorded_fingerprint()

	def record_fingerprint(self, fingerprint: str | None) -> None:
		change_marks.record_fingerprint(fingerprint)

	# ---- review facts and what only a Frappe site answers ----------------------------------

	def facts(self) -> FrappeFacts:
		return FrappeFacts()

	def smoke(self, targets: SmokeTargets) -> SmokeReport:
		return run_smoke(targets, self.error_text)

	def environment(self) -> dict:
		"""For `env-diff` (see frappe_stack.site.runtime_info)."""
		return environment_facts()

	def diagnosis(self) -> dict:
		"""For `diagnose` (see frappe_stack.site.runtime_info)."""
		return diagnosis_facts()

	def target_facts(self, roles: list[str], doctypes: list[str]) -> dict:
		"""What the pre-promote checks need to know of a target site (see frappe_stack.api)."""
		return {
			"site": self.site_name(),
			"roles": {role: len(users) for role, users in target.role_holders(roles).items()},
			"roles_absent": target.roles_absent(roles),
			"apps": target.installed_apps(),
			"doctypes": target.doctypes_present(doctypes),
		}

	def source_facts(self, doctypes: list[str], modules: list[str]) -> dict:
		"""What the pre-promote checks need to know of staging to judge the target."""
		return {
			"apps": target.installed_apps(),
			"doctype_apps": target.doctype_apps(doctypes),
			"module_apps": target.module_apps(modules),
			"timezone": target.system_timezone(),
		}

	def backup(self, label: str, tables: list[str], timeout: int) -> BackupRecord:
		return promotion_backup.take_backup(self, label, tables, timeout)

	def describe(self) -> dict:
		"""What a remote client needs besides documents, in one answer (see frappe_stack.api)."""
		schemas = {doctype: self.schema(doctype) for doctype in ADAPTERS}
		return {
			"site": self.site_name(),
			"versions": {"frappe": frappe.__version__, "frappe_stack": frappe_stack_version},
			"schemas": {doctype: schema_to_dict(schema) for doctype, schema in schemas.items() if schema},
			"ledger": [entry_to_dict(entry) for entry in self.read_ledger().values()],
			"customizations": [list(key) for key in self.customizations()],
			"shipped": [shipped_to_dict(item) for item in self.shipped_documents() if item.on_migrate],
		}

	def shareable_documents(self, keys: list[Key]) -> dict:
		return {"documents": [[dt, name, live.as_dict()] for (dt, name), live in self.live(keys).items()]}

	# ---- configuration --------------------------------------------------------------------

	def configured_source(self) -> str | None:
		return frappe.conf.get("frappe_stack_blueprints")

	def app_sources(self) -> list[tuple[str, str]]:
		"""(app, folder) for every installed app that declares `frappe_stack_blueprints` in its hooks."""
		sources = []
		for app in frappe.get_installed_apps():
			for folder in frappe.get_hooks("frappe_stack_blueprints", app_name=app) or []:
				# not get_app_path(app, folder): it scrubs the folder name ("config-repo" -> "config_repo")
				sources.append((app, os.path.join(frappe.get_app_path(app), folder)))
		return sources

	def site_name(self) -> str:
		return frappe.local.site

	def shipped_documents(self) -> list[Shipped]:
		"""What installed apps ship in files Frappe syncs on migrate (one owner per document)."""
		return shipped_documents()


@contextmanager
def connected(site: str):
	"""Open `site` for the length of a command, as Frappe's own commands do."""
	frappe.init(site=site)
	frappe.connect()
	try:
		yield FrappeSite()
	finally:
		frappe.destroy()


def run_backup_job(label: str, tables: list[str], dump_timeout: float) -> None:
	"""The background job frappe_stack.site.promotion_backup.request_backup queues."""
	promotion_backup.run_job(FrappeSite(), label, tables, dump_timeout)
