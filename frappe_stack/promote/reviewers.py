"""Who reviews the next promotion: round-robin over the rotation in frappe-stack.toml, continuing
after whoever reviewed the most recent promotions. Pure: the caller passes the history it keeps on
its Promotion records.

GitHub logins are case-insensitive, so names are matched by their casefold and returned as the
rotation spells them.
"""

from collections.abc import Set as AbstractSet


def next_reviewers(
	rotation: list[str], previous: list[list[str]], count: int = 1, exclude: AbstractSet[str] = frozenset()
) -> list[str]:
	"""The next `count` reviewers of `rotation` after those used in `previous` (one list per earlier
	promotion, most recent last), skipping `exclude` (the author, someone away). Fewer when fewer are
	left to ask; the same answer for the same arguments.

	Someone removed from the rotation is passed over, and the turn goes to whoever followed them;
	someone added takes their place in the order. An excluded person loses this turn only.
	"""
	members: dict[str, str] = {}
	for name in rotation:
		members.setdefault(name.casefold(), name)
	order = list(members.values())
	start = _after_last_reviewer(list(members), previous)
	skipped = {name.casefold() for name in exclude}
	queue = order[start:] + order[:start]
	return [name for name in queue if name.casefold() not in skipped][: max(count, 0)]


def _after_last_reviewer(members: list[str], previous: list[list[str]]) -> int:
	"""Where the rotation continues: after the most recent reviewer still in it. Walking back over
	reviewers who have left is what makes their successors next, not the start of the list."""
	position = {name: index for index, name in enumerate(members)}
	for reviewers in reversed(previous):
		for name in reversed(reviewers):
			if name.casefold() in position:
				return position[name.casefold()] + 1
	return 0
