"""The round-trip script's reading of a fixture folder: file shapes, load order, what a bare site
cannot hold left out with its reason, an app's DocTypes made custom."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from fixture_folder import as_custom, drop_missing, read_folder  # noqa: E402

BARE_SITE = {"DocType", "Custom Field", "Property Setter", "Custom DocPerm", "Role", "Workflow", "User"}


def write(folder: Path, name: str, content) -> None:
	path = folder / name
	path.parent.mkdir(parents=True, exist_ok=True)
	path.write_text(json.dumps(content))


def doctype(name: str, *fields: dict, **extra) -> dict:
	return {"doctype": "DocType", "name": name, "module": "Shop", "fields": list(fields), **extra}


def link(fieldname: str, target: str, fieldtype: str = "Link") -> dict:
	return {"fieldname": fieldname, "fieldtype": fieldtype, "options": target}


def test_reads_the_three_shapes_and_says_why_the_rest_is_not_loaded(tmp_path):
	write(tmp_path, "fixtures/role.json", [{"doctype": "Role", "name": "Clerk", "role_name": "Clerk"}])
	write(tmp_path, "shop/custom/user.json", {"doctype": "User", "custom_fields": [], "property_setters": []})
	write(tmp_path, "shop/doctype/order/order.json", doctype("Order"))
	write(tmp_path, "shop/doctype/order/test_records.json", [{"doctype": "Order", "name": "O-1"}])
	write(tmp_path, "notes.json", {"anything": 1})
	write(tmp_path, "fixtures/empty.json", [])
	folder = read_folder(tmp_path)
	assert [d["name"] for d in folder.documents] == ["Clerk", "Order"]
	assert [Path(p).name for p, _ in folder.customizations] == ["user.json"]
	assert len(folder.not_loaded) == 2
	assert any("test records" in line for line in folder.not_loaded)


def test_batches_load_what_others_link_to_first_and_child_tables_before_parents(tmp_path):
	write(
		tmp_path,
		"all.json",
		[
			{"doctype": "Workflow", "name": "Flow"},
			{"doctype": "Custom Field", "name": "User-x", "dt": "User"},
			doctype("Order"),
			doctype("Order Item", istable=1),
			{"doctype": "Role", "name": "Clerk"},
		],
	)
	batches = read_folder(tmp_path).batches()
	assert [doctype for doctype, _ in batches] == ["Role", "DocType", "Custom Field", "Workflow"]
	assert [d["name"] for d in batches[1][1]] == ["Order Item", "Order"]


def test_drop_missing_names_each_removal_and_keeps_what_the_folder_defines(tmp_path):
	write(
		tmp_path,
		"fixtures/all.json",
		[
			doctype(
				"Order",
				link("customer", "Customer"),
				link("items", "Order Item", "Table"),
				{"fieldname": "customer_name", "fieldtype": "Data", "fetch_from": "customer.customer_name"},
				links=[{"link_doctype": "Sales Invoice", "link_fieldname": "order"}],
				field_order=["customer", "items", "customer_name"],
			),
			doctype("Order Item", link("order", "Order"), istable=1),
			{
				"doctype": "Custom Field",
				"name": "Item-x",
				"dt": "Item",
				"fieldname": "x",
				"fieldtype": "Data",
			},
			{
				"doctype": "Custom Field",
				"name": "User-co",
				"dt": "User",
				"fieldtype": "Link",
				"options": "Company",
			},
			{"doctype": "Custom Field", "name": "User-ok", "dt": "User", "fieldtype": "Data"},
			{"doctype": "Custom DocPerm", "name": "p1", "parent": "Item", "role": "Clerk"},
			{"doctype": "Item", "name": "Pen"},
		],
	)
	folder = read_folder(tmp_path)
	drop_missing(folder, BARE_SITE, {"Custom", "Core"})
	assert [d["name"] for d in folder.documents] == ["Order", "Order Item", "User-ok"]
	order = folder.documents[0]
	assert [f["fieldname"] for f in order["fields"]] == ["items", "customer_name"]
	assert "fetch_from" not in order["fields"][1]
	assert order["field_order"] == ["items", "customer_name"] and order["links"] == []
	assert order["module"] == "Custom"
	assert len(folder.dropped) == 7  # 4 documents, 1 field, 1 fetch, 1 Connection
	assert all(line.startswith("fixtures/all.json: ") for line in folder.dropped)
	assert any("dt is Item" in line for line in folder.dropped)
	assert any("Connection to Sales Invoice" in line for line in folder.dropped)


def test_customization_files_lose_only_what_needs_a_missing_doctype(tmp_path):
	write(
		tmp_path,
		"custom/user.json",
		{
			"doctype": "User",
			"custom_fields": [
				{"dt": "User", "fieldname": "a", "fieldtype": "Data"},
				{"dt": "User", "fieldname": "b", "fieldtype": "Link", "options": "Company"},
			],
			"property_setters": [
				{"name": "Item-x-hidden", "doc_type": "Item"},
				{"name": "u", "doc_type": "User"},
			],
		},
	)
	write(
		tmp_path, "custom/item.json", {"doctype": "Item", "custom_fields": [{"dt": "Item", "fieldname": "c"}]}
	)
	folder = read_folder(tmp_path)
	drop_missing(folder, BARE_SITE, {"Custom"})
	content = dict((Path(path).name, data) for path, data in folder.customizations)
	assert [f["fieldname"] for f in content["user.json"]["custom_fields"]] == ["a"]
	assert [p["name"] for p in content["user.json"]["property_setters"]] == ["u"]
	assert content["item.json"]["custom_fields"] == []
	assert len(folder.dropped) == 3


def test_as_custom_makes_an_apps_doctypes_custom_with_one_rule_per_role(tmp_path):
	rules = [{"role": "Clerk", "read": 1}, {"role": "Clerk", "write": 1}, {"role": "Clerk", "permlevel": 1}]
	fields = [{"fieldname": "a", "fieldtype": "Data"}, {"fieldname": "a", "fieldtype": "Check"}]
	write(tmp_path, "order.json", doctype("Order", *fields, permissions=rules))
	write(tmp_path, "mine.json", doctype("Mine", custom=1, module="Custom"))
	folder = read_folder(tmp_path)
	as_custom(folder)
	order = next(d for d in folder.documents if d["name"] == "Order")
	assert (order["custom"], order["module"]) == (1, "Custom")
	assert order["permissions"] == [rules[0], rules[2]]
	assert order["fields"] == fields[:1]
	assert len(folder.changed) == 3  # Order made custom, its second rule for Clerk and field a left out
