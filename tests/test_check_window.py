"""The time window check: no promotions on Friday from the cutoff, at weekends or on freeze days,
judged by the local clock, unless an emergency is declared."""

from datetime import date, datetime, time, timezone

import pytest

from frappe_stack.checks.result import FAIL, PASS, WARN
from frappe_stack.checks.window import window_check
from frappe_stack.errors import StackError

NAIROBI = "Africa/Nairobi"  # UTC+3 all year
CUTOFF = time(14, 0)
CHRISTMAS = ((date(2026, 12, 24), date(2026, 12, 24)),)
NEW_YEAR = ((date(2026, 12, 28), date(2027, 1, 2)),)
WEEKEND = "no promotions on Friday from 14:00 or at weekends"
ASK = 'or pass --emergency "reason"'


def utc(*parts: int) -> datetime:
	return datetime(*parts, tzinfo=timezone.utc)


# (now in UTC, zone, freeze, result, detail)
CASES = {
	"thursday-late": (
		utc(2026, 11, 19, 20, 59),
		NAIROBI,
		(),
		PASS,
		"Thursday 23:59 Africa/Nairobi: inside the promotion window",
	),
	"friday-13:59": (
		utc(2026, 11, 20, 10, 59, 59),
		NAIROBI,
		(),
		PASS,
		"Friday 13:59 Africa/Nairobi: inside the promotion window",
	),
	"friday-14:00": (
		utc(2026, 11, 20, 11, 0),
		NAIROBI,
		(),
		FAIL,
		f"Friday 14:00 Africa/Nairobi: {WEEKEND}; next window Monday 2026-11-23 00:00, {ASK}",
	),
	"friday-15:00": (
		utc(2026, 11, 20, 12, 0),
		NAIROBI,
		(),
		FAIL,
		f"Friday 15:00 Africa/Nairobi: {WEEKEND}; next window Monday 2026-11-23 00:00, {ASK}",
	),
	"saturday": (
		utc(2026, 11, 21, 7, 0),
		NAIROBI,
		(),
		FAIL,
		f"Saturday 10:00 Africa/Nairobi: {WEEKEND}; next window Monday 2026-11-23 00:00, {ASK}",
	),
	"sunday-late": (
		utc(2026, 11, 22, 20, 59),
		NAIROBI,
		(),
		FAIL,
		f"Sunday 23:59 Africa/Nairobi: {WEEKEND}; next window Monday 2026-11-23 00:00, {ASK}",
	),
	"monday-midnight": (
		utc(2026, 11, 22, 21, 0),
		NAIROBI,
		(),
		PASS,
		"Monday 00:00 Africa/Nairobi: inside the promotion window",
	),
	"freeze-single-day": (
		utc(2026, 12, 24, 7, 0),
		NAIROBI,
		CHRISTMAS,
		FAIL,
		f"Thursday 10:00 Africa/Nairobi: inside the freeze 2026-12-24; next window Friday 2026-12-25 00:00, {ASK}",
	),
	"day-before-freeze": (
		utc(2026, 12, 23, 7, 0),
		NAIROBI,
		CHRISTMAS,
		PASS,
		"Wednesday 10:00 Africa/Nairobi: inside the promotion window",
	),
	"freeze-across-new-year": (
		utc(2026, 12, 30, 7, 0),
		NAIROBI,
		NEW_YEAR,
		FAIL,
		"Wednesday 10:00 Africa/Nairobi: inside the freeze 2026-12-28..2027-01-02; "
		f"next window Monday 2027-01-04 00:00, {ASK}",
	),
	"freeze-last-day": (
		utc(2027, 1, 1, 20, 59),
		NAIROBI,
		NEW_YEAR,
		FAIL,
		"Friday 23:59 Africa/Nairobi: inside the freeze 2026-12-28..2027-01-02; "
		f"next window Monday 2027-01-04 00:00, {ASK}",
	),
	"weekend-before-a-freeze": (
		utc(2026, 12, 26, 7, 0),
		NAIROBI,
		NEW_YEAR,
		FAIL,
		f"Saturday 10:00 Africa/Nairobi: {WEEKEND}; next window Monday 2027-01-04 00:00, {ASK}",
	),
	"freezes-back-to-back": (
		utc(2026, 12, 21, 7, 0),
		NAIROBI,
		((date(2026, 12, 21), date(2026, 12, 23)), *CHRISTMAS),
		FAIL,
		"Monday 10:00 Africa/Nairobi: inside the freeze 2026-12-21..2026-12-23; "
		f"next window Friday 2026-12-25 00:00, {ASK}",
	),
	# Europe/Berlin leaves summer time at 01:00 UTC on Sunday 2026-10-25 (CEST +2 -> CET +1)
	"berlin-summer-friday": (
		utc(2026, 10, 23, 12, 0),
		"Europe/Berlin",
		(),
		FAIL,
		f"Friday 14:00 Europe/Berlin: {WEEKEND}; next window Monday 2026-10-26 00:00, {ASK}",
	),
	"berlin-winter-friday": (
		utc(2026, 10, 30, 12, 0),
		"Europe/Berlin",
		(),
		PASS,
		"Friday 13:00 Europe/Berlin: inside the promotion window",
	),
	"berlin-before-the-change": (
		utc(2026, 10, 25, 0, 30),
		"Europe/Berlin",
		(),
		FAIL,
		f"Sunday 02:30 Europe/Berlin: {WEEKEND}; next window Monday 2026-10-26 00:00, {ASK}",
	),
	"berlin-after-the-change": (
		utc(2026, 10, 25, 1, 30),
		"Europe/Berlin",
		(),
		FAIL,
		f"Sunday 02:30 Europe/Berlin: {WEEKEND}; next window Monday 2026-10-26 00:00, {ASK}",
	),
	# Thursday 22:30 UTC is Friday 11:30 in Auckland (NZDT, UTC+13)
	"friday-locally-thursday-in-utc": (
		utc(2026, 11, 19, 22, 30),
		"Pacific/Auckland",
		(),
		PASS,
		"Friday 11:30 Pacific/Auckland: inside the promotion window",
	),
	"frozen-friday-locally-thursday-in-utc": (
		utc(2026, 11, 19, 22, 30),
		"Pacific/Auckland",
		((date(2026, 11, 20), date(2026, 11, 20)),),
		FAIL,
		"Friday 11:30 Pacific/Auckland: inside the freeze 2026-11-20; "
		f"next window Monday 2026-11-23 00:00, {ASK}",
	),
	# Friday 21:00 in New York is already Saturday in UTC: still Friday's rule
	"saturday-in-utc-friday-locally": (
		utc(2026, 11, 21, 2, 0),
		"America/New_York",
		(),
		FAIL,
		f"Friday 21:00 America/New_York: {WEEKEND}; next window Monday 2026-11-23 00:00, {ASK}",
	),
}


@pytest.mark.parametrize(("now", "zone", "freeze", "result", "detail"), CASES.values(), ids=CASES.keys())
def test_the_window(now, zone, freeze, result, detail):
	check = window_check(now, zone, freeze, CUTOFF, None)
	assert (check.check, check.result, check.detail) == ("time window", result, detail)
	assert check.data["emergency"] is None


def test_the_data_holds_local_time_zone_reason_and_next_window_with_its_own_offset():
	check = window_check(utc(2026, 10, 25, 1, 30), "Europe/Berlin", (), CUTOFF, None)
	assert check.data == {
		"local_time": "2026-10-25T02:30:00+01:00",
		"timezone": "Europe/Berlin",
		"reason": WEEKEND,
		"next_window": "2026-10-26T00:00:00+01:00",
		"emergency": None,
	}
	before = window_check(utc(2026, 10, 25, 0, 30), "Europe/Berlin", (), CUTOFF, None)
	assert before.data["local_time"] == "2026-10-25T02:30:00+02:00"


def test_inside_the_window_there_is_no_reason_or_next_window():
	check = window_check(utc(2026, 11, 19, 7, 0), NAIROBI, CHRISTMAS, CUTOFF, None)
	assert check.data["reason"] is None and check.data["next_window"] is None


def test_an_earlier_cutoff_refuses_earlier():
	check = window_check(utc(2026, 11, 19, 22, 30), "Pacific/Auckland", (), time(10, 0), None)
	assert check.result == FAIL
	assert check.detail.startswith(
		"Friday 11:30 Pacific/Auckland: no promotions on Friday from 10:00 or at weekends"
	)


def test_a_midnight_cutoff_closes_every_friday():
	check = window_check(
		utc(2026, 11, 18, 7, 0), NAIROBI, ((date(2026, 11, 18), date(2026, 11, 19)),), time(0, 0), None
	)
	assert check.data["next_window"] == "2026-11-23T00:00:00+03:00"
	friday = window_check(utc(2026, 11, 19, 21, 0), NAIROBI, (), time(0, 0), None)
	assert friday.result == FAIL and "Friday 00:00" in friday.detail


@pytest.mark.parametrize(
	("now", "freeze", "why"),
	[
		(utc(2026, 11, 21, 7, 0), (), f"Saturday 10:00 Africa/Nairobi: {WEEKEND}"),
		(utc(2026, 12, 24, 7, 0), CHRISTMAS, "Thursday 10:00 Africa/Nairobi: inside the freeze 2026-12-24"),
	],
	ids=["weekend", "freeze"],
)
def test_an_emergency_turns_a_refusal_into_a_warning(now, freeze, why):
	check = window_check(now, NAIROBI, freeze, CUTOFF, "  payroll is broken  ")
	assert check.result == WARN
	assert check.detail == f"{why}; allowed by --emergency: payroll is broken"
	assert check.data["emergency"] == "payroll is broken"
	assert check.data["next_window"] is not None


def test_an_emergency_inside_the_window_changes_nothing_but_is_mentioned():
	check = window_check(utc(2026, 11, 19, 7, 0), NAIROBI, (), CUTOFF, "payroll is broken")
	assert check.result == PASS
	assert check.detail == (
		'Thursday 10:00 Africa/Nairobi: inside the promotion window (--emergency "payroll is broken" not needed)'
	)
	assert check.data["emergency"] == "payroll is broken"


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"], ids=["empty", "spaces", "whitespace"])
def test_a_blank_emergency_is_no_emergency(blank):
	check = window_check(utc(2026, 11, 21, 7, 0), NAIROBI, (), CUTOFF, blank)
	assert check.result == FAIL
	assert check.detail.endswith(ASK)
	assert check.data["emergency"] is None


def test_an_unknown_zone_says_where_to_set_one():
	with pytest.raises(
		StackError, match=r'time zone "Mars/Olympus" is not an IANA zone; set \[window\] timezone'
	):
		window_check(utc(2026, 11, 19, 7, 0), "Mars/Olympus", (), CUTOFF, None)
