"""The HTTP API behind `frappe-stack ... --url`: a site's customizations, their canonical documents
and hashes, and the ledger, in a few requests (read-only); and what `check` needs of a target: its
facts and a verified backup; and the site facts `review` asks. Only System Manager and Stack
Manager may call it; secrets never leave the site (documents come with them removed, hashes cover
them)."""

import json

import frappe

from frappe_stack.review.questions import BadQuestion, answer_all
from frappe_stack.site import promotion_backup, runtime_info
from frappe_stack.site.facts import FrappeFacts
from frappe_stack.site.frappe_site import FrappeSite

ALLOWED_ROLES = ("System Manager", "Stack Manager")
PAGE_SIZE = 1000


class StackPermissionError(frappe.PermissionError):
	pass


def _guard() -> None:
	if frappe.session.user == "Guest" or not set(ALLOWED_ROLES) & set(frappe.get_roles()):
		raise StackPermissionError("frappe_stack's API needs the System Manager or Stack Manager role")


@frappe.whitelist(methods=["GET", "POST"])
def describe() -> dict:
	"""Schemas of the supported doctypes, the ledger and the list of customizations."""
	_guard()
	return FrappeSite().describe()


@frappe.whitelist(methods=["POST"])
def documents(keys: str | list) -> dict:
	"""Canonical documents (secrets removed) and their hashes, at most PAGE_SIZE per request."""
	_guard()
	keys = json.loads(keys) if isinstance(keys, str) else keys
	if len(keys) > PAGE_SIZE:
		frappe.throw(f"ask for at most {PAGE_SIZE} documents per request", frappe.ValidationError)
	return FrappeSite().shareable_documents([tuple(key) for key in keys])


def _list(value: str | list) -> list:
	return json.loads(value) if isinstance(value, str) else list(value or [])


@frappe.whitelist(methods=["POST"])
def rollback(promotion: str) -> dict:
	"""The Promotion form's Rollback button: restore the promotion's backup in a background job.
	Stack Manager only: it replaces the database."""
	if "Stack Manager" not in frappe.get_roles():
		raise StackPermissionError("rolling back a promotion needs the Stack Manager role")
	record = frappe.get_doc("Promotion", promotion)
	if not record.backup_path:
		frappe.throw(f"{promotion} has no backup to restore", frappe.ValidationError)
	job = frappe.enqueue(
		"frappe_stack.workflows.rollback.rollback_job",
		queue="long",
		timeout=3600,
		at_front=True,
		promotion=promotion,
	)
	return {"queued": True, "job": job.id if job else None, "backup": record.backup_path}


@frappe.whitelist(methods=["POST"])
def target_facts(roles: str | list, doctypes: str | list) -> dict:
	"""For `check --target URL`: holders of the roles a change uses, installed apps, DocTypes present."""
	_guard()
	return FrappeSite().target_facts(_list(roles), _list(doctypes))


@frappe.whitelist(methods=["POST"])
def request_backup(label: str, tables: str | list, timeout: int = 900) -> dict:
	"""Start a verified backup for a promotion in a background job; poll backup_status for it."""
	_guard()
	return promotion_backup.request_backup(label, _list(tables), int(timeout))


@frappe.whitelist(methods=["GET", "POST"])
def backup_status(label: str) -> dict:
	_guard()
	return promotion_backup.read_status(label)


@frappe.whitelist(methods=["GET", "POST"])
def environment() -> dict:
	"""For `env-diff URL ...`: versions, commits, runtime, scheduler, site config (secrets as
	"(secret)"), domains and certificates."""
	_guard()
	return runtime_info.environment_facts()


@frappe.whitelist(methods=["GET", "POST"])
def diagnosis() -> dict:
	"""For `diagnose URL`: scheduler, queues and stuck jobs, recent errors, maintenance mode, certificates."""
	_guard()
	return runtime_info.diagnosis_facts()


@frappe.whitelist(methods=["POST"])
def facts(questions: str | list) -> dict:
	"""For `review --url`: the review Context's answers to a list of [method, args], in order,
	from this site's own Context, which checks table and column names against the database."""
	_guard()
	try:
		return {"answers": answer_all(FrappeFacts(), _list(questions))}
	except BadQuestion as e:
		frappe.throw(str(e), frappe.ValidationError)
