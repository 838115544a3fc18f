"""Rules on Workflows: every state reachable and editable by someone, a way to finish, roles that
exist, and transitions that do not silently bypass their siblings' conditions."""

from collections import deque

from frappe_stack.review.change import Change, ChangedDoc
from frappe_stack.review.context import Context
from frappe_stack.review.findings import Finding
from frappe_stack.review.rules.base import hit
from frappe_stack.review.rules.unknown_roles import known_roles, unknown_role


def _workflow(doc: ChangedDoc) -> dict | None:
	if doc.doctype != "Workflow" or doc.after is None:
		return None
	return doc.after


def _states(data: dict) -> list[dict]:
	return data.get("states") or []


def _transitions(data: dict) -> list[dict]:
	return data.get("transitions") or []


def unknown_roles(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	data = _workflow(doc)
	if data is None:
		return []
	known = known_roles(change, context)
	found = []
	for table, field in (("states", "allow_edit"), ("transitions", "allowed")):
		for index, row in enumerate(data.get(table) or []):
			role = row.get(field)
			if role and role not in known:
				found.append(unknown_role(doc, f"{doc.path}.{table}[{index}].{field}", role))
	return found


def unreachable_states(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	data = _workflow(doc)
	if data is None or not _states(data):
		return []
	first = _states(data)[0].get("state")
	reached, queue = {first}, deque([first])
	while queue:
		state = queue.popleft()
		for row in _transitions(data):
			if row.get("state") == state and row.get("next_state") not in reached:
				reached.add(row.get("next_state"))
				queue.append(row.get("next_state"))
	return [
		hit(
			doc,
			f"{doc.path}.states[{index}]",
			f"Workflow '{doc.name}': state '{row.get('state')}' cannot be reached from '{first}'",
			f"add a transition into '{row.get('state')}', or remove the state",
		)
		for index, row in enumerate(_states(data))
		if row.get("state") not in reached
	]


def no_terminal_state(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	data = _workflow(doc)
	if data is None or not _states(data):
		return []
	leaving = {row.get("state") for row in _transitions(data) if row.get("next_state") != row.get("state")}
	if any(row.get("state") not in leaving for row in _states(data)):
		return []
	return [
		hit(
			doc,
			f"{doc.path}.transitions",
			f"Workflow '{doc.name}' has no final state: every state leads on, so no document ever finishes",
			"make at least one state (e.g. Approved or Rejected) have no outgoing transition",
		)
	]


def state_without_role(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	data = _workflow(doc)
	if data is None:
		return []
	return [
		hit(
			doc,
			f"{doc.path}.states[{index}]",
			f"Workflow '{doc.name}': state '{row.get('state')}' has no role allowed to edit it",
			'set "allow_edit" to the role that works on documents in this state',
		)
		for index, row in enumerate(_states(data))
		if not row.get("allow_edit")
	]


def unconditional_sibling(doc: ChangedDoc, change: Change, context: Context) -> list[Finding]:
	data = _workflow(doc)
	if data is None:
		return []
	conditioned = {row.get("state") for row in _transitions(data) if (row.get("condition") or "").strip()}
	return [
		hit(
			doc,
			f"{doc.path}.transitions[{index}]",
			f"Workflow '{doc.name}': transition '{row.get('action')}' from '{row.get('state')}' has no "
			"condition while other transitions from that state have one",
			"add a condition, or confirm the action should be open whenever the others are not",
		)
		for index, row in enumerate(_transitions(data))
		if row.get("state") in conditioned and not (row.get("condition") or "").strip()
	]
