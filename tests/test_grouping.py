"""group_documents(): where export puts customizations that no blueprint holds yet."""

import random

from builders import custom_field, doctype, role
from hypothesis import given, settings
from hypothesis import strategies as st

from frappe_stack.blueprint.file_format import NAME_PATTERN
from frappe_stack.blueprint.grouping import KIND_BLUEPRINT, SHARED_ROLES, group_documents, slug
from frappe_stack.blueprint.order import topological
from frappe_stack.blueprint.registry import ADAPTERS


def keys_by_group(groups: dict[str, list[dict]]) -> dict[str, set[tuple[str, str]]]:
	return {name: {(d["doctype"], d["name"]) for d in docs} for name, docs in groups.items()}


def docperm(parent: str, role_name: str, name: str | None = None) -> dict:
	return {
		"doctype": "Custom DocPerm",
		"name": name or f"{parent}-{role_name}",
		"parent": parent,
		"role": role_name,
		"read": 1,
	}


def workflow(name: str, document_type: str, states: list[str], actions: list[str], role_name: str) -> dict:
	return {
		"doctype": "Workflow",
		"name": name,
		"workflow_name": name,
		"document_type": document_type,
		"workflow_state_field": "workflow_state",
		"states": [{"state": s, "allow_edit": role_name} for s in states],
		"transitions": [
			{"state": states[0], "action": a, "next_state": states[-1], "allowed": role_name} for a in actions
		],
	}


def state(name: str) -> dict:
	return {"doctype": "Workflow State", "name": name, "workflow_state_name": name}


def action(name: str) -> dict:
	return {"doctype": "Workflow Action Master", "name": name, "workflow_action_name": name}


# ---- one blueprint per customized DocType --------------------------------------------------------


def test_slug_is_lowercase_kebab():
	assert slug("Beneficiary") == "beneficiary"
	assert slug("Sales Invoice") == "sales-invoice"
	assert slug("  Stock / Entry (Detail) ") == "stock-entry-detail"
	assert slug("HR_Leave 2") == "hr-leave-2"


def test_a_doctype_and_everything_on_it_form_one_group():
	documents = [
		doctype("Beneficiary"),
		custom_field("Beneficiary", "village"),
		{
			"doctype": "Property Setter",
			"name": "Beneficiary-village-bold",
			"doc_type": "Beneficiary",
			"field_name": "village",
			"property": "bold",
			"value": "1",
		},
		docperm("Beneficiary", "Program Officer"),
		{"doctype": "Client Script", "name": "Beneficiary-Form", "dt": "Beneficiary", "script": "//"},
		{"doctype": "Server Script", "name": "Check Age", "reference_doctype": "Beneficiary"},
		{
			"doctype": "Report",
			"name": "Beneficiaries",
			"report_name": "Beneficiaries",
			"ref_doctype": "Beneficiary",
		},
		{"doctype": "Print Format", "name": "Beneficiary Card", "doc_type": "Beneficiary"},
		{"doctype": "Notification", "name": "New Beneficiary", "document_type": "Beneficiary"},
		{"doctype": "Number Card", "name": "Beneficiaries", "document_type": "Beneficiary"},
		{"doctype": "Dashboard Chart", "name": "Registrations", "document_type": "Beneficiary"},
		workflow(
			"Beneficiary Approval", "Beneficiary", ["Registered", "Approved"], ["Approve"], "Program Officer"
		),
		state("Registered"),
		state("Approved"),
		action("Approve"),
		role("Program Officer"),
	]
	groups, depends = group_documents(documents)
	assert keys_by_group(groups) == {"beneficiary": {(d["doctype"], d["name"]) for d in documents}}
	assert depends == {}


def test_a_custom_field_on_a_standard_doctype_goes_to_that_doctypes_group():
	groups, depends = group_documents([custom_field("Contact", "beneficiary"), doctype("Beneficiary")])
	assert keys_by_group(groups) == {
		"contact": {("Custom Field", "Contact-beneficiary")},
		"beneficiary": {("DocType", "Beneficiary")},
	}
	assert depends == {}


def test_doctype_names_with_spaces_give_kebab_group_names():
	groups, _ = group_documents([custom_field("Sales Invoice", "po_ref")])
	assert list(groups) == ["sales-invoice"]


# ---- documents that customize no single DocType -------------------------------------------------


def test_dashboard_goes_to_dashboards():
	groups, _ = group_documents([{"doctype": "Dashboard", "name": "Programs", "dashboard_name": "Programs"}])
	assert keys_by_group(groups) == {"dashboards": {("Dashboard", "Programs")}}


def test_workspace_goes_to_workspaces():
	groups, _ = group_documents([{"doctype": "Workspace", "name": "Field Work", "label": "Field Work"}])
	assert keys_by_group(groups) == {"workspaces": {("Workspace", "Field Work")}}


def test_server_script_without_reference_doctype_goes_to_server_scripts():
	groups, _ = group_documents(
		[
			{"doctype": "Server Script", "name": "Nightly", "script_type": "Scheduler Event"},
			{"doctype": "Server Script", "name": "Api", "script_type": "API", "reference_doctype": ""},
		]
	)
	assert keys_by_group(groups) == {
		"server-scripts": {("Server Script", "Nightly"), ("Server Script", "Api")}
	}


def test_number_card_and_chart_without_document_type_go_to_dashboards():
	groups, _ = group_documents(
		[
			{"doctype": "Number Card", "name": "Open Cases", "type": "Report", "report_name": "Cases"},
			{"doctype": "Dashboard Chart", "name": "Signups", "chart_type": "Custom"},
		]
	)
	assert keys_by_group(groups) == {
		"dashboards": {("Number Card", "Open Cases"), ("Dashboard Chart", "Signups")}
	}


def test_workflow_building_blocks_no_workflow_uses_go_to_workflows():
	groups, _ = group_documents([state("Archived"), action("Archive"), doctype("Beneficiary")])
	assert keys_by_group(groups) == {
		"workflows": {("Workflow State", "Archived"), ("Workflow Action Master", "Archive")},
		"beneficiary": {("DocType", "Beneficiary")},
	}


def test_workflow_building_blocks_join_the_workflow_that_uses_them():
	documents = [
		workflow("Case Flow", "Case", ["Open", "Closed"], ["Close"], "Agent"),
		state("Open"),
		state("Closed"),
		state("Unused"),
		action("Close"),
	]
	groups, _ = group_documents(documents)
	assert keys_by_group(groups)["case"] == {
		("Workflow", "Case Flow"),
		("Workflow State", "Open"),
		("Workflow State", "Closed"),
		("Workflow Action Master", "Close"),
	}
	assert keys_by_group(groups)["workflows"] == {("Workflow State", "Unused")}


def test_a_state_two_workflows_use_goes_to_the_first_of_them_by_name():
	documents = [
		state("Open"),
		workflow("Ticket Flow", "Ticket", ["Open", "Done"], ["Finish"], "Agent"),
		workflow("Case Flow", "Case", ["Open", "Closed"], ["Close"], "Agent"),
	]
	for ordering in (documents, documents[::-1]):
		groups, _ = group_documents(ordering)
		assert ("Workflow State", "Open") in keys_by_group(groups)["case"]
		assert ("Workflow State", "Open") not in keys_by_group(groups)["ticket"]


# ---- roles ----------------------------------------------------------------------------------------


def test_a_role_one_group_uses_joins_that_group():
	groups, depends = group_documents(
		[doctype("Beneficiary", permissions=[{"role": "Officer"}]), role("Officer")]
	)
	assert keys_by_group(groups) == {"beneficiary": {("DocType", "Beneficiary"), ("Role", "Officer")}}
	assert depends == {}


def test_a_role_a_workflow_uses_joins_the_workflows_group():
	documents = [workflow("Case Flow", "Case", ["Open"], [], "Agent"), state("Open"), role("Agent")]
	groups, depends = group_documents(documents)
	assert keys_by_group(groups) == {"case": {(d["doctype"], d["name"]) for d in documents}}
	assert depends == {}


def test_a_role_two_groups_use_is_shared_and_both_depend_on_roles():
	documents = [
		doctype("Beneficiary", permissions=[{"role": "Officer"}]),
		docperm("Contact", "Officer"),
		role("Officer"),
	]
	groups, depends = group_documents(documents)
	assert keys_by_group(groups) == {
		"beneficiary": {("DocType", "Beneficiary")},
		"contact": {("Custom DocPerm", "Contact-Officer")},
		SHARED_ROLES: {("Role", "Officer")},
	}
	assert depends == {"beneficiary": [SHARED_ROLES], "contact": [SHARED_ROLES]}


def test_an_unused_role_goes_to_roles_and_nobody_depends_on_it():
	groups, depends = group_documents([role("Auditor"), doctype("Beneficiary")])
	assert keys_by_group(groups) == {
		SHARED_ROLES: {("Role", "Auditor")},
		"beneficiary": {("DocType", "Beneficiary")},
	}
	assert depends == {}


def test_depends_on_roles_is_listed_once_per_group():
	documents = [
		doctype("Beneficiary", permissions=[{"role": "A"}, {"role": "B"}]),
		docperm("Contact", "A"),
		docperm("Contact", "B"),
		role("A"),
		role("B"),
	]
	_, depends = group_documents(documents)
	assert depends == {"beneficiary": [SHARED_ROLES], "contact": [SHARED_ROLES]}


# ---- groups never need each other in a cycle -------------------------------------------------------


def linking(name: str, *targets: str) -> dict:
	return doctype(
		name, fields=[{"fieldname": t.lower(), "fieldtype": "Link", "options": t} for t in targets]
	)


def group_edges(groups: dict[str, list[dict]]) -> dict[str, set[str]]:
	owner = {(d["doctype"], d["name"]): name for name, docs in groups.items() for d in docs}
	return {
		name: {owner[ref] for d in docs for ref in ADAPTERS[d["doctype"]].refs(d) if ref in owner} - {name}
		for name, docs in groups.items()
	}


def test_two_doctypes_linking_each_other_share_the_first_ones_group():
	documents = [
		linking("Household", "Beneficiary"),
		linking("Beneficiary", "Household"),
		custom_field("Household", "size"),
		custom_field("Contact", "household", fieldtype="Link", options="Household"),
	]
	groups, _ = group_documents(documents)
	assert keys_by_group(groups) == {
		"beneficiary": {
			("DocType", "Beneficiary"),
			("DocType", "Household"),
			("Custom Field", "Household-size"),
		},
		"contact": {("Custom Field", "Contact-household")},
	}


def test_a_longer_cycle_is_merged_and_a_chain_is_not():
	cycle = [linking("A", "B"), linking("B", "C"), linking("C", "A")]
	groups, _ = group_documents([*cycle, linking("D", "A"), linking("E")])
	assert keys_by_group(groups) == {
		"a": {("DocType", "A"), ("DocType", "B"), ("DocType", "C")},
		"d": {("DocType", "D")},
		"e": {("DocType", "E")},
	}


def test_a_field_on_one_doctype_linking_another_that_links_back_merges_them():
	# the cycle runs through a Custom Field, not the DocTypes themselves
	documents = [
		linking("Case", "Village"),
		doctype("Village"),
		custom_field("Village", "case", fieldtype="Link", options="Case"),
	]
	groups, _ = group_documents(documents)
	assert list(keys_by_group(groups)) == ["case"]


def test_a_shared_role_still_goes_to_roles_after_a_merge():
	documents = [
		linking("Beneficiary", "Household"),
		doctype(
			"Household",
			fields=[{"fieldname": "head", "fieldtype": "Link", "options": "Beneficiary"}],
			permissions=[{"role": "Officer"}],
		),
		docperm("Contact", "Officer"),
		role("Officer"),
	]
	groups, depends = group_documents(documents)
	assert keys_by_group(groups)[SHARED_ROLES] == {("Role", "Officer")}
	assert depends == {"beneficiary": [SHARED_ROLES], "contact": [SHARED_ROLES]}


def test_nothing_in_nothing_out():
	assert group_documents([]) == ({}, {})


# ---- properties -----------------------------------------------------------------------------------

DOCTYPE_NAMES = st.sampled_from(["Beneficiary", "Case", "Sales Invoice", "Village"])
ROLE_NAMES = st.sampled_from(["Agent", "Officer", "Manager"])


@st.composite
def new_documents(draw) -> list[dict]:
	documents: dict[tuple[str, str], dict] = {}

	def add(doc: dict) -> None:
		documents[(doc["doctype"], doc["name"])] = doc

	for name in draw(st.sets(DOCTYPE_NAMES, max_size=3)):
		perms = [{"role": r} for r in sorted(draw(st.sets(ROLE_NAMES, max_size=2)))]
		links = [
			{"fieldname": slug(t), "fieldtype": "Link", "options": t}
			for t in sorted(draw(st.sets(DOCTYPE_NAMES)))
		]
		add(doctype(name, fields=links, permissions=perms))
	for dt, fieldname in draw(st.sets(st.tuples(DOCTYPE_NAMES | st.just("Contact"), st.sampled_from("abc")))):
		add(custom_field(dt, fieldname, fieldtype="Link", options=draw(DOCTYPE_NAMES)))
	for dt, role_name in draw(st.sets(st.tuples(DOCTYPE_NAMES, ROLE_NAMES), max_size=3)):
		add(docperm(dt, role_name))
	for dt in draw(st.sets(DOCTYPE_NAMES, max_size=2)):
		states = draw(
			st.lists(st.sampled_from(["Open", "Closed", "Held"]), min_size=1, max_size=3, unique=True)
		)
		add(workflow(f"{dt} Flow", dt, states, ["Go"], draw(ROLE_NAMES)))
	for name in draw(st.sets(st.sampled_from(["Open", "Closed", "Held", "Spare"]))):
		add(state(name))
	for name in draw(st.sets(ROLE_NAMES | st.just("Auditor"))):
		add(role(name))
	if draw(st.booleans()):
		add({"doctype": "Dashboard", "name": "Main", "dashboard_name": "Main"})
	return list(documents.values())


@settings(max_examples=150, deadline=None)
@given(new_documents(), st.randoms(use_true_random=False))
def test_every_document_lands_in_exactly_one_valid_group_whatever_the_input_order(
	documents, rnd: random.Random
):
	groups, depends = group_documents(documents)
	placed = [(d["doctype"], d["name"]) for docs in groups.values() for d in docs]
	edges = group_edges(groups)
	assert topological(edges, needs=edges.__getitem__, tie=lambda n: n)[1] == []
	assert sorted(placed) == sorted((d["doctype"], d["name"]) for d in documents)
	assert all(NAME_PATTERN.match(name) for name in groups)
	assert all(docs for docs in groups.values())
	# a group depends only on the shared roles, and only when that group exists
	for name, needs in depends.items():
		assert needs == [SHARED_ROLES]
		assert name in groups and SHARED_ROLES in groups
	# each role sits with the one group that uses it, or in the shared roles
	for name, docs in groups.items():
		if name != SHARED_ROLES:
			for doc in docs:
				assert doc["doctype"] != "Role" or not any(
					("Role", doc["name"]) in set(ADAPTERS[d["doctype"]].refs(d))
					for other, others in groups.items()
					if other != name
					for d in others
				)
	shuffled = list(documents)
	rnd.shuffle(shuffled)
	again, depends_again = group_documents(shuffled)
	assert keys_by_group(again) == keys_by_group(groups)
	assert depends_again == depends


def test_every_kind_blueprint_is_a_valid_blueprint_name():
	assert all(NAME_PATTERN.match(name) for name in [*KIND_BLUEPRINT.values(), SHARED_ROLES])
