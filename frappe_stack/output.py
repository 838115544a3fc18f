"""How every command prints: text by default, JSON with --json; one clean line per error; exit
codes like `terraform plan -detailed-exitcode` (0 clean, 2 differences or blocked, 1 error)."""

import json
import sys

import click

from frappe_stack.errors import StackError, ValidationFailed

EXIT_OK, EXIT_ERROR, EXIT_CHANGES = 0, 1, 2


def emit(as_json: bool, payload: dict, text: str) -> None:
	click.echo(json.dumps(payload, indent=1, sort_keys=True, default=str) if as_json else text)


def fail(as_json: bool, error: StackError) -> None:
	if as_json:
		payload = {"error": str(error)}
		if isinstance(error, ValidationFailed):
			payload["errors"] = [e.as_dict() for e in error.errors]
		click.echo(json.dumps(payload, indent=1, sort_keys=True))
	else:
		click.echo(f"Error: {error}", err=True)
	sys.exit(EXIT_ERROR)


def progress(as_json: bool):
	"""One line per blueprint that has work, on stderr, so stdout stays the result."""
	if as_json:
		return None
	return lambda index, total, bp: (
		click.echo(f"[{index}/{total}] {bp.name}", err=True) if bp.has_changes else None
	)
