"""Drifted in the ledger: `diff` and `status --live` mark a blueprint whose documents changed on the
site since its last apply, the next apply makes it Applied again; on the in-memory site."""

import pytest
from builders import role
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.canonical import canonical_document, content_hash
from frappe_stack.drift import LISTED, DriftChange, follow_drift, mark_drift
from frappe_stack.ledger import LedgerDoc, LedgerEntry
from frappe_stack.statuses import AuditResult, LedgerStatus


@pytest.fixture
def site(repo) -> MemorySite:
	"""A site the repo (people: Officer, Clerk; desk: Desk User) was applied to."""
	repo.write("people", [role("Officer"), role("Clerk")])
	repo.write("desk", [role("Desk User")])
	site = MemorySite()
	stack.apply(site, str(repo.root))
	site.reset_log()
	return site


def statuses(site: MemorySite) -> dict[str, str]:
	return {name: entry.status for name, entry in site.ledger.items()}


def applied_hash(site: MemorySite, blueprint: str, name: str) -> str:
	return site.ledger[blueprint].documents[("Role", name)].applied_hash


def test_diff_marks_the_blueprint_whose_document_changed_on_the_site(site, repo):
	before = applied_hash(site, "people", "Clerk")
	site.put(role("Clerk", description="edited in Desk"))
	result = stack.diff(site, str(repo.root))
	assert statuses(site) == {"people": LedgerStatus.DRIFTED, "desk": LedgerStatus.APPLIED}
	assert [(row.action, row.blueprint, row.result, row.doctype, row.docname) for row in site.log.audits] == [
		("drift", "people", AuditResult.SUCCESS, "Role", "Clerk")
	]
	[row] = site.log.audits
	assert row.before_hash == before
	assert row.after_hash == site.hash_of(("Role", "Clerk")) != before
	assert row.details == "changed on the site since the last apply"
	assert site.log.ledger_saves == ["people"] and site.log.commits == 1
	assert result.ledger == [DriftChange("people", LedgerStatus.DRIFTED, (("Role", "Clerk"),))]
	assert (
		"  ledger: people: Applied -> Drifted (Role 'Clerk' changed on the site since its last apply)"
		in result.text().splitlines()
	)
	assert "ledger" not in result.as_dict()  # the JSON is the difference; status --json has statuses


def test_a_second_diff_writes_nothing(site, repo):
	site.put(role("Clerk", description="edited in Desk"))
	stack.diff(site, str(repo.root))
	site.reset_log()
	again = stack.diff(site, str(repo.root))
	assert site.log.empty and site.log.commits == 0
	assert again.ledger == [] and "ledger:" not in again.text()
	assert statuses(site)["people"] == LedgerStatus.DRIFTED


def test_the_next_apply_makes_it_applied_and_a_diff_then_is_clean(site, repo):
	site.put(role("Clerk", description="edited in Desk"))
	stack.diff(site, str(repo.root))
	site.reset_log()
	result = stack.apply(site, str(repo.root))
	assert not result.failed
	assert statuses(site) == {"people": LedgerStatus.APPLIED, "desk": LedgerStatus.APPLIED}
	assert ("overwrite-drift", "Clerk") in [(row.action, row.docname) for row in site.log.audits]
	site.reset_log()
	assert stack.diff(site, str(repo.root)).is_clean
	assert site.log.empty


def test_an_edit_undone_by_hand_makes_it_applied_again_at_the_next_diff(site, repo):
	site.put(role("Clerk", description="edited in Desk"))
	stack.diff(site, str(repo.root))
	site.put(role("Clerk"))
	site.reset_log()
	result = stack.diff(site, str(repo.root))
	assert statuses(site)["people"] == LedgerStatus.APPLIED
	assert [(row.action, row.blueprint, row.docname) for row in site.log.audits] == [
		("drift-resolved", "people", "")
	]
	assert result.ledger == [DriftChange("people", LedgerStatus.APPLIED)]
	assert "  ledger: people: Drifted -> Applied (its documents match its last apply again)" in result.text()


def test_a_document_deleted_on_the_site_is_drift(site, repo):
	del site.docs[("Role", "Officer")]
	stack.diff(site, str(repo.root))
	assert statuses(site)["people"] == LedgerStatus.DRIFTED
	[row] = site.log.audits
	assert (row.docname, row.after_hash, row.details) == (
		"Officer",
		None,
		"deleted on the site since the last apply",
	)


def test_a_document_that_left_the_repo_still_counts_until_the_next_apply(site, repo):
	repo.write("people", [role("Officer")])  # Clerk leaves the file, no tombstone: kept on the site
	site.put(role("Clerk", description="edited in Desk"))
	stack.diff(site, str(repo.root))
	assert statuses(site)["people"] == LedgerStatus.DRIFTED
	stack.apply(site, str(repo.root))
	assert statuses(site)["people"] == LedgerStatus.APPLIED


def test_a_conflict_is_drift_too(site, repo):
	site.put(role("Officer", description="edited in Desk"))
	repo.write("people", [role("Officer", description="new in the repo"), role("Clerk")])  # a conflict
	result = stack.diff(site, str(repo.root))
	assert {item.name: item.tag for item in result.changed} == {"Officer": "conflict"}
	assert statuses(site)["people"] == LedgerStatus.DRIFTED


@pytest.mark.parametrize("status", [LedgerStatus.FAILED, LedgerStatus.PENDING, LedgerStatus.ORPHANED])
def test_failed_pending_and_orphaned_keep_their_status(site, repo, status):
	site.ledger["people"].status = status
	site.put(role("Clerk", description="edited in Desk"))
	stack.diff(site, str(repo.root))
	assert statuses(site)["people"] == status
	assert site.log.audits == []


def test_status_live_marks_drift_and_plain_status_only_reads(site):
	site.put(role("Clerk", description="edited in Desk"))
	assert {e.blueprint: e.status for e in stack.status(site)}["people"] == LedgerStatus.APPLIED
	assert site.log.empty
	entries = stack.status(site, live=True)
	assert {e.blueprint: e.status for e in entries} == {
		"desk": LedgerStatus.APPLIED,
		"people": LedgerStatus.DRIFTED,
	}
	assert statuses(site)["people"] == LedgerStatus.DRIFTED
	assert [row.action for row in site.log.audits] == ["drift"] and site.log.commits == 1


class ReadOnly:
	"""A site read over HTTP: it answers, and keeps its ledger to itself."""

	def __init__(self, site: MemorySite):
		self._site = site

	def __getattr__(self, name: str):
		if name in ("save_ledger", "audit", "commit"):
			raise AttributeError(name)
		return getattr(self._site, name)


def test_a_site_read_over_http_is_only_looked_at(site, repo):
	site.put(role("Clerk", description="edited in Desk"))
	entries = stack.status(ReadOnly(site), live=True)
	assert {e.blueprint: e.status for e in entries}["people"] == LedgerStatus.DRIFTED
	result = stack.diff(ReadOnly(site), str(repo.root))
	assert [item.tag for item in result.changed] == ["drift"]
	assert result.ledger == [] and "ledger:" not in result.text()
	assert statuses(site)["people"] == LedgerStatus.APPLIED
	assert site.log.empty


def entry(name: str, status: LedgerStatus, *roles: str) -> LedgerEntry:
	documents = {}
	for role_name in roles:
		applied = content_hash(canonical_document(role(role_name)))
		documents[("Role", role_name)] = LedgerDoc("Role", role_name, applied, applied)
	return LedgerEntry(name, status, documents=documents)


def test_mark_drift_changes_only_what_changed():
	ledger = {
		"a": entry("a", LedgerStatus.APPLIED, "A"),
		"b": entry("b", LedgerStatus.DRIFTED, "B"),
		"c": entry("c", LedgerStatus.DRIFTED, "C"),
	}
	live = {
		("Role", "A"): "other",
		("Role", "B"): "other",
		("Role", "C"): ledger["c"].documents[("Role", "C")].applied_hash,
	}
	assert mark_drift(ledger, live) == [
		DriftChange("a", LedgerStatus.DRIFTED, (("Role", "A"),)),
		DriftChange("c", LedgerStatus.APPLIED),
	]
	assert [ledger[name].status for name in "abc"] == ["Drifted", "Drifted", "Applied"]


def test_a_long_list_of_drifted_documents_is_cut_in_the_line():
	names = [f"R{i}" for i in range(LISTED + 2)]
	change = DriftChange("people", LedgerStatus.DRIFTED, tuple(("Role", name) for name in names))
	assert change.line().endswith("Role 'R4' and 2 more changed on the site since its last apply)")


def test_follow_drift_without_a_change_writes_nothing(site):
	ledger = site.read_ledger()
	live = site.live_hashes([key for e in ledger.values() for key in e.documents])
	assert follow_drift(site, ledger, live) == []
	assert site.log.empty and site.log.commits == 0
