"""The outcome of the last apply in `bench migrate`, kept in a file of the site
(private/frappe_stack/last_apply.json) rather than in its database, so that restoring a backup
cannot erase why a deploy failed (see frappe_stack.apply_failures)."""

import json
import os
from pathlib import Path

import frappe


def path() -> Path:
	return Path(frappe.get_site_path("private", "frappe_stack", "last_apply.json")).resolve()


def write(record: dict) -> None:
	"""Replace the record whole (a reader never sees half of one)."""
	target = path()
	target.parent.mkdir(parents=True, exist_ok=True)
	partial = target.with_suffix(".json.partial")
	partial.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
	os.replace(partial, target)


def read() -> dict | None:
	"""The last record, None when no apply wrote one since `clear`."""
	try:
		return json.loads(path().read_text(encoding="utf-8"))
	except FileNotFoundError:
		return None


def clear() -> None:
	path().unlink(missing_ok=True)
