"""What every supported doctype's adapter says about its documents (how one is identified, what it
depends on, which fields frappe_stack never manages), and the small reference helpers adapters share.
The adapters themselves are in registry.py and more_doctypes.py."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from frappe_stack.blueprint.schema import DoctypeSchema

Key = tuple[str, str]
LINK_FIELDTYPES = frozenset({"Link", "Table", "Table MultiSelect"})
# A child row's natural key: the first of these whose fields the child table has. Rows are matched
# by it (not by position) when an update keeps row names and when a diff names a row.
ROW_KEYS = (
	("fieldname",),
	("role", "permlevel", "if_owner"),
	("state", "action", "next_state"),
	("state",),
	("role",),
	("chart",),
	("card",),
	("chart_name",),
	("number_card_name",),
	("link_to", "label"),
	("label",),
)


@dataclass(frozen=True)
class DoctypeAdapter:
	doctype: str
	rank: int
	refs: Callable[[dict], Iterable[Key]] = lambda doc: ()
	# The name Frappe would give the document; a blueprint that disagrees would create a twin.
	expected_name: Callable[[dict], str | None] = lambda doc: None
	# (field, value that makes the document app-owned): app-owned documents are code, not blueprints.
	standard_guard: tuple[str, object] | None = None
	# Fields that identify the document or what it customizes. Only those: a field Frappe gives a
	# default (a Custom Field's fieldtype Data) is dropped by the canonical form, so requiring it
	# would refuse exported files.
	required: tuple[str, ...] = ()
	# Fields Frappe maintains itself (caches, counters, sync stamps): never compared or written.
	ignored: frozenset[str] = field(default_factory=frozenset)
	# Which documents on a site are customizations (export finds them); None: only those that an
	# exported document references (workflow states and actions).
	discover: dict | None = field(default_factory=dict)
	# A Single DocType managed field by field: each document is one field, named by its fieldname
	# (see single_fields.py); the rest of the singleton is never changed, compared or exported.
	by_field: bool = False
	# Problems of shape the generic checks cannot see: (key, message, fix) for each.
	problems: Callable[[dict, DoctypeSchema | None], list[tuple[str, str, str]]] = lambda doc, schema: []


def rows(doc: dict, table: str) -> list[dict]:
	"""The rows of a child table, ignoring anything in it that is not a row."""
	return [row for row in doc.get(table) or [] if isinstance(row, dict)]


def doctype_ref(value) -> list[Key]:
	return [("DocType", value)] if isinstance(value, str) and value else []


def role_refs(rows: list[dict], fieldname: str) -> list[Key]:
	return [("Role", row[fieldname]) for row in rows if row.get(fieldname)]


def field_value(fieldname: str) -> Callable[[dict], str | None]:
	return lambda doc: doc.get(fieldname)
