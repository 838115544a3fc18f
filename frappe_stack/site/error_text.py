"""How an error from Frappe reads in a report, the ledger and the audit log."""

from frappe.utils import strip_html_tags

from frappe_stack.errors import StackError


def error_text(exc: Exception) -> str:
	"""No HTML (Frappe's messages carry some); the exception's type unless it is our own error,
	whose message already says what to fix."""
	message = strip_html_tags(str(exc)).strip() or type(exc).__name__
	return message if isinstance(exc, StackError) else f"{type(exc).__name__}: {message}"
