"""field_changes(): site → repo, field by field, rows matched on their natural key."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frappe_stack.blueprint.field_diff import FieldChange, field_changes


def doctype(**values) -> dict:
	return {"doctype": "DocType", "name": "Beneficiary", **values}


def field(fieldname: str, fieldtype: str = "Data", **values) -> dict:
	return {"fieldname": fieldname, "fieldtype": fieldtype, **values}


def workflow(**values) -> dict:
	return {"doctype": "Workflow", "name": "Beneficiary Approval", **values}


def rendered(site, repo, name="Beneficiary") -> list[str]:
	return [change.render(name) for change in field_changes(site, repo)]


def test_scalar_change():
	assert field_changes(doctype(module="Custom"), doctype(module="Beneficiaries")) == [
		FieldChange("module", "Custom", "Beneficiaries", "changed")
	]


def test_value_added_when_only_the_repo_has_it():
	assert field_changes(doctype(), doctype(label="Beneficiary Name")) == [
		FieldChange("label", None, "Beneficiary Name", "added")
	]


def test_value_removed_when_only_the_site_has_it():
	assert field_changes(doctype(label="Beneficiary Name"), doctype()) == [
		FieldChange("label", "Beneficiary Name", None, "removed")
	]


def test_rows_matched_by_fieldname_report_both_the_reorder_and_the_change():
	site = doctype(fields=[field("age", "Int"), field("full_name"), field("city")])
	repo = doctype(fields=[field("full_name"), field("city"), field("age", "Data")])
	assert field_changes(site, repo) == [
		FieldChange("fields", ["age", "full_name", "city"], ["full_name", "city", "age"], "reordered"),
		FieldChange("fields[age].fieldtype", "Int", "Data", "changed"),
	]


def test_inserting_a_row_is_neither_a_reorder_nor_a_change_to_later_rows():
	site = doctype(fields=[field("full_name"), field("age", "Int")])
	repo = doctype(fields=[field("full_name"), field("nickname"), field("age", "Int")])
	assert field_changes(site, repo) == [FieldChange("fields[nickname]", None, field("nickname"), "added")]


def test_row_added_is_one_change_for_the_whole_row():
	site = doctype(fields=[field("full_name")])
	repo = doctype(fields=[field("full_name"), field("nickname", label="Nickname", reqd=1)])
	assert field_changes(site, repo) == [
		FieldChange("fields[nickname]", None, field("nickname", label="Nickname", reqd=1), "added")
	]
	assert rendered(site, repo) == ["Beneficiary › fields[nickname]: in the repo only (apply adds it)"]


def test_row_removed_is_one_change_for_the_whole_row():
	site = doctype(fields=[field("old_code", label="Old Code"), field("full_name")])
	repo = doctype(fields=[field("full_name")])
	assert field_changes(site, repo) == [
		FieldChange("fields[old_code]", field("old_code", label="Old Code"), None, "removed")
	]
	assert rendered(site, repo) == [
		"Beneficiary › fields[old_code]: on the site only (apply removes it; export keeps it)"
	]


def test_a_table_on_one_side_only_lists_its_rows():
	repo = doctype(fields=[field("a"), field("b")])
	assert [(c.path, c.kind) for c in field_changes(doctype(), repo)] == [
		("fields[a]", "added"),
		("fields[b]", "added"),
	]


def test_permissions_keyed_by_role_with_permlevel_only_when_not_zero():
	site = doctype(
		permissions=[
			{"role": "Manager", "permlevel": 0, "if_owner": 0, "read": 1},
			{"role": "Manager", "permlevel": 1, "read": 1},
			{"role": "Field Officer", "read": 1},
		]
	)
	repo = doctype(
		permissions=[
			{"role": "Manager", "permlevel": 0, "if_owner": 0, "read": 1, "write": 1},
			{"role": "Manager", "permlevel": 1, "read": 1, "write": 1},
			{"role": "Field Officer", "read": 1, "create": 1},
		]
	)
	assert [c.path for c in field_changes(site, repo)] == [
		"permissions[Manager].write",
		"permissions[Manager/1].write",
		"permissions[Field Officer].create",
	]


def test_permission_with_permlevel_zero_dropped_on_one_side_is_the_same_row():
	site = doctype(permissions=[{"role": "Manager", "permlevel": 0, "read": 1}])
	repo = doctype(permissions=[{"role": "Manager", "read": 1, "write": 1}])
	assert field_changes(site, repo) == [
		FieldChange("permissions[Manager].permlevel", 0, None, "removed"),
		FieldChange("permissions[Manager].write", None, 1, "added"),
	]


def test_workflow_transitions_keyed_by_state_action_and_next_state():
	approve = {"state": "Pending", "action": "Approve", "next_state": "Approved", "allowed": "Manager"}
	reject = {"state": "Pending", "action": "Reject", "next_state": "Rejected", "allowed": "Manager"}
	site = workflow(
		states=[{"state": "Pending", "allow_edit": "Field Officer"}, {"state": "Approved"}],
		transitions=[approve, reject],
	)
	repo = workflow(
		states=[{"state": "Pending", "allow_edit": "Manager"}, {"state": "Approved"}],
		transitions=[reject | {"allowed": "Director"}, approve],
	)
	assert field_changes(site, repo) == [
		FieldChange("states[Pending].allow_edit", "Field Officer", "Manager", "changed"),
		FieldChange(
			"transitions",
			["Pending/Approve/Approved", "Pending/Reject/Rejected"],
			["Pending/Reject/Rejected", "Pending/Approve/Approved"],
			"reordered",
		),
		FieldChange("transitions[Pending/Reject/Rejected].allowed", "Manager", "Director", "changed"),
	]


def test_duplicate_keys_fall_back_to_position():
	site = doctype(fields=[field("x", label="One"), field("x", label="Two")])
	repo = doctype(fields=[field("x", label="One"), field("x", label="Deux"), field("y")])
	assert field_changes(site, repo) == [
		FieldChange("fields[#2].label", "Two", "Deux", "changed"),
		FieldChange("fields[#3]", None, field("y"), "added"),
	]


def test_rows_without_any_natural_key_fall_back_to_position():
	site = doctype(y_axis=[{"y_field": "count", "color": "red"}])
	repo = doctype(y_axis=[{"y_field": "count", "color": "blue"}])
	assert field_changes(site, repo) == [FieldChange("y_axis[#1].color", "red", "blue", "changed")]


def test_long_script_is_shortened_in_render():
	script = (
		"frappe.ui.form.on('Beneficiary', {\n" + "\tvalidate(frm) { frm.set_value('x', 1); },\n" * 20 + "});"
	)
	[change] = field_changes(doctype(script="// old"), doctype(script=script))
	assert change.repo == script
	line = change.render("Beneficiary")
	assert script not in line
	assert "validate(frm)" not in line
	assert (
		line == f"Beneficiary › script: // old → frappe.ui.form.on('Beneficiary', {{… ({len(script)} chars)"
	)


def test_long_single_line_value_is_cut_with_its_length():
	html = "<div>" + "x" * 100 + "</div>"
	[line] = rendered(doctype(html=html), doctype())
	assert html not in line
	assert line == f"Beneficiary › html: <div>{'x' * 55}… ({len(html)} chars) → (none)"


def test_multi_line_value_shows_only_its_first_line():
	[line] = rendered(doctype(description="\nFirst line\nSecond line"), doctype(description="Short"))
	assert "Second line" not in line
	assert line == "Beneficiary › description: First line… (23 chars) → Short"


@pytest.mark.parametrize(
	("site", "repo", "line"),
	[
		(
			doctype(fields=[field("age", "Int")]),
			doctype(fields=[field("age", "Data")]),
			"Beneficiary › fields[age].fieldtype: Int → Data",
		),
		(doctype(), doctype(label="Beneficiary Name"), "Beneficiary › label: (none) → Beneficiary Name"),
		(
			doctype(),
			doctype(fields=[field("nickname")]),
			"Beneficiary › fields[nickname]: in the repo only (apply adds it)",
		),
		(
			doctype(fields=[field("old_code")]),
			doctype(),
			"Beneficiary › fields[old_code]: on the site only (apply removes it; export keeps it)",
		),
		(
			doctype(fields=[field("a"), field("b")]),
			doctype(fields=[field("b"), field("a")]),
			"Beneficiary › fields: order changed",
		),
		(doctype(is_submittable=1), doctype(is_submittable=0), "Beneficiary › is_submittable: 1 → 0"),
	],
)
def test_render_format(site, repo, line):
	assert rendered(site, repo) == [line]


def test_as_dict_shape():
	[change] = field_changes(doctype(fields=[field("age", "Int")]), doctype(fields=[field("age", "Data")]))
	assert change.as_dict() == {
		"path": "fields[age].fieldtype",
		"site": "Int",
		"repo": "Data",
		"kind": "changed",
	}


def test_output_order_scalars_sorted_then_tables_then_rows_in_repo_order_then_removed_rows():
	site = doctype(
		module="Custom",
		autoname="hash",
		permissions=[{"role": "Gone"}],
		fields=[field("c", "Int"), field("old"), field("a", "Int")],
	)
	repo = doctype(
		module="Beneficiaries",
		autoname="field:full_name",
		permissions=[{"role": "New"}],
		fields=[field("new"), field("c", "Data"), field("a", "Data")],
	)
	assert [c.path for c in field_changes(site, repo)] == [
		"autoname",
		"module",
		"fields[new]",
		"fields[c].fieldtype",
		"fields[a].fieldtype",
		"fields[old]",
		"permissions[New]",
		"permissions[Gone]",
	]


def test_identical_documents_have_no_changes():
	doc = doctype(module="Custom", fields=[field("age", "Int")], permissions=[{"role": "Manager"}])
	assert field_changes(doc, copy.deepcopy(doc)) == []


def test_doctype_and_name_are_not_compared():
	assert field_changes(doctype(module="Custom"), workflow(module="Custom")) == []


@pytest.mark.parametrize(
	("site", "repo"), [(None, doctype(label="X")), (doctype(label="X"), None), (None, None)]
)
def test_a_missing_document_has_no_field_changes(site, repo):
	assert field_changes(site, repo) == []


VALUES = st.one_of(
	st.sampled_from(["Data", "Int", "Beneficiary", "line one\nline two", "x" * 70]), st.integers(0, 2)
)
ROWS = st.lists(
	st.tuples(
		st.sampled_from(["age", "city", "email", "phone"]),
		st.dictionaries(st.sampled_from(["fieldtype", "label", "reqd"]), VALUES),
	),
	min_size=1,
	max_size=4,
	unique_by=lambda pair: pair[0],
).map(lambda pairs: [{"fieldname": fieldname, **values} for fieldname, values in pairs])
DOCS = st.builds(
	lambda scalars, tables: {"doctype": "DocType", "name": "Beneficiary", **scalars, **tables},
	st.dictionaries(st.sampled_from(["label", "module", "custom"]), VALUES),
	st.dictionaries(st.sampled_from(["fields", "links"]), ROWS),
)


@st.composite
def doc_pairs(draw):
	a = draw(DOCS)
	how = draw(st.sampled_from(["copy", "independent", "shuffled", "renamed"]))
	if how == "independent":
		return a, draw(DOCS)
	b = copy.deepcopy(a)
	if how == "shuffled":
		for table in ("fields", "links"):
			if table in b:
				b[table] = draw(st.permutations(b[table]))
	if how == "renamed":
		b.update(doctype="Custom Field", name="Other")
	return a, b


def content(doc: dict) -> dict:
	return {key: value for key, value in doc.items() if key not in ("doctype", "name")}


@settings(max_examples=300)
@given(DOCS)
def test_a_document_against_itself_has_no_changes(a):
	assert field_changes(a, a) == []
	assert field_changes(a, copy.deepcopy(a)) == []


@settings(max_examples=500)
@given(doc_pairs())
def test_no_changes_exactly_when_the_contents_are_equal(pair):
	a, b = pair
	assert (field_changes(a, b) == []) == (content(a) == content(b))
