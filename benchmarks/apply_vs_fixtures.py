#!/usr/bin/env python3
"""Benchmark: frappe_stack's applier against Frappe's own fixture import and fixture sync, and a
no-op `bench migrate` with blueprints against one without.

    python3 benchmarks/apply_vs_fixtures.py [--docs 1000] [--case fixtures|desk|both] [--runs 5]
                                             [--redis-keys N] [--profile]

Needs an existing bench (FRAPPE_BENCH_PATH, else /home/frappe/frappe-bench) with this checkout
installed (`python3 scripts/dev.py setup`). It creates a throwaway site and times, on it, two
sets of documents (benchmarks/bench_data.py):

  fixtures  about --docs documents shaped like an app's fixtures, written both as blueprints and
            as fixture files of a scratch app. Baseline: Frappe's fixture import (`import_doc` per
            file, as `sync_fixtures` does) and its fixture sync of the unchanged files (run by
            every migrate).
  desk      about 940 documents shaped like years of Desk edits, saved one by one through
            Frappe's controllers as Desk saves them (the baseline), then exported with
            `frappe-stack export` and removed again.

For each, the baseline and frappe_stack's first apply on a site without them, alternately, --runs
times each (medians, and the ratio of each pair: this machine's speed drifts from minute to minute,
and two runs a minute apart are slowed alike); then frappe_stack's no-op re-run (answered from the
ledger), the same reading everything (`apply --full`), an incremental apply of one changed
document, and `bench migrate` with nothing to do, with the blueprints configured and without
(seven pairs: the medians, and the difference within each pair). Between runs every generated
document, table and column is removed, so each starts from the same pristine site.

`--redis-keys N` first puts N keys of another site into the cache Redis, as a busy production
bench holds (Frappe clears some caches with KEYS, which reads every key of every site), and removes
them at the end. `--profile` prints the time of each step of the first apply (documents written by
DocType, field checks and DDL, commits, read-back, ledger) and a cProfile of it; the reported
first-apply times then include that profiling.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from apply_profile import by_step, cprofiled  # noqa: E402 (beside this script, on the path)
from bench_data import (  # noqa: E402 (beside this script, found once its folder is on the path)
	FIXTURE_ORDER,
	SCRATCH_APP,
	desk_made,
	generate,
	write_blueprints,
	write_fixture_app,
)
from busy_redis import busy_redis  # noqa: E402 (beside this script, on the path)

MIGRATE_RUNS = 7
# the default of --runs: the baseline and frappe_stack's first apply, alternately, each on the site
# purged again
FIRST_RUNS = 5


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--docs", type=int, default=1000, help="about how many fixture-shaped documents")
	parser.add_argument(
		"--runs", type=int, default=FIRST_RUNS, help="first imports and first applies, alternately, of each"
	)
	parser.add_argument("--case", choices=("fixtures", "desk", "both"), default="both")
	parser.add_argument(
		"--redis-keys", type=int, default=0, help="keys of another site put into the cache Redis first"
	)
	parser.add_argument("--site", default="frappe_stack_bench", help="throwaway site (dropped and recreated)")
	parser.add_argument(
		"--profile",
		action="store_true",
		help="frappe_stack's first apply step by step, then under cProfile: both go to stderr",
	)
	parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
	args = parser.parse_args()
	if args.redis_keys < 0:
		parser.error(f"--redis-keys {args.redis_keys}: give 0 or more")
	if args.runs < 1:
		parser.error(f"--runs {args.runs}: give at least 1 (the number of first imports and first applies)")
	if args.inner:
		return inner(args)
	sys.path.insert(0, str(ROOT / "scripts"))
	from dev import run_inside_bench

	extra = ["--case", args.case, "--redis-keys", str(args.redis_keys)] + (
		["--profile"] if args.profile else []
	)
	return run_inside_bench(
		Path(__file__), args.site, ["--docs", str(args.docs), "--runs", str(args.runs), *extra]
	)


# ---- inside the bench ------------------------------------------------------------------------


def inner(args) -> int:
	import frappe

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		work = Path(tempfile.mkdtemp(prefix="frappe_stack_bench_"))
		print(f"Frappe {frappe.__version__}, {os.cpu_count()} CPU cores, site {frappe.local.site}")
		with busy_redis(args.redis_keys):
			print(f"cache Redis: {frappe.cache.dbsize()} keys ({args.redis_keys} of them another site's)")
			run_cases(args, work)
	finally:
		frappe.destroy()
	return 0


def run_cases(args, work: Path) -> None:
	if args.case in ("fixtures", "both"):
		docs = generate(args.docs)
		repo = write_blueprints(docs, work / "fixtures-repo")
		resync: dict = {}
		theirs = partial(fixture_import, docs, write_fixture_app(docs, work / "apps"), resync)
		ours = run_ours(docs, repo, theirs, args.runs, args.profile)
		report("fixture-shaped", docs, resync, ours, "Frappe fixtures")
	if args.case in ("desk", "both"):
		docs = desk_made()
		repo = work / "desk-repo"
		theirs = partial(made_in_desk, docs, repo)
		ours = run_ours(docs, repo, theirs, args.runs, args.profile)
		report("Desk-shaped", docs, {}, ours, "Frappe, one by one")


def fixture_import(docs: list[dict], package: Path, resync: dict, run: int) -> float:
	"""Frappe's fixture import of the scratch app's files on the purged site: its time. The first
	run also times the fixture sync of the unchanged files that every migrate runs (into
	`resync`)."""
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
	if run == 0:
		before = _fingerprint(docs)
		started = time.perf_counter()
		sync_fixtures(SCRATCH_APP)
		resync["rerun"] = time.perf_counter() - started
		_assert_all_present(docs)
		resync["rewritten"] = _rewritten(before, _fingerprint(docs))
	return first


def made_in_desk(docs: list[dict], repo: Path, run: int) -> float:
	"""The documents saved one by one through Frappe's controllers on the purged site, as Desk
	saves them: its time. The first run also exports them as the blueprints of `repo`."""
	import frappe

	from frappe_stack import stack
	from frappe_stack.site.frappe_site import FrappeSite

	purge(docs)
	started = time.perf_counter()
	for doctype in FIXTURE_ORDER:
		for doc in docs:
			if doc["doctype"] == doctype:
				frappe.get_doc(json.loads(json.dumps(doc))).insert(
					ignore_permissions=True, set_name=doc["name"]
				)
				frappe.db.commit()
	first = time.perf_counter() - started
	_assert_all_present(docs)
	if run == 0:
		(repo / "blueprints").mkdir(parents=True)
		keys = [(doc["doctype"], doc["name"]) for doc in docs]
		stack.export(FrappeSite(), str(repo), only=keys, record=False)
	return first


def run_ours(docs: list[dict], repo: Path, theirs, runs: int, profile: bool) -> dict:
	"""`theirs(run)` (the baseline's first import, its time) and frappe_stack's first apply,
	alternately, `runs` times each; then the re-runs, the incremental apply and the migrates.
	`profile` (--profile): the first apply step by step and under cProfile (its times then
	include both)."""
	import frappe

	from frappe_stack import stack
	from frappe_stack.site.frappe_site import FrappeSite

	baselines, firsts = [], []
	for run in range(runs):
		baselines.append(theirs(run))
		purge(docs)
		apply = partial(stack.apply, FrappeSite(), str(repo))
		# --profile: the first run is timed step by step, the second under cProfile
		wrap = (by_step, cprofiled)[run] if profile and run < 2 else None
		elapsed, first_result = timed(partial(wrap, "first apply", apply) if wrap else apply)
		if first_result.failed:
			raise SystemExit(f"first apply failed: {[(r.blueprint, r.error) for r in first_result.failed]}")
		_assert_all_present(docs)
		firsts.append(elapsed)
	first = statistics.median(firsts)

	before, rows_before = _fingerprint(docs), _row_counts()
	frappe.db.commit()
	rerun, rerun_result = timed(lambda: stack.apply(FrappeSite(), str(repo)))
	full, full_result = timed(lambda: stack.apply(FrappeSite(), str(repo), full=True))
	after, rows_after = _fingerprint(docs), _row_counts()
	for result in (rerun_result, full_result):
		if result.summary()["noop"] != len(docs):
			raise SystemExit(f"re-run was not a no-op: {result.summary()}")
	if not rerun_result.quick:
		raise SystemExit("the no-op re-run read everything: the fingerprint of the first apply did not hold")
	incremental = run_incremental(repo)
	migrate = run_migrates(repo)
	purge(docs)
	return {
		"blueprints": len(first_result.results),
		"baseline": statistics.median(baselines),
		"pairs": [frappes / ours for frappes, ours in zip(baselines, firsts, strict=True)],
		"first": first,
		"rerun": rerun,
		"full": full,
		"incremental": incremental,
		"migrate": migrate,
		"rewritten": _rewritten(before, after),
		"rows": rows_before != rows_after,
	}


def run_incremental(repo: Path) -> float:
	"""One document changed in one blueprint file (the label of a Custom Field, or of a DocType's
	first field), then applied: only that document may be written."""
	from frappe_stack import stack
	from frappe_stack.site.frappe_site import FrappeSite

	for file in sorted((repo / "blueprints").glob("*.json")):
		content = json.loads(file.read_text())
		document = next(
			(d for d in content["documents"] if d["doctype"] in ("Custom Field", "DocType")), None
		)
		if document:
			break
	target = document["fields"][0] if document["doctype"] == "DocType" else document
	target["label"] = "Changed In The Benchmark"
	file.write_text(json.dumps(content, indent=1, sort_keys=True))
	elapsed, result = timed(lambda: stack.apply(FrappeSite(), str(repo)))
	changed = result.summary()
	if result.failed or changed["update"] + changed["create"] != 1:
		raise SystemExit(f"the incremental apply did not change exactly one document: {changed}")
	return elapsed


def run_migrates(repo: Path) -> dict:
	"""`bench migrate` with nothing to do, with the blueprints configured and without, in pairs a few
	seconds apart (after one pair to warm up): the median of each, and the difference of each pair,
	which this machine's drift from minute to minute moves much less than it moves the medians (a
	slower minute slows both runs of a pair). Every run follows a change of the setting: in a trial
	that flipped the order from pair to pair, the run right after a change was the slower one of
	most pairs, whichever way the setting went."""
	import frappe
	from frappe.installer import update_site_config

	from frappe_stack.tests.utils import bench

	config = Path(frappe.get_site_path("site_config.json"))
	times: dict[str, list[float]] = {"with": [], "without": []}
	frappe.db.commit()
	for run in range(MIGRATE_RUNS + 1):
		for kind in ("with", "without"):
			value = str(repo) if kind == "with" else "None"
			update_site_config("frappe_stack_blueprints", value, site_config_path=str(config))
			started = time.perf_counter()
			done = bench("migrate")
			elapsed = time.perf_counter() - started
			if done.returncode:
				raise SystemExit(f"bench migrate failed ({kind} blueprints):\n{done.stdout}\n{done.stderr}")
			if run:
				times[kind].append(elapsed)
	update_site_config("frappe_stack_blueprints", "None", site_config_path=str(config))
	medians = {kind: statistics.median(values) for kind, values in times.items()}
	return medians | {"pairs": [w - o for w, o in zip(times["with"], times["without"], strict=True)]}


def timed(run) -> tuple[float, object]:
	started = time.perf_counter()
	result = run()
	return time.perf_counter() - started, result


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
	"""Remove every generated document, the tables and columns they created, and the ledger. The
	jobs a deletion queues run at once, as in Frappe's tests: no worker serves the throwaway site,
	and queued they would pile up in Redis, whose keys every cache clear of the next run scans."""
	import frappe

	from frappe_stack.tests.utils import purge_managed

	frappe.flags.in_test = True
	try:
		purge_managed(also=[(doc["doctype"], doc["name"]) for doc in docs])
	finally:
		frappe.flags.in_test = False


def report(case: str, docs: list[dict], resync: dict, ours: dict, named: str) -> None:
	"""`resync`: the baseline's re-run of unchanged files, where it has one."""
	baseline = {**resync, "first": ours["baseline"]}
	counts = {dt: sum(1 for d in docs if d["doctype"] == dt) for dt in FIXTURE_ORDER}
	fields = sum(len(d.get("fields", [])) for d in docs)
	print()
	print(f"{case}: {len(docs)} documents in {ours['blueprints']} blueprints")
	print("  " + ", ".join(f"{n} {dt}" for dt, n in counts.items()) + f" ({fields} DocType fields)")
	print(f"  {'':40}{named:>20}{'frappe_stack':>14}{'ratio':>8}")
	rows = [("first import / first apply", "first")]
	if "rerun" in baseline:
		rows.append(("no-op re-run (every migrate)", "rerun"))
	for label, key in rows:
		ratio = baseline[key] / ours[key] if ours[key] else float("inf")
		print(f"  {label:40}{baseline[key]:>18.2f} s{ours[key]:>12.3f} s{ratio:>7.1f}x")
	if "rerun" not in baseline:
		print(f"  {'no-op re-run (every migrate)':40}{'':>20}{ours['rerun']:>12.3f} s")
	print(f"  {'no-op re-run reading everything (--full)':40}{'':>20}{ours['full']:>12.3f} s")
	print(f"  {'incremental apply (1 document changed)':40}{'':>20}{ours['incremental']:>12.3f} s")
	if "rewritten" in baseline:
		print(f"  {'documents rewritten by the re-run':40}{baseline['rewritten']:>20}{ours['rewritten']:>14}")
	print(f"  ledger/audit/Version rows written by our re-run: {'yes' if ours['rows'] else 'none'}")
	pairs = ", ".join(f"{ratio:.1f}x" for ratio in ours["pairs"])
	count = len(ours["pairs"])
	runs = "one run each" if count == 1 else f"the medians of {count} runs each, alternately"
	print(
		f"  first import and first apply: {runs}, each on the site purged again; "
		f"the ratio of each pair: {pairs}"
	)
	without, with_ = ours["migrate"]["without"], ours["migrate"]["with"]
	differences = ours["migrate"]["pairs"]
	middle = statistics.median(differences)
	print(
		f"  no-op bench migrate (median of {len(differences)}): {without:.2f} s without blueprints, "
		f"{with_:.2f} s with them ({(with_ - without) / without:+.1%}); the median of the pairs' "
		f"differences: {middle:+.2f} s ({middle / without:+.1%}), each pair: "
		+ ", ".join(f"{d:+.2f} s" for d in differences)
	)


if __name__ == "__main__":
	sys.exit(main())
