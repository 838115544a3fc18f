"""The round trip's two phases inside the bench (run by roundtrip_fixtures.py as the bench's owner).

load   on the source site: load the fixture folder as Frappe's fixture sync does, export it with
       frappe_stack into WORK/exported, take a snapshot (schema, workflows, permissions).
apply  on the target site: apply WORK/exported once, plan again, export into WORK/again, snapshot.

Each phase writes WORK/<phase>.json for the comparison outside.
"""

import json
import traceback
from pathlib import Path

import frappe
from fixture_folder import FixtureFolder, as_custom, drop_missing, read_folder
from frappe.core.doctype.data_import.data_import import import_doc
from frappe.modules.utils import sync_customizations_for_doctype

from frappe_stack import stack
from frappe_stack.site.frappe_site import FrappeSite, connected

# keys that differ between two sites holding the same thing
STAMPS = {"owner", "creation", "modified", "modified_by"}
# a child row's; rows compare as an ordered list, so their order is compared, not their idx
# numbers (a site whose rows were deleted or imported with gaps holds idx 7, 17 where the same
# rows written anew hold 3, 4)
ROW_IDENTITY = STAMPS | {"name", "parent", "idx"}
PERM_IDENTITY = STAMPS | {"name", "idx"}  # permissions compare as a set


def load_phase(site_name: str, folder: Path, work: Path, custom: bool, drop: bool) -> dict:
	fixtures = read_folder(folder)
	with connected(site_name) as site:
		if custom:
			as_custom(fixtures)
		if drop:
			drop_missing(
				fixtures,
				set(frappe.get_all("DocType", pluck="name")),
				set(frappe.get_all("Module Def", pluck="name")),
			)
		loaded, failed = load(fixtures, work / "load")
		frappe.clear_cache()
		out = {
			"loaded": loaded,
			"load_failed": failed,
			"dropped": fixtures.dropped,
			"changed": fixtures.changed,
			"not_loaded": fixtures.not_loaded,
		}
		out.update(_export(site, work / "exported"))
		out["snapshot"] = snapshot()
	return out


def apply_phase(site_name: str, work: Path) -> dict:
	with connected(site_name):
		site = TracingSite()
		result = stack.apply(site, str(work / "exported"), progress=site.starting)
		out = {
			"summary": result.summary(),
			"failures": [
				{
					"blueprint": r.blueprint,
					"status": r.status,
					"error": r.error,
					"traceback": site.traces.get(r.blueprint),
				}
				for r in result.failed
			],
		}
		plan, _, _ = stack.make_plan(FrappeSite(), str(work / "exported"))
		out["pending"] = [
			{"blueprint": bp.name, "documents": [f"{op.action} {op.doctype} '{op.name}'" for op in bp.writes]}
			for bp in plan.blueprints
			if bp.has_changes
		]
		out.update(_export(FrappeSite(), work / "again"))
		out["snapshot"] = snapshot()
	return out


def load(fixtures: FixtureFolder, scratch: Path) -> tuple[int, list[str]]:
	"""import_doc per fixture file, one file per DocType in load order, with in_fixtures set as
	sync_fixtures sets it; when Frappe refuses a file, document by document to name the refused
	ones and keep the rest. Customization files through sync_customizations_for_doctype."""
	scratch.mkdir(parents=True, exist_ok=True)
	loaded, failed = 0, []
	frappe.flags.in_fixtures = True
	try:
		for index, (doctype, docs) in enumerate(fixtures.batches()):
			stem = f"{index:02d}_{frappe.scrub(doctype)}"
			if not _import(scratch / f"{stem}.json", docs):
				loaded += len(docs)
				continue
			for number, doc in enumerate(docs):
				error = _import(scratch / f"{stem}_{number:03d}.json", [doc])
				if error:
					failed.append(f"{fixtures.origin[id(doc)]}: {doctype} '{doc['name']}': {error}")
				else:
					loaded += 1
		for path, content in fixtures.customizations:
			try:
				sync_customizations_for_doctype(content, str(Path(path).parent), Path(path).name)
				frappe.db.commit()
				loaded += sum(
					len(content.get(k) or []) for k in ("custom_fields", "property_setters", "custom_perms")
				)
			except Exception as exc:
				frappe.db.rollback()
				failed.append(f"{path}: {_head(exc)}")
	finally:
		frappe.flags.in_fixtures = False
	return loaded, failed


def _import(path: Path, docs: list[dict]) -> str:
	"""'' when Frappe imported the file, else its error."""
	for doc in docs:
		if doc["doctype"] == "DocType":
			# new field rows, as Desk sends them: otherwise Frappe looks for the columns of unique
			# fields in a table that does not exist yet (TableMissingError in check_unique_and_text)
			for row in doc.get("fields", []):
				row["__islocal"] = 1
	path.write_text(json.dumps(docs, indent=1, default=str))
	try:
		import_doc(str(path))
		return ""
	except Exception as exc:
		frappe.db.rollback()
		return _head(exc)


def _head(exc: BaseException, frames: int = 3) -> str:
	"""The exception, its first cause, and the innermost frames of that cause outside
	frappe.throw: where Frappe refused."""
	root = exc
	while root.__cause__ is not None:
		root = root.__cause__
	text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
	if root is not exc:
		text += "\ncaused by " + "".join(traceback.format_exception_only(type(root), root)).strip()
	stack = [
		f for f in traceback.extract_tb(root.__traceback__) if not f.filename.endswith("frappe/__init__.py")
	]
	return text + "\n" + "".join(traceback.format_list(stack[-frames:])).rstrip()


def _export(site, target: Path) -> dict:
	try:
		result = stack.export(site, str(target))
	except Exception as exc:
		return {"blueprints": 0, "export_error": _head(exc, frames=2)}
	return {"blueprints": len(result.documents), "left_out": result.left_out}


class TracingSite(FrappeSite):
	"""FrappeSite that keeps the traceback of what a blueprint's write raised (the ledger keeps
	only the message)."""

	def __init__(self):
		super().__init__()
		self.traces: dict[str, str] = {}
		self._blueprint = ""

	def starting(self, index: int, total: int, plan) -> None:
		"""apply's progress callback: the blueprint the next writes belong to."""
		self._blueprint = plan.name

	def write(self, document: dict, new: bool = False) -> None:
		self._traced(super().write, document, new)

	def finish_blueprint(self) -> None:
		self._traced(super().finish_blueprint)

	def _traced(self, call, *args):
		try:
			call(*args)
		except Exception as exc:
			self.traces[self._blueprint] = _head(exc, frames=6)
			raise


def snapshot() -> dict:
	"""Columns of every custom DocType and every DocType with Custom Fields; Workflows; permissions."""
	custom = frappe.get_all("DocType", filters={"custom": 1, "issingle": 0, "is_virtual": 0}, pluck="name")
	# Custom Fields made by app code (is_system_generated) are the app's, not customizations:
	# export leaves them out, so their columns are not expected on the target site
	app_made = {
		(row.dt, row.fieldname)
		for row in frappe.get_all(
			"Custom Field", filters={"is_system_generated": 1}, fields=["dt", "fieldname"]
		)
	}
	customized = set(
		frappe.get_all("Custom Field", filters={"is_system_generated": 0}, pluck="dt", distinct=True)
	)
	tables = {
		f"tab{dt}": dt
		for dt in set(custom) | customized
		if not frappe.db.get_value("DocType", dt, "issingle")
	}
	schema: dict[str, list] = {dt: [] for dt in tables.values()}
	for table, *column in frappe.db.sql(
		"select TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT "
		"from information_schema.COLUMNS where TABLE_SCHEMA = %s",
		frappe.conf.db_name,
	):
		if table in tables and (tables[table], column[0]) not in app_made:
			schema[tables[table]].append([str(value) if value is not None else None for value in column])
	workflows = {
		name: _plain(frappe.get_doc("Workflow", name).as_dict(), STAMPS)
		for name in frappe.get_all("Workflow", pluck="name")
	}
	perms = frappe.get_all("Custom DocPerm", fields=["*"])
	perms += frappe.get_all("DocPerm", filters={"parent": ("in", custom or [""])}, fields=["*"])
	return {
		"schema": {dt: sorted(columns) for dt, columns in schema.items()},
		"workflows": workflows,
		"perms": sorted(json.dumps(_plain(row, PERM_IDENTITY), sort_keys=True) for row in perms),
	}


def _plain(doc: dict, drop: set[str]) -> dict:
	out = {
		key: [_plain(row, ROW_IDENTITY) for row in value] if isinstance(value, list) else value
		for key, value in doc.items()
		if key not in drop
	}
	return json.loads(json.dumps(out, default=str))
