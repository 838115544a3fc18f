"""The schema blueprints are read against: the site's, plus the Custom Fields the blueprints
themselves define. A document's value for a Custom Field that the same repo adds (a Notification
with a custom checkbox set) would otherwise be dropped as an unknown key while the field does not
exist on the site yet, and the site would not converge in one apply (law 3)."""

import json
from collections import defaultdict
from dataclasses import replace

from frappe_stack.blueprint.loader import SchemaLookup, Source
from frappe_stack.blueprint.schema import NO_VALUE_FIELDTYPES, FieldSpec, static_default


def with_custom_fields(schema: SchemaLookup, sources: list[Source]) -> SchemaLookup:
	added = _custom_fields(sources)
	cache = {}

	def lookup(doctype: str):
		if doctype not in cache:
			base = schema(doctype)
			extra = {
				name: spec
				for name, spec in added.get(doctype, {}).items()
				if base is not None and name not in base.fields
			}
			cache[doctype] = replace(base, fields=base.fields | extra) if extra else base
		return cache[doctype]

	return lookup


def _custom_fields(sources: list[Source]) -> dict[str, dict[str, FieldSpec]]:
	"""Custom Fields by the DocType they extend, read leniently: the loader reports bad files."""
	added: dict[str, dict[str, FieldSpec]] = defaultdict(dict)
	for source in sources:
		for file in sorted(source.blueprint_dir.glob("*.json")) if source.blueprint_dir.is_dir() else ():
			try:
				raw = json.loads(file.read_text(encoding="utf-8"))
			except (UnicodeDecodeError, json.JSONDecodeError):
				continue
			documents = raw.get("documents") if isinstance(raw, dict) else None
			for doc in documents if isinstance(documents, list) else ():
				if isinstance(doc, dict) and (spec := custom_field_spec(doc)) is not None:
					added[doc["dt"]][spec.fieldname] = spec
	return added


def custom_field_spec(doc: dict) -> FieldSpec | None:
	"""The field a Custom Field document adds to its DocType, as the DocType's meta would show it."""
	if doc.get("doctype") != "Custom Field":
		return None
	dt, fieldname, fieldtype = doc.get("dt"), doc.get("fieldname"), doc.get("fieldtype") or "Data"
	if not (isinstance(dt, str) and isinstance(fieldname, str)) or fieldtype in NO_VALUE_FIELDTYPES:
		return None
	return FieldSpec(
		fieldname,
		fieldtype,
		static_default(fieldtype, doc.get("default"), doc.get("options")),
		doc.get("options"),
	)
