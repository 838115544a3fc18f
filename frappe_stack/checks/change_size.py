"""Change size: a promotion should carry few unrelated features, so a bad one can be reviewed and
rolled back alone. Changed blueprints that need one another (document references or depends_on)
form one related set; too many sets fail with a split into promotions that keep each set whole."""

from frappe_stack.blueprint.validate import BlueprintSet
from frappe_stack.checks.result import FAIL, PASS, CheckResult
from frappe_stack.review.change import Change


def related_sets(change: Change, head: BlueprintSet) -> list[list[str]]:
	"""The changed blueprints grouped by what they need, directly or through other changed blueprints;
	an unchanged blueprint both need does not join them, as it is not part of the promotion."""
	changed = {doc.blueprint for doc in change.docs}
	group = {name: name for name in changed}  # union-find: each blueprint's parent towards its root

	def root(name: str) -> str:
		while group[name] != name:
			group[name] = group[group[name]]
			name = group[name]
		return name

	for name in changed:
		# a blueprint whose file is gone from head (its documents released) needs nothing there
		for other in head.needs.get(name, ()):
			if other in changed:
				group[root(name)] = root(other)
	sets: dict[str, list[str]] = {}
	for name in sorted(changed):
		sets.setdefault(root(name), []).append(name)
	return sorted(sets.values())


def change_size_check(sets: list[list[str]], limit: int) -> CheckResult:
	split = [sets[i : i + limit] for i in range(0, len(sets), limit)] if len(sets) > limit else []
	data = {"sets": sets, "limit": limit, "split": split}
	if not sets:
		return CheckResult("change size", PASS, "no blueprint changed", data)
	if split:
		promotions = "  ".join(f"{number}) {_names(part)}" for number, part in enumerate(split, 1))
		return CheckResult(
			"change size",
			FAIL,
			f"{len(sets)} unrelated sets exceed the limit of {limit}; split into {len(split)} promotions: "
			f"{promotions}",
			data,
		)
	noun = "related set" if len(sets) == 1 else "related sets"
	return CheckResult("change size", PASS, f"{len(sets)} {noun} (limit {limit}): {_names(sets, '; ')}", data)


def _names(sets: list[list[str]], between: str = ", ") -> str:
	return between.join("+".join(members) for members in sets)
