"""Helpers shared by test_diff and test_diff_at_ref (split from one test file).

diff(): repo vs ledger vs site in three buckets, with field-level detail, on the in-memory site."""

import pytest
from builders import Repo, doctype, role
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.diff import DiffItem


def beneficiary(age: str = "Int", **extra) -> dict:
	return doctype(
		"Beneficiary",
		fields=[
			{"fieldname": "full_name", "fieldtype": "Data", "label": "Full Name"},
			{"fieldname": "age", "fieldtype": age, "label": "Age"},
		],
		**extra,
	)


def write_repo(repo: Repo, age: str = "Int") -> None:
	repo.write("beneficiary", [beneficiary(age)])
	repo.write("people", [role("Officer")])


@pytest.fixture
def site(repo) -> MemorySite:
	"""A site the repo (beneficiary, people) was applied to."""
	write_repo(repo)
	site = MemorySite()
	stack.apply(site, str(repo.root))
	site.reset_log()
	return site


def diff(site, repo: Repo, ref: str | None = None):
	return stack.diff(site, str(repo.root), ref)


def summary_of(item: DiffItem) -> tuple:
	return (item.doctype, item.name, item.blueprint, item.kind, item.tag)
