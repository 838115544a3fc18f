"""export() on the in-memory site: the export/apply round trip gives the same bytes (law 2), and
exports that would not validate write nothing."""

import tempfile
from pathlib import Path

import pytest
from builders import Repo, custom_field, doctype, role
from export_helpers import docperm, files
from export_helpers import site as site
from hypothesis import given, settings
from hypothesis import strategies as st
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import ValidationFailed

# ---- law 2: round trip -----------------------------------------------------------------------------

NAMES = st.sampled_from(["Beneficiary", "Case", "Village"])


ROLES = st.sampled_from(["Agent", "Officer", "Auditor"])


@st.composite
def customized_sites(draw) -> list[dict]:
	documents = {}
	for name in draw(st.sets(NAMES, max_size=2)):
		perms = [{"role": r, "read": 1} for r in sorted(draw(st.sets(ROLES, max_size=2)))]
		fields = [{"fieldname": f, "fieldtype": draw(st.sampled_from(["Data", "Int"]))} for f in ("a", "b")]
		fields += (
			[{"fieldname": "link", "fieldtype": "Link", "options": draw(NAMES)}]
			if draw(st.booleans())
			else []
		)
		documents[("DocType", name)] = doctype(name, fields=fields, permissions=perms)
	for dt, field in draw(st.sets(st.tuples(NAMES | st.just("Contact"), st.sampled_from("xyz")), max_size=4)):
		documents[("Custom Field", f"{dt}-{field}")] = custom_field(
			dt, field, label=draw(st.text("ab ", max_size=4))
		)
	for dt, role_name in draw(st.sets(st.tuples(NAMES | st.just("Contact"), ROLES), max_size=3)):
		documents[("Custom DocPerm", f"{dt}-{role_name}")] = docperm(dt, role_name)
	for role_name in draw(st.sets(ROLES)):
		documents[("Role", role_name)] = role(role_name)
	return list(documents.values())


@settings(max_examples=40, deadline=None)
@given(customized_sites())
def test_round_trip_export_apply_on_a_fresh_site_export_gives_the_same_bytes(documents):
	with tempfile.TemporaryDirectory() as scratch:
		staging, again = Repo(Path(scratch) / "staging"), Repo(Path(scratch) / "again")
		site = MemorySite(documents)
		first = stack.export(site, str(staging.root))
		assert first.unchanged == []
		exported = files(staging)
		if documents:
			desired = load_blueprint_set(staging.root)
			assert all(staging.bytes(bp.name) == bp.canonical_bytes() for bp in desired.blueprints)
			plan, _, _ = stack.make_plan(site, str(staging.root))
			assert not plan.has_changes

		fresh = MemorySite()
		if documents:
			stack.apply(fresh, str(staging.root))
		assert fresh.docs == {key: site.canonical(doc) for key, doc in site.docs.items()}
		stack.export(fresh, str(again.root))
		assert files(again) == exported

		site.reset_log()
		second = stack.export(site, str(staging.root))
		assert second.written == [] and site.log.empty


def _link(fieldname: str, target: str) -> dict:
	return {"fieldname": fieldname, "fieldtype": "Link", "label": fieldname.title(), "options": target}


def test_an_export_that_would_not_validate_writes_nothing(repo):
	# Beneficiary is already in a blueprint and links to Household; the new Household links
	# back, so household.json and beneficiary.json would need each other
	beneficiary = doctype("Beneficiary", [_link("household", "Household")])
	repo.write("beneficiary", [beneficiary])
	before = repo.bytes("beneficiary")
	site = MemorySite([beneficiary, doctype("Household", [_link("head", "Beneficiary")])])
	with pytest.raises(ValidationFailed) as caught:
		stack.export(site, str(repo.root))
	assert "dependency cycle" in str(caught.value)
	assert repo.bytes("beneficiary") == before
	assert sorted(p.name for p in repo.dir.glob("*.json")) == ["beneficiary.json"]
	assert site.log.empty


def test_exporting_a_standard_document_by_name_is_refused_before_writing(repo):
	site = MemorySite([doctype("Standard Thing", custom=0)])
	with pytest.raises(ValidationFailed) as caught:
		stack.export(site, str(repo.root), only=[("DocType", "Standard Thing")])
	assert "a standard document that an app owns" in str(caught.value)
	assert list(repo.root.rglob("*.json")) == []


def test_a_bad_blueprint_name_is_refused_before_writing(repo):
	site = MemorySite([role("Clerk")])
	with pytest.raises(ValidationFailed):
		stack.export(site, str(repo.root), blueprint="Not A Name")
	assert list(repo.root.rglob("*.json")) == []
