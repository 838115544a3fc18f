"""What uninstalling the app removes besides its DocTypes: the roles it shipped and the
fingerprint of the last clean apply."""

import frappe

from frappe_stack.shipped_roles import STACK_ROLES
from frappe_stack.site.change_marks import record_fingerprint


def before_uninstall():
	for role in STACK_ROLES:
		frappe.delete_doc("Role", role, force=True, ignore_missing=True, ignore_permissions=True)
	record_fingerprint(None)
