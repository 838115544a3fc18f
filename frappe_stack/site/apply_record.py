"""The outcome of the last apply in `bench migrate`, kept in a file of the site
(sites/<site>/private/frappe_stack/last_apply.json) rather than in its database, so that restoring a
backup cannot erase why a deploy failed (see frappe_stack.apply_failures)."""

import json
import os
from pathlib import Path

from frappe.utils import get_bench_path


def path(site_name: str) -> Path:
	return (
		Path(get_bench_path()).resolve()
		/ "sites"
		/ site_name
		/ "private"
		/ "frappe_stack"
		/ "last_apply.json"
	)


def write(site_name: str, record: dict) -> None:
	"""Replace the record whole (a reader never sees half of one)."""
	target = path(site_name)
	target.parent.mkdir(parents=True, exist_ok=True)
	partial = target.with_suffix(".json.partial")
	partial.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
	os.replace(partial, target)


def read(site_name: str) -> dict | None:
	"""The last record, None when no apply wrote one since `clear`."""
	try:
		return json.loads(path(site_name).read_text(encoding="utf-8"))
	except FileNotFoundError:
		return None


def clear(site_name: str) -> None:
	path(site_name).unlink(missing_ok=True)
