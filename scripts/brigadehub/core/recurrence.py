"""Read a hand-kept RRULE the RFC 5545 way, judge whether it describes meetings, and expand it with bounded work.

dateutil walks a rule one period at a time until it yields a date or reaches the year 9999, so a rule that
never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) walks for seconds, and FREQ=SECONDLY for far longer. The
Gregorian calendar repeats exactly every 400 years, weekdays included, so every rule is expanded in the last
400 years before 9999 and moved back: the same dates, and dateutil's own end of the calendar bounds the walk.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from itertools import islice, takewhile

from dateutil.rrule import rrule, rrulestr

from brigadehub.core.model import TOKYO

CYCLE = 400  # years: 146,097 days, exactly 20,871 weeks
FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
ONE_YEAR = timedelta(days=366)
TEN_YEARS = timedelta(days=3653)
UNTIL_UTC = re.compile(r"(?<![A-Z])UNTIL=(\d{8}T\d{6})Z")


def _local_until(rule: str) -> str:
    """RFC 5545 writes UNTIL in UTC when DTSTART has a zone; read it as the Tokyo wall-clock time it is."""
    def local(found: re.Match) -> str:
        moment = datetime.strptime(found.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC).astimezone(TOKYO)
        return "UNTIL=" + moment.strftime("%Y%m%dT%H%M%S")

    return UNTIL_UTC.sub(local, rule)


def _shift(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year + years)  # a multiple of 400 years keeps 29 February a real day


def _era(latest: datetime) -> int:
    """How many years to move a walk so that it ends within 400 years of dateutil's last year."""
    return (datetime.max.year - latest.year) // CYCLE * CYCLE


def _rule(text: str, first: datetime, years: int) -> rrule:
    local = _local_until(text)
    rule = rrulestr(local, dtstart=first)
    until = re.search(r"(?<![A-Z])UNTIL=(\d{8}(?:T\d{6})?)", local)
    # UNTIL moves with the walk, or the series would end 8,000 years before it began.
    moved = {"until": _shift(_read_until(until.group(1)), years)} if until else {}
    return rule.replace(dtstart=_shift(first, years), **moved)


def _read_until(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%S" if "T" in value else "%Y%m%d")


def between(text: str, first: datetime, low: datetime, high: datetime, limit: int) -> list[datetime]:
    """At most limit starts of the rule from low to high, wall-clock times as naive datetimes.

    Raises ValueError for a rule dateutil cannot read.
    """
    years = _era(high)
    end = _shift(high, years)
    walk = takewhile(lambda start: start <= end, _rule(text, first, years).xafter(_shift(low, years), inc=True))
    return [_shift(start, -years) for start in islice(walk, limit)]


def problem(text: str, first: datetime) -> str | None:
    """Say what is wrong with a rule for a brigade's meetings, or None: it must be readable, at most daily, and
    give at least one date in the ten years from its start."""
    frequency = re.search(r"(?:^|;)FREQ=([A-Z]+)", text)
    if frequency and frequency.group(1) not in FREQUENCIES:
        return f"repeats {frequency.group(1).lower()}, but meetings repeat at most daily"
    try:
        year = between(text, first, first, first + ONE_YEAR, 367)
        if len(year) > 366:
            return "gives more than one date a day"
        if not year and not between(text, first, first, first + TEN_YEARS, 1):
            return "gives no date in the ten years from its start (is BYMONTHDAY in BYMONTH?)"
    except (ValueError, TypeError) as error:
        return f"is not a valid RRULE ({error})"
    return None


def as_wall_clock(start: date | datetime) -> datetime:
    """Tokyo wall-clock time without a zone, as rules are expanded: Japan has no daylight saving."""
    return start.replace(tzinfo=None) if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
