"""The in-process site adapter. This package (with ledger_store, discovery and facts) is the
only code that imports frappe.

It reads documents in bulk, writes them through Frappe's own controllers (so every validation
Frappe does still runs), and keeps each blueprint atomic although Frappe commits on every
schema change: while a blueprint is being written, schema updates are deferred and any commit
is refused, so the savepoint holds; the deferred schema updates run once per DocType after the
writes succeed, and if they fail the blueprint's documents are restored from snapshots.
"""

import copy
import datetime
import decimal
import os
from collections import defaultdict
from contextlib import contextmanager

import frappe
from frappe.core.doctype.doctype.doctype import check_fieldname_conflicts, validate_fields_for_doctype
from frappe.model import data_fieldtypes
from frappe.utils import now, strip_html_tags

from frappe_stack import __version__ as frappe_stack_version
from frappe_stack.adopt.app_files import Shipped, shipped_to_dict
from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.blueprint.doctype_adapter import ROW_KEYS
from frappe_stack.blueprint.live import LiveDoc, live_doc
from frappe_stack.blueprint.registry import ADAPTERS, managed_form
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec, schema_to_dict, static_default
from frappe_stack.checks.backup import BackupRecord
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow, entry_to_dict
from frappe_stack.site import doc_shapes, secret_refs, single_fields, target
from frappe_stack.site.app_files import shipped_documents
from frappe_stack.site.backup import take_backup
from frappe_stack.site.discovery import customizations
from frappe_stack.site.environment import diagnosis_facts, environment_facts
from frappe_stack.site.facts import SiteFacts
from frappe_stack.site.ledger_store import LedgerStore
from frappe_stack.site.smoke import run_smoke
from frappe_stack.smoke import SmokeReport, SmokeTargets

Key = tuple[str, str]
FETCH_CHUNK = 500
SCHEMA_DOCTYPES = {"DocType": "name", "Custom Field": "dt", "Property Setter": "doc_type"}


class LocatedError(StackError):
	"""An error that already says which documents it is about."""

	def __init__(self, location: str, message: str):
		self.location = location
		super().__init__(message)


class CommitInsideBlueprint(StackError):
	"""Something tried to commit while a blueprint was half written."""


class FrappeSite(LedgerStore):
	def __init__(self):
		self.user = frappe.session.user
		self._schemas: dict[str, DoctypeSchema | None] = {}
		self._savepoint: str | None = None
		self._snapshots: dict[Key, dict | None] = {}
		self._schema_updates: list[str] = []
		self._ddl: list[str] = []
		self._new_tables: list[str] = []
		self._customized: list[str] = []
		self._new_fields: list = []
		self._link_checks: list[str] = []
		self._audit_rows: list[AuditRow] = []
		self._clear_cache = None
		self._committed = False
		self._in_migrate = False

	# ---- reading -------------------------------------------------------------------------

	def schema(self, doctype: str) -> DoctypeSchema | None:
		if doctype not in self._schemas:
			self._schemas[doctype] = (
				doc_shapes.with_parent(doctype, self._build_schema(doctype))
				if frappe.db.exists("DocType", doctype)
				else None
			)
		return self._schemas[doctype]

	def _build_schema(self, doctype: str) -> DoctypeSchema:
		meta = frappe.get_meta(doctype)
		fields = {
			df.fieldname: FieldSpec(
				df.fieldname, df.fieldtype, static_default(df.fieldtype, df.default, df.options), df.options
			)
			for df in meta.fields
			if df.fieldtype in data_fieldtypes
		}
		tables = {df.fieldname: self._build_schema(df.options) for df in meta.get_table_fields()}
		return DoctypeSchema(doctype, fields, tables, bool(meta.istable))

	def doctype_tables(self, names: list[str]) -> dict[str, bool]:
		"""Of `names`, the DocTypes on the site, each with whether it is a child table: one query."""
		rows = frappe.get_all("DocType", filters={"name": ("in", names)}, fields=["name", "istable"])
		return {row.name: bool(row.istable) for row in rows}

	def existing(self, keys: list[Key]) -> set[Key]:
		"""Of `keys`, the documents the site has: one query per doctype."""
		by_doctype = defaultdict(list)
		for doctype, name in keys:
			by_doctype[doctype].append(name)
		return {
			(doctype, name)
			for doctype, names in by_doctype.items()
			for name in frappe.get_all(doctype, filters={"name": ("in", names)}, pluck="name")
		}

	def live_documents(self, keys: list[Key]) -> dict[Key, dict]:
		"""The documents that exist, as plain dicts with their child rows: two queries per table."""
		by_doctype = defaultdict(list)
		for doctype, name in keys:
			by_doctype[doctype].append(name)
		found = {}
		for doctype, names in by_doctype.items():
			if ADAPTERS[doctype].by_field:
				found.update(single_fields.read(doctype, names))
				continue
			meta = frappe.get_meta(doctype)
			for start in range(0, len(names), FETCH_CHUNK):
				chunk = names[start : start + FETCH_CHUNK]
				docs = {
					row.name: _plain(row) | {"doctype": doctype}
					for row in frappe.get_all(doctype, filters={"name": ("in", chunk)}, fields=["*"])
				}
				for table in meta.get_table_fields():
					for doc in docs.values():
						doc[table.fieldname] = []
					if not docs:
						continue
					rows = frappe.get_all(
						table.options,
						filters={
							"parent": ("in", list(docs)),
							"parenttype": doctype,
							"parentfield": table.fieldname,
						},
						fields=["*"],
						order_by="idx asc",
					)
					for row in rows:
						docs[row.parent][table.fieldname].append(_plain(row))
				for doc in docs.values():
					secret_refs.show_references(doc, self.schema(doctype))
				found.update({(doctype, name): doc for name, doc in docs.items()})
		return found

	def canonical(self, doc: dict) -> dict:
		return managed_form(doc, self.schema(doc["doctype"]))

	def live(self, keys: list[Key]) -> dict[Key, LiveDoc]:
		"""The documents that exist, canonical, secrets removed, hashed as the site holds them."""
		return {
			key: live_doc(self.canonical(doc), self.schema(key[0]))
			for key, doc in self.live_documents(keys).items()
		}

	def live_hashes(self, keys: list[Key]) -> dict[Key, str]:
		return {key: content_hash(self.canonical(doc)) for key, doc in self.live_documents(keys).items()}

	def facts(self) -> SiteFacts:
		return SiteFacts()

	def smoke(self, targets: SmokeTargets) -> SmokeReport:
		return run_smoke(targets, self.error_text)

	def environment(self) -> dict:
		"""For `env-diff` (see frappe_stack.site.environment)."""
		return environment_facts()

	def diagnosis(self) -> dict:
		"""For `diagnose` (see frappe_stack.site.environment)."""
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
		return take_backup(self, label, tables)

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

	def customizations(self) -> list[Key]:
		return customizations(self.live_documents)

	# ---- writing ---------------------------------------------------------------------------

	def savepoint(self, name: str) -> None:
		"""Start a blueprint: from here until finish_blueprint() or rollback_to() it is atomic."""
		self._snapshots, self._schema_updates, self._ddl, self._new_tables, self._customized = (
			{},
			[],
			[],
			[],
			[],
		)
		self._committed = False
		self._link_checks = []
		self._open(name)

	def write(self, document: dict) -> None:
		doctype, name = document["doctype"], document["name"]
		if doctype not in SCHEMA_DOCTYPES and (self._schema_updates or self._ddl):
			# later documents (a Workflow, a Number Card) may need the new tables and columns
			self._flush_schema()
		if doctype == "Workflow":
			_require_state_field(document)
		document = secret_refs.resolved(doc_shapes.prepared(document), self.schema(doctype))
		if doctype == "DocType":
			self._link_checks.append(name)
		# A DocType's links (its fields' options, its Connections, its own Link values) are checked
		# once the blueprint's DocTypes and tables exist, so DocTypes that link each other in a cycle
		# can be created; Frappe's fixture sync skips the same checks (and never makes them)
		in_fixtures, frappe.flags.in_fixtures = (
			frappe.flags.in_fixtures,
			doctype == "DocType" or frappe.flags.in_fixtures,
		)
		try:
			self._save(doctype, name, document)
		finally:
			frappe.flags.in_fixtures = in_fixtures
		if doctype in SCHEMA_DOCTYPES:
			self._defer_updatedb(document.get(SCHEMA_DOCTYPES[doctype]))
		doc_shapes.written(document, self.schema(doctype))

	def _save(self, doctype: str, name: str, document: dict) -> None:
		self._save_once(doctype, name, document)
		if doctype == "DocType" and document.get("is_submittable"):
			_drop_amended_from_frappe_added(name, document)

	def _save_once(self, doctype: str, name: str, document: dict) -> None:
		if ADAPTERS[doctype].by_field:
			self._snapshots.setdefault((doctype, name), single_fields.snapshot(doctype, name))
			single_fields.write(document)
		elif frappe.db.exists(doctype, name):
			doc = frappe.get_doc(doctype, name)
			self._snapshots.setdefault((doctype, name), doc.as_dict(convert_dates_to_str=True))
			_assign(doc, document, self.schema(doctype))
			doc.flags.ignore_links = doctype == "DocType"
			doc.save(ignore_permissions=True)
		else:
			self._snapshots.setdefault((doctype, name), None)
			if doctype == "DocType" and not frappe.db.table_exists(name):
				self._new_tables.append(name)
			doc = frappe.get_doc(copy.deepcopy(document))  # Frappe fills in the dicts it is given
			if doctype == "Custom Field":
				# checked once per DocType before the schema flush, not once per field; except the
				# clash with the controller, which must be judged before the field is in the meta
				# (a new document of the DocType then carries the field instead of the method)
				try:
					check_fieldname_conflicts(doc)
				except Exception as exc:
					raise LocatedError(f"Custom Field '{name}'", self.error_text(exc)) from exc
				doc.flags.ignore_validate = True
				self._new_fields.append(doc)
			doc.flags.ignore_links = doctype == "DocType"
			doc.insert(ignore_permissions=True, set_name=name)

	def delete(self, doctype: str, name: str) -> None:
		if doctype == "DocType" and frappe.db.table_exists(name) and (rows := frappe.db.count(name)):
			raise StackError(
				f"DocType '{name}' still holds {rows} row(s); a tombstone never drops data. "
				"Delete or migrate the rows first, then apply again"
			)
		doc = frappe.get_doc(doctype, name)
		self._snapshots.setdefault((doctype, name), doc.as_dict(convert_dates_to_str=True))
		frappe.delete_doc(doctype, name, ignore_permissions=True)

	def finish_blueprint(self) -> None:
		self._check_new_fields()
		self._close()
		self._run_schema_changes()
		self._check_links()

	def rollback_to(self, name: str) -> None:
		"""Undo the blueprint: the savepoint covers what is not committed yet, snapshots the rest."""
		if self._savepoint is not None:
			self._unguard()
			frappe.db.rollback(save_point=self._savepoint)
			self._savepoint = None
		else:
			frappe.db.rollback()
		if self._committed:
			self._restore_snapshots()
		doc_shapes.release_locks(self._snapshots)
		# link checks cache what they found (and did not) for the whole process: after a rollback
		# a later blueprint must not see a document that no longer exists, nor miss one made since
		frappe.db.value_cache = {}
		# rollback callbacks do not run for savepoints, and controllers (a Workflow, a Custom
		# DocPerm) may have cached meta built from the undone writes: a failure clears it all
		self._clear_caches()
		frappe.clear_cache()

	def commit(self) -> None:
		self._write_audit_rows()
		frappe.db.commit()

	def _open(self, name: str) -> None:
		frappe.db.savepoint(name)
		self._savepoint = name
		# `bench migrate` relaxes DocType validation; blueprints get the same checks in migrate
		# as in `apply`, so a Link to nothing fails in both
		self._in_migrate, frappe.flags.in_migrate = frappe.flags.in_migrate, False
		frappe.db.updatedb = self._defer_updatedb
		frappe.db.sql_ddl = self._defer_ddl
		frappe.db.commit = _refuse_commit
		# controllers clear a DocType's cache on every save (a Redis scan each); once per DocType
		# at the flush is enough, since nothing reads that cache mid-blueprint
		self._clear_cache, frappe.clear_cache = frappe.clear_cache, self._defer_clear_cache

	def _close(self) -> None:
		self._unguard()
		frappe.db.release_savepoint(self._savepoint)
		self._savepoint = None

	def _flush_schema(self) -> None:
		self._check_new_fields()
		name = self._savepoint
		self._close()
		self._run_schema_changes()
		self._check_links(complete=False)
		self._open(name)

	def _check_new_fields(self) -> None:
		"""Frappe's own checks of new Custom Fields, once per DocType, inside the savepoint (the
		way Frappe's customization sync validates): fieldnames unique and legal, Link and Table
		options that exist."""
		by_doctype = defaultdict(list)
		for doc in self._new_fields:
			by_doctype[doc.dt].append(doc)
		self._new_fields = []
		for doctype, docs in by_doctype.items():
			if doctype in self._new_tables:
				# a DocType this blueprint creates: Frappe's checks need its table (a unique field
				# looks for duplicate values), so they run with the DocType's, once the table exists
				self._link_checks.append(doctype)
				continue
			try:
				validate_fields_for_doctype(doctype)
			except Exception as exc:
				names = ", ".join(f"Custom Field '{doc.name}'" for doc in docs)
				raise LocatedError(names, self.error_text(exc)) from exc

	def _check_links(self, complete: bool = True) -> None:
		"""Frappe's own field checks of the DocTypes written with their links unchecked, now that
		every DocType and table of the blueprint exists: Link and Table options, child tables,
		Connections, and every Link value of the DocType document itself (a Connections row naming
		another DocType of the blueprint). A failure here undoes the blueprint from its snapshots."""
		names, self._link_checks = self._link_checks, []
		for name in dict.fromkeys(names):
			try:
				doc = frappe.get_doc("DocType", name)
				if not complete and not _targets_exist(doc):
					# a flush mid-blueprint (a Workflow needs its DocType's table) can come before
					# the rest of a cycle is written: judged when the blueprint is complete
					self._link_checks.append(name)
					continue
				doc._action = "save"
				doc._validate_links()
				validate_fields_for_doctype(name)
			except Exception as exc:
				raise LocatedError(f"DocType '{name}'", self.error_text(exc)) from exc

	def _defer_updatedb(self, doctype: str | None, meta=None) -> None:
		if doctype and doctype not in self._schema_updates:
			self._schema_updates.append(doctype)
		if doctype and doctype not in self._customized:
			self._customized.append(doctype)

	def _defer_ddl(self, query: str, debug: bool = False) -> None:
		self._ddl.append(query)

	def _defer_clear_cache(self, user=None, doctype=None):
		if doctype and not user:
			if doctype not in self._customized:
				self._customized.append(doctype)
		else:
			self._clear_cache(user=user, doctype=doctype)

	def _unguard(self) -> None:
		for attribute in ("updatedb", "sql_ddl", "commit"):
			frappe.db.__dict__.pop(attribute, None)
		if self._clear_cache is not None:
			frappe.clear_cache, self._clear_cache = self._clear_cache, None
		frappe.flags.in_migrate = self._in_migrate

	def _run_schema_changes(self) -> None:
		"""Deferred DDL, once per DocType. Each statement commits, so from here on only the
		snapshots can undo this blueprint."""
		self._committed = True
		ddl, doctypes = self._ddl, self._schema_updates
		self._ddl, self._schema_updates = [], []
		for query in ddl:
			frappe.db.sql_ddl(query)
		for doctype in doctypes:
			if frappe.db.exists("DocType", doctype):
				frappe.db.updatedb(doctype)
		self._clear_caches()

	def _clear_caches(self) -> None:
		"""Drop cached meta of the DocTypes this blueprint customized (not of the doctypes of the
		documents themselves: a new Role does not change Role's meta)."""
		for doctype in self._customized:
			frappe.clear_cache(doctype=doctype)
		self._customized = []
		self._schemas.clear()
		frappe.local.new_doc_templates = {}

	def _restore_snapshots(self) -> None:
		"""Put every document the blueprint touched back as it was before the blueprint began."""
		try:
			for (doctype, name), snapshot in reversed(list(self._snapshots.items())):
				if ADAPTERS[doctype].by_field:
					single_fields.restore(doctype, name, snapshot)
					continue
				exists = frappe.db.exists(doctype, name)
				if snapshot is None and exists:
					frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
				elif snapshot is not None and not self._holds(doctype, name, snapshot, exists):
					_restore(doctype, name, snapshot, exists)
				if doctype in SCHEMA_DOCTYPES and snapshot is not None:
					self._defer_updatedb(snapshot.get(SCHEMA_DOCTYPES[doctype]))
			self._run_schema_changes()
			for table in self._new_tables:
				# Frappe keeps a deleted DocType's table; one this blueprint created (and that is
				# still empty) goes too, so the database is as it was
				if frappe.db.table_exists(table) and not frappe.db.count(table):
					frappe.db.sql_ddl(f"drop table `tab{table}`")
			frappe.db.commit()
		except Exception as restore_error:
			raise StackError(
				f"restoring the blueprint's documents failed: {self.error_text(restore_error)}. "
				"Restore them from the backup or from Deleted Documents"
			) from restore_error

	def _holds(self, doctype: str, name: str, snapshot: dict, exists: bool) -> bool:
		if not exists:
			return False
		live = self.live_documents([(doctype, name)])[(doctype, name)]
		return self.canonical(live) == self.canonical(snapshot)

	def now(self) -> str:
		return now()

	def error_text(self, exc: Exception) -> str:
		message = strip_html_tags(str(exc)).strip() or type(exc).__name__
		return message if isinstance(exc, StackError) else f"{type(exc).__name__}: {message}"

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


def _targets_exist(doctype) -> bool:
	"""Whether every DocType the DocType's fields and Connections name exists yet."""
	targets = {
		row.options for row in doctype.fields if row.fieldtype in ("Link", "Table", "Table MultiSelect")
	}
	targets |= {row.link_doctype for row in doctype.links or []}
	targets = sorted(t for t in targets if t and t != doctype.name)
	return not targets or len(
		frappe.get_all("DocType", filters={"name": ("in", targets)}, pluck="name")
	) == len(targets)


def _drop_amended_from_frappe_added(name: str, document: dict) -> None:
	"""DocType.make_amendable() looks for amended_from in the database, not in the document, so
	saving a submittable DocType whose amended_from is new appends a second one (after the field
	checks, which pass): the DocType would then be refused on its next save. Its extra rows go."""
	wanted = sum(1 for row in document.get("fields") or [] if row.get("fieldname") == "amended_from")
	rows = frappe.get_all(
		"DocField",
		filters={"parent": name, "parenttype": "DocType", "fieldname": "amended_from"},
		pluck="name",
		order_by="idx asc",
	)
	if wanted and len(rows) > wanted:
		frappe.db.delete("DocField", {"name": ("in", rows[wanted:])})


def _refuse_commit(*args, **kwargs):
	raise CommitInsideBlueprint(
		"a commit was attempted while the blueprint was half written (so it could not be rolled back); "
		"split the document that needs it into its own blueprint"
	)


def _require_state_field(workflow: dict) -> None:
	"""Frappe would create a missing state field inside the Workflow's own save, unmanaged and
	without its column yet; the blueprint has to declare it instead."""
	doctype = workflow.get("document_type")
	fieldname = workflow.get("workflow_state_field") or "workflow_state"
	if doctype and not frappe.get_meta(doctype).has_field(fieldname):
		raise LocatedError(
			f"Workflow '{workflow['name']}'",
			f"DocType '{doctype}' has no field '{fieldname}' to hold the workflow state; add it to the "
			f"blueprint (a field in the DocType, or a Custom Field '{doctype}-{fieldname}': Link to "
			"Workflow State, hidden)",
		)


def _plain(value):
	"""A JSON-ready copy of what the database returned."""
	if isinstance(value, dict):
		return {k: _plain(v) for k, v in value.items()}
	if isinstance(value, list):
		return [_plain(v) for v in value]
	if isinstance(value, decimal.Decimal):
		return float(value)
	if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
		# str() gives Frappe's own formats: 2026-01-01, 2026-01-01 10:00:00.123456, 10:00:00
		return str(value)
	return value


def _assign(doc, desired: dict, schema: DoctypeSchema) -> None:
	"""Make `doc` hold exactly `desired`: fields the blueprint leaves out go back to their default."""
	ignored = ADAPTERS[doc.doctype].ignored
	# blueprints never hold secrets, so one the blueprint leaves unsaid is kept, not blanked
	secrets = set(schema.password_fields())
	if doc.doctype == "Custom Field" and desired.get("fieldtype") == "Password":
		secrets.add("default")
	for fieldname, spec in schema.fields.items():
		if fieldname not in ignored and not (fieldname in secrets and fieldname not in desired):
			doc.set(fieldname, desired.get(fieldname, spec.effective_default()))
	for table, child_schema in schema.tables.items():
		doc.set(table, _matched_rows(doc.get(table) or [], desired.get(table) or [], child_schema))


def _matched_rows(existing: list, desired: list[dict], schema: DoctypeSchema) -> list[dict]:
	key_fields = next((k for k in ROW_KEYS if all(f in schema.fields for f in k)), ())
	pool = defaultdict(list)
	for position, row in enumerate(existing):
		pool[tuple(row.get(f) for f in key_fields) or position].append(row.name)
	rows = []
	for position, row in enumerate(desired):
		values = {f: row.get(f, spec.effective_default()) for f, spec in schema.fields.items()}
		match = pool.get(tuple(row.get(f) for f in key_fields) or position)
		if match:
			values["name"] = match.pop(0)
		rows.append(values)
	return rows


def _restore(doctype: str, name: str, snapshot: dict, exists: bool) -> None:
	values = {k: v for k, v in snapshot.items() if k not in ("modified", "creation")}
	for value in values.values():
		if isinstance(value, list):
			for row in value:
				if isinstance(row, dict):
					row.pop("name", None)
	if exists:
		doc = frappe.get_doc(doctype, name)
		doc.update(values)
		doc.save(ignore_permissions=True)
	else:
		frappe.get_doc(values).insert(ignore_permissions=True, set_name=name)
	frappe.db.set_value(doctype, name, "modified", snapshot.get("modified"), update_modified=False)


@contextmanager
def connected(site: str):
	"""Open `site` for the length of a command, as Frappe's own commands do."""
	frappe.init(site=site)
	frappe.connect()
	try:
		yield FrappeSite()
	finally:
		frappe.destroy()
