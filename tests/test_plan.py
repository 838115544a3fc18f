"""compare(): desired vs ledger vs live, document by document."""

import json

import pytest
from builders import custom_field, role

from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.ledger import LedgerDoc, LedgerEntry
from frappe_stack.plan import CREATE, DELETE, NOOP, UPDATE, compare

A = ("Role", "A")
OLD = ("Custom Field", "Contact-old")


@pytest.fixture
def desired(repo):
	repo.write("roles", [role("A")], delete=[{"doctype": "Custom Field", "name": "Contact-old"}])
	return load_blueprint_set(repo.root)


def roles_of(desired):
	return desired.by_name()["roles"]


def desired_hash(desired) -> str:
	return roles_of(desired).documents[0].hash


def entry_for(bp, documents: dict, status="Applied") -> LedgerEntry:
	return LedgerEntry(
		bp.name,
		status=status,
		source_path=bp.file,
		content_hash=bp.content_hash,
		applied_hash=bp.content_hash,
		documents={key: LedgerDoc(key[0], key[1], src, applied) for key, (src, applied) in documents.items()},
		header=bp.header(),
	)


def op_for(plan, key):
	[op] = [op for bp in plan.blueprints for op in bp.ops if op.key == key]
	return op


def test_create_when_not_on_the_site(desired):
	plan = compare(desired, {}, {})
	op = op_for(plan, A)
	assert (op.action, op.before_hash, op.source_hash) == (CREATE, None, desired_hash(desired))
	assert op.pending and not op.drift and not op.conflict
	assert op.document == role("A")
	assert plan.has_changes


def test_noop_when_live_equals_desired(desired):
	h = desired_hash(desired)
	plan = compare(desired, {"roles": entry_for(roles_of(desired), {A: (h, h)})}, {A: h})
	op = op_for(plan, A)
	assert (op.action, op.pending, op.drift) == (NOOP, False, False)
	assert not plan.blueprints[0].ledger_stale
	assert not plan.has_changes


def test_noop_when_live_equals_desired_even_if_the_ledger_recorded_something_else(desired):
	h = desired_hash(desired)
	entry = entry_for(roles_of(desired), {A: (h, "normalized")})
	plan = compare(desired, {"roles": entry}, {A: h})
	assert op_for(plan, A).action == NOOP
	# the ledger must learn the hash the site holds now
	assert plan.blueprints[0].ledger_stale and plan.has_changes
	assert plan.blueprints[0].writes == []


def test_noop_when_converged(desired):
	h = desired_hash(desired)
	plan = compare(
		desired, {"roles": entry_for(roles_of(desired), {A: (h, "normalized")})}, {A: "normalized"}
	)
	op = op_for(plan, A)
	assert (op.action, op.drift, op.pending, op.before_hash) == (NOOP, False, False, "normalized")
	assert not plan.has_changes


def test_update_pending_when_the_repo_changed(desired):
	plan = compare(desired, {"roles": entry_for(roles_of(desired), {A: ("old", "live")})}, {A: "live"})
	op = op_for(plan, A)
	assert (op.action, op.pending, op.drift, op.conflict) == (UPDATE, True, False, False)
	assert (op.before_hash, op.source_hash) == ("live", desired_hash(desired))
	assert op.document == role("A")


def test_drift_when_the_site_changed(desired):
	h = desired_hash(desired)
	plan = compare(desired, {"roles": entry_for(roles_of(desired), {A: (h, h)})}, {A: "edited"})
	op = op_for(plan, A)
	assert (op.action, op.pending, op.drift, op.conflict) == (UPDATE, False, True, False)
	assert op.before_hash == "edited"


def test_drift_after_a_normalized_apply(desired):
	h = desired_hash(desired)
	plan = compare(desired, {"roles": entry_for(roles_of(desired), {A: (h, "normalized")})}, {A: "edited"})
	assert (op_for(plan, A).action, op_for(plan, A).drift) == (UPDATE, True)


def test_conflict_when_both_changed(desired):
	plan = compare(desired, {"roles": entry_for(roles_of(desired), {A: ("old", "old-live")})}, {A: "edited"})
	op = op_for(plan, A)
	assert (op.action, op.pending, op.drift, op.conflict) == (UPDATE, True, True, True)
	assert op.as_dict()["conflict"] is True


def test_create_with_drift_when_deleted_on_the_site(desired):
	h = desired_hash(desired)
	plan = compare(desired, {"roles": entry_for(roles_of(desired), {A: (h, h)})}, {})
	op = op_for(plan, A)
	assert (op.action, op.drift, op.pending) == (CREATE, True, False)


def test_tombstone_deletes_when_present(desired):
	plan = compare(desired, {}, {OLD: "there"})
	op = op_for(plan, OLD)
	assert (op.action, op.before_hash, op.source_hash, op.pending) == (DELETE, "there", None, True)
	assert op in plan.blueprints[0].writes


def test_tombstone_is_noop_when_absent(desired):
	h = desired_hash(desired)
	plan = compare(desired, {"roles": entry_for(roles_of(desired), {A: (h, h)})}, {A: h})
	op = op_for(plan, OLD)
	assert (op.action, op.pending) == (NOOP, False)
	assert not plan.has_changes


def test_released_document_is_kept_and_reported(desired):
	h = desired_hash(desired)
	gone = ("Role", "Gone")
	entry = entry_for(roles_of(desired), {A: (h, h), gone: ("g", "g")})
	plan = compare(desired, {"roles": entry}, {A: h, gone: "g"})
	bp = plan.blueprints[0]
	assert bp.released == [gone]
	assert all(op.key != gone for op in bp.ops)
	assert bp.ledger_stale and bp.has_changes and bp.writes == []
	assert bp.as_dict()["released"] == [{"doctype": "Role", "name": "Gone"}]


def test_document_replaced_by_a_tombstone_is_not_released(desired):
	h = desired_hash(desired)
	entry = entry_for(roles_of(desired), {A: (h, h), OLD: ("o", "o")})
	plan = compare(desired, {"roles": entry}, {A: h, OLD: "o"})
	assert plan.blueprints[0].released == []
	assert op_for(plan, OLD).action == DELETE


def test_orphaned_blueprint(desired):
	h = desired_hash(desired)
	ledger = {
		"roles": entry_for(roles_of(desired), {A: (h, h)}),
		"old-feature": LedgerEntry("old-feature", "Applied", "blueprints/old-feature.json", "c", "c"),
	}
	plan = compare(desired, ledger, {A: h})
	orphan = plan.blueprints[-1]
	assert (orphan.name, orphan.orphaned, orphan.ledger_stale) == ("old-feature", True, True)
	assert orphan.file == "blueprints/old-feature.json"
	assert orphan.ops == []
	assert plan.has_changes
	assert plan.summary()["orphaned"] == 1


def test_already_orphaned_entry_is_not_stale(desired):
	h = desired_hash(desired)
	ledger = {
		"roles": entry_for(roles_of(desired), {A: (h, h)}),
		"old-feature": LedgerEntry("old-feature", "Orphaned", "blueprints/old-feature.json"),
	}
	plan = compare(desired, ledger, {A: h})
	assert plan.blueprints[-1].orphaned and not plan.blueprints[-1].ledger_stale
	assert not plan.has_changes
	assert plan.summary()["orphaned"] == 1


def test_orphaned_entries_do_not_count_as_applied_history(desired):
	"""A document an Orphaned blueprint once applied is new to the blueprint that now holds it."""
	orphan = LedgerEntry("old-feature", "Orphaned", documents={A: LedgerDoc("Role", "A", "x", "x")})
	op = op_for(compare(desired, {"old-feature": orphan}, {A: "edited"}), A)
	assert (op.action, op.pending, op.drift) == (UPDATE, True, False)
	applied = LedgerEntry("old-feature", "Applied", documents={A: LedgerDoc("Role", "A", "x", "x")})
	op = op_for(compare(desired, {"old-feature": applied}, {A: "edited"}), A)
	assert op.drift


def test_ledger_stale_when_the_ledger_lacks_an_entry(desired):
	plan = compare(desired, {}, {A: desired_hash(desired)})
	bp = plan.blueprints[0]
	assert bp.writes == [] and bp.ledger_stale and bp.has_changes and plan.has_changes


@pytest.mark.parametrize(
	"change",
	[
		{"status": "Failed"},
		{"status": "Pending"},
		{"content_hash": "older"},
		{"source_path": "blueprints/elsewhere.json"},
	],
)
def test_ledger_stale_when_the_entry_is_out_of_date(desired, change):
	h = desired_hash(desired)
	entry = entry_for(roles_of(desired), {A: (h, h)})
	for key, value in change.items():
		setattr(entry, key, value)
	assert compare(desired, {"roles": entry}, {A: h}).blueprints[0].ledger_stale


def test_ledger_stale_when_a_document_is_missing_from_the_entry(repo):
	repo.write("roles", [role("A"), role("B")])
	desired = load_blueprint_set(repo.root)
	bp = desired.blueprints[0]
	h = {doc.key: doc.hash for doc in bp.documents}
	entry = entry_for(bp, {A: (h[A], h[A])})
	plan = compare(desired, {"roles": entry}, h)
	assert [op.action for op in plan.blueprints[0].ops] == [NOOP, NOOP]
	assert plan.blueprints[0].ledger_stale


def test_summary_counts(repo):
	repo.write(
		"a", [role("New"), role("Same"), role("Changed")], delete=[{"doctype": "Role", "name": "Dead"}]
	)
	repo.write("b", [custom_field("Contact", "x")], depends_on=["a"])
	desired = load_blueprint_set(repo.root)
	a = desired.by_name()["a"]
	h = {doc.name: doc.hash for doc in a.documents}
	ledger = {
		"a": entry_for(a, {("Role", "Same"): (h["Same"], h["Same"]), ("Role", "Changed"): ("c0", "c0")}),
		"gone": LedgerEntry("gone", "Applied"),
	}
	live = {("Role", "Same"): h["Same"], ("Role", "Changed"): "c1", ("Role", "Dead"): "d"}
	plan = compare(desired, ledger, live)
	summary = plan.summary()
	assert summary == {"create": 2, "update": 1, "delete": 1, "noop": 1, "drift": 1, "orphaned": 1}
	assert all(type(value) is int for value in summary.values())
	assert [bp.name for bp in plan.blueprints] == ["a", "b", "gone"]
	assert plan.blueprints[1].needs == ["a"]
	assert plan.blueprints[0].count(CREATE) == 1
	json.dumps(plan.as_dict())
	assert plan.as_dict()["summary"] == summary
	assert plan.as_dict()["blueprints"][0]["counts"] == {"create": 1, "update": 1, "delete": 1, "noop": 1}
	documents = plan.as_dict()["blueprints"][0]["documents"]
	assert {(d["doctype"], d["name"]) for d in documents} == {
		("Role", "New"),
		("Role", "Changed"),
		("Role", "Dead"),
	}


def test_plan_with_nothing_to_do(desired):
	h = desired_hash(desired)
	plan = compare(desired, {"roles": entry_for(roles_of(desired), {A: (h, h)})}, {A: h})
	assert not plan.has_changes
	assert plan.summary() == {"create": 0, "update": 0, "delete": 0, "noop": 2, "drift": 0, "orphaned": 0}
	assert plan.as_dict()["changes"] is False


def test_a_ledger_that_does_not_remember_the_file_header_is_rewritten(desired):
	"""A ledger row from before the header was remembered (or with another description) is
	stale, so the next apply records the grouping that export reproduces."""
	h = desired_hash(desired)
	entry = entry_for(roles_of(desired), {A: (h, h)})
	entry.header = {}
	plan = compare(desired, {"roles": entry}, {A: h})
	assert plan.blueprints[0].ledger_stale
	assert plan.blueprints[0].header == roles_of(desired).header()
