"""What the core needs to know of a DocType's shape: its fields, their types and static defaults.

The site adapter builds these from Frappe's meta; tests build them by hand. Keeping the shape
here (rather than passing Frappe meta around) is what lets the canonical form stay pure.
"""

from dataclasses import dataclass, field

# Fieldtypes that hold no value of their own (frappe.model.no_value_fields): no column, nothing to compare.
NO_VALUE_FIELDTYPES = frozenset(
	{
		"Section Break",
		"Column Break",
		"Tab Break",
		"HTML",
		"Table",
		"Table MultiSelect",
		"Button",
		"Image",
		"Fold",
		"Heading",
	}
)
TABLE_FIELDTYPES = frozenset({"Table", "Table MultiSelect"})
# Defaults that depend on who or when: a new document gets them from the session, not the schema.
DYNAMIC_DEFAULTS = ("__user", "Today", "Now", "now")
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
	istable: bool = False
	# columns of the table that are no field (older versions of a DocType leave them behind, and
	# Frappe's as_dict shows them): a document may carry them, and they are dropped like its name
	columns: frozenset[str] = frozenset()

	def password_fields(self) -> list[str]:
		return [f.fieldname for f in self.fields.values() if f.fieldtype == "Password"]


def static_default(fieldtype: str, default, options: str | None):
	"""The default a new document gets without a user or session: Frappe's own rule (a Select's
	first option when no default is set), less the defaults that depend on who or when."""
	if default:
		text = str(default)
		return None if text in DYNAMIC_DEFAULTS or text.startswith(":") else default
	if fieldtype == "Select" and options and options not in ("[Select]", "Loading..."):
		return options.split("\n", 1)[0] or None
	return None


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
		"istable": schema.istable,
		"columns": sorted(schema.columns),
	}


def schema_from_dict(data: dict) -> DoctypeSchema:
	return DoctypeSchema(
		data["doctype"],
		{
			name: FieldSpec(name, fieldtype, default, options)
			for name, fieldtype, default, options in data["fields"]
		},
		{name: schema_from_dict(child) for name, child in data["tables"].items()},
		bool(data.get("istable")),
		frozenset(data.get("columns") or ()),
	)
