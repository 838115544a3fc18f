"""Property Setters as field changes: the field as its DocType (or the repo) defines it, with the
setter's value over it before and after."""

from fake_context import FakeContext
from review_cases import STANDARD, Case, cf, changed, dt, fld, setter

from frappe_stack.review.field_shapes import changed_fields


def views(after, before=None, context=STANDARD, **extra):
	case = Case(after, before, context, **extra)
	return changed_fields(*changed(case), context)


def test_a_setter_overlays_its_typed_value_on_the_site_definition():
	[view] = views(setter("ToDo", "code", "length", "4", "Int"))
	assert (view.parent, view.fieldname, view.path, view.doc.doctype) == (
		"ToDo",
		"code",
		"$.documents[0]",
		"Property Setter",
	)
	assert view.before == {"fieldname": "code", "fieldtype": "Data", "label": "Code"}
	assert view.after == view.before | {"length": 4}
	assert view.sets("length") and not view.sets("label")


def test_a_changed_setter_compares_its_old_value_with_its_new_one():
	[view] = views(
		setter("ToDo", "priority", "options", "High", "Text"),
		before=setter("ToDo", "priority", "options", "High\nLow", "Text"),
	)
	assert (view.before["options"], view.after["options"]) == ("High\nLow", "High")


def test_a_tombstoned_setter_gives_the_definition_back():
	[view] = views(None, before=setter("ToDo", "notes", "reqd", "0"), tombstoned=True)
	assert (view.before["reqd"], view.after["reqd"]) == (0, 1)


def test_the_repo_definition_of_a_field_wins_over_the_site():
	site = FakeContext(definitions={"Beneficiary": [{"fieldname": "village", "fieldtype": "Int"}]})
	repo = dt(fields=[fld("village", fieldtype="Small Text")])
	[view] = views(setter("Beneficiary", "village", "reqd", "1"), context=site, others=[repo])
	assert view.before["fieldtype"] == "Small Text" and view.after == view.before | {"reqd": 1}


def test_a_repo_custom_field_is_the_definition_when_the_doctype_is_not_in_the_repo():
	custom = cf("ToDo", "extra")
	[view] = views(setter("ToDo", "extra", "reqd", "1"), others=[custom])
	assert view.before == custom and view.after["reqd"] == 1


def test_setters_that_change_no_field_give_no_view():
	on_doctype = {
		"doctype": "Property Setter",
		"name": "ToDo-main-sort_field",
		"doctype_or_field": "DocType",
		"doc_type": "ToDo",
		"property": "sort_field",
		"value": "priority",
	}
	assert views(on_doctype) == []
	assert views(setter("ToDo", "nowhere", "reqd", "1")) == []  # no such field
	assert views(None, before=setter("ToDo", "notes", "reqd", "0")) == []  # released: stays on the site
	# a tombstone for a setter no blueprint held: its value lives only on the site
	assert views(None, tombstoned=True, key=("Property Setter", "ToDo-notes-reqd")) == []
