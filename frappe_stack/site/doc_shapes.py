"""What some doctypes need on the site beyond the generic read and write.

- DocType Link (Connections added to a standard DocType): a child row managed as a document of
  its own. Its `parent` (the DocType it belongs to) is part of its identity, so the schema keeps it;
  parenttype and parentfield are always DocType / links and are filled in before an insert; the
  DocType's cached meta is dropped after a write, as Customize Form does.
- Letter Head's controller sets source to Image on every insert (for the Desk's upload flow): a
  blueprint's HTML letter head is saved once more with its own source, so one apply converges.
- A controller may lock its document for a follow-up job queued to run after the commit (a Role
  Profile updating its users): when the blueprint is rolled back that job never runs, so the lock,
  a file that no rollback removes, is released, or the next apply would find the document locked.
- Documents an app ships as files in its modules (a Workspace, a Module Onboarding and its steps)
  carry no standard flag: a file in an installed app is what makes them the app's.
"""

import os

import frappe

from frappe_stack.blueprint.more_doctypes import SHIPPED_AS_FILES
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.errors import StackError

CHILD_DOCUMENTS = {"DocType Link": ("DocType", "links")}
SET_AGAIN_AFTER_INSERT = {"Letter Head": ("source",)}


def with_parent(doctype: str, schema: DoctypeSchema) -> DoctypeSchema:
	if doctype not in CHILD_DOCUMENTS:
		return schema
	parent = FieldSpec("parent", "Link", None, CHILD_DOCUMENTS[doctype][0])
	return DoctypeSchema(schema.doctype, {"parent": parent, **schema.fields}, schema.tables)


def prepared(document: dict) -> dict:
	"""The document as Frappe's insert needs it; refuses what an app ships."""
	doctype, name = document["doctype"], document["name"]
	if doctype in SHIPPED_AS_FILES and app_has_file(doctype, name, document.get("module")):
		raise StackError(
			f"{doctype} '{name}' is shipped by an installed app as a file; app-owned documents are "
			"never blueprints: remove it from the blueprint (or give yours another name)"
		)
	if doctype in CHILD_DOCUMENTS:
		parenttype, parentfield = CHILD_DOCUMENTS[doctype]
		return {**document, "parenttype": parenttype, "parentfield": parentfield}
	return document


def written(document: dict, schema: DoctypeSchema) -> None:
	doctype = document["doctype"]
	if doctype in CHILD_DOCUMENTS and document.get("parent"):
		frappe.clear_cache(doctype=document["parent"])
	wanted = {
		field: document.get(field, schema.fields[field].effective_default())
		for field in SET_AGAIN_AFTER_INSERT.get(doctype, ())
	}
	if wanted:
		doc = frappe.get_doc(doctype, document["name"])
		if any(doc.get(field) != value for field, value in wanted.items()):
			doc.update(wanted)
			doc.save(ignore_permissions=True)


def app_has_file(doctype: str, name: str, module: str | None) -> bool:
	"""Whether an installed app ships this document as a file: in its module's folder, or (for a
	doctype without a module field, an Onboarding Step) in any module's."""
	scrubbed, folder = frappe.scrub(name), frappe.scrub(doctype)
	return any(
		os.path.exists(os.path.join(path, folder, scrubbed, f"{scrubbed}.json"))
		for path in _module_paths([module] if module else None)
	)


def _module_paths(modules: list[str] | None) -> list[str]:
	if modules is None:
		modules = frappe.get_all(
			"Module Def", filters={"app_name": ("in", frappe.get_installed_apps())}, pluck="name"
		)
	paths = []
	for module in modules:
		try:
			paths.append(frappe.get_module_path(module))
		except Exception:  # a module of an app that is gone: it ships nothing
			continue
	return paths


def release_locks(written: dict) -> None:
	"""Unlock the documents of `written` ((doctype, name) keys) that this process locked."""
	for doc in list(frappe.local.locked_documents):
		if (doc.doctype, doc.name) in written:
			doc.unlock()
