"""The adapter's SiteLedger (frappe_stack.site_protocols): the ledger (Blueprint, Blueprint
Document) and the append-only Stack Audit Log. Audit rows are queued and written in one insert
at the next commit."""

import json

import frappe
from frappe.model.naming import NamingSeries, parse_naming_series
from frappe.utils import now

from frappe_stack.ledger import AuditRow, LedgerDoc, LedgerEntry

AUDIT_COLUMNS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"timestamp",
	"actor",
	"action",
	"blueprint",
	"document_type",
	"document_name",
	"before_hash",
	"after_hash",
	"result",
	"details",
)


MARK = "\x00"  # stands for the number in an audit name's template
INSERT_CHUNK = 1000  # rows per insert statement (see _insert)

DOCUMENT_COLUMNS = (
	"name",
	"parent",
	"parenttype",
	"parentfield",
	"idx",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"document_type",
	"document_name",
	"source_hash",
	"applied_hash",
)


class LedgerStore:
	def __init__(self, user: str):
		self.user = user
		self._audit_rows: list[AuditRow] = []

	def read_ledger(self) -> dict[str, LedgerEntry]:
		if not frappe.db.table_exists("Blueprint"):
			return {}
		entries = {
			row.name: LedgerEntry(
				blueprint=row.name,
				status=row.status,
				source_path=row.source_path or "",
				content_hash=row.content_hash or "",
				applied_hash=row.applied_hash or "",
				applied_on=str(row.applied_on) if row.applied_on else None,
				applied_by=row.applied_by,
				git_commit=row.git_commit,
				last_error=row.last_error or "",
				header=json.loads(row.file_header) if row.file_header else {},
			)
			for row in frappe.db.sql("select * from `tabBlueprint`", as_dict=True)
		}
		# plain SQL: every apply reads the ledger, and migrate runs apply every time
		for row in frappe.db.sql(
			"""select parent, document_type, document_name, source_hash, applied_hash
			from `tabBlueprint Document` where parenttype='Blueprint' order by parent, idx""",
			as_dict=True,
		):
			entries[row.parent].documents[(row.document_type, row.document_name)] = LedgerDoc(
				row.document_type, row.document_name, row.source_hash, row.applied_hash
			)
		return entries

	def save_ledger(self, entry: LedgerEntry) -> None:
		"""The Blueprint row and its Blueprint Document rows in a few statements (the controller only
		refuses writers other than frappe_stack): the applier saves one per blueprint it applies,
		and saving it as a document costs an insert per child row."""
		name, stamp = entry.blueprint, now()
		values = {
			"status": entry.status.value,
			"source_path": entry.source_path,
			"content_hash": entry.content_hash,
			"applied_hash": entry.applied_hash,
			"applied_on": entry.applied_on,
			"applied_by": entry.applied_by,
			"git_commit": entry.git_commit,
			"last_error": entry.last_error,
			"file_header": json.dumps(entry.header, sort_keys=True) if entry.header else None,
			"modified": stamp,
			"modified_by": self.user,
		}
		if frappe.db.sql("select 1 from `tabBlueprint` where name=%s", name):
			assignments = ", ".join(f"`{column}`=%({column})s" for column in values)
			frappe.db.sql(
				f"update `tabBlueprint` set {assignments} where name=%(name)s", {**values, "name": name}
			)
			frappe.db.sql(
				"delete from `tabBlueprint Document` where parent=%s and parenttype='Blueprint'", name
			)
		else:
			row = {**values, "name": name, "blueprint_name": name, "creation": stamp, "owner": self.user}
			_insert("Blueprint", list(row), [tuple(row.values())])
		rows = [
			(
				frappe.generate_hash(length=10),
				name,
				"Blueprint",
				"documents",
				idx,
				stamp,
				stamp,
				self.user,
				self.user,
				d.doctype,
				d.name,
				d.source_hash,
				d.applied_hash,
			)
			for idx, d in enumerate(entry.documents.values(), 1)
		]
		_insert("Blueprint Document", DOCUMENT_COLUMNS, rows)

	def audit(self, row: AuditRow) -> None:
		"""Queued and written in one insert at the next commit, with the writes it describes."""
		self._audit_rows.append(row)

	def forget_audit_rows(self) -> None:
		"""The queued rows describe writes a rollback undid."""
		self._audit_rows = []

	def write_audit_rows(self) -> None:
		"""The queued rows, in one insert: the transaction guard calls it right before a commit."""
		rows, self._audit_rows = self._audit_rows, []
		if not rows:
			return
		stamp = now()
		values = [
			(
				name,
				stamp,
				stamp,
				self.user,
				self.user,
				stamp,
				self.user,
				row.action,
				row.blueprint,
				row.doctype or None,
				row.docname,
				row.before_hash,
				row.after_hash,
				row.result,
				row.details,
			)
			for name, row in zip(_audit_names(len(rows)), rows, strict=True)
		]
		# rows written by code, so no controller: the controller exists to refuse everyone else
		_insert("Stack Audit Log", AUDIT_COLUMNS, values)


def _insert(doctype: str, columns, rows: list[tuple]) -> None:
	"""`rows` in plain inserts of up to INSERT_CHUNK rows (as Frappe's bulk_insert chunks them, lest
	one statement outgrow MariaDB's max_allowed_packet): bulk_insert builds each with the query
	builder, value by value, which cost more than the insert itself for the audit rows of a first
	apply."""
	names = ", ".join(f"`{column}`" for column in columns)
	row = "(" + ", ".join(["%s"] * len(columns)) + ")"
	for start in range(0, len(rows), INSERT_CHUNK):
		chunk = rows[start : start + INSERT_CHUNK]
		frappe.db.sql(
			f"insert into `tab{doctype}` ({names}) values {', '.join([row] * len(chunk))}",
			[value for values in chunk for value in values],
		)


def _audit_names(count: int) -> list[str]:
	"""`count` names of the audit log's series (AUD-.YYYY.-.#######), its counter moved once for
	all of them instead of once per row."""
	series = NamingSeries(frappe.get_meta("Stack Audit Log").autoname)
	prefix = series.get_prefix()
	current = frappe.db.sql("select current from `tabSeries` where name=%s for update", (prefix,))
	if current and current[0][0] is not None:
		first = int(current[0][0]) + 1
		frappe.db.sql("update `tabSeries` set current = current + %s where name=%s", (count, prefix))
	else:
		first = 1
		frappe.db.sql("insert into `tabSeries` (name, current) values (%s, %s)", (prefix, count))
	# the name Frappe makes of the series once, with a mark where the number goes
	digits = []
	template = parse_naming_series(
		series.series, number_generator=lambda _, width: digits.append(width) or MARK
	)
	return [template.replace(MARK, str(number).zfill(digits[0])) for number in range(first, first + count)]
