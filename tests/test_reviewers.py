"""The reviewer rotation: round-robin, remembered across promotions, through rotation changes."""

from hypothesis import given
from hypothesis import strategies as st

from frappe_stack.promote.reviewers import next_reviewers

TEAM = ["alice", "bob", "carol", "dave"]


def run_promotions(rotation: list[str], times: int, count: int = 1) -> list[list[str]]:
	"""Each promotion asks the rotation and is remembered, as promote does with its Promotion records."""
	history: list[list[str]] = []
	for _ in range(times):
		history.append(next_reviewers(rotation, history, count))
	return history


def test_first_promotion_starts_at_the_top_of_the_rotation():
	assert next_reviewers(TEAM, []) == ["alice"]
	assert next_reviewers(TEAM, [], count=2) == ["alice", "bob"]


def test_continues_after_the_last_reviewer_and_wraps_around():
	assert next_reviewers(TEAM, [["alice"]]) == ["bob"]
	assert next_reviewers(TEAM, [["alice"], ["bob"], ["carol"]]) == ["dave"]
	assert next_reviewers(TEAM, [["dave"]]) == ["alice"]
	assert next_reviewers(TEAM, [["carol", "dave"]], count=2) == ["alice", "bob"]
	assert next_reviewers(TEAM, [["dave", "alice"]], count=2) == ["bob", "carol"]


def test_everyone_reviews_equally_often_in_turn():
	assert run_promotions(TEAM, 8) == [[name] for name in TEAM + TEAM]
	assert run_promotions(TEAM, 4, count=2) == [["alice", "bob"], ["carol", "dave"]] * 2


def test_only_the_most_recent_promotion_counts():
	assert next_reviewers(TEAM, [["carol"], ["alice"]]) == ["bob"]


def test_the_author_is_skipped_and_loses_only_this_turn():
	assert next_reviewers(TEAM, [["alice"]], exclude={"bob"}) == ["carol"]
	assert next_reviewers(TEAM, [["alice"], ["carol"]]) == ["dave"]
	assert next_reviewers(TEAM, [["alice"], ["carol"], ["dave"]]) == ["alice"]
	assert next_reviewers(TEAM, [["dave"]], exclude={"alice"}, count=2) == ["bob", "carol"]


def test_someone_removed_is_passed_over_and_their_successor_is_next():
	history = [["alice"], ["bob"], ["carol"]]
	assert next_reviewers(["alice", "bob", "dave"], history) == ["dave"]
	assert next_reviewers(["alice", "dave"], history) == ["dave"]
	assert next_reviewers(["bob", "carol", "dave"], [["alice"]]) == ["bob"]


def test_someone_added_takes_their_place_in_the_order():
	assert next_reviewers(["alice", "bob", "erin", "carol"], [["bob"]]) == ["erin"]
	assert next_reviewers(["erin", "alice", "bob"], [["bob"]]) == ["erin"]


def test_logins_match_whatever_their_case_and_come_back_as_the_rotation_spells_them():
	rotation = ["Alice", "Bob", "carol"]
	assert next_reviewers(rotation, [["alice"]]) == ["Bob"]
	assert next_reviewers(rotation, [["CAROL"]], exclude={"ALICE"}) == ["Bob"]
	assert next_reviewers(["alice", "Alice", "bob"], [], count=3) == ["alice", "bob"]


def test_asks_fewer_when_fewer_are_left():
	assert next_reviewers(TEAM, [["bob"]], count=10) == ["carol", "dave", "alice", "bob"]
	assert next_reviewers(["alice"], [["alice"]], exclude={"alice"}) == []
	assert next_reviewers([], [["alice"]]) == []
	assert next_reviewers(TEAM, [], count=0) == []


names = st.sampled_from(["ann", "Ann", "ben", "cy", "dee", "eve", "fay"])


@given(
	rotation=st.lists(names, max_size=6),
	previous=st.lists(st.lists(names, max_size=3), max_size=5),
	count=st.integers(0, 8),
	exclude=st.sets(names, max_size=3),
)
def test_picks_distinct_members_of_the_rotation_and_never_an_excluded_one(rotation, previous, count, exclude):
	picked = next_reviewers(rotation, previous, count, exclude)
	folded = [name.casefold() for name in picked]
	eligible = {name.casefold() for name in rotation} - {name.casefold() for name in exclude}
	assert all(name in rotation for name in picked)
	assert len(set(folded)) == len(folded) == min(count, len(eligible))
	assert set(folded) <= eligible
	assert picked == next_reviewers(list(rotation), [list(p) for p in previous], count, set(exclude))
