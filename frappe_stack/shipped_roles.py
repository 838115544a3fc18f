"""The roles frappe_stack ships. Install syncs them from fixtures/; uninstall removes the same list."""

STACK_ROLES = ("Stack Manager", "Stack Viewer")
