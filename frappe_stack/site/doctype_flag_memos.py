"""Frappe's per-process memos of two DocType flags, kept across the cache clears after a
blueprint's commit for the DocTypes the blueprint did not change.

`frappe.clear_cache(doctype=X)` empties every `site_cache` of the process, whatever X is. Two of
them answer, per DocType, whether it is virtual and whether it is single, and Frappe asks them on
every `get_all` and every new document: after each blueprint they were asked again (about 450
queries of 1.4 ms each for an apply of 60 blueprints). Each answer depends on one DocType's own
row only, so the answers for DocTypes the blueprint did not customize still hold.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager

import frappe
from frappe.model.utils import is_single_doctype, is_virtual_doctype
from frappe.utils import caching

MEMOIZED = (is_virtual_doctype, is_single_doctype)
# the tables Frappe's clear of a DocType's cache reads (the DocTypes that hold it as a child table):
# asked inside the clear, before it empties the memos, so they are asked before it instead
READ_BY_THE_CLEAR = ("DocField", "Custom Field")


@contextmanager
def kept_except(changed: list[str]) -> Iterator[None]:
	"""Around Frappe's cache clears: the flags memoized before them, of DocTypes not in `changed`,
	are memoized again after them."""
	site = frappe.local.site
	for doctype in READ_BY_THE_CLEAR:
		is_virtual_doctype(doctype)
	kept = {key: dict(_memo(key).get(site, {})) for key in _keys()}
	yield
	for key, answers in kept.items():
		_memo(key)[site].update(
			(call, answer) for call, answer in answers.items() if _doctype_of(call) not in changed
		)


def _keys() -> list[str]:
	# the key site_cache files a function's answers under (frappe.utils.caching.site_cache)
	return [f"{function.__module__}.{function.__name__}" for function in MEMOIZED]


def _memo(key: str) -> dict:
	return caching._SITE_CACHE[key]


def _doctype_of(call: str) -> str | None:
	"""The DocType a memoized call asked about: site_cache keys a call by json.dumps((args, kwargs))."""
	args, kwargs = json.loads(call)
	return args[0] if args else kwargs.get("doctype")
