"""Singles managed field by field, and Password fields given as site config references, without a
site: the canonical form, the checks that refuse bad shapes, and resolving references."""

import pytest
from test_more_doctypes import loaded, only_problem

from frappe_stack.blueprint.registry import managed_form
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.blueprint.secret_refs import is_reference, key_holding, resolve
from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import ValidationFailed

# ---- Singles, field by field ---------------------------------------------------------------------

SYSTEM = DoctypeSchema(
	"System Settings",
	{
		"time_zone": FieldSpec("time_zone", "Select"),
		"enable_password_policy": FieldSpec("enable_password_policy", "Check", "1"),
		"deny_multiple_sessions": FieldSpec("deny_multiple_sessions", "Check", "0"),
	},
)


def test_a_managed_field_keeps_its_value_even_at_the_default_or_empty():
	form = lambda doc: managed_form({"doctype": "System Settings", **doc}, SYSTEM)  # noqa: E731
	assert form({"name": "deny_multiple_sessions", "value": "0"}) == {
		"doctype": "System Settings",
		"name": "deny_multiple_sessions",
		"value": 0,
	}
	assert form({"name": "enable_password_policy", "value": True})["value"] == 1
	assert form({"name": "time_zone", "value": ""})["value"] is None
	assert form({"name": "time_zone"})["value"] is None


def test_a_single_is_one_field_per_document(repo):
	repo.write("x", [{"doctype": "System Settings", "name": "time_zone", "value": "UTC", "country": "India"}])
	error = only_problem(repo)
	assert error.path == "$.documents[0].country"
	assert "one field per document" in error.message


def test_a_single_field_must_exist(repo):
	repo.write("x", [{"doctype": "System Settings", "name": "time_zon", "value": "UTC"}])
	error = only_problem(repo, {"System Settings": SYSTEM}.get)
	assert error.path == "$.documents[0].name"
	assert "no data field 'time_zon'" in error.message


def test_a_password_field_of_a_single_is_refused(repo):
	schema = DoctypeSchema("Website Settings", {"api_token": FieldSpec("api_token", "Password")})
	repo.write("x", [{"doctype": "Website Settings", "name": "api_token", "value": "s3cr3t"}])
	error = only_problem(repo, {"Website Settings": schema}.get)
	assert (error.path, "Password field" in error.message) == ("$.documents[0].name", True)
	assert "s3cr3t" not in str(error)


def test_two_blueprints_may_manage_different_fields_of_one_single(repo):
	repo.write("a", [{"doctype": "System Settings", "name": "time_zone", "value": "UTC"}])
	repo.write("b", [{"doctype": "System Settings", "name": "deny_multiple_sessions", "value": 1}])
	assert set(loaded(repo, {"System Settings": SYSTEM}.get)) == {
		("System Settings", "time_zone"),
		("System Settings", "deny_multiple_sessions"),
	}


def test_a_single_field_cannot_be_deleted(repo):
	repo.write("x", [], delete=[{"doctype": "System Settings", "name": "time_zone"}])
	error = only_problem(repo)
	assert error.path == "$.delete[0]"
	assert "stop managing" in error.fix


# ---- secrets as site config references -----------------------------------------------------------

WEBHOOK = DoctypeSchema(
	"Webhook",
	{
		"webhook_doctype": FieldSpec("webhook_doctype", "Link"),
		"webhook_secret": FieldSpec("webhook_secret", "Password"),
	},
)


def hook(secret) -> dict:
	return {"doctype": "Webhook", "name": "H", "webhook_doctype": "ToDo", "webhook_secret": secret}


def test_a_secret_as_a_site_config_reference_is_accepted(repo):
	repo.write("x", [hook({"site_config": "crm_hook_secret"})])
	doc = loaded(repo, {"Webhook": WEBHOOK}.get)[("Webhook", "H")]
	assert doc.data["webhook_secret"] == {"site_config": "crm_hook_secret"}


def test_a_secret_itself_is_refused_with_the_reference_as_the_fix(repo):
	repo.write("x", [hook("s3cr3t")])
	error = only_problem(repo, {"Webhook": WEBHOOK}.get)
	assert error.path == "$.documents[0].webhook_secret"
	assert "s3cr3t" not in str(error)
	assert '{"site_config": "<key>"}' in error.fix


@pytest.mark.parametrize(
	"secret", [{"site_config": ""}, {"site_config": 1}, {"config": "k"}, {"site_config": "k", "x": 1}]
)
def test_a_malformed_reference_is_refused(repo, secret):
	repo.write("x", [hook(secret)])
	with pytest.raises(ValidationFailed) as excinfo:
		load_blueprint_set(repo.root, {"Webhook": WEBHOOK}.get)
	assert any(e.path == "$.documents[0].webhook_secret" for e in excinfo.value.errors)


def test_references_resolve_from_config_and_are_found_back_by_value():
	config = {"b_secret": "v", "a_secret": "v", "other": "w"}
	assert is_reference({"site_config": "a_secret"})
	assert resolve({"site_config": "other"}, config) == "w"
	assert resolve("plain", config) == "plain"
	with pytest.raises(KeyError, match="missing"):
		resolve({"site_config": "missing"}, config)
	assert key_holding("v", config) == "a_secret"  # the first by name when several hold it
	assert key_holding("nothing holds this", config) is None
	assert key_holding("", {"empty": ""}) is None
