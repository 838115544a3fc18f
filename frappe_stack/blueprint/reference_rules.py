"""References to documents that exist nowhere, found before the first write (law 5).

Frappe checks every Link when it saves a document, so a Workflow whose states were never created
(Frappe's fixture import skips link checks, so sites that got a Workflow from fixtures hold
exactly that), a permission for a Role that does not exist, or a Client Script on a DocType that
does not, would fail mid-apply. A reference counts as present when a blueprint of the set
defines it or the site has it. DocType fields' own Link options are judged in doctype_rules.py.
"""

from collections.abc import Callable

from frappe_stack.blueprint.model import Blueprint, Key
from frappe_stack.blueprint.registry import adapter_for
from frappe_stack.errors import BlueprintError

# Of a list of documents, those the site has.
ExistingLookup = Callable[[list[Key]], set[Key]]
# The doctypes whose references Frappe validates as Links on save.
LINKED = frozenset(
	{
		"DocType",
		"Role",
		"Workflow State",
		"Workflow Action Master",
		"Report",
		"Number Card",
		"Dashboard Chart",
	}
)


def missing_references(blueprints: list[Blueprint], existing: ExistingLookup | None) -> list[BlueprintError]:
	if existing is None:
		return []
	defined = {doc.key for bp in blueprints for doc in bp.documents}
	uses = []
	for bp in blueprints:
		for doc in bp.documents:
			for ref in dict.fromkeys(adapter_for(doc.doctype).refs(doc.data)):
				if ref[0] in LINKED and ref not in defined and not _judged_elsewhere(doc.data, ref):
					uses.append((bp, doc, ref))
	present = existing(sorted({ref for *_, ref in uses}))
	return [
		BlueprintError(
			bp.file,
			doc.path,
			f"{doc.doctype} '{doc.name}' needs {ref[0]} '{ref[1]}', which is neither on the site nor in any "
			"blueprint",
			f"add {ref[0]} '{ref[1]}' to a blueprint (export puts the Workflow States and Actions a site "
			"lacks into the file), or stop referencing it",
		)
		for bp, doc, ref in uses
		if ref not in present
	]


def _judged_elsewhere(data: dict, ref: Key) -> bool:
	"""Link options of fields: doctype_rules.py names the field that holds them."""
	if ref[0] != "DocType":
		return False
	if data.get("doctype") == "DocType":
		return any(row.get("options") == ref[1] for row in data.get("fields") or [])
	return (
		data.get("doctype") == "Custom Field" and data.get("options") == ref[1] and data.get("dt") != ref[1]
	)
