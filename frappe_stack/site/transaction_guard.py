"""The adapter's TransactionGuard (frappe_stack.site_protocols): each blueprint all or nothing
(law 4), although Frappe commits whenever a schema changes.

Why it replaces parts of Frappe while a blueprint is written. Saving a DocType, Custom Field or
Property Setter makes Frappe alter the table at once, and MariaDB commits on every DDL statement:
the savepoint the blueprint began with would be gone after its first field, and a failure further
on could no longer be rolled back. So, from savepoint() until the writes are done:

- `frappe.db.updatedb` and `frappe.db.sql_ddl` are replaced by methods that note the DocType or
  the statement instead of running it; the schema changes then run once per DocType, after the
  writes (or earlier, when a later document of the blueprint needs the new table or column).
- `frappe.db.commit` is replaced by one that raises CommitInsideBlueprint: a controller that
  commits would end the savepoint silently; the blueprint fails instead, intact.
- `frappe.clear_cache` is replaced by one that notes the DocType: controllers clear a DocType's
  cache on every save (a Redis scan each), and nothing reads that cache mid-blueprint, so it is
  cleared once per DocType after the schema changes. Clearing for a user or everything still runs.
- `frappe.db.get_tables` answers from the list as it was when the writes began, even when asked
  for a fresh one: no DDL runs while a blueprint is written, so the list cannot change, and
  DocType's controller asks for it, uncached, once per role of every DocType it saves.
- `frappe.clear_document_cache`, the realtime messages of a commit, and the site-wide caches
  that Roles and DocTypes clear (users', domain-restricted DocTypes, and routing, which waits for
  finish_apply()): see frappe_stack.site.commit_effects.
- `frappe.flags.in_migrate` is set to False: `bench migrate` relaxes DocType validation, and a
  blueprint gets the same checks in migrate as in `apply`.

Between the writes and the deferred schema changes, Frappe's checks of a DocType's fields and its
ALTER TABLE share one meta built from the database (fresh_meta), where Frappe would build it anew
for each.

What it restores: the moment the deferred schema changes run (and on any rollback), the
originals come back: the instance attributes shadowing `frappe.db`'s methods are removed, the
saved `frappe.clear_cache` and `frappe.flags.in_migrate` are put back. Nothing stays replaced
outside a blueprint's writes.

Once a schema change has run, the database has committed part of the blueprint: only snapshots
can undo it then. So every document is snapshotted before its first write, and rollback_to()
puts each one back as it was (and drops the tables the blueprint created, while still empty).
"""

from collections.abc import Callable

import frappe

from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.errors import StackError
from frappe_stack.site import doc_shapes, doctype_flag_memos, singles_store
from frappe_stack.site.commit_effects import NewDocumentCaches, SiteWideCaches, realtime_in_one_pipeline
from frappe_stack.site.error_text import error_text
from frappe_stack.site.reader import FrappeReader

# The documents whose save changes a table, with the field naming the DocType whose table it is.
SCHEMA_DOCTYPES = {"DocType": "name", "Custom Field": "dt", "Property Setter": "doc_type"}
GUARDED = ("updatedb", "sql_ddl", "commit", "get_tables")


class CommitInsideBlueprint(StackError):
	"""Something tried to commit while a blueprint was half written."""


class FrappeTransactionGuard:
	def __init__(
		self, reader: FrappeReader, before_commit: Callable[[], None], on_rollback: Callable[[], None]
	):
		"""`before_commit` runs right before each commit, `on_rollback` on each rollback: the ledger
		store writes, or forgets, the audit rows it queued."""
		self._reader = reader
		self._before_commit = before_commit
		self._on_rollback = on_rollback
		self._savepoint: str | None = None
		self._snapshots: dict[Key, dict | None] = {}
		self._schema_updates: list[str] = []
		self._ddl: list[str] = []
		self._customized: list[str] = []
		self._clear_cache = None
		self._in_migrate = False
		self._committed = False
		self._metas: dict = {}
		self._saved_metas: dict = {}
		self._new_caches = NewDocumentCaches(self._created)
		self._site_caches = SiteWideCaches()
		self.new_tables: list[str] = []

	# ---- the protocol ------------------------------------------------------------------------

	def savepoint(self, name: str) -> None:
		"""Start a blueprint: from here until commit() or rollback_to() it is atomic."""
		self._snapshots, self._schema_updates, self._ddl, self._customized = {}, [], [], []
		self._saved_metas = {}
		self.new_tables = []
		self._committed = False
		self.guard(name)

	def rollback_to(self, name: str) -> None:
		"""Undo the blueprint: the savepoint covers what is not committed yet, snapshots the rest."""
		self._on_rollback()
		if self._savepoint is not None:
			self._unguard()
			frappe.db.rollback(save_point=self._savepoint)
			self._savepoint = None
		else:
			frappe.db.rollback()
		self._new_caches.flush()
		self._site_caches.flush()
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
		self._before_commit()
		with realtime_in_one_pipeline():
			frappe.db.commit()
		self._new_caches.flush()
		self._site_caches.flush()
		if self._customized:
			# the caches of what the blueprint customized, cleared once it is committed. Frappe's
			# clearing queues itself again for the next commit, lest another process cache the old
			# meta before this one: that commit has happened, and the queues, which a commit leaves
			# empty, hold only those repeats
			self._clear_caches()
			frappe.db.after_commit.reset()
			frappe.db.after_rollback.reset()

	def finish_apply(self) -> None:
		"""The apply is over: what it deferred past its blueprints is done (the routing caches)."""
		self._site_caches.end()

	# ---- what the writer tells the guard -----------------------------------------------------

	def snapshot(self, key: Key, before: dict | None) -> None:
		"""The document as it was before the blueprint first touched it (None: it did not exist)."""
		self._snapshots.setdefault(key, before)

	def schema_pending(self) -> bool:
		return bool(self._schema_updates or self._ddl)

	def defer_updatedb(self, doctype: str | None, meta=None) -> None:
		"""`meta`: what DocType's own save builds from the document it saved; it stands for the
		fresh meta until another write (a Custom Field, a Property Setter) changes the DocType."""
		if meta is not None:
			self._saved_metas[doctype] = meta
		if doctype and doctype not in self._schema_updates:
			self._schema_updates.append(doctype)
		if doctype and doctype not in self._customized:
			self._customized.append(doctype)

	def fresh_meta(self, doctype: str):
		"""The DocType's meta as the database holds it once the writes so far are done, built once
		for the checks and the schema change that follow them."""
		if doctype not in self._metas:
			saved = self._saved_metas.pop(doctype, None)
			self._metas[doctype] = saved or frappe.get_meta(doctype, cached=False)
		return self._metas[doctype]

	def changed_after_save(self, doctype: str) -> None:
		"""A write changed `doctype` after its own save: the meta that save built no longer holds."""
		self._saved_metas.pop(doctype, None)

	def guard(self, name: str) -> None:
		"""Open the savepoint `name` and replace Frappe's commit, schema updates and cache clearing."""
		frappe.db.savepoint(name)
		self._savepoint = name
		self._metas = {}  # writes follow: a meta built before them would be stale
		self._in_migrate, frappe.flags.in_migrate = frappe.flags.in_migrate, False
		tables = frappe.db.get_tables(cached=True)
		frappe.db.get_tables = lambda cached=True: tables
		self._new_caches.defer()
		self._site_caches.defer()
		frappe.db.updatedb = self.defer_updatedb
		frappe.db.sql_ddl = self._defer_ddl
		frappe.db.commit = _refuse_commit
		self._clear_cache, frappe.clear_cache = frappe.clear_cache, self._defer_clear_cache

	def run_schema_changes(self, last: bool = False) -> str:
		"""Release the savepoint, restore Frappe's own methods and run the deferred schema changes;
		the savepoint's name, to guard() the rest of the blueprint with. `last`: the blueprint's
		writes are done, and Frappe's caches are cleared after its commit (this process's own are
		dropped now)."""
		name = self._savepoint
		self._unguard()
		frappe.db.release_savepoint(name)
		self._savepoint = None
		self._run_schema_changes(clear=not last)
		return name

	# ---- inside ------------------------------------------------------------------------------

	def _created(self, doctype: str, name: str) -> bool:
		"""Whether the blueprint being written created the document (it did not exist before)."""
		return (doctype, name) in self._snapshots and self._snapshots[(doctype, name)] is None

	def _defer_ddl(self, query: str, debug: bool = False) -> None:
		self._ddl.append(query)

	def _defer_clear_cache(self, user=None, doctype=None):
		if doctype and not user:
			if doctype not in self._customized:
				self._customized.append(doctype)
		else:
			self._clear_cache(user=user, doctype=doctype)

	def _unguard(self) -> None:
		for attribute in GUARDED:
			frappe.db.__dict__.pop(attribute, None)
		if self._clear_cache is not None:
			frappe.clear_cache, self._clear_cache = self._clear_cache, None
		self._new_caches.restore()
		self._site_caches.restore()
		frappe.flags.in_migrate = self._in_migrate

	def _run_schema_changes(self, clear: bool = True) -> None:
		"""Deferred DDL, once per DocType. Each statement commits, so from here on only the
		snapshots can undo this blueprint."""
		self._committed = True
		ddl, doctypes = self._ddl, self._schema_updates
		self._ddl, self._schema_updates = [], []
		with realtime_in_one_pipeline():
			for query in ddl:
				frappe.db.sql_ddl(query)
			for doctype in doctypes:
				# plain SQL: asked for every DocType of every blueprint (a deleted one has no table)
				if frappe.db.sql("select 1 from `tabDocType` where name=%s", doctype):
					frappe.db.updatedb(doctype, self.fresh_meta(doctype))
		if clear:
			self._clear_caches()
		else:
			self._forget_here()

	def _clear_caches(self) -> None:
		"""Drop cached meta of the DocTypes this blueprint customized (not of the doctypes of the
		documents themselves: a new Role does not change Role's meta)."""
		with self._site_caches.routing_noted():
			for doctype in self._customized:
				with doctype_flag_memos.kept_except(self._customized):
					frappe.clear_cache(doctype=doctype)
		self._forget_here()
		self._customized = []

	def _forget_here(self) -> None:
		"""What this process holds of the customized DocTypes: their meta (so that reading their
		documents back sees the new fields), new-document templates and schemas."""
		templates = frappe.local.new_doc_templates
		for doctype in self._customized:
			frappe.cache.hdel("doctype_meta", doctype)
			templates.pop(doctype, None)  # its defaults may have changed; other DocTypes' did not
		self._reader.forget_schemas(self._customized)

	def _restore_snapshots(self) -> None:
		"""Put every document the blueprint touched back as it was before the blueprint began."""
		self._metas, self._saved_metas = {}, {}
		try:
			for (doctype, name), snapshot in reversed(list(self._snapshots.items())):
				if ADAPTERS[doctype].by_field:
					singles_store.restore(doctype, name, snapshot)
					continue
				exists = frappe.db.exists(doctype, name)
				if snapshot is None and exists:
					frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
				elif snapshot is not None and not self._holds(doctype, name, snapshot, exists):
					_restore(doctype, name, snapshot, exists)
				if doctype in SCHEMA_DOCTYPES and snapshot is not None:
					self.defer_updatedb(snapshot.get(SCHEMA_DOCTYPES[doctype]))
			self._run_schema_changes()
			for table in self.new_tables:
				# Frappe keeps a deleted DocType's table; one this blueprint created (and that is
				# still empty) goes too, so the database is as it was
				if frappe.db.table_exists(table) and not frappe.db.count(table):
					frappe.db.sql_ddl(f"drop table `tab{table}`")
			frappe.db.commit()
		except Exception as restore_error:
			raise StackError(
				f"restoring the blueprint's documents failed: {error_text(restore_error)}. "
				"Restore them from the backup or from Deleted Documents"
			) from restore_error

	def _holds(self, doctype: str, name: str, snapshot: dict, exists: bool) -> bool:
		if not exists:
			return False
		live = self._reader.live_documents([(doctype, name)])[(doctype, name)]
		return self._reader.canonical(live) == self._reader.canonical(snapshot)


def _refuse_commit(*args, **kwargs):
	raise CommitInsideBlueprint(
		"a commit was attempted while the blueprint was half written (so it could not be rolled back); "
		"split the document that needs it into its own blueprint"
	)


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
