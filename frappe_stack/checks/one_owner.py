"""The `one owner` check: no document a blueprint manages may also be shipped by an installed app
in a file Frappe syncs on every migrate (law 8); Frappe would overwrite it on the next deploy."""

from frappe_stack.checks.result import FAIL, PASS, CheckResult
from frappe_stack.document_owners import SharedOwner

SHOWN = 3  # the detail is one line; the rest are in --json and in `frappe-stack plan`


def one_owner_check(shared: list[SharedOwner]) -> CheckResult:
	data = {"shared": [item.as_dict() for item in shared]}
	if not shared:
		return CheckResult("one owner", PASS, "no managed document is also shipped by an installed app", data)
	named = "; ".join(
		f"{s.doctype} '{s.name}' (blueprint {s.blueprint}, app {s.app}: {s.file})" for s in shared[:SHOWN]
	)
	more = f" and {len(shared) - SHOWN} more" if len(shared) > SHOWN else ""
	fix = (
		shared[0].fix()
		if len(shared) == 1
		else "remove each from the app's file or from its blueprint (`frappe-stack plan` names the fix for each)"
	)
	return CheckResult(
		"one owner",
		FAIL,
		f"{len(shared)} document(s) also shipped by an app, which Frappe re-imports on every migrate: "
		f"{named}{more}. Fix: {fix}",
		data,
	)
