"""Role coverage: every role the change hands work to (permissions, workflow states and
transitions, report and workspace roles) must be held by at least one enabled user on the target,
or the promoted feature reaches production with nobody able to use it.

Two kinds of role cannot have users before the deploy, and never fail the check: roles the change
itself creates (nobody can hold them on the target yet: a warning lists them, to assign after the
deploy) and System Manager, which Administrator holds on every site."""

from frappe_stack.checks.result import FAIL, PASS, WARN, CheckResult
from frappe_stack.review.change import ADDED, Change

# Frappe gives these to users by itself (frappe.permissions.AUTOMATIC_ROLES); nobody assigns them.
AUTOMATIC_ROLES = frozenset({"Administrator", "Guest", "All", "Desk User"})
# Frappe's install gives it to Administrator, and a new DocType's first permission row names it
HELD_BY_ADMINISTRATOR = "System Manager"


def roles_used(change: Change) -> list[str]:
	"""The roles the changed documents reference, as they are after the change."""
	return sorted(change.referenced("Role") - AUTOMATIC_ROLES)


def roles_created(change: Change) -> set[str]:
	"""The roles this change adds to the repo: a target cannot have users holding them yet."""
	return {doc.name for doc in change.docs if doc.doctype == "Role" and doc.kind == ADDED}


def role_coverage_check(
	holders: dict[str, int],
	target: str,
	created: set[str] | frozenset[str] = frozenset(),
	absent: list[str] | None = None,
) -> CheckResult:
	"""`holders`: enabled users (other than Administrator) holding each used role on the target;
	`created`: the roles the change creates; `absent`: the used roles the target does not have
	(None when the target did not say, as an older frappe_stack does not)."""
	if not holders:
		return CheckResult("role coverage", PASS, "the change hands work to no role")
	absent_set = set(absent or ())
	counts = ", ".join(_count(role, count, created) for role, count in sorted(holders.items()))
	unheld = sorted(
		r for r, n in holders.items() if n == 0 and r not in created and r != HELD_BY_ADMINISTRATOR
	)
	new = sorted(r for r, n in holders.items() if n == 0 and r in created)
	nobody = [r for r in unheld if r not in absent_set]
	missing = [r for r in unheld if r in absent_set]
	data = {"holders": dict(sorted(holders.items())), "unheld": nobody}
	data |= {key: value for key, value in (("missing", missing), ("new", new)) if value}
	problems = []
	if nobody:
		problems.append(
			f"no enabled user holds {', '.join(nobody)} on {target}: assign "
			f"{'it' if len(nobody) == 1 else 'them'} to the people who will do that work, then check again"
		)
	if missing:
		problems.append(
			f"{', '.join(missing)} {'does' if len(missing) == 1 else 'do'} not exist on {target} and this "
			"change does not create it: add the Role to a blueprint (export it from staging)"
		)
	if problems:
		return CheckResult("role coverage", FAIL, f"{counts}; " + "; ".join(problems), data)
	if new:
		return CheckResult(
			"role coverage",
			WARN,
			f"{counts}; new: assign users to {', '.join(new)} on {target} after the deploy",
			data,
		)
	return CheckResult("role coverage", PASS, counts, data)


def _count(role: str, count: int, created) -> str:
	if count == 0 and role in created:
		return f"{role}(new)"
	if count == 0 and role == HELD_BY_ADMINISTRATOR:
		return f"{role}(Administrator)"
	return f"{role}({count})"
