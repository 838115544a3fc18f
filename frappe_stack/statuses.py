"""The statuses the DocTypes' Select fields hold, each defined once, as str enums.

A member is its Select value (`LedgerStatus.APPLIED == "Applied"`): it compares with what the database
returns, serializes to JSON as the value and is stored as it. Python 3.10 has no StrEnum, so `Value`
makes str() and format() give the value too, as they do for a StrEnum.
tests/test_statuses.py holds each enum to its DocType's options."""

from enum import Enum


class Value(str, Enum):
	def __str__(self) -> str:
		return self.value


class LedgerStatus(Value):
	"""Blueprint.status: where a blueprint stands on this site."""

	PENDING = "Pending"  # not applied yet, or skipped since because a blueprint it needs failed
	APPLIED = "Applied"
	FAILED = "Failed"
	DRIFTED = "Drifted"  # applied, then `diff` found its documents changed on the site
	ORPHANED = "Orphaned"  # its file left the repo; its documents stay on the site


class AuditResult(Value):
	"""Stack Audit Log.result."""

	SUCCESS = "Success"
	FAILED = "Failed"
	SKIPPED = "Skipped"


class PromotionStatus(Value):
	"""Promotion.status, in the order a promotion goes through them."""

	DRAFT = "Draft"
	CHECKS_PASSED = "Checks Passed"
	BLOCKED = "Blocked"
	PR_OPEN = "PR Open"
	MERGED = "Merged"
	DEPLOYING = "Deploying"
	DEPLOYED = "Deployed"
	ROLLED_BACK = "Rolled Back"
	FAILED = "Failed"
	SHIPPED = "Shipped"


class StepStatus(Value):
	"""Promotion Step.status: one deploy step's row (see workflows.steps)."""

	PENDING = "Pending"
	RUNNING = "Running"
	SUCCESS = "Success"
	FAILURE = "Failure"
	SKIPPED = "Skipped"
