"""The status enums are the DocTypes' Select options, and behave as those strings wherever they go."""

import json
from pathlib import Path

import pytest

from frappe_stack.ledger import LedgerEntry, entry_from_dict, entry_to_dict
from frappe_stack.statuses import AuditResult, LedgerStatus, PromotionStatus, StepStatus

DOCTYPES = Path(__file__).resolve().parent.parent / "frappe_stack" / "frappe_stack" / "doctype"


def select_options(doctype: str, fieldname: str) -> list[str]:
	meta = json.loads((DOCTYPES / doctype / f"{doctype}.json").read_text(encoding="utf-8"))
	[field] = [f for f in meta["fields"] if f["fieldname"] == fieldname]
	return field["options"].split("\n")


@pytest.mark.parametrize(
	("enum", "doctype", "fieldname"),
	[
		(LedgerStatus, "blueprint", "status"),
		(AuditResult, "stack_audit_log", "result"),
		(PromotionStatus, "promotion", "status"),
		(StepStatus, "promotion_step", "status"),
	],
)
def test_each_enum_is_its_doctypes_options_in_order(enum, doctype, fieldname):
	assert [member.value for member in enum] == select_options(doctype, fieldname)


def test_a_member_is_its_value_in_comparisons_text_and_json():
	status = PromotionStatus.ROLLED_BACK
	assert status == "Rolled Back" and "Rolled Back" in {status} and {status: 1}["Rolled Back"] == 1
	assert str(status) == f"{status}" == "Rolled Back"
	assert f"{LedgerStatus.APPLIED:<9}|" == "Applied  |"
	assert json.dumps({"status": status}) == '{"status": "Rolled Back"}'


def test_a_ledger_entry_holds_the_enum_whatever_it_was_given():
	assert LedgerEntry("a", status="Drifted").status is LedgerStatus.DRIFTED
	assert LedgerEntry("a").status is LedgerStatus.PENDING
	round_trip = entry_from_dict(json.loads(json.dumps(entry_to_dict(LedgerEntry("a", LedgerStatus.FAILED)))))
	assert round_trip.status is LedgerStatus.FAILED


def test_a_status_the_doctype_does_not_know_is_refused():
	with pytest.raises(ValueError, match="'Done' is not a valid LedgerStatus"):
		LedgerEntry("a", status="Done")
