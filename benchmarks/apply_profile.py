"""`--profile` of benchmarks/apply_vs_fixtures.py: frappe_stack's first apply timed step by step
(the adapter's steps, and the documents written by DocType), or run under cProfile; both print to
stderr."""

import sys
import time

# the adapter's steps of an apply, each timed on its own by --profile
STEPS = {
	"write": "documents written through Frappe's controllers",
	"finish_blueprint": "Frappe's field checks and the ALTER/CREATE, once per customized DocType",
	"commit": "commits, with Frappe's cache clears of what each blueprint customized",
	"live_hashes": "each blueprint read back for the ledger",
	"save_ledger": "ledger rows",
	"savepoint": "savepoints",
}


def by_step(label: str, run):
	"""`run()`, with the time of each of the adapter's steps printed to stderr."""
	from frappe_stack.site.frappe_site import FrappeSite

	spent = dict.fromkeys(STEPS, 0.0)
	written: dict[str, float] = {}

	def timing(step: str, method):
		def timed_step(site, *args, **kwargs):
			started = time.perf_counter()
			try:
				return method(site, *args, **kwargs)
			finally:
				elapsed = time.perf_counter() - started
				spent[step] += elapsed
				if step == "write":
					doctype = args[0]["doctype"]
					written[doctype] = written.get(doctype, 0.0) + elapsed

		return timed_step

	originals = {step: getattr(FrappeSite, step) for step in STEPS}
	for step, method in originals.items():
		setattr(FrappeSite, step, timing(step, method))
	started = time.perf_counter()
	try:
		result = run()
	finally:
		for step, method in originals.items():
			setattr(FrappeSite, step, method)
	total = time.perf_counter() - started
	print(f"\n==== {label}: {total:.3f} s, by step (timed alone, without cProfile) ====", file=sys.stderr)
	for step, what in STEPS.items():
		print(f"  {spent[step]:7.3f} s  {what}", file=sys.stderr)
		if step == "write":
			for doctype, elapsed in sorted(written.items(), key=lambda item: -item[1]):
				print(f"  {'':9}{elapsed:7.3f} s  {doctype}", file=sys.stderr)
	print(
		f"  {total - sum(spent.values()):7.3f} s  the rest: load and check the files, plan, audit rows",
		file=sys.stderr,
	)
	return result


def cprofiled(label: str, run):
	"""`run()` under cProfile; the top functions are printed to stderr."""
	import cProfile
	import pstats

	profile = cProfile.Profile()
	result = profile.runcall(run)
	print(f"\n==== profile: {label} ====", file=sys.stderr)
	for order in ("cumulative", "tottime"):
		pstats.Stats(profile, stream=sys.stderr).sort_stats(order).print_stats(35)
	return result
