"""Canonical form and content hashes: same content, same bytes, on every machine.

No decision anywhere uses `modified` timestamps; they are stripped here along with every other
key that changes without the content changing.
"""

import hashlib
import json

from frappe_stack.blueprint.schema import DoctypeSchema, coerce, normalize_number

VOLATILE_KEYS = frozenset(
	{
		"creation",
		"modified",
		"modified_by",
		"owner",
		"lft",
		"rgt",
		"old_parent",
		"_user_tags",
		"_comments",
		"_assign",
		"_liked_by",
		"_seen",
		"__onload",
		"__islocal",
		"__unsaved",
		"__last_sync_on",
	}
)
CHILD_IDENTITY_KEYS = frozenset({"name", "parent", "parentfield", "parenttype", "idx", "doctype"})
TOP_KEYS_KEPT = ("doctype", "name")


def is_empty(value) -> bool:
	return value is None or value == "" or value == []


def canonical_document(doc: dict, schema: DoctypeSchema | None = None) -> dict:
	"""The canonical dict of one document. With a schema, unknown keys and default values go too."""
	out = {key: doc[key] for key in TOP_KEYS_KEPT if key in doc}
	out.update(_canonical_fields(doc, schema, skip=frozenset(TOP_KEYS_KEPT) | VOLATILE_KEYS))
	if out.get("docstatus") == 0:
		del out["docstatus"]
	return out


def _canonical_fields(doc: dict, schema: DoctypeSchema | None, skip: frozenset) -> dict:
	out = {}
	for key, value in doc.items():
		if key in skip:
			continue
		if schema is not None:
			if key in schema.tables:
				rows = [_canonical_row(row, schema.tables[key]) for row in _in_idx_order(value or [])]
				if rows:
					out[key] = rows
				continue
			spec = schema.fields.get(key)
			if spec is None:
				continue
			value = coerce(spec.fieldtype, _plain(value))
			if is_empty(value) or value == spec.effective_default():
				continue
			out[key] = value
		elif isinstance(value, list):
			rows = [_canonical_row(row, None) for row in _in_idx_order(value)]
			if rows:
				out[key] = rows
		else:
			value = _plain(value)
			if not is_empty(value):
				out[key] = value
	return out


def _canonical_row(row: dict, schema: DoctypeSchema | None) -> dict:
	return _canonical_fields(row, schema, skip=CHILD_IDENTITY_KEYS | VOLATILE_KEYS)


def _in_idx_order(rows: list) -> list:
	"""Rows keep their idx order; rows without idx keep their position (sorted() is stable)."""
	if not all(isinstance(row, dict) for row in rows):
		return rows
	return sorted(rows, key=lambda row: row.get("idx") or 0) if any("idx" in r for r in rows) else rows


def _plain(value):
	if isinstance(value, dict):
		return {k: _plain(v) for k, v in value.items()}
	if isinstance(value, list):
		return [_plain(v) for v in value]
	return normalize_number(value)


def canonical_bytes(obj) -> bytes:
	"""Sorted keys, 1-space indent, UTF-8, trailing newline."""
	return (json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def content_hash(obj) -> str:
	return hashlib.sha256(canonical_bytes(obj)).hexdigest()
