"""Field-level changes between the site's and the repo's version of one document, in words a
product manager can read: `Beneficiary › fields[age].fieldtype: Int → Data`.

The direction is always site → repo, i.e. what applying the repo would change on the site. Both
documents are canonical (registry.managed_form), so defaults are already dropped: a key present
on one side only is a value added or removed, and a missing key and None mean the same thing.

Child tables are matched row by row on their natural key (doctype_adapter.ROW_KEYS), not by position,
so inserting a field does not turn every later field into a change.
"""

import json
from dataclasses import dataclass

from frappe_stack.blueprint.doctype_adapter import ROW_KEYS

CHANGED, ADDED, REMOVED, REORDERED = "changed", "added", "removed", "reordered"
IDENTITY_KEYS = frozenset({"doctype", "name"})
# Scripts, HTML and JSON would flood a review line; longer values are cut to this and their length.
MAX_SHOWN = 60
NONE_SHOWN = "(none)"
ROW_WHERE = {
	ADDED: "in the repo only (apply adds it)",
	REMOVED: "on the site only (apply removes it; export keeps it)",
}


@dataclass(frozen=True)
class FieldChange:
	"""One change. `path` is a scalar field ("label", "fields[age].fieldtype"), a whole row
	("fields[age]") or a table whose matched rows changed order ("fields").

	added = in the repo only, removed = on the site only (the absent side is None); for a whole row
	the present side holds the row. For "reordered", site and repo hold the labels of the rows
	both sides share, in each side's order.
	"""

	path: str
	site: object
	repo: object
	kind: str

	def as_dict(self) -> dict:
		return {"path": self.path, "site": self.site, "repo": self.repo, "kind": self.kind}

	def render(self, document_name: str) -> str:
		prefix = f"{document_name} › {self.path}"
		if self.kind == REORDERED:
			return f"{prefix}: order changed"
		# A whole row's path always ends in its [label]; a field's path ends in a fieldname, and
		# fieldnames never end in "]". A row's content is listed nowhere else, so say just this.
		# "added"/"removed" read backwards to whoever just made the row on the site: say where it is.
		if self.kind in (ADDED, REMOVED) and self.path.endswith("]"):
			return f"{prefix}: {ROW_WHERE[self.kind]}"
		return f"{prefix}: {show(self.site)} → {show(self.repo)}"


def field_changes(site: dict | None, repo: dict | None) -> list[FieldChange]:
	"""What applying `repo` over `site` changes, field by field.

	When either document is missing this returns []: the caller reports the document as created or
	deleted, and listing every one of its fields as well would bury that one line.

	Order is deterministic: scalar keys sorted, then tables sorted by name; within a table, a
	reorder first, then rows in repo order, then rows removed in site order.
	"""
	if site is None or repo is None:
		return []
	return _compare(_content(site), _content(repo), "")


def show(value) -> str:
	"""A value as one short line: (none) for absent, long or multi-line text cut with its length."""
	if value is None:
		return NONE_SHOWN
	text = value if isinstance(value, str) else _as_text(value)
	if text == "":
		return '""'
	if len(text) <= MAX_SHOWN and "\n" not in text and "\r" not in text:
		return text
	# The first non-blank line says what the value is ("def validate(doc):", "<div class=...>");
	# a leading blank line would show nothing.
	first = next((line.strip() for line in text.splitlines() if line.strip()), "")
	return f"{first[:MAX_SHOWN]}… ({len(text)} chars)"


def _as_text(value) -> str:
	if isinstance(value, dict | list):
		return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
	return str(value)


def _content(doc: dict) -> dict:
	return {key: value for key, value in doc.items() if key not in IDENTITY_KEYS}


def _join(prefix: str, key: str) -> str:
	return f"{prefix}.{key}" if prefix else key


def _is_table(value) -> bool:
	return value is None or (isinstance(value, list) and all(isinstance(row, dict) for row in value))


def _compare(site: dict, repo: dict, prefix: str) -> list[FieldChange]:
	keys = site.keys() | repo.keys()
	# A list on one side and nothing on the other is still a table: its rows were added or removed.
	tables = {
		key
		for key in keys
		if _is_table(site.get(key))
		and _is_table(repo.get(key))
		and (isinstance(site.get(key), list) or isinstance(repo.get(key), list))
	}
	changes = []
	for key in sorted(keys - tables):
		before, after = site.get(key), repo.get(key)
		if before == after:
			continue
		kind = ADDED if before is None else REMOVED if after is None else CHANGED
		changes.append(FieldChange(_join(prefix, key), before, after, kind))
	for key in sorted(tables):
		changes += _table_changes(_join(prefix, key), site.get(key) or [], repo.get(key) or [])
	return changes


def _table_changes(path: str, site_rows: list[dict], repo_rows: list[dict]) -> list[FieldChange]:
	site_keys, repo_keys, label = _row_keys(site_rows, repo_rows)
	site_by_key = dict(zip(site_keys, site_rows, strict=True))
	repo_by_key = dict(zip(repo_keys, repo_rows, strict=True))
	changes = []
	shared_site_order = [key for key in site_keys if key in repo_by_key]
	shared_repo_order = [key for key in repo_keys if key in site_by_key]
	if shared_site_order != shared_repo_order:
		site_labels = [label(key) for key in shared_site_order]
		repo_labels = [label(key) for key in shared_repo_order]
		changes.append(FieldChange(path, site_labels, repo_labels, REORDERED))
	for key, row in zip(repo_keys, repo_rows, strict=True):
		row_path = f"{path}[{label(key)}]"
		if key in site_by_key:
			changes += _compare(site_by_key[key], row, row_path)
		else:
			changes.append(FieldChange(row_path, None, row, ADDED))
	for key, row in zip(site_keys, site_rows, strict=True):
		if key not in repo_by_key:
			changes.append(FieldChange(f"{path}[{label(key)}]", row, None, REMOVED))
	return changes


def _row_keys(site_rows: list[dict], repo_rows: list[dict]):
	"""Each row's match key on both sides, and how to label a key.

	The natural key is the first of ROW_KEYS whose first field every row on both sides has (the
	canonical form may drop the later ones, e.g. permlevel 0). If no key fits, or a key repeats
	within one side (the same workflow transition for two roles), rows are matched by position.
	"""
	fields = _key_fields(site_rows + repo_rows)
	if fields:
		site_keys = [_natural_key(row, fields) for row in site_rows]
		repo_keys = [_natural_key(row, fields) for row in repo_rows]
		if _usable(site_keys) and _usable(repo_keys):
			return site_keys, repo_keys, _natural_label
	return list(range(len(site_rows))), list(range(len(repo_rows))), lambda position: f"#{position + 1}"


def _key_fields(rows: list[dict]) -> tuple[str, ...] | None:
	for fields in ROW_KEYS:
		if all(_is_key_value(row.get(fields[0])) for row in rows):
			return fields
	return None


def _is_key_value(value) -> bool:
	return isinstance(value, str | int | float) and value != ""


def _natural_key(row: dict, fields: tuple[str, ...]) -> tuple | None:
	values = tuple(row.get(field) for field in fields)
	if not all(value is None or _is_key_value(value) for value in values):
		return None
	# The canonical form drops permlevel 0 on one site and may keep it on another: same row.
	return tuple(None if value in ("", 0, None) else value for value in values)


def _usable(keys: list) -> bool:
	return None not in keys and len(set(keys)) == len(keys)


def _natural_label(key: tuple) -> str:
	parts = list(key)
	while parts and parts[-1] is None:
		parts.pop()
	return "/".join("" if part is None else str(part) for part in parts)
