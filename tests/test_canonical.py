"""Canonical form and content hash: same content, same bytes."""

import hashlib
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frappe_stack.blueprint.canonical import (
	CHILD_IDENTITY_KEYS,
	VOLATILE_KEYS,
	canonical_bytes,
	canonical_document,
	content_hash,
)
from frappe_stack.blueprint.registry import managed_form
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec, coerce

BASE = {"doctype": "Role", "name": "Field Officer", "role_name": "Field Officer"}


@pytest.mark.parametrize(
	"key",
	[
		"creation",
		"modified",
		"modified_by",
		"owner",
		"lft",
		"rgt",
		"_user_tags",
		"_comments",
		"_assign",
		"_liked_by",
	],
)
def test_volatile_keys_are_stripped(key):
	assert canonical_document(BASE | {key: "2024-01-01 10:00:00"}) == BASE


def test_docstatus_zero_is_stripped_but_other_docstatus_is_kept():
	assert canonical_document(BASE | {"docstatus": 0}) == BASE
	assert canonical_document(BASE | {"docstatus": 1})["docstatus"] == 1


def test_empty_values_are_dropped():
	assert canonical_document(BASE | {"desk_access": None, "home_page": "", "roles": []}) == BASE


def test_child_identity_keys_are_stripped_and_rows_follow_idx():
	doc = {
		"doctype": "Workflow",
		"name": "Approval",
		"states": [
			{
				"name": "r2",
				"parent": "Approval",
				"parentfield": "states",
				"parenttype": "Workflow",
				"idx": 2,
				"state": "B",
				"doctype": "Workflow Document State",
			},
			{
				"name": "r1",
				"parent": "Approval",
				"parentfield": "states",
				"parenttype": "Workflow",
				"idx": 1,
				"state": "A",
				"doctype": "Workflow Document State",
			},
		],
	}
	assert canonical_document(doc) == {
		"doctype": "Workflow",
		"name": "Approval",
		"states": [{"state": "A"}, {"state": "B"}],
	}


def test_child_rows_without_idx_keep_their_position():
	doc = {"doctype": "Workflow", "name": "W", "states": [{"state": "Z"}, {"state": "A"}]}
	assert canonical_document(doc)["states"] == [{"state": "Z"}, {"state": "A"}]


def test_child_row_volatile_keys_are_stripped():
	doc = {"doctype": "Workflow", "name": "W", "states": [{"state": "A", "modified": "x", "owner": "y"}]}
	assert canonical_document(doc)["states"] == [{"state": "A"}]


def test_canonical_bytes_layout():
	assert canonical_bytes({"b": 1, "a": {"d": [1, 2], "c": "é"}}) == (
		'{\n "a": {\n  "c": "é",\n  "d": [\n   1,\n   2\n  ]\n },\n "b": 1\n}\n'.encode()
	)


def test_content_hash_is_sha256_of_canonical_bytes():
	doc = {"name": "x", "doctype": "Role"}
	assert content_hash(doc) == hashlib.sha256(canonical_bytes(doc)).hexdigest()
	assert content_hash({"doctype": "Role", "name": "x"}) == content_hash(doc)
	assert content_hash(doc | {"desk_access": 1}) != content_hash(doc)


def test_integral_floats_and_bools_equal_ints_without_schema():
	assert canonical_document(BASE | {"desk_access": 1.0}) == BASE | {"desk_access": 1}
	assert canonical_document(BASE | {"desk_access": True}) == BASE | {"desk_access": 1}
	assert canonical_document(BASE | {"ratio": 1.5}) == BASE | {"ratio": 1.5}


def test_unknown_keys_kept_without_schema():
	assert canonical_document(BASE | {"anything": "x"})["anything"] == "x"


# ---- with a schema ------------------------------------------------------------------------------

ROW_SCHEMA = DoctypeSchema(
	"DocField",
	{
		"fieldname": FieldSpec("fieldname", "Data"),
		"fieldtype": FieldSpec("fieldtype", "Select", default="Data", options="Data\nInt\nCheck"),
		"reqd": FieldSpec("reqd", "Check"),
	},
)
SCHEMA = DoctypeSchema(
	"Thing",
	{
		"flag": FieldSpec("flag", "Check"),
		"active": FieldSpec("active", "Check", default="1"),
		"count": FieldSpec("count", "Int"),
		"ratio": FieldSpec("ratio", "Float"),
		"amount": FieldSpec("amount", "Currency"),
		"colour": FieldSpec("colour", "Select", default="Red", options="Red\nGreen"),
		"label": FieldSpec("label", "Data", default="Untitled"),
		"notes": FieldSpec("notes", "Small Text"),
	},
	{"fields": ROW_SCHEMA},
)
THING = {"doctype": "Thing", "name": "T1"}


@pytest.mark.parametrize(
	"values",
	[
		{"flag": 0},
		{"count": 0},
		{"ratio": 0.0},
		{"amount": "0"},
		{"colour": "Red"},
		{"label": "Untitled"},
		{"active": 1},
		{"active": "1"},
		{"notes": ""},
		{"notes": None},
	],
)
def test_defaults_are_dropped_with_a_schema(values):
	assert canonical_document(THING | values, SCHEMA) == THING


@pytest.mark.parametrize(
	"values",
	[{"flag": 1}, {"count": 7}, {"ratio": 0.5}, {"colour": "Green"}, {"label": "Named"}, {"active": 0}],
)
def test_values_other_than_the_default_are_kept(values):
	assert canonical_document(THING | values, SCHEMA) == THING | values


@pytest.mark.parametrize("value", ["1", 1, 1.0, True])
def test_check_truthy_spellings_are_equivalent(value):
	assert canonical_document(THING | {"flag": value}, SCHEMA) == THING | {"flag": 1}


@pytest.mark.parametrize("value", ["3", 3, 3.0, "3.0"])
def test_int_spellings_are_equivalent(value):
	assert canonical_document(THING | {"count": value}, SCHEMA) == THING | {"count": 3}


@pytest.mark.parametrize("value,expected", [("2.50", 2.5), (2.5, 2.5), ("2", 2), (2.0, 2), (True, 1)])
def test_float_spellings_are_equivalent(value, expected):
	assert canonical_document(THING | {"ratio": value}, SCHEMA)["ratio"] == expected
	assert canonical_bytes(canonical_document(THING | {"ratio": value}, SCHEMA)) == canonical_bytes(
		canonical_document(THING | {"ratio": expected}, SCHEMA)
	)


def test_unknown_keys_are_dropped_with_a_schema():
	assert canonical_document(THING | {"not_a_field": "x", "idx": 0, "docstatus": 0}, SCHEMA) == THING


def test_child_rows_use_the_child_schema():
	doc = THING | {
		"fields": [
			{"fieldname": "b", "fieldtype": "Int", "reqd": "1", "idx": 2, "parent": "T1", "junk": 1},
			{"fieldname": "a", "fieldtype": "Data", "reqd": 0, "idx": 1, "name": "row1"},
		]
	}
	assert canonical_document(doc, SCHEMA) == THING | {
		"fields": [{"fieldname": "a"}, {"fieldname": "b", "fieldtype": "Int", "reqd": 1}]
	}


def test_empty_child_table_is_dropped_with_a_schema():
	assert canonical_document(THING | {"fields": []}, SCHEMA) == THING


def test_coerce_leaves_non_numbers_alone():
	assert coerce("Check", "yes") == "yes"
	assert coerce("Int", None) is None
	assert coerce("Data", "1") == "1"


def test_managed_form_drops_fields_frappe_maintains():
	doc = {"doctype": "DocType", "name": "X", "custom": 1, "migration_hash": "abc"}
	assert managed_form(doc) == {"doctype": "DocType", "name": "X", "custom": 1}
	report = {
		"doctype": "Report",
		"name": "R",
		"json": "{}",
		"prepared_report": 1,
		"report_type": "Report Builder",
	}
	# a Report Builder report's json is its configuration; prepared_report is a per-site toggle
	assert managed_form(report) == {
		"doctype": "Report",
		"name": "R",
		"json": "{}",
		"report_type": "Report Builder",
	}


# ---- property: noise never changes the canonical bytes ------------------------------------------

RESERVED = VOLATILE_KEYS | CHILD_IDENTITY_KEYS | {"doctype", "name", "docstatus"}
field_names = st.from_regex(r"\A[a-z][a-z_]{0,8}\Z").filter(lambda k: k not in RESERVED)
scalars = st.one_of(
	st.text(max_size=12),
	st.integers(min_value=-(10**6), max_value=10**6),
	st.floats(allow_nan=False, allow_infinity=False, width=32).filter(lambda f: not f.is_integer()),
)
rows = st.lists(st.dictionaries(field_names, scalars, min_size=1, max_size=4), max_size=5)
documents = st.builds(
	lambda doctype, name, scalar_fields, tables: {
		"doctype": doctype,
		"name": name,
		**scalar_fields,
		**tables,
	},
	st.sampled_from(["Role", "Workflow", "DocType", "Custom Field"]),
	st.text(min_size=1, max_size=10),
	st.dictionaries(field_names, scalars, max_size=6),
	st.dictionaries(field_names.map(lambda k: f"t_{k}"), rows, max_size=2),
)
VOLATILE_VALUES = {
	"creation": "2024-01-01 00:00:00.000000",
	"modified": "2024-05-05 12:00:00.123456",
	"modified_by": "someone@example.com",
	"owner": "Administrator",
	"docstatus": 0,
	"lft": 3,
	"rgt": 8,
	"_user_tags": ",urgent",
	"_comments": "[]",
	"_assign": '["a@example.com"]',
	"_liked_by": '["b@example.com"]',
	"_seen": '["c@example.com"]',
}


def _noisy_value(value, rnd: random.Random):
	if isinstance(value, int) and not isinstance(value, bool) and rnd.random() < 0.5:
		if value in (0, 1) and rnd.random() < 0.5:
			return bool(value)
		return float(value)
	return value


def _noisy_row(row: dict, idx: int, parent: str, table: str, rnd: random.Random) -> dict:
	noisy = {key: _noisy_value(value, rnd) for key, value in row.items()}
	noisy.update(idx=idx, name=f"row-{rnd.randrange(10**6)}", parent=parent, parentfield=table)
	noisy.update(parenttype="Whatever", doctype="Child Row")
	if rnd.random() < 0.5:
		noisy["modified"] = "2024-01-01"
	items = list(noisy.items())
	rnd.shuffle(items)
	return dict(items)


def _noisy(doc: dict, rnd: random.Random) -> dict:
	noisy = {}
	for key, value in doc.items():
		if isinstance(value, list):
			rows = [_noisy_row(row, i + 1, doc["name"], key, rnd) for i, row in enumerate(value)]
			rnd.shuffle(rows)
			noisy[key] = rows
		else:
			noisy[key] = _noisy_value(value, rnd)
	for key in rnd.sample(sorted(VOLATILE_VALUES), rnd.randrange(len(VOLATILE_VALUES) + 1)):
		noisy[key] = VOLATILE_VALUES[key]
	items = list(noisy.items())
	rnd.shuffle(items)
	return dict(items)


def _reparsed(doc: dict, rnd: random.Random) -> dict:
	indent = rnd.choice([None, 0, 1, 2, 4, "\t", "   "])
	separators = (rnd.choice([",", ", ", " ,\n "]), rnd.choice([":", ": ", " :\t"]))
	text = rnd.choice(["", " ", "\n\t"]) + json.dumps(doc, indent=indent, separators=separators)
	return json.loads(text + rnd.choice(["", "\n", "  \r\n"]))


@settings(max_examples=300, deadline=None)
@given(doc=documents, seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_noise_never_changes_the_canonical_bytes(doc, seed):
	rnd = random.Random(seed)
	clean = canonical_bytes(canonical_document(doc))
	noisy = _reparsed(_noisy(doc, rnd), rnd)
	assert canonical_bytes(canonical_document(noisy)) == clean
	assert content_hash(canonical_document(noisy)) == content_hash(canonical_document(doc))
