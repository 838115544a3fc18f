"""What uninstalling the app removes besides its DocTypes: the roles it shipped."""

import frappe

from frappe_stack.shipped_roles import STACK_ROLES


def before_uninstall():
	for role in STACK_ROLES:
		frappe.delete_doc("Role", role, force=True, ignore_missing=True, ignore_permissions=True)
