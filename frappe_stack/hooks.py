from frappe_stack.shipped_roles import STACK_ROLES

app_name = "frappe_stack"
app_title = "Frappe Stack"
app_publisher = "frappe_stack developers"
app_description = "Customizations as code: blueprints, an idempotent applier, safe promotion to production"
app_email = "developers@frappe-stack.invalid"
app_license = "mit"

fixtures = [{"dt": "Role", "filters": [["name", "in", list(STACK_ROLES)]]}]

after_migrate = ["frappe_stack.migrate.after_migrate"]
before_uninstall = "frappe_stack.site.uninstall.before_uninstall"

# The ledger and the audit log point at managed documents; those references must never stop a
# tombstone (or a person) from deleting a document.
ignore_links_on_delete = ["Blueprint", "Blueprint Document", "Stack Audit Log"]
