"""Drift in the ledger: a blueprint is Drifted when a document of it differs on the site from what
the ledger recorded at its last apply (someone edited or deleted it there).

`diff` and `status --live` look at the live documents and set the status of each Applied or Drifted
blueprint to what they find, with an audit row per change; the next successful apply writes the row
as Applied again. Pending, Failed and Orphaned blueprints keep their status: it says more than drift.
"""

from dataclasses import dataclass

from frappe_stack.blueprint.model import Key
from frappe_stack.ledger import AuditRow, LedgerEntry
from frappe_stack.site_protocols import SiteLedger, TransactionGuard
from frappe_stack.statuses import AuditResult, LedgerStatus

WATCHED = (LedgerStatus.APPLIED, LedgerStatus.DRIFTED)
LISTED = 5  # documents named in a line; the audit log has every one


@dataclass(frozen=True)
class DriftChange:
	blueprint: str
	status: LedgerStatus  # the new one: Drifted, or Applied when its documents match again
	documents: tuple[Key, ...] = ()  # those that drifted

	def line(self) -> str:
		if self.status == LedgerStatus.APPLIED:
			return f"{self.blueprint}: Drifted -> Applied (its documents match its last apply again)"
		shown = ", ".join(f"{doctype} '{name}'" for doctype, name in self.documents[:LISTED])
		more = f" and {len(self.documents) - LISTED} more" if len(self.documents) > LISTED else ""
		return (
			f"{self.blueprint}: Applied -> Drifted ({shown}{more} changed on the site since its last apply)"
		)


def keeps_ledger(site) -> bool:
	"""Whether drift found on `site` is written to its ledger: a site read over HTTP is only looked at."""
	return isinstance(site, SiteLedger) and isinstance(site, TransactionGuard)


def watched_documents(ledger: dict[str, LedgerEntry]) -> list[Key]:
	"""The documents whose drift counts: those of Applied and Drifted blueprints."""
	return [key for entry in ledger.values() if entry.status in WATCHED for key in entry.documents]


def mark_drift(ledger: dict[str, LedgerEntry], live: dict[Key, str]) -> list[DriftChange]:
	"""Set each watched entry's status from `live` (the canonical hash of each document present on
	the site); the changes, in blueprint order."""
	changes = []
	for name in sorted(ledger):
		entry = ledger[name]
		if entry.status not in WATCHED:
			continue
		drifted = tuple(key for key, doc in entry.documents.items() if live.get(key) != doc.applied_hash)
		status = LedgerStatus.DRIFTED if drifted else LedgerStatus.APPLIED
		if status != entry.status:
			entry.status = status
			changes.append(DriftChange(name, status, drifted))
	return changes


def follow_drift(site, ledger: dict[str, LedgerEntry], live: dict[Key, str]) -> list[DriftChange]:
	"""mark_drift, and on a site that keeps its ledger here, save each changed entry with its audit
	rows (one per drifted document, hashes as applied and as found), all in one commit."""
	changes = mark_drift(ledger, live)
	if not changes or not keeps_ledger(site):
		return changes
	for change in changes:
		entry = ledger[change.blueprint]
		site.save_ledger(entry)
		if change.status == LedgerStatus.APPLIED:
			site.audit(
				AuditRow(
					"drift-resolved",
					change.blueprint,
					AuditResult.SUCCESS,
					details="its documents match its last apply again",
				)
			)
		for doctype, name in change.documents:
			now = live.get((doctype, name))
			site.audit(
				AuditRow(
					"drift",
					change.blueprint,
					AuditResult.SUCCESS,
					doctype,
					name,
					entry.documents[(doctype, name)].applied_hash,
					now,
					details=("changed" if now else "deleted") + " on the site since the last apply",
				)
			)
	site.commit()
	return changes
