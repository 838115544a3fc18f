"""The `fixtures` hook in every form apps write it, and which documents each entry covers."""

import pytest

from frappe_stack.adopt.fixture_hooks import FilterError, parse_entries

ROLE = {"doctype": "Role", "name": "Field Officer", "role_name": "Field Officer", "desk_access": 1}
FIELD = {"doctype": "Custom Field", "name": "ToDo-x", "dt": "ToDo", "fieldname": "x", "module": "Demo"}


def entry(raw):
	(parsed,) = parse_entries([raw])
	return parsed


def test_a_plain_doctype_name_covers_every_document_of_it():
	assert entry("Role").matches(ROLE)
	assert not entry("Role").matches(FIELD)


@pytest.mark.parametrize("key", ["dt", "doctype"])
def test_dicts_keyed_dt_or_doctype(key):
	assert entry({key: "Custom Field", "filters": {"module": "Demo"}}).matches(FIELD)
	assert not entry({key: "Custom Field", "filters": {"module": "Other"}}).matches(FIELD)


@pytest.mark.parametrize(
	"filters",
	[
		{"dt": "ToDo"},
		{"dt": ["=", "ToDo"]},
		{"fieldname": ["in", ["x", "y"]]},
		[["dt", "=", "ToDo"]],
		[["Custom Field", "dt", "=", "ToDo"], ["Custom Field", "fieldname", "like", "%x"]],
		["name", "like", "todo-%"],  # one filter written flat, compared without regard to case
		[["fieldname", "in", "y, x"]],  # Frappe splits a string on commas
		[["module", "is", "set"]],
		[["label", "is", "not set"]],
		[["label", "!=", "X"]],  # a missing value is "" for the negative operators
		[["name", "not in", ["ToDo-y"]]],
	],
)
def test_filter_forms_that_cover_the_document(filters):
	assert entry({"dt": "Custom Field", "filters": filters}).matches(FIELD)


@pytest.mark.parametrize(
	"filters",
	[
		{"dt": "Note"},
		[["fieldname", "not in", ["x"]]],
		[["label", "is", "set"]],
		[["name", "like", "Note-%"]],
	],
)
def test_filter_forms_that_do_not(filters):
	assert not entry({"dt": "Custom Field", "filters": filters}).matches(FIELD)


def test_numbers_compare_as_numbers_whatever_their_type():
	assert entry({"dt": "Role", "filters": {"desk_access": "1"}}).matches(ROLE)
	assert entry({"dt": "Role", "filters": [["desk_access", ">=", 1]]}).matches(ROLE)
	assert entry({"dt": "Role", "filters": {"disabled": 0}}).matches(ROLE)  # missing reads as 0
	assert not entry({"dt": "Role", "filters": [["desk_access", "<", 1]]}).matches(ROLE)


def test_or_filters_need_one_to_hold_and_filters_all():
	raw = {
		"dt": "Custom Field",
		"filters": {"module": "Demo"},
		"or_filters": [["dt", "=", "Note"], ["fieldname", "=", "x"]],
	}
	assert entry(raw).matches(FIELD)
	assert not entry(raw | {"or_filters": [["dt", "=", "Note"]]}).matches(FIELD)
	assert not entry(raw | {"filters": {"module": "Other"}}).matches(FIELD)


def test_a_filter_on_a_child_table_field_matches_through_any_row():
	workflow = {"doctype": "Workflow", "name": "W", "states": [{"state": "Draft"}, {"state": "Approved"}]}
	assert entry(
		{"dt": "Workflow", "filters": [["Workflow Document State", "state", "=", "Approved"]]}
	).matches(workflow)
	assert not entry({"dt": "Workflow", "filters": {"state": "Rejected"}}).matches(workflow)


def test_what_cannot_be_evaluated_here_says_why_and_raises_on_matching():
	bad = entry({"dt": "Custom Field", "filters": [["dt", "descendants of", "ToDo"]]})
	assert "descendants of" in bad.problem
	with pytest.raises(FilterError, match="descendants of"):
		bad.matches(FIELD)
	assert "neither a DocType name" in entry({"filters": {}}).problem
	assert "[field, operator, value]" in entry({"dt": "Role", "filters": [["name", "="]]}).problem
