"""`--redis-keys N` of benchmarks/apply_vs_fixtures.py: keys of another site in the cache Redis
while the benchmark runs."""

from collections.abc import Iterator
from contextlib import contextmanager

# --redis-keys: the keys of another site put into the cache Redis (a cached document's size)
FILLER, FILLER_BATCH, FILLER_VALUE = "frappe_stack_bench_other_site", 10_000, b"x" * 500


@contextmanager
def busy_redis(count: int) -> Iterator[None]:
	"""`count` keys of another site in the cache Redis while the benchmark runs, as on a busy
	production bench (sessions, cached documents and pages of its sites): each KEYS scan of
	Frappe's cache clears reads them all. Removed afterwards, also when the benchmark fails."""
	import frappe

	client = frappe.cache  # Frappe's RedisWrapper is a redis.Redis
	try:
		for start in range(0, count, FILLER_BATCH):
			pipeline = client.pipeline(transaction=False)
			for number in range(start, min(count, start + FILLER_BATCH)):
				pipeline.set(f"{FILLER}|document_cache::Note::{number}", FILLER_VALUE)
			pipeline.execute()
		yield
	finally:
		batch = []
		for key in client.scan_iter(match=f"{FILLER}|*", count=FILLER_BATCH):
			batch.append(key)
			if len(batch) == FILLER_BATCH:
				client.delete(*batch)
				batch = []
		if batch:
			client.delete(*batch)
