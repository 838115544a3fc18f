"""Shapes that sites built by others hold: link cycles, Connections, child tables linking back to
their parent, Custom Field values on the documents of a repo that adds those fields, what Frappe's
DocType validation refuses, and the ledger remembering how blueprints are grouped."""

import pytest
from builders import Repo, custom_field, doctype, role
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import ValidationFailed


def link(fieldname: str, target: str, fieldtype: str = "Link") -> dict:
	return {"fieldname": fieldname, "fieldtype": fieldtype, "options": target}


def order_of(repo: Repo, blueprint: str, schema=None, doctypes=None) -> list[tuple[str, str]]:
	desired = load_blueprint_set(repo.root, schema, doctypes)
	return [doc.key for doc in desired.by_name()[blueprint].apply_order]


def refusals(repo: Repo, doctypes=None) -> list[str]:
	with pytest.raises(ValidationFailed) as excinfo:
		load_blueprint_set(repo.root, doctypes=doctypes)
	return [f"{e.path}: {e.message}" for e in excinfo.value.errors]


# ---- ordering ---------------------------------------------------------------------------------


def test_a_three_doctype_link_cycle_loads_and_what_depends_on_it_comes_after(repo):
	repo.write(
		"cycle",
		[
			doctype("Ward", [link("district", "District")]),
			doctype("District", [link("region", "Region")]),
			doctype("Region", [link("capital", "Ward")]),
			custom_field("Ward", "code", insert_after="district"),
			doctype("Clinic", [link("ward", "Ward")]),
		],
	)
	order = order_of(repo, "cycle")
	# entered at its first member by name; then each document as soon as what it needs is there
	assert order == [
		("DocType", "District"),
		("DocType", "Ward"),
		("DocType", "Clinic"),
		("DocType", "Region"),
		("Custom Field", "Ward-code"),
	]


def test_a_child_table_linking_back_to_its_parent_loads(repo):
	repo.write(
		"order",
		[
			doctype("Sales Slip", [link("items", "Sales Slip Item", "Table")]),
			doctype("Sales Slip Item", [link("slip", "Sales Slip")], istable=1),
		],
	)
	assert set(order_of(repo, "order")) == {("DocType", "Sales Slip"), ("DocType", "Sales Slip Item")}


def test_connections_wait_for_the_doctype_they_name(repo):
	"""The Connections tab (DocType Link rows) names DocTypes Frappe checks on save."""
	visit = doctype("Visit", [{"fieldname": "patient_name", "fieldtype": "Data"}])
	patient = doctype("Patient", links=[{"link_doctype": "Visit", "link_fieldname": "patient"}])
	repo.write("care", [patient, visit])
	assert order_of(repo, "care") == [("DocType", "Visit"), ("DocType", "Patient")]


def test_connections_across_blueprints_make_a_dependency(repo):
	repo.write("visits", [doctype("Visit")])
	repo.write("patients", [doctype("Patient", links=[{"link_doctype": "Visit", "link_fieldname": "x"}])])
	assert load_blueprint_set(repo.root).needs == {"patients": ["visits"], "visits": []}


def test_a_value_for_a_custom_field_waits_for_that_field(repo):
	flag = custom_field("Role", "escalate", fieldtype="Check")
	repo.write("roles", [role("Auditor", escalate=1), flag])
	assert order_of(repo, "roles") == [("Custom Field", "Role-escalate"), ("Role", "Auditor")]


def test_a_value_for_a_custom_field_of_the_repo_is_kept_while_the_site_lacks_the_field(repo):
	"""The site does not have Role-escalate yet: the value must not be dropped as unknown."""
	schemas = {"Role": DoctypeSchema("Role", {"role_name": FieldSpec("role_name", "Data")})}
	repo.write("roles", [role("Auditor", escalate=1), custom_field("Role", "escalate", fieldtype="Check")])
	desired = load_blueprint_set(repo.root, schemas.get)
	[auditor] = [d for d in desired.blueprints[0].documents if d.doctype == "Role"]
	assert auditor.data["escalate"] == 1
	# and a key no field of the site or the repo knows is refused, not dropped without a word
	repo.write("roles", [role("Auditor", escalate=1, role_nmae="x")])
	with pytest.raises(ValidationFailed) as refused:
		load_blueprint_set(repo.root, schemas.get)
	assert [str(e) for e in refused.value.errors] == [
		"blueprints/roles.json: $.documents[0].escalate: Role has no field 'escalate'. Fix: remove the key, "
		"or add the field to Role first (a Custom Field in a blueprint)",
		"blueprints/roles.json: $.documents[0].role_nmae: Role has no field 'role_nmae'. Fix: did you mean "
		'"role_name"? Rename the key',
	]


def test_a_custom_field_value_converges_in_one_apply(repo):
	schemas = {
		"Role": DoctypeSchema("Role", {"role_name": FieldSpec("role_name", "Data")}),
		"Custom Field": DoctypeSchema(
			"Custom Field",
			{f: FieldSpec(f, "Data") for f in ("dt", "fieldname", "fieldtype", "label")},
		),
	}
	site = MemorySite(schemas=schemas)
	repo.write("roles", [role("Auditor", escalate=1), custom_field("Role", "escalate", fieldtype="Check")])
	assert not stack.apply(site, str(repo.root)).failed
	assert site.docs[("Role", "Auditor")]["escalate"] == 1
	plan, _, _ = stack.make_plan(site, str(repo.root))
	assert not plan.has_changes


# ---- what Frappe would refuse, found before any write --------------------------------------------


def test_a_fieldname_twice_is_refused_naming_both_rows(repo):
	amended = link("amended_from", "Claim")
	repo.write("claim", [doctype("Claim", [amended, {"fieldname": "title"}, amended], is_submittable=1)])
	[problem] = refusals(repo)
	assert problem.startswith("$.documents[0].fields[2].fieldname: DocType 'Claim': fieldname 'amended_from'")
	assert "appears 2 times (fields[0, 2])" in problem


def test_links_to_doctypes_that_exist_nowhere_are_refused_on_a_site(repo):
	repo.write("claim", [doctype("Claim", [link("insurer", "Insurer"), link("owner_user", "User")])])
	repo.write("more", [custom_field("ToDo", "claim", fieldtype="Link", options="Claym")])
	on_site = {"User": False, "ToDo": False}
	found = refusals(repo, lambda names: {n: on_site[n] for n in names if n in on_site})
	assert found == [
		"$.documents[0].fields[0].options: DocType 'Claim' field 'insurer' points at DocType 'Insurer', "
		"which is neither on the site nor in any blueprint",
		"$.documents[0].options: Custom Field 'ToDo-claim' points at DocType 'Claym', "
		"which is neither on the site nor in any blueprint",
	]


def test_without_a_site_links_outside_the_set_are_not_judged(repo):
	repo.write("claim", [doctype("Claim", [link("insurer", "Insurer")])])
	assert load_blueprint_set(repo.root).blueprints


def test_a_table_of_a_doctype_that_is_not_a_child_table_is_refused(repo):
	repo.write(
		"claim",
		[
			doctype(
				"Claim", [link("notes", "Claim Note", "Table"), link("users", "User", "Table MultiSelect")]
			),
			doctype("Claim Note"),
		],
	)
	found = refusals(repo, lambda names: {n: False for n in names if n == "User"})
	assert [p.split(":")[0] for p in found] == [
		"$.documents[0].fields[0].options",
		"$.documents[0].fields[1].options",
	]
	assert "'Claim Note', which is not a child table" in found[0]


def test_options_and_defaults_frappe_rejects_are_refused(repo):
	fields = [
		{"fieldname": "paid", "fieldtype": "Check", "default": "2"},
		{"fieldname": "kind", "fieldtype": "Select", "options": "A\nB", "default": "C"},
		{"fieldname": "bad name", "fieldtype": "Data"},
		{"fieldname": "target", "fieldtype": "Link"},
	]
	repo.write("claim", [doctype("Claim", fields)])
	assert [p.split(":")[0] for p in refusals(repo)] == [
		"$.documents[0].fields[0].default",
		"$.documents[0].fields[1].default",
		"$.documents[0].fields[2].fieldname",
		"$.documents[0].fields[3].options",
	]


def test_a_refused_export_writes_nothing_and_says_it_is_the_sites(repo):
	title = {"fieldname": "title", "fieldtype": "Data"}
	site = MemorySite([doctype("Claim", [title, title])])
	with pytest.raises(ValidationFailed) as excinfo:
		stack.export(site, str(repo.root))
	assert "fieldname 'title' appears 2 times" in str(excinfo.value)
	assert "on the site" in str(excinfo.value)
	assert not list(repo.dir.glob("*.json"))


def test_the_second_amended_from_frappes_importer_adds_is_left_out_and_said(repo):
	amended = link("amended_from", "Claim")
	site = MemorySite([doctype("Claim", [amended, {"fieldname": "title"}, amended], is_submittable=1)])
	result = stack.export(site, str(repo.root))
	assert [row["fieldname"] for row in repo.read("claim")["documents"][0]["fields"]] == [
		"amended_from",
		"title",
	]
	[said] = result.repaired
	assert said.startswith(
		"DocType 'Claim' fields[2]: a second 'amended_from' row, added by Frappe's importer"
	)
	# the site still holds both rows, yet it is what the ledger recorded: nothing to apply
	assert not stack.make_plan(site, str(repo.root))[0].has_changes


# ---- the ledger remembers the grouping ------------------------------------------------------------


def test_export_into_an_empty_folder_reproduces_names_descriptions_and_depends_on(repo, tmp_path):
	repo.write("people", [role("Clerk")], description="Who does the work")
	repo.write(
		"claims",
		[doctype("Claim", permissions=[{"role": "Clerk", "read": 1}])],
		depends_on=["people"],
		description="Claims and their workflow",
		delete=[{"doctype": "Role", "name": "Old Clerk"}],
	)
	before = {f.name: f.read_bytes() for f in repo.dir.glob("*.json")}
	site = MemorySite()
	assert not stack.apply(site, str(repo.root)).failed
	empty = Repo(tmp_path / "elsewhere")
	stack.export(site, str(empty.root))
	assert {f.name: f.read_bytes() for f in empty.dir.glob("*.json")} == before


# ---- references to documents that exist nowhere ---------------------------------------------------


def flow(states: list[str], action: str = "Finish") -> dict:
	return {
		"doctype": "Workflow",
		"name": "Case Flow",
		"workflow_name": "Case Flow",
		"document_type": "ToDo",
		"states": [{"state": state, "allow_edit": "System Manager"} for state in states],
		"transitions": [
			{"state": states[0], "action": action, "next_state": states[-1], "allowed": "Case Officer"}
		],
	}


def test_a_workflow_naming_states_roles_and_actions_that_exist_nowhere_is_refused_on_a_site(repo):
	repo.write("case", [flow(["New", "Done"])])
	on_site = {("Workflow State", "Done"), ("Role", "System Manager"), ("DocType", "ToDo")}
	with pytest.raises(ValidationFailed) as excinfo:
		load_blueprint_set(repo.root, existing=lambda keys: {k for k in keys if k in on_site})
	assert [e.message.split(", which")[0] for e in excinfo.value.errors] == [
		"Workflow 'Case Flow' needs Workflow State 'New'",
		"Workflow 'Case Flow' needs Workflow Action Master 'Finish'",
		"Workflow 'Case Flow' needs Role 'Case Officer'",
	]
	# defined in the set, they are no problem; without a site nothing outside the set is judged
	repo.write(
		"parts",
		[
			{"doctype": "Workflow State", "name": "New", "workflow_state_name": "New"},
			{"doctype": "Workflow Action Master", "name": "Finish", "workflow_action_name": "Finish"},
			role("Case Officer"),
		],
	)
	assert load_blueprint_set(repo.root, existing=lambda keys: {k for k in keys if k in on_site})
	repo.remove("parts")
	assert load_blueprint_set(repo.root)


class SiteThatKnowsWhatExists(MemorySite):
	"""A site that says which documents it has, the framework's own among them."""

	def existing(self, keys):
		framework = {("DocType", "ToDo"), ("Role", "System Manager")}
		return {key for key in keys if key in self.docs or key in framework}


def test_export_adds_the_workflow_states_actions_and_roles_the_site_lacks_and_says_so(repo):
	site = SiteThatKnowsWhatExists([flow(["New", "Done"])])
	site.put({"doctype": "Workflow State", "name": "Done", "workflow_state_name": "Done"})
	result = stack.export(site, str(repo.root))
	written = {
		(d["doctype"], d["name"])
		for f in repo.dir.glob("*.json")
		for d in Repo.read(repo, f.stem)["documents"]
	}
	assert {
		("Workflow State", "New"),
		("Workflow Action Master", "Finish"),
		("Role", "Case Officer"),
	} <= written
	assert sorted(line.split(":")[0] for line in result.repaired) == [
		"Role 'Case Officer'",
		"Workflow Action Master 'Finish'",
		"Workflow State 'New'",
	]
	# the site still lacks them: the next apply creates them, then all converges
	plan = stack.make_plan(site, str(repo.root))[0]
	assert plan.summary()["create"] == 3
	assert not stack.apply(site, str(repo.root)).failed
	assert not stack.make_plan(site, str(repo.root))[0].has_changes


def test_a_column_older_versions_left_is_accepted_and_dropped_and_a_misspelt_row_key_refused(repo):
	"""Frappe's as_dict shows a DocField's leftover columns (show_preview_popup): not a typo."""
	docfield = DoctypeSchema(
		"DocField",
		{f: FieldSpec(f, "Data") for f in ("fieldname", "fieldtype", "label")},
		columns=frozenset({"show_preview_popup"}),
	)
	schemas = {
		"DocType": DoctypeSchema(
			"DocType", {f: FieldSpec(f, "Data") for f in ("module", "custom")}, {"fields": docfield}
		),
	}
	field = {"fieldname": "village", "fieldtype": "Data", "label": "Village", "show_preview_popup": 0}
	repo.write("visit", [doctype("Visit", [field])])
	[visit] = load_blueprint_set(repo.root, schemas.get).blueprints[0].documents
	assert visit.data["fields"] == [{"fieldname": "village", "fieldtype": "Data", "label": "Village"}]

	repo.write(
		"visit", [doctype("Visit", [{"feildname": "village", "fieldtype": "Data", "label": "Village"}])]
	)
	with pytest.raises(ValidationFailed) as refused:
		load_blueprint_set(repo.root, schemas.get)
	[error] = refused.value.errors
	assert str(error) == (
		"blueprints/visit.json: $.documents[0].fields[0].feildname: DocField (a row of fields) has no "
		"field 'feildname'. Fix: did you mean \"fieldname\"? Rename the key"
	)
