#!/usr/bin/env python3
"""Round trip of a folder of Frappe fixtures through frappe_stack, on two fresh sites.

    python3 scripts/roundtrip_fixtures.py FOLDER [--drop-missing] [--as-custom] [--sites PREFIX]
                                          [--in-place]

1. Loads FOLDER into a fresh site PREFIX_src the way Frappe's fixture sync does: `import_doc` on
   fixture files with frappe.flags.in_fixtures set (one file per DocType, in an order that works on
   an empty site), Export Customizations files through `sync_customizations_for_doctype`.
2. Exports that site with frappe_stack into a temporary config repo.
3. Applies the repo once to a fresh site PREFIX_dst, then checks that `plan` there is clean.
4. Exports PREFIX_dst into an empty folder and compares: the files byte for byte; the columns
   (name, type, nullability, default) of every custom DocType and every DocType with Custom Fields
   (other than the system-generated ones apps make in code, which export leaves out);
   the Workflows with their states and transitions; the permissions (Custom DocPerm, and DocPerm of
   custom DocTypes).
It prints what it loaded and dropped, then one verdict line, PASS or FAIL followed by the first
differences; exit 0 on PASS, 1 otherwise. The work folder (repos, tracebacks) is kept and named.

--drop-missing  leaves out what needs a DocType a bare Frappe site lacks (ERPNext's, the app's own
                records): documents of or on such DocTypes, Link/Table fields and Connections to
                them; and points documents of a Module Def the site lacks at module Custom. Each
                removal is listed with its reason.
--as-custom     loads an app's own DocType files (`<module>/doctype/<name>/<name>.json`) as custom
                DocTypes of module Custom: a mid-size custom site with links, child tables, ...

Like the benchmarks it needs an existing bench (FRAPPE_BENCH_PATH, else /home/frappe/frappe-bench)
and never builds Frappe. Both sites are dropped and recreated on each run, and kept afterwards for
inspection. --in-place runs this checkout from where it is instead of copying it into the bench's
apps/ (on a bench that others use at the same time).

Fixture folders are not part of this repo. Take them from an app's repository, e.g.
`git -C APP archive COMMIT PATH... | tar -x -C FOLDER`. Tried (with --drop-missing):
  ExaltedMags/roqson-core@d320ee1      fixtures/: 59 custom DocTypes (10 submittable, 23 child
                                       tables), 4 workflows (68 transitions), print formats, fields
  frappe/lms@91bc547                   lms/fixtures (custom fields on User); with lms/lms/doctype
                                       and --as-custom: 67 DocTypes, a 6-DocType cycle, Connections
  frappe/changemakers@0dd8eb5          changemakers/fixtures + changemakers/frappe_changemakers/doctype
                                       (--as-custom): client script, roles, submittable DocType
  frappe/crm@d8cc342                   crm/fixtures + crm/fcrm/custom (Export Customizations of
                                       Contact) + crm/fcrm/doctype (--as-custom)
  frappe/mail@691d6ab                  mail/fixtures (Custom DocPerm on User) + mail/mail/doctype
  frappe/wiki@26c1422                  wiki/fixtures + wiki/wiki/doctype (--as-custom)
  Shilparani-avohilabs/travel_tech@b48e7a0  fixtures/: roles, workflow states and actions, fields
  aljahmi20002-collab/Yemen-Complaints@9d83011  fixtures + yemen_complaints/complaints2/doctype
                                       (--as-custom): workflow, number cards, charts, print formats
Use --drop-missing for all of them on a bare Frappe site.
"""

import argparse
import difflib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOWN = 5  # differences shown per kind


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("folder", help="folder of fixture files (read recursively)")
	parser.add_argument("--drop-missing", action="store_true", help="leave out what needs missing DocTypes")
	parser.add_argument("--as-custom", action="store_true", help="load the folder's DocTypes as custom ones")
	parser.add_argument(
		"--sites", default="frappe_stack_roundtrip", help="site names: PREFIX_src, PREFIX_dst"
	)
	parser.add_argument("--in-place", action="store_true", help="run this checkout without copying it")
	parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
	parser.add_argument("--site", help=argparse.SUPPRESS)
	parser.add_argument("--phase", choices=("load", "apply"), help=argparse.SUPPRESS)
	parser.add_argument("--work", help=argparse.SUPPRESS)
	args = parser.parse_args()
	if args.inner:
		return inner(args)
	return outer(args)


def outer(args) -> int:
	sys.path.insert(0, str(ROOT / "scripts"))
	from dev import Bench, bench_path, find_bench, run_inside_bench

	path = find_bench()
	if path is None:
		print(f"No bench at {bench_path()}; set FRAPPE_BENCH_PATH.")
		return 1
	folder = Path(args.folder).resolve()
	work = Path(tempfile.mkdtemp(prefix="frappe_stack_roundtrip_"))
	if os.geteuid() == 0:  # the phases run as the bench's owner and write here
		owner = Bench(path).owner
		os.chown(work, owner.pw_uid, owner.pw_gid)
	flags = [*(["--drop-missing"] if args.drop_missing else []), *(["--as-custom"] if args.as_custom else [])]
	common = ["--work", str(work), str(folder), *flags]
	script = Path(__file__)
	run_inside_bench(script, f"{args.sites}_src", ["--phase", "load", *common], in_place=args.in_place)
	if (work / "load.json").exists() and not _read(work / "load.json").get("export_error"):
		run_inside_bench(script, f"{args.sites}_dst", ["--phase", "apply", *common], in_place=args.in_place)
	return verdict(args.folder, work)


def inner(args) -> int:
	sys.path.insert(0, str(Path(__file__).resolve().parent))
	from roundtrip_site import apply_phase, load_phase

	work = Path(args.work)
	if args.phase == "load":
		out = load_phase(args.site, Path(args.folder), work, args.as_custom, args.drop_missing)
	else:
		out = apply_phase(args.site, work)
	(work / f"{args.phase}.json").write_text(json.dumps(out, indent=1, default=str))
	return 0


# ---- outside the bench: the comparison and the verdict -------------------------------------------


def verdict(folder: str, work: Path) -> int:
	print(f"work folder: {work}")
	source = _read(work / "load.json")
	if source is None:
		print(f"roundtrip {folder}: loading or exporting the source site crashed (see above): FAIL")
		return 1
	_report_load(source)
	target = _read(work / "apply.json")
	if source.get("export_error") or target is None:
		print("\n".join((source.get("export_error") or "").splitlines()[:30]))
		print(f"roundtrip {folder}: {_stopped(source.get('export_error'))}: FAIL")
		return 1
	checks = [
		("plan clean", "plan not clean", _pending(target)),
		("files byte-identical", "files differ", _file_differences(work / "exported", work / "again")),
		("schema equal", "schema differs", _differences(source, target, "schema")),
		("workflows equal", "workflows differ", _differences(source, target, "workflows")),
		("perms equal", "perms differ", _perm_differences(source, target)),
	]
	summary = target["summary"]
	passed = not target["failures"] and not target.get("export_error") and not any(d for *_, d in checks)
	words = [
		f"{source['blueprints']} blueprints",
		f"{summary['failed']} failed",
		f"{summary['skipped']} skipped",
	]
	words += [bad if found else good for good, bad, found in checks]
	print(f"roundtrip {folder}: {', '.join(words)}: {'PASS' if passed else 'FAIL'}")
	for failure in target["failures"][:SHOWN]:
		print(f"  {failure['status']} {failure['blueprint']}: {failure['error']}")
		if failure.get("traceback"):
			print("    " + failure["traceback"].replace("\n", "\n    "))
	if target.get("export_error"):
		print(f"  export from the target site crashed:\n{target['export_error']}")
	for _good, bad, found in checks:
		for line in found[:SHOWN]:
			print(f"  {bad}: {line}")
	return 0 if passed else 1


def _stopped(export_error: str | None) -> str:
	if not export_error:
		return "apply crashed (see above)"
	refused = re.search(r"(\d+) problem\(s\) in blueprints", export_error)
	return f"export refused the source site ({refused.group(1)} problems)" if refused else "export crashed"


def _read(path: Path) -> dict | None:
	return json.loads(path.read_text()) if path.exists() else None


def _report_load(source: dict) -> None:
	print(
		f"loaded {source['loaded']} documents; {len(source['load_failed'])} refused by Frappe; "
		f"{len(source['dropped'])} dropped, {len(source['changed'])} changed, "
		f"{len(source['not_loaded'])} files not loaded"
	)
	for kind in ("load_failed", "dropped", "changed", "not_loaded"):
		for line in source[kind]:
			print(f"  {kind.replace('_', ' ')}: {line}")
	for line in source.get("left_out") or []:
		print(f"  left out of the export: {line}")


def _pending(target: dict) -> list[str]:
	return [f"{bp['blueprint']}: {', '.join(bp['documents'][:SHOWN])}" for bp in target["pending"]]


def _file_differences(first: Path, second: Path) -> list[str]:
	"""Each file that is only on one side or whose bytes differ, with the first differing lines."""
	ones = {p.relative_to(first) for p in first.rglob("*") if p.is_file()} if first.is_dir() else set()
	twos = {p.relative_to(second) for p in second.rglob("*") if p.is_file()} if second.is_dir() else set()
	out = [f"{name} only in the first export" for name in sorted(ones - twos)]
	out += [f"{name} only in the second export" for name in sorted(twos - ones)]
	for name in sorted(ones & twos):
		a, b = (first / name).read_text(), (second / name).read_text()
		if a != b:
			diff = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
			out.append(f"{name}: " + " | ".join(list(diff)[2:10]))
	return out


def _differences(source: dict, target: dict, kind: str) -> list[str]:
	one, two = source["snapshot"][kind], target["snapshot"][kind]
	out = [f"{key} only on the source site" for key in sorted(set(one) - set(two))]
	out += [f"{key} only on the target site" for key in sorted(set(two) - set(one))]
	for key in sorted(set(one) & set(two)):
		if one[key] != two[key]:
			out.append(f"{key}: {_first_difference(one[key], two[key])}")
	return out


def _first_difference(one, two) -> str:
	if isinstance(one, dict) and isinstance(two, dict):
		for key in sorted(set(one) | set(two)):
			if one.get(key) != two.get(key):
				return f"{key}: {_first_difference(one.get(key), two.get(key))}"
	if isinstance(one, list) and isinstance(two, list):
		extra = [json.dumps(r, default=str) for r in one if r not in two]
		missing = [json.dumps(r, default=str) for r in two if r not in one]
		if extra or missing:
			return f"source has {extra[:2]}, target has {missing[:2]}"
		for a, b in zip(one, two, strict=False):
			if a != b:
				return _first_difference(a, b)
		return f"order differs ({len(one)} rows)"
	return f"{json.dumps(one, default=str)[:200]} != {json.dumps(two, default=str)[:200]}"


def _perm_differences(source: dict, target: dict) -> list[str]:
	one, two = set(source["snapshot"]["perms"]), set(target["snapshot"]["perms"])
	return [f"only on the source site: {row}" for row in sorted(one - two)] + [
		f"only on the target site: {row}" for row in sorted(two - one)
	]


if __name__ == "__main__":
	sys.exit(main())
