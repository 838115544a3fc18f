"""Dependency order (law 6): inferred from what documents reference, plus `depends_on`.

Documents are ordered across the whole set; blueprints are ordered by the documents they hold.
Ties are broken by the registry rank, then by name, so the order is the same on every run.
"""

import heapq
from collections.abc import Callable, Hashable, Iterable

from frappe_stack.blueprint.model import Blueprint, Document, Key
from frappe_stack.blueprint.registry import adapter_for


def document_refs(doc: Document) -> list[Key]:
	return [ref for ref in adapter_for(doc.doctype).refs(doc.data) if ref != doc.key]


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


def topological(nodes: Iterable[Hashable], needs: Callable, tie: Callable) -> tuple[list, list]:
	"""Kahn's algorithm. Returns (ordered, left): `left` holds the nodes caught in cycles."""
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
	while ready:
		_, n = heapq.heappop(ready)
		ordered.append(n)
		for user in users[n]:
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
	"""Referenced documents first. A cycle inside one blueprint (two DocTypes linking each other)
	is legal in Frappe, so its members keep rank order instead of failing."""
	by_key = {doc.key: doc for doc in documents}
	ordered, left = topological(
		by_key,
		needs=lambda key: document_refs(by_key[key]),
		tie=lambda key: (adapter_for(key[0]).rank, key),
	)
	left.sort(key=lambda key: (adapter_for(key[0]).rank, key))
	return [by_key[key] for key in ordered + left]
