#!/usr/bin/env python3
"""Benchmark: frappe_stack's applier against Frappe's own fixture import and fixture sync.

    python3 benchmarks/apply_vs_fixtures.py [--docs 1000] [--site frappe_stack_bench]

Needs an existing bench (FRAPPE_BENCH_PATH, else /home/frappe/frappe-bench) with this checkout
installed (`python3 scripts/dev.py setup`). It creates a throwaway site, generates about --docs
documents (Roles, custom DocTypes with fields, Custom DocPerms, Custom Fields spread over
standard DocTypes, Property Setters), writes them both as blueprints and as fixture files of a
scratch app, and times on the same site:

  baseline  Frappe's fixture import (`import_doc` per fixture file, as `sync_fixtures` does)
            and Frappe's fixture sync of the unchanged files (`sync_fixtures`, run by every migrate)
  ours      frappe_stack's first apply and its no-op re-run

Between the two, every generated document, table and column is removed, so both start from the
same pristine site. It prints the times side by side and the ratio against the baseline.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STANDARD_TARGETS = (
	"ToDo",
	"Note",
	"Contact",
	"Address",
	"Event",
	"Email Group",
	"Letter Head",
	"Print Heading",
	"Blog Post",
	"Blog Category",
	"Web Page",
	"Newsletter",
	"Kanban Board",
	"Dashboard",
	"Tag",
)
FIELD_TYPES = ("Data", "Int", "Check", "Select", "Small Text", "Date", "Currency", "Link")
SETTABLE_TYPES = ("Data", "Link", "Select", "Small Text", "Text", "Int", "Check", "Date", "Text Editor")
FIXTURE_ORDER = ("Role", "DocType", "Custom Field", "Property Setter", "Custom DocPerm")
SCRATCH_APP = "stack_bench_fixtures"
STAMP = "2026-01-01 00:00:00.000000"


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--docs", type=int, default=1000, help="about how many documents to generate")
	parser.add_argument("--site", default="frappe_stack_bench", help="throwaway site (dropped and recreated)")
	parser.add_argument(
		"--profile",
		action="store_true",
		help="profile frappe_stack's runs with cProfile: the top functions go to stderr",
	)
	parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
	args = parser.parse_args()
	if args.inner:
		return inner(args)
	sys.path.insert(0, str(ROOT / "scripts"))
	from dev import run_inside_bench

	extra = ["--profile"] if args.profile else []
	return run_inside_bench(Path(__file__), args.site, ["--docs", str(args.docs), *extra])


# ---- inside the bench ------------------------------------------------------------------------


def inner(args) -> int:
	import frappe

	global PROFILE
	PROFILE = args.profile
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		work = Path(tempfile.mkdtemp(prefix="frappe_stack_bench_"))
		docs = generate(args.docs)
		repo = write_blueprints(docs, work / "config-repo")
		app_dir = write_fixture_app(docs, work / "apps")
		report(docs, run_baseline(docs, app_dir), run_ours(docs, repo))
	finally:
		frappe.destroy()
	return 0


def generate(total: int) -> list[dict]:
	"""Documents in the proportions of a real customised site, about `total` of them."""
	import frappe

	scale = total / 1000
	roles = [f"Bench Role {i:03d}" for i in range(int(100 * scale))]
	docs = [{"doctype": "Role", "name": r, "role_name": r} for r in roles]
	for d in range(int(30 * scale)):
		name = f"Bench Thing {d:02d}"
		fields = [_field(f"value_{i:02d}", FIELD_TYPES[i % len(FIELD_TYPES)]) for i in range(12)]
		docs.append(
			{
				"doctype": "DocType",
				"name": name,
				"module": "Custom",
				"custom": 1,
				"fields": fields,
				"permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}],
			}
		)
		for p in range(5):
			role = roles[(d * 5 + p) % len(roles)]
			docs.append(
				{
					"doctype": "Custom DocPerm",
					"name": f"bench-{d:02d}-{p}",
					"parent": name,
					"role": role,
					"read": 1,
					"write": p % 2,
					"permlevel": 0,
				}
			)
	per_target = int(30 * scale)
	for target in STANDARD_TARGETS:
		for i in range(per_target):
			field = _field(f"bench_{i:02d}", FIELD_TYPES[i % len(FIELD_TYPES)])
			docs.append(
				{"doctype": "Custom Field", "name": f"{target}-{field['fieldname']}", "dt": target, **field}
			)
		existing = [df.fieldname for df in frappe.get_meta(target).fields if df.fieldtype in SETTABLE_TYPES]
		for i in range(int(18 * scale) if existing else 0):
			fieldname = existing[(i // 2) % len(existing)]
			prop, kind, value = (("bold", "Check", "1"), ("description", "Text", f"bench note {i}"))[i % 2]
			docs.append(
				{
					"doctype": "Property Setter",
					"name": f"{target}-{fieldname}-{prop}",
					"doctype_or_field": "DocField",
					"doc_type": target,
					"field_name": fieldname,
					"property": prop,
					"property_type": kind,
					"value": value,
				}
			)
	return _unique(docs)


def _field(fieldname: str, fieldtype: str) -> dict:
	field = {"fieldname": fieldname, "label": fieldname.replace("_", " ").title(), "fieldtype": fieldtype}
	if fieldtype == "Select":
		field["options"] = "\nLow\nMedium\nHigh"
	if fieldtype == "Link":
		field["options"] = "User"
	return field


def _unique(docs: list[dict]) -> list[dict]:
	seen, out = set(), []
	for doc in docs:
		if (doc["doctype"], doc["name"]) not in seen:
			seen.add((doc["doctype"], doc["name"]))
			out.append(doc)
	return out


def write_blueprints(docs: list[dict], repo: Path) -> Path:
	from frappe_stack.blueprint.canonical import canonical_bytes

	groups: dict[str, list[dict]] = {}
	for doc in docs:
		if doc["doctype"] == "Role":
			group = "bench-roles"
		elif doc["doctype"] in ("DocType", "Custom DocPerm"):
			parent = doc["name"] if doc["doctype"] == "DocType" else doc["parent"]
			group = "bench-" + parent.lower().replace(" ", "-")
		else:
			target = doc.get("dt") or doc.get("doc_type")
			group = f"bench-{doc['doctype'].lower().replace(' ', '-')}-{target.lower().replace(' ', '-')}"
		groups.setdefault(group, []).append(doc)
	(repo / "blueprints").mkdir(parents=True)
	for name, members in groups.items():
		(repo / "blueprints" / f"{name}.json").write_bytes(
			canonical_bytes({"blueprint": name, "documents": members})
		)
	return repo


def write_fixture_app(docs: list[dict], apps: Path) -> Path:
	"""A scratch app holding the same documents as Frappe fixture files (what export-fixtures writes)."""
	package = apps / SCRATCH_APP
	(package / "fixtures").mkdir(parents=True)
	(package / "__init__.py").write_text("")
	for doctype in FIXTURE_ORDER:
		rows = [dict(doc, modified=STAMP) for doc in docs if doc["doctype"] == doctype]
		path = package / "fixtures" / f"{doctype.lower().replace(' ', '_')}.json"
		path.write_text(json.dumps(rows, indent=1))
	sys.path.insert(0, str(apps))
	return package


def run_baseline(docs: list[dict], package: Path) -> dict:
	import frappe
	from frappe.core.doctype.data_import.data_import import import_doc
	from frappe.utils.fixtures import sync_fixtures

	purge(docs)
	started = time.perf_counter()
	frappe.flags.in_fixtures = True
	# sync_fixtures reads files in directory order; a first import needs Roles and DocTypes before
	# what uses them, so the same import_doc is called file by file in that order
	for doctype in FIXTURE_ORDER:
		import_doc(str(package / "fixtures" / f"{doctype.lower().replace(' ', '_')}.json"))
	frappe.flags.in_fixtures = False
	first = time.perf_counter() - started
	_assert_all_present(docs)

	before = _fingerprint(docs)
	started = time.perf_counter()
	sync_fixtures(SCRATCH_APP)
	resync = time.perf_counter() - started
	_assert_all_present(docs)
	after = _fingerprint(docs)
	purge(docs)
	return {"first": first, "rerun": resync, "rewritten": _rewritten(before, after)}


def run_ours(docs: list[dict], repo: Path) -> dict:
	import frappe

	from frappe_stack import stack
	from frappe_stack.site.frappe_site import FrappeSite

	purge(docs)
	started = time.perf_counter()
	first_result = profiled("first apply", lambda: stack.apply(FrappeSite(), str(repo)))
	first = time.perf_counter() - started
	if first_result.failed:
		raise SystemExit(f"first apply failed: {[(r.blueprint, r.error) for r in first_result.failed]}")
	_assert_all_present(docs)

	before, rows_before = _fingerprint(docs), _row_counts()
	frappe.db.commit()
	started = time.perf_counter()
	rerun_result = stack.apply(FrappeSite(), str(repo))
	rerun = time.perf_counter() - started
	after, rows_after = _fingerprint(docs), _row_counts()
	if rerun_result.summary()["noop"] != len(docs):
		raise SystemExit(f"re-run was not a no-op: {rerun_result.summary()}")
	purge(docs)
	return {
		"first": first,
		"rerun": rerun,
		"rewritten": _rewritten(before, after),
		"rows": rows_before != rows_after,
	}


PROFILE = False


def profiled(label: str, run):
	"""`run()`, under cProfile when --profile is given (the profile is printed to stderr)."""
	if not PROFILE:
		return run()
	import cProfile
	import pstats

	profile = cProfile.Profile()
	result = profile.runcall(run)
	print(f"\n==== profile: {label} ====", file=sys.stderr)
	for order in ("cumulative", "tottime"):
		pstats.Stats(profile, stream=sys.stderr).sort_stats(order).print_stats(35)
	return result


def _fingerprint(docs: list[dict]) -> dict:
	import frappe

	out = {}
	for doctype in FIXTURE_ORDER:
		names = [d["name"] for d in docs if d["doctype"] == doctype]
		for row in frappe.get_all(
			doctype, filters={"name": ("in", names)}, fields=["name", "modified", "creation"]
		):
			out[(doctype, row.name)] = (str(row.modified), str(row.creation))
	return out


def _rewritten(before: dict, after: dict) -> int:
	"""Documents whose creation or modified moved: deleted and re-inserted, or saved again."""
	return sum(1 for key, stamp in before.items() if after.get(key) != stamp)


def _row_counts() -> dict:
	import frappe

	return {
		dt: frappe.db.count(dt) for dt in ("Version", "Blueprint", "Blueprint Document", "Stack Audit Log")
	}


def _assert_all_present(docs: list[dict]) -> None:
	present = _fingerprint(docs)
	missing = [(d["doctype"], d["name"]) for d in docs if (d["doctype"], d["name"]) not in present]
	if missing:
		raise SystemExit(f"{len(missing)} documents missing after import, e.g. {missing[:3]}")


def purge(docs: list[dict]) -> None:
	"""Remove every generated document, the tables and columns they created, and the ledger."""
	from frappe_stack.tests.utils import purge_managed

	purge_managed(also=[(doc["doctype"], doc["name"]) for doc in docs])


def report(docs: list[dict], baseline: dict, ours: dict) -> None:
	import frappe

	counts = {dt: sum(1 for d in docs if d["doctype"] == dt) for dt in FIXTURE_ORDER}
	fields = sum(len(d.get("fields", [])) for d in docs)
	print()
	print(f"frappe_stack vs Frappe fixtures: {len(docs)} documents on site {frappe.local.site}")
	print("  " + ", ".join(f"{n} {dt}" for dt, n in counts.items()) + f" ({fields} DocType fields)")
	print(f"  Frappe {frappe.__version__}, {os.cpu_count()} CPU cores")
	print(f"  {'':34}{'Frappe fixtures':>17}{'frappe_stack':>15}{'ratio':>10}")
	for label, key in (("first import / first apply", "first"), ("no-op re-run (every migrate)", "rerun")):
		ratio = baseline[key] / ours[key] if ours[key] else float("inf")
		print(f"  {label:34}{baseline[key]:>15.2f} s{ours[key]:>13.3f} s{ratio:>9.1f}x")
	print(
		f"  {'documents rewritten by the re-run':34}{baseline['rewritten']:>17}{ours['rewritten']:>15}"
		f"{'':>10}"
	)
	print(f"  ledger/audit/Version rows written by our re-run: {'yes' if ours['rows'] else 'none'}")


if __name__ == "__main__":
	sys.exit(main())
