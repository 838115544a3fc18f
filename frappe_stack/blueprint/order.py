"""Dependency order (law 6): inferred from what documents reference, plus `depends_on`.

Documents are ordered across the whole set; blueprints are ordered by the documents they hold.
Ties are broken by the registry rank, then by name, so the order is the same on every run.
"""

import heapq
from collections.abc import Callable, Hashable, Iterable

from frappe_stack.blueprint.model import Blueprint, Document, Key
from frappe_stack.blueprint.registry import adapter_for


def document_refs(doc: Document) -> list[Key]:
	"""What the document needs first: what its adapter says it references, and the Custom Fields
	of its own doctype it holds values for (the value is lost if the field does not exist yet)."""
	refs = list(adapter_for(doc.doctype).refs(doc.data))
	refs += [("Custom Field", f"{doc.doctype}-{key}") for key in doc.data if key not in ("doctype", "name")]
	return [ref for ref in refs if ref != doc.key]


def blueprint_edges(blueprints: list[Blueprint]) -> dict[str, dict[str, str]]:
	"""For each blueprint, the blueprints it needs first and why (for cycle messages)."""
	owner = {doc.key: bp.name for bp in blueprints for doc in bp.documents}
	edges: dict[str, dict[str, str]] = {bp.name: {} for bp in blueprints}
	for bp in blueprints:
		for dep in bp.depends_on:
			edges[bp.name].setdefault(dep, "depends_on")
		for doc in bp.documents:
			for ref in document_refs(doc):
				other = owner.get(ref)
				if other and other != bp.name:
					edges[bp.name].setdefault(
						other, f"{doc.doctype} '{doc.name}' references {ref[0]} '{ref[1]}'"
					)
	return edges


def topological(
	nodes: Iterable[Hashable], needs: Callable, tie: Callable, break_cycles: bool = False
) -> tuple[list, list]:
	"""Kahn's algorithm. Returns (ordered, left): `left` holds the nodes caught in cycles, or, with
	`break_cycles`, nothing: the first member of a cycle by `tie` goes next, and the order continues
	from there, so what only depends on a cycle still comes after it."""
	nodes = list(nodes)
	present = set(nodes)
	waiting = {n: {d for d in needs(n) if d in present and d != n} for n in nodes}
	users: dict = {n: [] for n in nodes}
	for n, deps in waiting.items():
		for d in deps:
			users[d].append(n)
	ready = [(tie(n), n) for n in nodes if not waiting[n]]
	heapq.heapify(ready)
	ordered = []
	while ready or (break_cycles and len(ordered) < len(nodes)):
		if not ready:
			done = set(ordered)
			waiting_nodes = sorted((n for n in nodes if n not in done and waiting[n]), key=tie)
			stuck = min(find_cycle(waiting_nodes, waiting.__getitem__)[:-1], key=tie)
			waiting[stuck] = set()
			heapq.heappush(ready, (tie(stuck), stuck))
		_, n = heapq.heappop(ready)
		ordered.append(n)
		for user in users[n]:
			if n not in waiting[user]:  # a node released from its cycle waits for nothing
				continue
			waiting[user].discard(n)
			if not waiting[user]:
				heapq.heappush(ready, (tie(user), user))
	left = [n for n in nodes if waiting[n]]
	return ordered, left


def find_cycle(nodes: list, needs: Callable) -> list:
	"""One cycle among `nodes` (each of which is on or behind a cycle), as a closed path."""
	members = set(nodes)
	path, seen = [nodes[0]], {nodes[0]: 0}
	while True:
		nxt = next(d for d in sorted(needs(path[-1])) if d in members)
		if nxt in seen:
			return path[seen[nxt] :] + [nxt]
		seen[nxt] = len(path)
		path.append(nxt)


def order_documents(documents: list[Document]) -> list[Document]:
	"""Referenced documents first. A cycle inside one blueprint (DocTypes linking each other, a
	child table linking back to its parent) is legal in Frappe: it is entered at its first member
	by rank and name (the site adapter creates DocTypes with their links checked once the whole
	blueprint is written), and what depends on the cycle still follows it."""
	by_key = {doc.key: doc for doc in documents}
	ordered, _ = topological(
		by_key,
		needs=lambda key: document_refs(by_key[key]),
		tie=lambda key: (adapter_for(key[0]).rank, key),
		break_cycles=True,
	)
	return [by_key[key] for key in ordered]
