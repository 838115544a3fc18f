"""Password fields given as site config references (see frappe_stack.blueprint.secret_refs), on
the site: resolved before a write, and read back as the reference while the stored secret equals
the value of a site config key. Secrets are compared in memory only, never returned or logged."""

import frappe
from frappe.utils.password import get_decrypted_password

from frappe_stack.blueprint.schema import DoctypeSchema
from frappe_stack.blueprint.secret_refs import is_reference, key_holding, reference, resolve
from frappe_stack.errors import StackError


def resolved(document: dict, schema: DoctypeSchema | None) -> dict:
	"""`document` with each reference replaced by the secret it names (a copy when it has any)."""
	fields = [f for f in (schema.password_fields() if schema else []) if is_reference(document.get(f))]
	if not fields:
		return document
	document = dict(document)
	for fieldname in fields:
		try:
			document[fieldname] = resolve(document[fieldname], frappe.conf)
		except KeyError as missing:
			raise StackError(
				f"{document['doctype']} '{document['name']}'.{fieldname}: the site config has no value for "
				f"'{missing.args[0]}'; set it with `bench --site {frappe.local.site} set-config "
				f"{missing.args[0]} <secret>` (the secret stays out of the blueprint)"
			) from None
	return document


def show_references(doc: dict, schema: DoctypeSchema | None) -> None:
	"""Replace, in a document read from the site, each stored secret that a site config key holds
	by a reference to that key; other secrets stay masked as Frappe masks them."""
	for fieldname in schema.password_fields() if schema else []:
		if not doc.get(fieldname) or is_reference(doc[fieldname]):
			continue
		name = doc["doctype"] if frappe.get_meta(doc["doctype"]).issingle else doc["name"]
		secret = get_decrypted_password(doc["doctype"], name, fieldname, raise_exception=False)
		key = key_holding(secret, _string_config()) if secret else None
		if key:
			doc[fieldname] = reference(key)


def _string_config() -> dict:
	return {key: value for key, value in frappe.conf.items() if isinstance(value, str)}
