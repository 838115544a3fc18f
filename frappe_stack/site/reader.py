"""The adapter's SiteReader (frappe_stack.site_protocols): documents and schemas read in bulk,
a few queries per DocType whatever the number of documents."""

import datetime
import decimal
from collections import defaultdict

import frappe
from frappe.model import data_fieldtypes

from frappe_stack.blueprint.live import LiveReads
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec, static_default
from frappe_stack.site import doc_shapes, secret_resolution, singles_store
from frappe_stack.site.discovery import customizations

FETCH_CHUNK = 500


class FrappeReader(LiveReads):
	"""Caches schemas for as long as they hold: forget_schemas() is called with the DocTypes a
	schema change touched."""

	def __init__(self):
		self._schemas: dict[str, DoctypeSchema | None] = {}

	def forget_schemas(self, doctypes: list[str]) -> None:
		"""Drop the schemas of `doctypes` and of the DocTypes holding any of them as a child table."""
		changed = set(doctypes)
		self._schemas = {
			doctype: schema
			for doctype, schema in self._schemas.items()
			if doctype not in changed and not (schema and _holds_any(schema, changed))
		}

	def schema(self, doctype: str) -> DoctypeSchema | None:
		if doctype not in self._schemas:
			self._schemas[doctype] = (
				doc_shapes.with_parent(doctype, _build_schema(doctype))
				if frappe.db.exists("DocType", doctype)
				else None
			)
		return self._schemas[doctype]

	def doctype_tables(self, names: list[str]) -> dict[str, bool]:
		"""Of `names`, the DocTypes on the site, each with whether it is a child table: one query."""
		rows = frappe.get_all("DocType", filters={"name": ("in", names)}, fields=["name", "istable"])
		return {row.name: bool(row.istable) for row in rows}

	def existing(self, keys: list[Key]) -> set[Key]:
		"""Of `keys`, the documents the site has: one query per doctype."""
		return {
			(doctype, name)
			for doctype, names in by_doctype(keys).items()
			for name in frappe.get_all(doctype, filters={"name": ("in", names)}, pluck="name")
		}

	def live_documents(self, keys: list[Key]) -> dict[Key, dict]:
		"""The documents that exist, as plain dicts with their child rows: two queries per table."""
		found = {}
		for doctype, names in by_doctype(keys).items():
			if ADAPTERS[doctype].by_field:
				found.update(singles_store.read(doctype, names))
				continue
			for start in range(0, len(names), FETCH_CHUNK):
				docs = _read_chunk(doctype, names[start : start + FETCH_CHUNK])
				for doc in docs.values():
					secret_resolution.show_references(doc, self.schema(doctype))
				found.update({(doctype, name): doc for name, doc in docs.items()})
		return found

	def customizations(self) -> list[Key]:
		return customizations(self.live_documents)


def _build_schema(doctype: str) -> DoctypeSchema:
	meta = frappe.get_meta(doctype)
	fields = {
		df.fieldname: FieldSpec(
			df.fieldname, df.fieldtype, static_default(df.fieldtype, df.default, df.options), df.options
		)
		for df in meta.fields
		if df.fieldtype in data_fieldtypes
	}
	tables = {df.fieldname: _build_schema(df.options) for df in meta.get_table_fields()}
	columns = frappe.db.get_table_columns(doctype) if frappe.db.table_exists(doctype) else []
	return DoctypeSchema(doctype, fields, tables, bool(meta.istable), frozenset(columns) - fields.keys())


def _holds_any(schema: DoctypeSchema, doctypes: set[str]) -> bool:
	return any(table.doctype in doctypes or _holds_any(table, doctypes) for table in schema.tables.values())


def by_doctype(keys: list[Key]) -> dict[str, list[str]]:
	by_doctype = defaultdict(list)
	for doctype, name in keys:
		by_doctype[doctype].append(name)
	return by_doctype


def _read_chunk(doctype: str, names: list[str]) -> dict[str, dict]:
	# plain SQL, not get_all: the applier reads each blueprint back after writing it, and get_all's
	# query building costs more than the query
	docs = {
		row.name: _plain(row) | {"doctype": doctype}
		for row in frappe.db.sql(
			f"select * from `tab{doctype}` where name in %(names)s", {"names": names}, as_dict=True
		)
	}
	for table in frappe.get_meta(doctype).get_table_fields():
		for doc in docs.values():
			doc[table.fieldname] = []
		if not docs:
			continue
		rows = frappe.db.sql(
			f"""select * from `tab{table.options}` where parent in %(parents)s
			and parenttype=%(parenttype)s and parentfield=%(parentfield)s order by idx asc""",
			{"parents": list(docs), "parenttype": doctype, "parentfield": table.fieldname},
			as_dict=True,
		)
		for row in rows:
			docs[row.parent][table.fieldname].append(_plain(row))
	return docs


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
