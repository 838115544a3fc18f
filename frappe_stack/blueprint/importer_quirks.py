"""What Frappe's own importer leaves on sites, written so that the file applies elsewhere.

DocType.make_amendable() looks for `amended_from` in the database, not in the document, so
importing a submittable DocType that already lists it (every exported one does) adds a second
row: every site that loaded such a DocType from fixtures holds it twice, and Frappe refuses the
DocType anywhere it is saved again. Export keeps the first row and says so; any other
fieldname twice is a real problem and validation refuses it. The same import skips link checks,
so a Workflow can name states, actions and roles nobody created: export adds them and says so.
"""

from collections.abc import Callable

from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import ADAPTERS

# What a Workflow names, with the field that holds the name: building blocks and the Roles its
# transitions and states allow (a bare Role, with no users and no permissions of its own).
WORKFLOW_PARTS = {
	"Workflow State": "workflow_state_name",
	"Workflow Action Master": "workflow_action_name",
	"Role": "role_name",
}


def drop_extra_amended_from(doc: dict) -> list[str]:
	"""Remove the rows Frappe's importer added from a DocType document; what was removed, said."""
	rows = doc.get("fields") or []
	at = [index for index, row in enumerate(rows) if row.get("fieldname") == "amended_from"]
	if doc.get("doctype") != "DocType" or not doc.get("is_submittable") or len(at) < 2:
		return []
	doc["fields"] = [row for index, row in enumerate(rows) if index not in at[1:]]
	return [
		f"DocType '{doc['name']}' fields[{index}]: a second 'amended_from' row, added by Frappe's importer; "
		"the file keeps the first. Delete the extra row in the DocType form on the site"
		for index in at[1:]
	]


def workflow_parts_missing(
	documents: list[dict], existing: Callable[[list[Key]], set[Key]]
) -> tuple[list[dict], list[str]]:
	"""The Workflow States, Workflow Action Masters and Roles the Workflows use that exist nowhere,
	as documents to add: Frappe's fixture import skips link checks, so a Workflow loaded from
	fixtures can name states nobody created, and Frappe refuses to save it anywhere else (Desk
	creates them as the workflow is drawn). `existing` says which of some keys the site has."""
	have = {(doc["doctype"], doc["name"]) for doc in documents}
	uses = [
		(workflow, key)
		for workflow in documents
		if workflow["doctype"] == "Workflow"
		for key in dict.fromkeys(ADAPTERS["Workflow"].refs(workflow))
		if key[0] in WORKFLOW_PARTS and key not in have
	]
	present = existing(sorted({key for _, key in uses})) if uses else set()
	added, said = {}, []
	for workflow, key in uses:
		if key in present or key in added:
			continue
		added[key] = {"doctype": key[0], "name": key[1], WORKFLOW_PARTS[key[0]]: key[1]}
		said.append(
			f"{key[0]} '{key[1]}': used by Workflow '{workflow['name']}' but on the site nowhere (Frappe's "
			"fixture import does not create it); the file adds it, and applying it creates it here too"
		)
	return list(added.values()), said
