"""What the core needs to know of a DocType's shape: its fields, their types and static defaults.

The site adapter builds these from Frappe's meta; tests build them by hand. Keeping the shape
here (rather than passing Frappe meta around) is what lets the canonical form stay pure.
"""

from dataclasses import dataclass, field

NUMERIC_FIELDTYPES = frozenset({"Int", "Check", "Float", "Currency", "Percent", "Rating", "Duration"})
INTEGER_FIELDTYPES = frozenset({"Int", "Check"})


@dataclass(frozen=True)
class FieldSpec:
	fieldname: str
	fieldtype: str
	default: object = None
	options: str | None = None

	def effective_default(self):
		"""The value a new document gets when the blueprint says nothing about this field."""
		if self.default is not None:
			return coerce(self.fieldtype, self.default)
		if self.fieldtype in NUMERIC_FIELDTYPES:
			return 0
		return None


@dataclass(frozen=True)
class DoctypeSchema:
	doctype: str
	fields: dict[str, FieldSpec] = field(default_factory=dict)
	tables: dict[str, "DoctypeSchema"] = field(default_factory=dict)

	def password_fields(self) -> list[str]:
		return [f.fieldname for f in self.fields.values() if f.fieldtype == "Password"]


def coerce(fieldtype: str, value):
	"""Bring a value to the JSON type Frappe stores for the field, so "1", 1, 1.0 and true compare equal."""
	if value is None:
		return None
	if fieldtype in INTEGER_FIELDTYPES:
		try:
			return int(float(value))
		except (TypeError, ValueError):
			return value
	if fieldtype in NUMERIC_FIELDTYPES:
		try:
			return normalize_number(float(value))
		except (TypeError, ValueError):
			return value
	return value


def normalize_number(value):
	if isinstance(value, bool):
		return int(value)
	if isinstance(value, float) and value.is_integer():
		return int(value)
	return value


def schema_to_dict(schema: DoctypeSchema) -> dict:
	return {
		"doctype": schema.doctype,
		"fields": [[f.fieldname, f.fieldtype, f.default, f.options] for f in schema.fields.values()],
		"tables": {name: schema_to_dict(child) for name, child in schema.tables.items()},
	}


def schema_from_dict(data: dict) -> DoctypeSchema:
	return DoctypeSchema(
		data["doctype"],
		{
			name: FieldSpec(name, fieldtype, default, options)
			for name, fieldtype, default, options in data["fields"]
		},
		{name: schema_from_dict(child) for name, child in data["tables"].items()},
	)
