"""Role coverage: every role the change hands work to (permissions, workflow states and
transitions, report and workspace roles) must be held by at least one enabled user on the target,
or the promoted feature reaches production with nobody able to use it."""

from frappe_stack.checks.result import FAIL, PASS, CheckResult
from frappe_stack.review.change import Change

# Frappe gives these to users by itself (frappe.permissions.AUTOMATIC_ROLES); nobody assigns them.
AUTOMATIC_ROLES = frozenset({"Administrator", "Guest", "All", "Desk User"})


def roles_used(change: Change) -> list[str]:
	"""The roles the changed documents reference, as they are after the change."""
	return sorted(change.referenced("Role") - AUTOMATIC_ROLES)


def role_coverage_check(holders: dict[str, int], target: str) -> CheckResult:
	"""`holders`: enabled users (other than Administrator) holding each used role on the target."""
	if not holders:
		return CheckResult("role coverage", PASS, "the change hands work to no role")
	counts = ", ".join(f"{role}({count})" for role, count in sorted(holders.items()))
	nobody = sorted(role for role, count in holders.items() if count == 0)
	data = {"holders": dict(sorted(holders.items())), "unheld": nobody}
	if nobody:
		return CheckResult(
			"role coverage",
			FAIL,
			f"{counts}; no enabled user holds {', '.join(nobody)} on {target}: assign "
			f"{'it' if len(nobody) == 1 else 'them'} to the people who will do that work, then check again",
			data,
		)
	return CheckResult("role coverage", PASS, counts, data)
