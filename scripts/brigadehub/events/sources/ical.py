"""Read events from a public iCalendar feed, or from a Meetup group's feed, expanding recurrences in a window."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

import icalendar
import recurring_ical_events

from brigadehub.core.model import TOKYO, Event, web_address
from brigadehub.events.clean import TITLE_LIMIT, clean_line, clean_text
from brigadehub.events.http import Deadline, RequestError
from brigadehub.events.sources import SourceError, Target, Window, looks_online

MEETUP_BASE_URL = "https://www.meetup.com"
# Feeds are often served as plain text or as a download; an HTML page (a login or error page) is refused.
ICAL_TYPES = frozenset({"text/calendar", "text/plain", "application/ics", "application/octet-stream",
                        "text/x-vcalendar", "application/x-ical"})
# Caps, each a failure of the source when passed (it keeps its last good events): a brigade meets a few times a
# month, so a feed past them is broken or hostile, and a partial answer would fill the snapshot with its junk.
MAX_COMPONENTS = 5000  # VEVENTs in one calendar; icalendar parses 2,000 Google events in about 5 s here
MAX_EVENTS = 2000  # occurrences inside the window, per source
# A rule that repeats within a day is refused: no brigade meets hourly, and FREQ=SECONDLY from a DTSTART years back
# makes dateutil work through every second since then before the window's first.
SUB_DAILY = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
VEVENT_LINE = re.compile(rb"(?im)^BEGIN:VEVENT\r?$")


def meetup_url(base_url: str, group: str) -> str:
    # Meetup's API needs a paid Pro account; every group's public iCal feed is free (PlaceCal PR #2910).
    return f"{base_url.rstrip('/')}/{quote(group, safe='')}/events/ical/"


def fetch(client, base_url: str | None, targets: Sequence[Target], window: Window, secret: str | None = None
          ) -> dict[str, list[Event]]:
    """Read each target's feed; a meetup target names a group, an ical target the feed's URL."""
    found = {}
    for target in targets:
        url = meetup_url(base_url or MEETUP_BASE_URL, target.handle) if target.kind == "meetup" else target.handle
        answer = client.get(url, accept=ICAL_TYPES, conditional=True)
        found[target.key] = parse(answer.body, target, window, client.deadline)  # the request's deadline holds on
        client.remember(answer)
    return found


def parse(body: bytes, target: Target, window: Window, deadline: Deadline) -> list[Event]:
    """Turn a feed's bytes into the events inside the window; anything unreadable or too large is a SourceError.

    Parsing and expanding stop at the deadline (DeadlinePassed), whatever the feed makes the libraries do.
    """
    check_count(len(VEVENT_LINE.findall(body)))  # before parsing; a BEGIN line folded in two is counted below
    try:
        with deadline.enforced():
            calendar = icalendar.Calendar.from_ical(body)
            check_rules(calendar)
            recurring = _recurring_uids(calendar)
            return [to_event(o, target, recurring) for o in occurrences(calendar, window)]
    except (SourceError, RequestError):
        raise
    except Exception as error:  # noqa: BLE001 - any fault in an untrusted feed is that feed's failure
        raise SourceError(f"malformed iCalendar ({type(error).__name__}: {complaint(error)}; "
                          f"{len(body):,} bytes)") from None


def check_count(found: int) -> None:
    """Refuse a calendar with more events than we read."""
    if found > MAX_COMPONENTS:
        raise SourceError(f"the calendar has {found:,} events, more than the {MAX_COMPONENTS:,} we read; "
                          "is the feed right?")


def check_rules(calendar: icalendar.Calendar) -> None:
    """Refuse a calendar with too many events, or one whose rule repeats within a day; name it by its place."""
    components = calendar.walk("VEVENT")
    check_count(len(components))
    for number, component in enumerate(components, start=1):
        rules = component.get("RRULE", [])
        for rule in rules if isinstance(rules, list) else [rules]:
            too_often = repeats_within_a_day(rule)
            if too_often:
                raise SourceError(f"event {number:,} of the calendar repeats more often than once a day "
                                  f"({too_often}); is the feed right?")


def repeats_within_a_day(rule: icalendar.vRecur) -> str | None:
    """What makes a rule repeat more than once a day ('FREQ=MINUTELY', 'BYHOUR with 2 values'), or None."""
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq in SUB_DAILY:
        return f"FREQ={freq}"
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if len(rule.get(part, [])) > 1:
            return f"{part} with {len(rule[part])} values"
    return None


def occurrences(calendar: icalendar.Calendar, window: Window) -> list[icalendar.Event]:
    """Every occurrence inside the window, which ends with its last day; at most MAX_EVENTS.

    The series count their occurrences as recurring-ical-events finds them, so the cap stops the expansion before
    the components are built. It applies X-WR-TIMEZONE itself and keeps cancelled instances (STATUS:CANCELLED).
    """
    stop = datetime.combine(window.end.date() + timedelta(days=1), time(), TOKYO)
    events = recurring_ical_events.ComponentsWithName("VEVENT", series=counted_series())
    return recurring_ical_events.of(calendar, components=[events], skip_bad_series=True).between(window.start, stop)


def counted_series() -> type[recurring_ical_events.Series]:
    """A Series class whose occurrences, all series of one calendar together, may number MAX_EVENTS."""
    # CalendarQuery.after() is lazy too, but asks every series again for each span it looks ahead, and each rule
    # walks its occurrences from DTSTART each time: 7 s instead of 0.6 s for a feed of 300 events and 5 weekly rules.
    taken = itertools.count(1)

    class CountedSeries(recurring_ical_events.Series):
        def between(self, span_start, span_stop) -> Iterator[recurring_ical_events.Occurrence]:
            for occurrence in super().between(span_start, span_stop):
                if next(taken) > MAX_EVENTS:
                    raise SourceError(f"more than {MAX_EVENTS:,} events in the window; is the feed right?")
                yield occurrence

    return CountedSeries


def complaint(error: Exception) -> str:
    """The parser's complaint without the text it quotes: a feed's answer is never published (issue 9)."""
    text = str(error)
    words = re.split(r"[:'\"\[]", text, maxsplit=1)[0].strip()[:100]
    return f"{words} …" if len(words) < len(text.strip()) else words


def _recurring_uids(calendar: icalendar.Calendar) -> set[str]:
    return {str(c.get("UID")) for c in calendar.walk("VEVENT")
            if any(name in c for name in ("RRULE", "RDATE", "RECURRENCE-ID"))}


def to_tokyo(value: date | datetime) -> date | datetime:
    """Floating times are read as Tokyo times: the feeds are Japanese brigades' own calendars."""
    if not isinstance(value, datetime):
        return value
    return value.replace(tzinfo=TOKYO) if value.tzinfo is None else value.astimezone(TOKYO)


def _times(component) -> tuple[date | datetime, date | datetime | None]:
    if "DTSTART" not in component:
        raise SourceError(f"event {str(component.get('UID', ''))[:80]!r} has no DTSTART")
    start = to_tokyo(component["DTSTART"].dt)
    end = to_tokyo(component["DTEND"].dt) if "DTEND" in component else None
    if not isinstance(start, datetime) and end is not None:
        end = end - timedelta(days=1) if not isinstance(end, datetime) else end.date()  # iCal's DTEND is exclusive
        end = end if end > start else None
    elif end is not None and (not isinstance(end, datetime) or end < start):
        end = None
    return start, end


def _uid(url: str, component, recurring: set[str]) -> tuple[str, str]:
    """A stable id: the feed's UID, plus the instance's original start when the event recurs."""
    uid = str(component.get("UID") or "")
    source_id = uid
    if uid in recurring and "RECURRENCE-ID" in component:
        source_id = f"{uid}/{to_tokyo(component['RECURRENCE-ID'].dt).isoformat()}"
    if not uid:
        source_id = f"/{to_tokyo(component['DTSTART'].dt).isoformat()}/{component.get('SUMMARY', '')}"
    return hashlib.sha1(f"{url}|{source_id}".encode()).hexdigest()[:16], source_id


def to_event(component, target: Target, recurring: set[str]) -> Event:
    start, end = _times(component)
    digest, source_id = _uid(target.handle, component, recurring)
    place = clean_line(component.get("LOCATION")) or None
    updated = component["LAST-MODIFIED"].dt if "LAST-MODIFIED" in component else None
    return Event(
        uid=f"{target.kind}-{digest}", title=clean_line(component.get("SUMMARY"), TITLE_LIMIT) or "(無題)",
        start=start, end=end, source=target.kind, source_id=clean_line(source_id, 500),
        host=target.brigade, host_name=target.host_name, place=place, online=looks_online(place),
        url=web_address(str(component.get("URL") or "")), description=clean_text(component.get("DESCRIPTION")),
        status="cancelled" if str(component.get("STATUS", "")).upper() == "CANCELLED" else "confirmed",
        # LAST-MODIFIED, never DTSTAMP: Google stamps DTSTAMP with the export time, which changes every fetch.
        updated=to_tokyo(updated) if isinstance(updated, datetime) else None,
    )
