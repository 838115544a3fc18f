"""Promotion records: created by `promote`, journaled by `deploy`, closed by `ship`. Only this
module writes them (the controller refuses everyone else); each write is committed with its
journal entry, so a crash leaves the last step done on record. A deploy's steps are rows of the
Promotion's step table (Promotion Step), each saved and committed as it changes."""

import frappe
from frappe.utils import now

from frappe_stack.statuses import PromotionStatus

# A promotion that may still gain commits: re-running promote for its label continues it.
OPEN_STATUSES = (PromotionStatus.CHECKS_PASSED, PromotionStatus.PR_OPEN)
# what Frappe sets on every row itself; put_back writes the rest
META = (
	*("name", "doctype", "owner", "creation", "modified", "modified_by", "docstatus", "idx"),
	*("parent", "parentfield", "parenttype"),
)


def create(values: dict, checks: list[dict], blueprints: list[dict], note: str) -> str:
	doc = frappe.get_doc({"doctype": "Promotion", **values, "checks": checks, "blueprints": blueprints})
	doc.append("journal", _event(values.get("status") or PromotionStatus.DRAFT, "", note))
	doc.flags.written_by_frappe_stack = True
	# production keeps the name staging gave the promotion
	doc.insert(ignore_permissions=True, set_name=values.get("name"))
	frappe.db.commit()
	return doc.name


def update(
	name: str,
	values: dict,
	note: str = "",
	step: str = "",
	checks: list[dict] | None = None,
	blueprints: list[dict] | None = None,
	steps: list[dict] | None = None,
) -> dict:
	doc = frappe.get_doc("Promotion", name)
	status_before = doc.status
	doc.update(values)
	for table, rows in (("checks", checks), ("blueprints", blueprints), ("steps", steps)):
		if rows is not None:
			doc.set(table, rows)
	if note or step or doc.status != status_before:
		doc.append("journal", _event(doc.status, step, note))
	_save(doc)
	return doc.as_dict()


def save_step(name: str, row: dict, note: str = "") -> None:
	"""Write one deploy step's row (found by its step name, added when new), with `note` in the
	journal, and commit: what a killed deploy leaves is the last row saved."""
	doc = frappe.get_doc("Promotion", name)
	existing = next((r for r in doc.steps if r.step == row["step"]), None)
	if existing:
		existing.update(row)
	else:
		doc.append("steps", row)
	if note:
		doc.append("journal", _event(doc.status, row["step"], note))
	_save(doc)


def rewrite(name: str, values: dict, events: list[dict], steps: list[dict] | None = None) -> None:
	"""Put back what a database restore rewound: `values`, the whole journal and the step rows."""
	doc = frappe.get_doc("Promotion", name)
	doc.update(values)
	doc.set("journal", [{**event, "by": event.get("by") or frappe.session.user} for event in events])
	if steps is not None:
		doc.set("steps", steps)
	_save(doc)


def snapshot() -> list[dict]:
	"""Every Promotion with its child rows, as a restore is about to rewind them (see put_back)."""
	return [frappe.get_doc("Promotion", name).as_dict() for name in frappe.get_all("Promotion", pluck="name")]


def put_back(records: list[dict]) -> None:
	"""After a restore: each Promotion of `records` as it was (made again if the backup predates it).
	Promotions are the history of what reached the site, which a restore of its data must not undo."""
	for record in records:
		values = {k: v for k, v in _own(record).items() if not isinstance(v, list)}
		tables = {k: [_own(row) for row in v] for k, v in _own(record).items() if isinstance(v, list)}
		if frappe.db.exists("Promotion", record["name"]):
			doc = frappe.get_doc("Promotion", record["name"])
			doc.update(values)
			for table, rows in tables.items():
				doc.set(table, rows)
			_save(doc)
		else:
			doc = frappe.get_doc({"doctype": "Promotion", **values, **tables})
			doc.flags.written_by_frappe_stack = True
			doc.insert(ignore_permissions=True, set_name=record["name"])
			frappe.db.commit()


def _own(values: dict) -> dict:
	return {k: v for k, v in values.items() if k not in META and not k.startswith("__")}


def exists(name: str) -> bool:
	return bool(frappe.db.exists("Promotion", name))


def get(name: str) -> dict:
	if not frappe.db.exists("Promotion", name):
		from frappe_stack.errors import StackError

		raise StackError(f"no Promotion {name} on {frappe.local.site}; list them in Desk (/app/promotion)")
	return frappe.get_doc("Promotion", name).as_dict()


def open_for(label: str) -> dict | None:
	names = frappe.get_all(
		"Promotion",
		filters={"label": label, "status": ("in", OPEN_STATUSES)},
		pluck="name",
		order_by="creation desc",
		limit=1,
	)
	return get(names[0]) if names else None


def open_on_branch(branch: str | None) -> dict | None:
	"""The open promotion whose branch is checked out: re-running promote there continues it."""
	if not branch:
		return None
	names = frappe.get_all(
		"Promotion", filters={"branch": branch, "status": ("in", OPEN_STATUSES)}, pluck="name", limit=1
	)
	return get(names[0]) if names else None


def unfinished_deploy(commit: str) -> str | None:
	"""The promotion whose deploy of `commit` died half way, if any."""
	names = frappe.get_all(
		"Promotion",
		filters={"merge_commit": commit, "status": PromotionStatus.DEPLOYING},
		pluck="name",
		order_by="creation desc",
		limit=1,
	)
	return names[0] if names else None


def recent_reviewers(limit: int = 50) -> list[list[str]]:
	"""Reviewers of past promotions, oldest first (for the rotation)."""
	rows = frappe.get_all(
		"Promotion",
		filters={"reviewers": ("is", "set")},
		pluck="reviewers",
		order_by="creation desc",
		limit=limit,
	)
	return [[r for r in row.split(",") if r] for row in reversed(rows)]


def audit_excerpt(blueprints: list[str], limit: int = 20) -> list[dict]:
	if not blueprints:
		return []
	rows = frappe.get_all(
		"Stack Audit Log",
		filters={"blueprint": ("in", blueprints)},
		fields=["timestamp", "actor", "action", "blueprint", "result", "details"],
		order_by="timestamp desc, name desc",
		limit=limit,
	)
	return [
		{"at": str(r.timestamp), **{k: r[k] for k in ("actor", "action", "blueprint", "result", "details")}}
		for r in rows
	]


def latest_sent() -> dict | None:
	"""The most recent promotion that left staging: Draft and Blocked ones never pushed anything."""
	names = frappe.get_all(
		"Promotion",
		filters={"status": ("not in", (PromotionStatus.DRAFT, PromotionStatus.BLOCKED))},
		pluck="name",
		order_by="creation desc, name desc",
		limit=1,
	)
	return get(names[0]) if names else None


def in_status(status: str) -> list[dict]:
	"""Every promotion in `status`, oldest first, with its child rows."""
	names = frappe.get_all(
		"Promotion", filters={"status": status}, pluck="name", order_by="creation asc, name asc"
	)
	return [get(name) for name in names]


def _event(status: str, step: str, note: str) -> dict:
	return {"at": now(), "status": status, "step": step, "by": frappe.session.user, "detail": note}


def _save(doc) -> None:
	doc.flags.written_by_frappe_stack = True
	doc.save(ignore_permissions=True)
	frappe.db.commit()
