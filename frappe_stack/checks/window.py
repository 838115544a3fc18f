"""Time window: promotions land when people are around to watch production, so none on Friday from
the cutoff, at weekends or on freeze days, all judged by the local clock of the team's time zone.
An emergency overrides the refusal and is recorded."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from frappe_stack.checks.result import FAIL, PASS, WARN, CheckResult
from frappe_stack.errors import StackError

# Not strftime("%A"): that follows the process locale, and the detail must read the same everywhere.
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FRIDAY = 4


def window_check(
	now: datetime,
	timezone: str,
	freeze: tuple[tuple[date, date], ...],
	friday_cutoff: time,
	emergency: str | None,
) -> CheckResult:
	"""`now` is timezone-aware; `freeze` holds inclusive ranges of local dates."""
	try:
		zone = ZoneInfo(timezone)
	except (ZoneInfoNotFoundError, ValueError):
		raise StackError(
			f'time zone "{timezone}" is not an IANA zone; set [window] timezone in frappe-stack.toml'
		) from None
	local = now.astimezone(zone)
	emergency = (emergency or "").strip() or None
	reason = _refusal(local, freeze, friday_cutoff)
	following = _next_window(local.date(), freeze, friday_cutoff) if reason else None
	data = {
		"local_time": local.isoformat(),
		"timezone": timezone,
		"reason": reason,
		"next_window": datetime.combine(following, time(), zone).isoformat() if following else None,
		"emergency": emergency,
	}
	when = f"{DAYS[local.weekday()]} {local:%H:%M} {timezone}"
	if not reason:
		note = f' (--emergency "{emergency}" not needed)' if emergency else ""
		return CheckResult("time window", PASS, f"{when}: inside the promotion window{note}", data)
	if emergency:
		return CheckResult(
			"time window", WARN, f"{when}: {reason}; allowed by --emergency: {emergency}", data
		)
	return CheckResult(
		"time window",
		FAIL,
		f'{when}: {reason}; next window {DAYS[following.weekday()]} {following} 00:00, or pass --emergency "reason"',
		data,
	)


def _refusal(local: datetime, freeze: tuple[tuple[date, date], ...], cutoff: time) -> str | None:
	"""Why promoting at this local moment is refused, or None."""
	for start, end in freeze:
		if start <= local.date() <= end:
			return f"inside the freeze {start}" + (f"..{end}" if end != start else "")
	if local.weekday() > FRIDAY or (local.weekday() == FRIDAY and local.time() >= cutoff):
		return f"no promotions on Friday from {cutoff:%H:%M} or at weekends"
	return None


def _next_window(today: date, freeze: tuple[tuple[date, date], ...], cutoff: time) -> date:
	"""The first later day open at its midnight: every refusal lasts to the end of its day, so the
	next window always opens at a midnight (a Friday with cutoff 00:00 never opens)."""
	day = today + timedelta(days=1)
	while _refusal(datetime.combine(day, time()), freeze, cutoff):
		day += timedelta(days=1)
	return day
