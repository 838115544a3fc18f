"""Helpers shared by test_applier_* (split from one test file).

The applier on the in-memory site: idempotent, all or nothing per blueprint, drift and orphans."""

import pytest
from builders import custom_field, doctype, role
from memory_site import MemorySite


def statuses(result) -> dict[str, str]:
	return {r.blueprint: r.status for r in result.results}


@pytest.fixture
def site():
	return MemorySite()


# ---- all or nothing per blueprint ---------------------------------------------------------------


def failing_repo(repo):
	script = {"doctype": "Client Script", "name": "Ledger Book Form", "dt": "Ledger Book", "script": "// hi"}
	repo.write("base", [role("Clerk"), doctype("Ledger Book"), script])
	repo.write("declared", [role("Declared")], depends_on=["base"])
	repo.write("inferred", [custom_field("Ledger Book", "code")])
	repo.write("transitive", [role("Transitive")], depends_on=["declared"])
	repo.write("other", [role("Other")])
