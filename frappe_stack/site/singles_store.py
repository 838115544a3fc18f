"""Singles managed field by field, on the site (see frappe_stack.blueprint.single_fields).

A managed field is read straight from tabSingles (the value Frappe stored, or null when it stored
none) and written through the singleton's own controller, so its validation and side effects run
(System Settings sets the site's defaults on save). Only the managed field changes value: the rest
of the singleton is saved back as it was loaded, never reset to defaults as other documents are.
"""

import frappe

from frappe_stack.blueprint.single_fields import VALUE


def read(doctype: str, fieldnames: list[str]) -> dict[tuple[str, str], dict]:
	"""Every managed field exists (a singleton always does); unset ones read as null."""
	stored = frappe.db.get_singles_dict(doctype)
	return {
		(doctype, fieldname): {"doctype": doctype, "name": fieldname, VALUE: stored.get(fieldname)}
		for fieldname in fieldnames
	}


def snapshot(doctype: str, fieldname: str) -> dict:
	"""What restore() needs to put the field back: its stored value and the singleton's stamp."""
	stored = frappe.db.get_singles_dict(doctype)
	return {VALUE: stored.get(fieldname), "modified": stored.get("modified")}


def write(document: dict) -> None:
	_save(document["doctype"], document["name"], document.get(VALUE))


def restore(doctype: str, fieldname: str, saved: dict) -> None:
	_save(doctype, fieldname, saved[VALUE])
	frappe.db.set_single_value(doctype, "modified", saved["modified"], update_modified=False)


def _save(doctype: str, fieldname: str, value) -> None:
	doc = frappe.get_single(doctype)
	doc.set(fieldname, value)
	# other fields are not this blueprint's to fill: a site whose setup wizard never ran has no
	# language or time zone in System Settings, and setting one field must not demand them
	doc.flags.ignore_mandatory = True
	doc.save(ignore_permissions=True)
