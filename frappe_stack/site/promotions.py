"""Promotion records: created by `promote`, journaled by `deploy`, closed by `ship`. Only this
module writes them (the controller refuses everyone else); each write is committed with its
journal entry, so a crash leaves the last step done on record."""

import frappe
from frappe.utils import now

from frappe_stack.statuses import PromotionStatus

# A promotion that may still gain commits: re-running promote for its label continues it.
OPEN_STATUSES = (PromotionStatus.CHECKS_PASSED, PromotionStatus.PR_OPEN)


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
) -> dict:
	doc = frappe.get_doc("Promotion", name)
	status_before = doc.status
	doc.update(values)
	if checks is not None:
		doc.set("checks", checks)
	if blueprints is not None:
		doc.set("blueprints", blueprints)
	if note or step or doc.status != status_before:
		doc.append("journal", _event(doc.status, step, note))
	_save(doc)
	return doc.as_dict()


def rewrite(name: str, values: dict, events: list[dict]) -> None:
	"""Put back what a database restore rewound: `values` and the whole journal."""
	doc = frappe.get_doc("Promotion", name)
	doc.update(values)
	doc.set("journal", [{**event, "by": event.get("by") or frappe.session.user} for event in events])
	_save(doc)


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
