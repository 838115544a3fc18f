"""How every command prints: text by default, JSON with --json; one clean line per error, exit
code 1 (frappe_stack.exit_codes)."""

import json
import sys

import click

from frappe_stack import __version__
from frappe_stack.errors import StackError, ValidationFailed
from frappe_stack.exit_codes import EXIT_ERROR
from frappe_stack.review.findings import Report
from frappe_stack.review.sarif import read_texts, to_sarif


def emit(as_json: bool, payload: dict, text: str) -> None:
	click.echo(json.dumps(payload, indent=1, sort_keys=True, default=str) if as_json else text)


def emit_review(report: Report, root, as_json: bool, as_sarif: bool) -> None:
	"""A review as both `review` commands (bench and URL) print it: SARIF 2.1.0 with lines read
	from the blueprint files below the config repo `root`, JSON, or one line per finding."""
	if as_sarif:
		emit(True, to_sarif(report, __version__, read_texts(root, report)), "")
	else:
		emit(as_json, report.as_dict(), report.text())


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
