"""What the bench command group needs of Frappe's click plumbing: the `--site` context and the
site it names. commands.py gets them here, so only the adapter imports frappe."""

from frappe.commands import get_site, pass_context  # noqa: F401  (re-exported for commands.py)
