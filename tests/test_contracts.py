"""The contract cases (frappe_stack/tests/contract_cases.py) on the fakes the pure tests trust:
MemorySite and FakeContext. frappe_stack/tests/test_contracts.py runs the same cases on the real
adapter, so a fake that drifts from it fails one of the two."""

import pytest
from fake_context import FakeContext
from memory_site import MemorySite

from frappe_stack.applier import Site
from frappe_stack.blueprint.schema import DoctypeSchema, FieldSpec
from frappe_stack.site_protocols import SiteFacts
from frappe_stack.tests import contract_cases as cases

ROLE_SCHEMA = DoctypeSchema(
	"Role", {"role_name": FieldSpec("role_name", "Data"), "desk_access": FieldSpec("desk_access", "Check", 1)}
)


class MemoryWorld:
	def __init__(self, site: MemorySite):
		self.site = site

	def audit_actions(self) -> list[str]:
		return [row.action for row in self.site.audit_log]

	def desk_edit(self, key, **values) -> None:
		self.site.put(self.site.docs[key] | values)

	def set_config(self, key: str, value: str) -> None:
		self.site.config[key] = value


def probe_facts() -> FakeContext:
	return FakeContext(
		rows={cases.PROBE: [dict(row) for row in cases.PROBE_ROWS]},
		definitions={cases.PROBE: [dict(row) for row in cases.PROBE_FIELDS]},
	)


def test_the_fakes_implement_the_protocols():
	assert isinstance(MemorySite(), Site)
	assert isinstance(FakeContext(), SiteFacts)


@pytest.mark.parametrize("case", cases.SITE_CASES, ids=lambda case: case.__name__)
def test_memory_site_keeps_the_site_contract(case):
	site = MemorySite(schemas={"Role": ROLE_SCHEMA})
	case(site, MemoryWorld(site))


@pytest.mark.parametrize("case", cases.FACT_CASES, ids=lambda case: case.__name__)
def test_fake_context_keeps_the_facts_contract(case):
	case(probe_facts())


@pytest.mark.parametrize(
	("question", "arguments", "expected"), cases.FACT_COUNTS, ids=lambda value: str(value)[:40]
)
def test_fake_context_counts_as_mariadb_does(question, arguments, expected):
	assert cases.answer(probe_facts(), question, arguments) == expected
