#!/usr/bin/env python3
"""Benchmark: `diff` of about 1,000 managed documents over HTTP, against `bench serve`.

    python3 benchmarks/remote_diff.py [--docs 1000] [--site frappe_stack_bench] [--runs 5]

Needs an existing bench (see apply_vs_fixtures.py). On a throwaway site it applies the same
generated documents as that benchmark (so they are managed), starts `bench --site SITE serve` on
127.0.0.1, and times `frappe-stack diff --url` as the client library runs it (RemoteSite), next to
the same diff inside the bench (the baseline it names). It prints the requests per diff and the
median time of --runs runs. Goal: at most 5 requests and under 1 second.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--docs", type=int, default=1000)
	parser.add_argument("--site", default="frappe_stack_bench")
	parser.add_argument("--runs", type=int, default=5)
	parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
	args = parser.parse_args()
	if args.inner:
		return inner(args)
	sys.path.insert(0, str(HERE.parent / "scripts"))
	from dev import run_inside_bench

	return run_inside_bench(Path(__file__), args.site, ["--docs", str(args.docs), "--runs", str(args.runs)])


def inner(args) -> int:
	import frappe

	sys.path.insert(0, str(HERE))
	from apply_vs_fixtures import generate, purge, write_blueprints

	from frappe_stack.tests.utils import bench_serve

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		from frappe.core.doctype.user.user import generate_keys

		from frappe_stack import stack
		from frappe_stack.remote import RemoteSite
		from frappe_stack.site.frappe_site import FrappeSite

		docs = generate(args.docs)
		repo = write_blueprints(docs, Path(tempfile.mkdtemp(prefix="frappe_stack_bench_")) / "config-repo")
		purge(docs)
		applied = stack.apply(FrappeSite(), str(repo))
		if applied.failed:
			raise SystemExit(f"apply failed: {[(r.blueprint, r.error) for r in applied.failed]}")
		secret = generate_keys("Administrator")["api_secret"]
		key = frappe.db.get_value("User", "Administrator", "api_key")
		frappe.db.commit()

		local_times = []
		for _ in range(args.runs):
			started = time.perf_counter()
			local = stack.diff(FrappeSite(), str(repo))
			local_times.append(time.perf_counter() - started)

		with bench_serve(args.site) as url:
			remote_times, requests = [], []
			for _ in range(args.runs):
				site = RemoteSite(url, key, secret)
				started = time.perf_counter()
				remote = stack.diff(site, str(repo))
				remote_times.append(time.perf_counter() - started)
				requests.append(site.requests)
		if remote.as_dict() != local.as_dict():
			raise SystemExit("the diff over HTTP differs from the diff in the bench")
		managed = sum(len(bp.documents) for bp in stack.load_desired(FrappeSite(), str(repo)).blueprints)
		print()
		print(
			f"diff of {managed} managed documents on site {args.site} ({'clean' if local.is_clean else 'not clean'})"
		)
		print(
			f"  in the bench (baseline)   median {statistics.median(local_times):.3f} s over {args.runs} runs"
		)
		print(
			f"  over HTTP (--url)         median {statistics.median(remote_times):.3f} s over {args.runs} runs, "
			f"{max(requests)} requests per diff"
		)
		print(
			f"  ratio HTTP / bench        {statistics.median(remote_times) / statistics.median(local_times):.2f}x"
		)
		purge(docs)
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
