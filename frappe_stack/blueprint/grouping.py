"""Where export puts customizations that no blueprint holds yet: one blueprint per DocType they
customize (the DocType with its fields, setters, permissions, scripts, workflow, reports, cards),
and Roles that several blueprints use in a shared `roles` blueprint the others depend on. Groups
whose documents reference each other in a cycle (two DocTypes linking each other) become one:
blueprints may not depend on each other in a cycle, documents inside one blueprint may."""

import re
from collections import defaultdict

from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.more_doctypes import SINGLES
from frappe_stack.blueprint.order import find_cycle, topological
from frappe_stack.blueprint.registry import ADAPTERS

SHARED_ROLES = "roles"
# The field naming the DocType a document customizes.
TARGET_FIELD = {
	"DocType": "name",
	"Custom Field": "dt",
	"Property Setter": "doc_type",
	"Custom DocPerm": "parent",
	"Workflow": "document_type",
	"Client Script": "dt",
	"Server Script": "reference_doctype",
	"Report": "ref_doctype",
	"Print Format": "doc_type",
	"Notification": "document_type",
	"Number Card": "document_type",
	"Dashboard Chart": "document_type",
}
# Documents that customize no single DocType get a blueprint of their kind.
KIND_BLUEPRINT = {
	"Dashboard": "dashboards",
	"Workspace": "workspaces",
	"Server Script": "server-scripts",
	"Number Card": "dashboards",
	"Dashboard Chart": "dashboards",
	"Workflow State": "workflows",
	"Workflow Action Master": "workflows",
}

# the doctypes of more_doctypes.py
TARGET_FIELD.update(
	{
		"DocType Link": "parent",
		"Document Naming Rule": "document_type",
		"List View Settings": "name",
		"Assignment Rule": "document_type",
		"DocType Layout": "document_type",
		"Kanban Board": "reference_doctype",
		"Webhook": "webhook_doctype",
		"Web Form": "doc_type",
		"Form Tour": "reference_doctype",
	}
)
KIND_BLUEPRINT.update(
	{
		"Email Template": "email-templates",
		"Role Profile": "profiles",
		"Module Profile": "profiles",
		"Letter Head": "print-styles",
		"Print Style": "print-styles",
		"Address Template": "address-templates",
		"Terms and Conditions": "terms-and-conditions",
		"Translation": "translations",
		"Web Page": "website",
		"Custom HTML Block": "workspaces",
		"Form Tour": "form-tours",
		"Onboarding Step": "onboarding",
		"Module Onboarding": "onboarding",
		# a Single's fields: one blueprint per Single (system-settings, website-settings...)
		**{doctype: re.sub(r"[^a-z0-9]+", "-", doctype.lower()) for doctype in SINGLES},
	}
)


def slug(name: str) -> str:
	return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def group_documents(documents: list[dict]) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
	"""(blueprint name -> documents, blueprint name -> blueprints it must depend on)."""
	groups: dict[str, list[dict]] = defaultdict(list)
	pending_roles, building_blocks = [], []
	for doc in documents:
		if doc["doctype"] == "Role":
			pending_roles.append(doc)
		elif doc["doctype"] in ("Workflow State", "Workflow Action Master"):
			building_blocks.append(doc)
		else:
			groups[_home(doc)].append(doc)

	users = _users(groups)
	for doc in building_blocks:
		homes = sorted(users.get((doc["doctype"], doc["name"]), ()))
		groups[homes[0] if homes else KIND_BLUEPRINT[doc["doctype"]]].append(doc)
	# after placing the building blocks (a state shared by two workflows can close a loop);
	# roles reference nothing, so placing them below cannot
	_merge_cycles(groups)

	users = _users(groups)
	depends: dict[str, list[str]] = defaultdict(list)
	for doc in pending_roles:
		homes = sorted(users.get(("Role", doc["name"]), ()))
		if len(homes) == 1:
			groups[homes[0]].append(doc)
			continue
		groups[SHARED_ROLES].append(doc)
		for home in homes:
			if SHARED_ROLES not in depends[home]:
				depends[home].append(SHARED_ROLES)
	return dict(groups), dict(depends)


def _home(doc: dict) -> str:
	target = doc.get(TARGET_FIELD.get(doc["doctype"], ""))
	return slug(target) if target else KIND_BLUEPRINT[doc["doctype"]]


def _merge_cycles(groups: dict[str, list[dict]]) -> None:
	"""Merge groups that would need each other into the first of them by name."""
	while True:
		owner = {(doc["doctype"], doc["name"]): name for name, docs in groups.items() for doc in docs}
		edges = {
			name: {owner[ref] for doc in docs for ref in ADAPTERS[doc["doctype"]].refs(doc) if ref in owner}
			- {name}
			for name, docs in groups.items()
		}
		_, left = topological(edges, needs=edges.__getitem__, tie=lambda n: n)
		if not left:
			return
		into, *others = sorted(set(find_cycle(sorted(left), edges.__getitem__)))
		for other in others:
			groups[into] += groups.pop(other)


def _users(groups: dict[str, list[dict]]) -> dict[Key, set[str]]:
	"""For each referenced document, the groups whose documents reference it."""
	users: dict[Key, set[str]] = defaultdict(set)
	for name, docs in groups.items():
		for doc in docs:
			for ref in ADAPTERS[doc["doctype"]].refs(doc):
				users[ref].add(name)
	return users
