"""The adapter's ChangeMarks (frappe_stack.unchanged): what shows a change without reading the
documents, and the fingerprint the last clean apply left. The fingerprint is kept in the database
(a global default), so a restored backup brings back the fingerprint of what it restored."""

import hashlib
import json

import frappe
from frappe.cache_manager import clear_defaults_cache

from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import ADAPTERS
from frappe_stack.site.reader import FETCH_CHUNK, FrappeReader, by_doctype
from frappe_stack.site_protocols import SCHEMA_DOCTYPES

FINGERPRINT_KEY = "frappe_stack_apply_fingerprint"


def change_marks(reader: FrappeReader, keys: list[Key]) -> dict[Key, str | None]:
	"""Each document's `modified`, one query per doctype; a Single's fields (which have no
	`modified` of their own) are marked by their content hash."""
	marks: dict[Key, str | None] = {}
	for doctype, names in by_doctype(keys).items():
		if ADAPTERS[doctype].by_field:
			marks.update(reader.live_hashes([(doctype, name) for name in names]))
			continue
		for start in range(0, len(names), FETCH_CHUNK):
			chunk = names[start : start + FETCH_CHUNK]
			try:
				rows = frappe.db.sql(
					f"select name, modified from `tab{doctype}` where name in %(names)s", {"names": chunk}
				)
			except Exception as exc:
				if not frappe.db.is_table_missing(exc):
					raise
				rows = ()  # the DocType itself is gone: none of its documents exist
			marks.update({(doctype, name): str(modified) for name, modified in rows})
	return {key: marks.get(key) for key in keys}


def schema_mark() -> str:
	"""Count and latest `modified` of DocTypes, Custom Fields, Property Setters and Roles (a
	deletion lowers the count), with the installed apps and their versions."""
	counts = frappe.db.sql(
		" union all ".join(
			f"select '{doctype}', count(*), max(modified) from `tab{doctype}`" for doctype in SCHEMA_DOCTYPES
		)
	)
	apps = [(app, getattr(frappe.get_module(app), "__version__", "")) for app in frappe.get_installed_apps()]
	return repr(([tuple(str(value) for value in row) for row in counts], apps))


def secret_mark(keys: list[str]) -> str:
	"""A digest of the site config values of `keys`: the secrets stay in memory."""
	return hashlib.sha256(json.dumps([[key, frappe.conf.get(key)] for key in keys]).encode()).hexdigest()


def recorded_fingerprint() -> str | None:
	return frappe.db.get_global(FINGERPRINT_KEY) or None


def record_fingerprint(fingerprint: str | None) -> None:
	"""Written as Frappe's set_global writes a global default, but without its clear of every cache
	of the site (a global default may change what each user boots with): only frappe_stack reads
	this one, so only the cached global defaults are dropped, once the row is committed."""
	frappe.db.delete("DefaultValue", {"defkey": FINGERPRINT_KEY, "parent": "__global"})
	if fingerprint:
		frappe.get_doc(
			{
				"doctype": "DefaultValue",
				"parent": "__global",
				"parenttype": "__default",
				"parentfield": "system_defaults",
				"defkey": FINGERPRINT_KEY,
				"defvalue": fingerprint,
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	clear_defaults_cache("__global")
