#!/usr/bin/env python3
"""Benchmark: `review` of a change touching 100 blueprints, on a real site.

    python3 benchmarks/review_speed.py [--blueprints 100] [--site frappe_stack_bench] [--runs 5]

Needs an existing bench (see apply_vs_fixtures.py). It writes a config repo whose base commit
holds 100 blueprints (each a custom DocType with a dozen fields, permissions, a workflow, a Server
Script and a Query Report) and whose working tree changes every one of them (fields retyped and
shortened, options narrowed, a field made mandatory, a script edited), applies the base to the
site and fills each table with rows, so the data-impact rules really count. It prints the median
time of `review` over --runs runs against the goal of 2 seconds.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--blueprints", type=int, default=100)
	parser.add_argument("--site", default="frappe_stack_bench")
	parser.add_argument("--runs", type=int, default=5)
	parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
	args = parser.parse_args()
	if args.inner:
		return inner(args)
	sys.path.insert(0, str(HERE.parent / "scripts"))
	from dev import run_inside_bench

	return run_inside_bench(
		Path(__file__), args.site, ["--blueprints", str(args.blueprints), "--runs", str(args.runs)]
	)


def blueprint(index: int, changed: bool) -> dict:
	name = f"Review Bench {index:03d}"
	fields = [
		{"fieldname": "title", "fieldtype": "Data", "label": "Title"},
		{"fieldname": "code", "fieldtype": "Data", "label": "Code", "length": 10 if changed else 40},
		{
			"fieldname": "status",
			"fieldtype": "Select",
			"label": "Status",
			"options": "Open\nClosed" + ("" if changed else "\nArchived"),
		},
		{"fieldname": "qty", "fieldtype": "Int" if changed else "Data", "label": "Qty"},
		{
			"fieldname": "owner_email",
			"fieldtype": "Data",
			"label": "Owner Email",
			"reqd": 1 if changed else 0,
		},
		*[{"fieldname": f"note_{i}", "fieldtype": "Small Text", "label": f"Note {i}"} for i in range(7)],
		{
			"fieldname": "workflow_state",
			"fieldtype": "Link",
			"label": "State",
			"options": "Workflow State",
			"hidden": 1,
		},
	]
	script = "rows = frappe.db.sql('select name from `tabToDo` where owner = %s', (doc.owner,))"
	if changed:
		script += "\nfrappe.db.sql(f\"select name from `tabToDo` where owner = '{doc.owner}'\")"
	documents = [
		{
			"doctype": "DocType",
			"name": name,
			"custom": 1,
			"module": "Custom",
			"fields": fields,
			"permissions": [{"role": "System Manager"}],
		},
		{
			"doctype": "Workflow",
			"name": f"{name} Flow",
			"workflow_name": f"{name} Flow",
			"document_type": name,
			"workflow_state_field": "workflow_state",
			"states": [
				{"state": "Pending", "allow_edit": "System Manager"},
				{"state": "Approved", "allow_edit": "System Manager"},
			],
			"transitions": [
				{
					"state": "Pending",
					"action": "Approve",
					"next_state": "Approved",
					"allowed": "System Manager",
				}
			],
		},
		{
			"doctype": "Server Script",
			"name": f"{name} Check",
			"script_type": "DocType Event",
			"reference_doctype": name,
			"doctype_event": "Before Save",
			"script": script,
		},
		{
			"doctype": "Report",
			"name": f"{name} Report",
			"report_name": f"{name} Report",
			"ref_doctype": name,
			"report_type": "Query Report",
			"is_standard": "No",
			"module": "Custom",
			"query": f"select name, title from `tab{name}`",
		},
	]
	return {"blueprint": f"review-bench-{index:03d}", "documents": documents}


def inner(args) -> int:
	import frappe

	from frappe_stack import stack
	from frappe_stack.blueprint.canonical import canonical_bytes
	from frappe_stack.site.frappe_site import FrappeSite
	from frappe_stack.tests.utils import purge_managed

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		repo = Path(tempfile.mkdtemp(prefix="frappe_stack_review_")) / "config-repo"
		(repo / "blueprints").mkdir(parents=True)
		git = ["git", "-C", str(repo)]
		for index in range(args.blueprints):
			(repo / "blueprints" / f"review-bench-{index:03d}.json").write_bytes(
				canonical_bytes(blueprint(index, False))
			)
		subprocess.run(git + ["init", "-q"], check=True)
		subprocess.run(git + ["add", "-A"], check=True)
		subprocess.run(
			git + ["-c", "user.email=b@example.com", "-c", "user.name=b", "commit", "-qm", "base"], check=True
		)
		applied = stack.apply(FrappeSite(), str(repo))
		if applied.failed:
			raise SystemExit(f"apply failed: {[(r.blueprint, r.error) for r in applied.failed][:3]}")
		for index in range(args.blueprints):
			for row in range(20):
				frappe.get_doc(
					{
						"doctype": f"Review Bench {index:03d}",
						"title": f"Row {row}",
						"code": "X" * (12 + row),
						"status": ("Open", "Closed", "Archived")[row % 3],
						"qty": "n/a" if row % 5 == 0 else str(row),
					}
				).db_insert()
		frappe.db.commit()
		for index in range(args.blueprints):
			(repo / "blueprints" / f"review-bench-{index:03d}.json").write_bytes(
				canonical_bytes(blueprint(index, True))
			)

		times = []
		for _ in range(args.runs):
			started = time.perf_counter()
			report, _ = stack.review(FrappeSite(), str(repo))
			times.append(time.perf_counter() - started)
		counts = report.counts()
		print()
		print(
			f"review of a change touching {args.blueprints} blueprints ({4 * args.blueprints} documents) on site {args.site}"
		)
		print(f"  findings: {', '.join(f'{n} {severity}' for severity, n in counts.items())}")
		print(f"  median {statistics.median(times):.3f} s over {args.runs} runs (goal: under 2 s)")
		keys = [
			doc.key for bp in stack.load_desired(FrappeSite(), str(repo)).blueprints for doc in bp.documents
		]
		purge_managed(also=keys)
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
