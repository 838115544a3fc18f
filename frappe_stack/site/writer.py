"""The adapter's SiteWriter (frappe_stack.site_protocols): documents written through Frappe's own
controllers, so every validation Frappe does still runs. The transaction guard
(frappe_stack.site.transaction_guard) brackets the writes of each blueprint; the checks Frappe
would make in the middle of a blueprint (of new fields and of links) run once all of its DocTypes
and tables exist."""

import copy
from collections import defaultdict

import frappe
from frappe.core.doctype.doctype.doctype import (
	validate_fields,
	validate_links_table_fieldnames,
)
from frappe.model.base_document import get_controller
from frappe.utils import is_a_property

from frappe_stack.blueprint.doctype_adapter import ROW_KEYS
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.blueprint.schema import DoctypeSchema
from frappe_stack.errors import StackError
from frappe_stack.site import doc_shapes, secret_resolution, singles_store
from frappe_stack.site.error_text import error_text
from frappe_stack.site.reader import FrappeReader
from frappe_stack.site.transaction_guard import SCHEMA_DOCTYPES, FrappeTransactionGuard

# Saved without reading the tables or columns the blueprint's DocTypes and fields are to get (a
# permission row names its DocType, a Role nothing): no schema flush before them.
NO_SCHEMA_NEEDED = ("Custom DocPerm", "Role")
# The Property Setter properties that change a column (Customize Form updates the table after them).
COLUMN_PROPERTIES = ("fieldtype", "length", "precision", "unique", "search_index", "default", "options")


class LocatedError(StackError):
	"""An error that already says which documents it is about."""

	def __init__(self, location: str, message: str):
		self.location = location
		super().__init__(message)


class FrappeWriter:
	def __init__(self, reader: FrappeReader, guard: FrappeTransactionGuard):
		self._reader = reader
		self._guard = guard
		self._new_fields: list = []
		self._link_checks: list[str] = []
		self._saved_doctypes: dict = {}  # the DocTypes this blueprint saved, as saved
		self._controller_names: dict[str, set[str]] = {}

	def begin(self) -> None:
		"""A new blueprint: nothing left to check from the one before (which may have failed)."""
		self._new_fields, self._link_checks, self._saved_doctypes = [], [], {}

	def write(self, document: dict, new: bool = False) -> None:
		doctype, name = document["doctype"], document["name"]
		if doctype not in (*SCHEMA_DOCTYPES, *NO_SCHEMA_NEEDED) and self._guard.schema_pending():
			# later documents (a Workflow, a Number Card) may need the new tables and columns
			self._flush_schema()
		if doctype == "Workflow":
			_require_state_field(document)
		schema = self._reader.schema(doctype)
		document = secret_resolution.resolved(doc_shapes.prepared(document), schema)
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
			self._save(doctype, name, document, new)
		finally:
			frappe.flags.in_fixtures = in_fixtures
		if doctype in ("Custom Field", "Property Setter"):
			self._guard.changed_after_save(document.get(SCHEMA_DOCTYPES[doctype]))
		if doctype in SCHEMA_DOCTYPES and _changes_columns(document):
			self._guard.defer_updatedb(document.get(SCHEMA_DOCTYPES[doctype]))
		doc_shapes.written(document, self._reader.schema(doctype))

	def delete(self, doctype: str, name: str) -> None:
		if doctype == "DocType" and frappe.db.table_exists(name) and (rows := frappe.db.count(name)):
			raise StackError(
				f"DocType '{name}' still holds {rows} row(s); a tombstone never drops data. "
				"Delete or migrate the rows first, then apply again"
			)
		doc = frappe.get_doc(doctype, name)
		self._guard.snapshot((doctype, name), doc.as_dict(convert_dates_to_str=True))
		frappe.delete_doc(doctype, name, ignore_permissions=True)

	def finish_blueprint(self) -> None:
		self._check_new_fields()
		self._guard.run_schema_changes(last=True)
		self._check_links()

	def _save(self, doctype: str, name: str, document: dict, new: bool) -> None:
		self._save_once(doctype, name, document, new)
		if doctype == "DocType" and document.get("is_submittable"):
			_drop_amended_from_frappe_added(name, document)
			self._guard.changed_after_save(name)

	def _save_once(self, doctype: str, name: str, document: dict, new: bool) -> None:
		if ADAPTERS[doctype].by_field:
			self._guard.snapshot((doctype, name), singles_store.snapshot(doctype, name))
			singles_store.write(document)
		elif not new and frappe.db.sql(f"select 1 from `tab{doctype}` where name=%s", name):
			doc = frappe.get_doc(doctype, name)
			self._guard.snapshot((doctype, name), doc.as_dict(convert_dates_to_str=True))
			_assign(doc, document, self._reader.schema(doctype))
			doc.flags.ignore_links = doctype == "DocType"
			doc.save(ignore_permissions=True)
		else:
			self._guard.snapshot((doctype, name), None)
			if doctype == "DocType" and not frappe.db.table_exists(name):
				self._guard.new_tables.append(name)
			doc = frappe.get_doc(copy.deepcopy(document))  # Frappe fills in the dicts it is given
			if doctype == "Custom Field":
				# checked once per DocType before the schema flush, not once per field; except the
				# clash with the controller's methods, which the field checks do not make
				if doc.fieldname in self._controller_names_of(doc.dt) and not doc.is_virtual:
					raise LocatedError(
						f"Custom Field '{name}'",
						f"Fieldname {doc.fieldname} conflicting with meta object: {doc.dt}'s controller "
						"has a method or property of that name; choose another fieldname",
					)
				doc.flags.ignore_validate = True
				self._new_fields.append(doc)
			doc.flags.ignore_links = doctype == "DocType"
			doc.insert(ignore_permissions=True, set_name=name)
		if doctype == "DocType":
			self._saved_doctypes[name] = doc

	def _flush_schema(self) -> None:
		self._check_new_fields()
		name = self._guard.run_schema_changes()
		self._check_links(complete=False)
		self._guard.guard(name)

	def _check_new_fields(self) -> None:
		"""Frappe's own checks of new Custom Fields, once per DocType, inside the savepoint (the
		way Frappe's customization sync validates): fieldnames unique and legal, Link and Table
		options that exist."""
		by_doctype = defaultdict(list)
		for doc in self._new_fields:
			by_doctype[doc.dt].append(doc)
		self._new_fields = []
		for doctype, docs in by_doctype.items():
			if doctype in self._guard.new_tables:
				# a DocType this blueprint creates: Frappe's checks need its table (a unique field
				# looks for duplicate values), so they run with the DocType's, once the table exists
				self._link_checks.append(doctype)
				continue
			try:
				self._validate_fields(doctype)
			except Exception as exc:
				raise LocatedError(_custom_fields(docs), error_text(exc)) from exc

	def _check_links(self, complete: bool = True) -> None:
		"""Frappe's own field checks of the DocTypes written with their links unchecked, now that
		every DocType and table of the blueprint exists: Link and Table options, child tables,
		Connections, and every Link value of the DocType document itself (a Connections row naming
		another DocType of the blueprint). A failure here undoes the blueprint from its snapshots."""
		names, self._link_checks = self._link_checks, []
		for name in dict.fromkeys(names):
			try:
				doc = self._saved_doctypes.get(name) or frappe.get_doc("DocType", name)
				if not complete and not _targets_exist(doc):
					# a flush mid-blueprint (a Workflow needs its DocType's table) can come before
					# the rest of a cycle is written: judged when the blueprint is complete
					self._link_checks.append(name)
					continue
				doc._action = "save"
				doc._validate_links()
				self._validate_fields(name)
			except Exception as exc:
				raise LocatedError(f"DocType '{name}'", error_text(exc)) from exc

	def _controller_names_of(self, doctype: str) -> set[str]:
		"""The methods and properties of `doctype`'s controller, which a Custom Field may not be
		named after (what Frappe's check_fieldname_conflicts finds on a new document): from the
		class, once per DocType, so no meta is built for it."""
		if doctype not in self._controller_names:
			controller = get_controller(doctype)
			self._controller_names[doctype] = {
				name
				for name in dir(controller)
				if is_a_property(getattr(controller, name, None)) or callable(getattr(controller, name, None))
			}
		return self._controller_names[doctype]

	def _validate_fields(self, doctype: str) -> None:
		"""Frappe's validate_fields_for_doctype, on the meta the schema change uses too."""
		meta = self._guard.fresh_meta(doctype)
		validate_links_table_fieldnames(meta)
		validate_fields(meta)


def _custom_fields(docs: list) -> str:
	"""The new Custom Fields a DocType's check failed on; the first few of a long list."""
	names = ", ".join(f"Custom Field '{doc.name}'" for doc in docs[:3])
	return names + (f" and {len(docs) - 3} more of {docs[0].dt}" if len(docs) > 3 else "")


def _changes_columns(document: dict) -> bool:
	"""Whether saving the document can change its DocType's table: a Property Setter does only for
	the properties after which Customize Form runs updatedb; a label or a description does not."""
	return document["doctype"] != "Property Setter" or document.get("property") in COLUMN_PROPERTIES


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
