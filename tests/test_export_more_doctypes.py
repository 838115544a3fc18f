"""export() of the doctypes of more_doctypes.py on the in-memory site: a Webhook's secret reference
is written as it is (it is no secret), a managed Single field keeps its value at the default, and
the files load back and converge."""

from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.blueprint.validate import load_blueprint_set

SCHEMAS = {
	"Webhook": DoctypeSchema(
		"Webhook",
		{
			"webhook_doctype": FieldSpec("webhook_doctype", "Link", options="DocType"),
			"request_url": FieldSpec("request_url", "Small Text"),
			"webhook_secret": FieldSpec("webhook_secret", "Password"),
		},
	),
	"System Settings": DoctypeSchema(
		"System Settings",
		{"deny_multiple_sessions": FieldSpec("deny_multiple_sessions", "Check", "0")},
	),
}
HOOK = {
	"doctype": "Webhook",
	"name": "Notes Hook",
	"webhook_doctype": "Note",
	"request_url": "https://hooks.example.com/notes",
	"webhook_secret": {"site_config": "notes_hook_secret"},
}
SETTING = {"doctype": "System Settings", "name": "deny_multiple_sessions", "value": "0"}


def test_references_and_single_fields_are_exported_and_load_back_converged(repo):
	site = MemorySite([HOOK, SETTING], schemas=SCHEMAS)
	result = stack.export(
		site, str(repo.root), only=[("Webhook", "Notes Hook"), ("System Settings", "deny_multiple_sessions")]
	)
	assert result.left_out == []
	assert repo.read("note")["documents"] == [HOOK]
	assert repo.read("system-settings")["documents"] == [
		{"doctype": "System Settings", "name": "deny_multiple_sessions", "value": 0}
	]
	load_blueprint_set(repo.root, schema=site.schema)
	assert stack.diff(site, str(repo.root)).is_clean
	again = stack.export(site, str(repo.root))
	assert again.written == []
