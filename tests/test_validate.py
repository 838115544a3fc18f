"""Rules across files (law 5) and dependency order (law 6)."""

import json

import pytest
from builders import EXAMPLE_REPO, Repo, custom_field, doctype, role

from frappe_stack.blueprint.loader import Source
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import BlueprintError, ValidationFailed


def problems(sources, schema=None) -> list[BlueprintError]:
	with pytest.raises(ValidationFailed) as excinfo:
		load_blueprint_set(sources, schema)
	assert all(e.file and e.path and e.fix for e in excinfo.value.errors)
	return excinfo.value.errors


def link(fieldname: str, target: str) -> dict:
	return {"fieldname": fieldname, "fieldtype": "Link", "options": target}


# ---- the example repo ---------------------------------------------------------------------------


def test_example_repo_loads():
	desired = load_blueprint_set(EXAMPLE_REPO)
	assert [bp.name for bp in desired.blueprints] == ["field-roles", "beneficiary"]
	assert desired.needs == {"field-roles": [], "beneficiary": ["field-roles"]}
	assert desired.by_name()["beneficiary"].depends_on == ["field-roles"]


def test_example_files_are_canonical():
	for bp in load_blueprint_set(EXAMPLE_REPO).blueprints:
		assert (EXAMPLE_REPO / bp.file).read_bytes() == bp.canonical_bytes(), bp.file


def test_rewritten_file_loads_to_the_same_canonical_bytes(repo):
	original = load_blueprint_set(EXAMPLE_REPO).by_name()["beneficiary"]
	data = original.as_dict()
	data["documents"] = list(reversed(data["documents"]))
	for document in data["documents"]:
		document.update(modified="2024-01-01 00:00:00", owner="Administrator", docstatus=0)
	repo.write_text("beneficiary.json", json.dumps(data, indent=4))
	repo.write("field-roles", [role("Field Officer"), role("Manager"), role("Program Officer")])
	reloaded = load_blueprint_set(repo.root).by_name()["beneficiary"]
	assert reloaded.canonical_bytes() == (EXAMPLE_REPO / "blueprints" / "beneficiary.json").read_bytes()


def test_apply_order_follows_dependencies():
	desired = load_blueprint_set(EXAMPLE_REPO)
	order = [doc.key for bp in desired.blueprints for doc in bp.apply_order]
	position = {key: i for i, key in enumerate(order)}
	roles = [key for key in order if key[0] == "Role"]
	assert roles and all(position[r] < position[("DocType", "Beneficiary")] for r in roles)
	workflow = position[("Workflow", "Beneficiary Approval")]
	assert position[("DocType", "Beneficiary")] < workflow
	assert all(position[r] < workflow for r in roles)
	for state in ("Registered", "Under Review"):
		assert position[("Workflow State", state)] < workflow
	assert position[("Workflow Action Master", "Submit for Review")] < workflow
	beneficiary_field = position[("Custom Field", "Contact-beneficiary")]
	assert position[("DocType", "Beneficiary")] < beneficiary_field
	# insert_after names outreach_channel, which sorts after "beneficiary" by name alone
	assert position[("Custom Field", "Contact-outreach_channel")] < beneficiary_field


def test_documents_stay_in_file_order_while_apply_order_follows_references(repo):
	repo.write(
		"x",
		[
			custom_field("Contact", "a", insert_after="b"),
			custom_field("Contact", "b", insert_after="c"),
			custom_field("Contact", "c"),
		],
	)
	bp = load_blueprint_set(repo.root).blueprints[0]
	assert [doc.name for doc in bp.documents] == ["Contact-a", "Contact-b", "Contact-c"]
	assert [doc.name for doc in bp.apply_order] == ["Contact-c", "Contact-b", "Contact-a"]


def test_link_targets_come_first_across_blueprints_without_depends_on(repo):
	repo.write("a-orders", [doctype("Order", fields=[link("customer", "Client")])])
	repo.write("z-clients", [doctype("Client")])
	desired = load_blueprint_set(repo.root)
	assert [bp.name for bp in desired.blueprints] == ["z-clients", "a-orders"]
	assert desired.needs["a-orders"] == ["z-clients"]


def test_doctypes_linking_each_other_inside_one_blueprint_are_legal(repo):
	repo.write("x", [doctype("A", fields=[link("b", "B")]), doctype("B", fields=[link("a", "A")]), role("R")])
	bp = load_blueprint_set(repo.root).blueprints[0]
	assert [doc.key for doc in bp.apply_order] == [("Role", "R"), ("DocType", "A"), ("DocType", "B")]


def test_order_is_deterministic(repo):
	repo.write("b", [role("B")])
	repo.write("a", [role("A")])
	repo.write("c", [role("C")], depends_on=["b"])
	assert [bp.name for bp in load_blueprint_set(repo.root).blueprints] == ["a", "b", "c"]


# ---- cross-file problems ------------------------------------------------------------------------


def test_duplicate_identity_names_both_files(repo):
	repo.write("a", [role("X"), role("Shared")])
	repo.write("b", [role("Shared")])
	[error] = problems(repo.root)
	assert (error.file, error.path) == ("blueprints/b.json", "$.documents[0]")
	assert "Role 'Shared' is also defined in blueprints/a.json at $.documents[1]" in error.message
	assert "exactly one blueprint" in error.fix


def test_duplicate_identity_inside_one_file(repo):
	repo.write("a", [role("X"), role("X", desk_access=1)])
	[error] = problems(repo.root)
	assert error.file == "blueprints/a.json"
	assert "also defined in blueprints/a.json" in error.message


def test_tombstone_of_a_document_defined_elsewhere(repo):
	repo.write("a", [custom_field("Contact", "x")])
	repo.write("b", [role("B")], delete=[{"doctype": "Custom Field", "name": "Contact-x"}])
	[error] = problems(repo.root)
	assert (error.file, error.path) == ("blueprints/b.json", "$.delete[0]")
	assert "defined in blueprints/a.json at $.documents[0]" in error.message


def test_same_tombstone_in_two_blueprints(repo):
	tombstone = {"doctype": "Custom Field", "name": "Contact-old"}
	repo.write("a", [role("A")], delete=[tombstone])
	repo.write("b", [role("B")], delete=[tombstone])
	[error] = problems(repo.root)
	assert (error.file, error.path) == ("blueprints/b.json", "$.delete[0]")
	assert "blueprints/a.json" in error.message


def test_same_tombstone_twice_in_one_blueprint(repo):
	tombstone = {"doctype": "Custom Field", "name": "Contact-old"}
	repo.write("a", [role("A")], delete=[tombstone, {"doctype": "Role", "name": "Old"}, tombstone])
	[error] = problems(repo.root)
	assert (error.file, error.path) == ("blueprints/a.json", "$.delete[2]")


def test_depends_on_cycle_shows_the_path(repo):
	repo.write("a", [role("A")], depends_on=["b"])
	repo.write("b", [role("B")], depends_on=["c"])
	repo.write("c", [role("C")], depends_on=["a"])
	repo.write("d", [role("D")], depends_on=["a"])
	[error] = problems(repo.root)
	assert error.path == "$.depends_on"
	assert "dependency cycle a -> b -> c -> a" in error.message
	assert "a needs b (depends_on)" in error.message
	assert error.file == "blueprints/a.json"
	assert "break the cycle" in error.fix


def test_cycle_inferred_from_documents(repo):
	repo.write("orders", [doctype("Order", fields=[link("client", "Client")])])
	repo.write("clients", [doctype("Client")], depends_on=["orders"])
	[error] = problems(repo.root)
	assert "dependency cycle clients -> orders -> clients" in error.message
	assert "orders needs clients (DocType 'Order' references DocType 'Client')" in error.message


def test_cycle_inferred_from_documents_only(repo):
	repo.write("orders", [doctype("Order", fields=[link("client", "Client")])])
	repo.write("clients", [doctype("Client", fields=[link("last_order", "Order")])])
	[error] = problems(repo.root)
	assert "clients -> orders -> clients" in error.message
	assert "DocType 'Client' references DocType 'Order'" in error.message


def test_depends_on_a_missing_blueprint(repo):
	repo.write("a", [role("A")], depends_on=["ghost"])
	[error] = problems(repo.root)
	assert (error.file, error.path) == ("blueprints/a.json", "$.depends_on[0]")
	assert "'ghost'" in error.message
	assert "blueprints/ghost.json" in error.fix


def test_depends_on_a_blueprint_whose_file_is_broken_reports_only_the_broken_file(repo):
	repo.write_text("base.json", "{ not json")
	repo.write("a", [role("A")], depends_on=["base"])
	[error] = problems(repo.root)
	assert error.file == "blueprints/base.json"


def test_self_dependency(repo):
	repo.write("a", [role("A")], depends_on=["a"])
	[error] = problems(repo.root)
	assert (error.file, error.path) == ("blueprints/a.json", "$.depends_on[0]")
	assert "itself" in error.message


def test_duplicate_blueprint_names_across_sources(tmp_path):
	first, second = Repo(tmp_path / "repo"), Repo(tmp_path / "app")
	first.write("shared", [role("A")])
	second.write("shared", [role("B")])
	[error] = problems([Source(first.root), Source(second.root, "my_app:")])
	assert (error.file, error.path) == ("my_app:blueprints/shared.json", "$.blueprint")
	assert "also blueprints/shared.json" in error.message


def test_missing_blueprint_folder(tmp_path):
	[error] = problems(tmp_path / "nowhere")
	assert error.file.endswith("nowhere")
	assert "--path" in error.fix


def test_all_cross_file_problems_reported_at_once(repo):
	repo.write("a", [role("X")], depends_on=["ghost"])
	repo.write("b", [role("X")], depends_on=["b"])
	repo.write("c", [{"doctype": "Nope", "name": "n"}])
	errors = problems(repo.root)
	assert sorted((e.file, e.path) for e in errors) == [
		("blueprints/a.json", "$.depends_on[0]"),
		("blueprints/b.json", "$.depends_on[0]"),
		("blueprints/b.json", "$.documents[0]"),
		("blueprints/c.json", "$.documents[0].doctype"),
	]
