"""Read events from a public iCalendar feed, or from a Meetup group's feed, expanding each series alone in a window."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

import icalendar
import recurring_ical_events

from brigadehub.core.model import TOKYO, Event, web_address
from brigadehub.events.clean import TITLE_LIMIT, clean_text, plain_line
from brigadehub.events.http import Deadline, RequestError
from brigadehub.events.sources import Found, Skip, SourceError, Target, Window, looks_online, nothing_readable
from brigadehub.events.sources.vcalendar import RECURRENCE, Series, complaint, read_series

MEETUP_BASE_URL = "https://www.meetup.com"
# Feeds are often served as plain text or as a download; an HTML page (a login or error page) is refused.
ICAL_TYPES = frozenset({"text/calendar", "text/plain", "application/ics", "application/octet-stream",
                        "text/x-vcalendar", "application/x-ical"})
# Caps, each a failure of the source when passed (it keeps its last good events): a brigade meets a few times a
# month, so a feed past them is broken or hostile, and a partial answer would fill the snapshot with its junk.
MAX_COMPONENTS = 5000  # VEVENTs in one calendar; icalendar parses 2,000 Google events in about 5 s here
MAX_EVENTS = 2000  # occurrences inside the window, per source
# A rule that repeats within a day leaves its series out: no brigade meets hourly, and FREQ=SECONDLY from a DTSTART
# years back makes dateutil work through every second since then before the window's first.
SUB_DAILY = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
VEVENT_LINE = re.compile(rb"(?im)^BEGIN:VEVENT\r?$")
# How a series that cannot be expanded is read again: without these properties, each time, and what the report
# then says. The rungs lose as little as they can, and only ever lose dates: EXDATE goes only with the rule it
# restricts, so no date that the feed excludes is ever shown.
END = ("DTEND", "DURATION")
RUNGS = (((), ""),
         (("RDATE",), "its RDATE could not be read; its other dates are kept"),
         (END, "its end could not be read; it is kept without one"),
         (("RDATE", *END), "its RDATE and its end could not be read; its other dates are kept, without an end"),
         (RECURRENCE, "its repetition could not be read; only its first date is kept"),
         ((*RECURRENCE, *END), "its repetition and its end could not be read; only its first start is kept"))


def meetup_url(base_url: str, group: str) -> str:
    # Meetup's API needs a paid Pro account; every group's public iCal feed is free (PlaceCal PR #2910).
    return f"{base_url.rstrip('/')}/{quote(group, safe='')}/events/ical/"


def fetch(client, base_url: str | None, targets: Sequence[Target], window: Window, secret: str | None = None
          ) -> dict[str, Found]:
    """Read each target's feed; a meetup target names a group, an ical target the feed's URL."""
    found = {}
    for target in targets:
        url = meetup_url(base_url or MEETUP_BASE_URL, target.handle) if target.kind == "meetup" else target.handle
        answer = client.get(url, accept=ICAL_TYPES, conditional=True)
        found[target.key] = parse(answer.body, target, window, client.deadline)  # the request's deadline holds on
        client.remember(answer)  # after the feed was read: an unreadable one is asked in full next time
    return found


def parse(body: bytes, target: Target, window: Window, deadline: Deadline) -> Found:
    """The feed's events inside the window, and what was skipped; SourceError when nothing in it can be read.

    Parsing and expanding stop at the deadline (DeadlinePassed), whatever the feed makes the libraries do.
    """
    check_count(len(VEVENT_LINE.findall(body)))  # before parsing; a BEGIN line folded in two is counted below
    found = Found()
    try:
        with deadline.enforced():
            series = read_series(body, found.skipped)
            check_count(sum(len(s.components) for s in series))
            readable = _read_all(series, target, window, found)
    except (SourceError, RequestError):
        raise
    except Exception as error:  # noqa: BLE001 - any fault in an untrusted feed is that feed's failure
        raise SourceError(f"malformed iCalendar ({type(error).__name__}: {complaint(error)}; "
                          f"{len(body):,} bytes)") from None
    if not readable and found.skipped:
        raise nothing_readable(found.skipped, "malformed iCalendar")
    return found


def _read_all(series: list[Series], target: Target, window: Window, found: Found) -> int:
    """Expand every series into found; return how many could be read (whether or not they fall in the window).

    Each series is expanded alone, so that one that cannot be read costs only itself (issue 10): it is skipped
    and named in found.skipped, and the rest of the feed is kept.
    """
    budget = Budget()
    readable = 0
    for one in series:
        occurrences = expand(one, window, budget, found.skipped)
        readable += occurrences is not None
        for occurrence in occurrences or ():
            try:
                found.events.append(to_event(occurrence, target, one.recurring))
            except Exception as error:  # noqa: BLE001 - one date of an untrusted series
                found.skipped.append(Skip(one.name, f"one of its dates could not be read ({type(error).__name__})"))
    return readable


def check_count(found: int) -> None:
    """Refuse a calendar with more events than we read."""
    if found > MAX_COMPONENTS:
        raise SourceError(f"the calendar has {found:,} events, more than the {MAX_COMPONENTS:,} we read; "
                          "is the feed right?")


def repeats_within_a_day(rule: icalendar.vRecur) -> str | None:
    """What makes a rule repeat more than once a day ('FREQ=MINUTELY', 'BYHOUR with 2 values'), or None."""
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq in SUB_DAILY:
        return f"FREQ={freq}"
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if len(rule.get(part, [])) > 1:
            return f"{part} with {len(rule[part])} values"
    return None


def too_often(series: Series) -> str | None:
    """Why a series repeats more often than once a day, or None."""
    for component in series.components:
        rules = component.get("RRULE", [])
        for rule in rules if isinstance(rules, list) else [rules]:
            found = repeats_within_a_day(rule) if isinstance(rule, icalendar.vRecur) else None
            if found:
                return found
    return None


def start_problem(series: Series) -> str | None:
    """Why a series has no start we can read, in our words, or None."""
    for component in series.components:
        value = component.get("DTSTART")
        if value is None:
            return "has no DTSTART"
        if isinstance(value, list):
            return "has more than one DTSTART"
        if not isinstance(date_of(value), date):
            return "its DTSTART is not a date or time"
    return None


class Budget:
    """How many occurrences all series of one feed have taken so far; MAX_EVENTS is the cap."""

    def __init__(self):
        self.taken = 0

    def take(self) -> None:
        self.taken += 1
        if self.taken > MAX_EVENTS:
            raise SourceError(f"more than {MAX_EVENTS:,} events in the window; is the feed right?")


def expand(series: Series, window: Window, budget: Budget, skipped: list[Skip]) -> list | None:
    """The series' occurrences in the window, or None when it cannot be read; every loss is added to skipped."""
    reason = start_problem(series)
    often = None if reason else too_often(series)
    if reason or often:
        skipped.append(Skip(series.name, reason or f"repeats more often than once a day ({often}); left out"))
        return None
    for dropped, loss in RUNGS:
        if dropped and not any(name in c for c in series.components for name in dropped):
            continue
        taken = budget.taken
        try:
            occurrences = between(series.calendar(dropped), window, budget)
        except SourceError:
            raise
        except Exception as error:  # noqa: BLE001 - a series of an untrusted feed
            budget.taken, failure = taken, error  # its partial count is given back before the next rung
            continue
        if loss:
            skipped.append(Skip(series.name, loss))
        return occurrences
    skipped.append(Skip(series.name, f"could not be read ({type(failure).__name__})"))
    return None


def between(calendar: icalendar.Calendar, window: Window, budget: Budget) -> list:
    """Every occurrence inside the window's days, counted against the budget while it is expanded.

    recurring-ical-events applies X-WR-TIMEZONE itself and keeps cancelled instances (STATUS:CANCELLED).
    """
    start = datetime.combine(window.start.date(), time(), TOKYO)
    stop = datetime.combine(window.end.date() + timedelta(days=1), time(), TOKYO)
    events = recurring_ical_events.ComponentsWithName("VEVENT", series=counted_series(budget))
    return recurring_ical_events.of(calendar, components=[events]).between(start, stop)


def counted_series(budget: Budget) -> type[recurring_ical_events.Series]:
    """A Series class that counts every occurrence it finds against the budget, so the cap stops the expansion."""
    # CalendarQuery.after() is lazy too, but asks every series again for each span it looks ahead, and each rule
    # walks its occurrences from DTSTART each time: 7 s instead of 0.6 s for a feed of 300 events and 5 weekly rules.

    class CountedSeries(recurring_ical_events.Series):
        def between(self, span_start, span_stop) -> Iterator[recurring_ical_events.Occurrence]:
            for occurrence in super().between(span_start, span_stop):
                budget.take()
                yield occurrence

    return CountedSeries


def to_tokyo(value: date | datetime) -> date | datetime:
    """Floating times are read as Tokyo times: the feeds are Japanese brigades' own calendars."""
    if not isinstance(value, datetime):
        return value
    return value.replace(tzinfo=TOKYO) if value.tzinfo is None else value.astimezone(TOKYO)


def date_of(value: object) -> object:
    """A property's date or time (its .dt), or None; icalendar raises BrokenCalendarProperty for a broken value."""
    try:
        return value.dt
    except Exception:  # noqa: BLE001 - any value an untrusted feed holds
        return None


def _moment(component, name: str) -> date | datetime | None:
    """A date or time property as a Tokyo time, or None when it is missing or cannot be read (it is optional)."""
    value = date_of(component.get(name))
    return to_tokyo(value) if isinstance(value, date) else None


def _times(component) -> tuple[date | datetime, date | datetime | None]:
    start = to_tokyo(component["DTSTART"].dt)
    end = _moment(component, "DTEND")
    if not isinstance(start, datetime) and end is not None:
        end = end - timedelta(days=1) if not isinstance(end, datetime) else end.date()  # iCal's DTEND is exclusive
        end = end if end > start else None
    elif end is not None and (not isinstance(end, datetime) or end < start):
        end = None
    return start, end


def _uid(url: str, component, recurring: bool) -> tuple[str, str]:
    """A stable id: the feed's UID, plus the instance's original start when the event recurs."""
    uid = str(component.get("UID") or "")
    source_id = uid
    instance = _moment(component, "RECURRENCE-ID")
    if uid and recurring and instance is not None:
        source_id = f"{uid}/{instance.isoformat()}"
    if not uid:
        source_id = f"/{to_tokyo(component['DTSTART'].dt).isoformat()}/{component.get('SUMMARY', '')}"
    return hashlib.sha1(f"{url}|{source_id}".encode()).hexdigest()[:16], source_id


def to_event(component, target: Target, recurring: bool) -> Event:
    """One occurrence as an Event; SUMMARY and LOCATION are text, DESCRIPTION may hold HTML (Google writes some)."""
    start, end = _times(component)
    digest, source_id = _uid(target.handle, component, recurring)
    place = plain_line(component.get("LOCATION")) or None
    updated = _moment(component, "LAST-MODIFIED")
    return Event(
        uid=f"{target.kind}-{digest}", title=plain_line(component.get("SUMMARY"), TITLE_LIMIT) or "(無題)",
        start=start, end=end, source=target.kind, source_id=plain_line(source_id, 500),
        host=target.brigade, host_name=target.host_name, place=place, online=looks_online(place),
        url=web_address(str(component.get("URL") or "")), description=clean_text(component.get("DESCRIPTION")),
        status="cancelled" if str(component.get("STATUS", "")).upper() == "CANCELLED" else "confirmed",
        # LAST-MODIFIED, never DTSTAMP: Google stamps DTSTAMP with the export time, which changes every fetch.
        updated=updated if isinstance(updated, datetime) else None,
    )
