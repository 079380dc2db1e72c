"""The real-world calendars of icalendar's and recurring-ical-events' own tests, read by the iCal source (issue 10)."""

# Every file goes through ical.parse under a deadline that counts readings of a ticking FakeClock, so a file that
# made the libraries run on would fail its test instead of holding the suite, however busy the machine. Nothing may
# crash, and the events kept are compared, one by one, with what the libraries read when each series (the
# components of one UID) is given to them alone, here, without our code: recurring-ical-events expands it; when it
# cannot, it is given again without its RDATE, without its end, without both, without its repetition, and without
# its repetition and its end, in that order. A series that repeats more often than once a day is left out by our
# policy (none does in this corpus), and so is one without a readable DTSTART. A file fails as a whole only when
# none of its series can be read.

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from brigadehub.core.model import TOKYO
from brigadehub.events.clean import TITLE_LIMIT, plain_line
from brigadehub.events.http import Deadline
from brigadehub.events.sources import SourceError, Target, Window, ical
from conftest import FakeClock

FOLDERS = {"icalendar": Path(icalendar.__file__).parent / "tests" / "calendars",
           "recurring_ical_events": Path(recurring_ical_events.__file__).parent / "test" / "calendars"}
CORPUS = sorted(path for folder in FOLDERS.values() for path in folder.glob("*.ics"))
IDS = [f"{path.parent.parent.parent.name}/{path.name}" for path in CORPUS]
TARGET = Target("ical", "https://calendar.example.org/corpus.ics", "code-for-example", "Code for Example")
# Readings of the ticking clock the deadline allows: the largest file takes about 830, so this is ample, and still
# stops a file that would run for minutes.
READINGS = 20_000
END = ("DTEND", "DURATION")
REPETITION = ("RRULE", "RDATE", "EXDATE")
LADDER = ((), ("RDATE",), END, ("RDATE", *END), REPETITION, (*REPETITION, *END))
VEVENT = re.compile(r"BEGIN:VEVENT.*?END:VEVENT", re.S | re.I)
VTIMEZONE = re.compile(r"BEGIN:VTIMEZONE.*?END:VTIMEZONE", re.S | re.I)
# A skip's reason is ours, never the feed's text.
REASON = re.compile(r"^(has no DTSTART|has more than one DTSTART|its DTSTART is not a date or time|"
                    r"repeats more often than once a day \([A-Z]+=?[A-Z0-9 ]*\); left out|could not be read( \(\w+\))?|"
                    r"its (RDATE|end|RDATE and its end|repetition|repetition and its end) could not be read; .+|"
                    r"one of its dates could not be read \(\w+\)|has no END:VCALENDAR; it may have been cut short)$")
# Before salvage (issue 10) these failed as a whole, each losing every event; the events each keeps now.
SANK = {"created_calendar_with_unicode_fields.ics": 2, "issue_104_broken_calendar.ics": 1,
        "issue_1081_invalid_rrule_freq.ics": 1, "issue_165_missing_event.ics": 1, "issue_722_missing_timezones.ics": 1,
        "multiple_calendar_components.ics": 3, "multiple_timezones.ics": 3}
# And these lost a series without a word (recurring-ical-events' skip_bad_series); now it is kept, and the part of
# it that could not be read is named.
SHORT = {"invalid_duration.ics": 1, "parsing_error.ics": 21, "rfc_7529.ics": 2, "bad_rrule_missing_until_event.ics": 1}


def test_the_corpus_is_that_of_the_pinned_libraries():
    # 116 calendars of icalendar 7.3 and 95 of recurring-ical-events 3.8; another release may bring others.
    assert [len(list(folder.glob("*.ics"))) for folder in FOLDERS.values()] == [116, 95]


@pytest.mark.filterwarnings("ignore::icalendar.error.GloballyUniqueTZIDGuessed")  # as `brigadehub fetch` does
@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_every_event_the_libraries_read_alone_is_kept(path):
    body = path.read_bytes()
    window = window_for(body)
    expected, readable = read_alone(body, window)
    deadline = Deadline(FakeClock(tick=1.0), READINGS)  # DeadlinePassed is not a SourceError: it fails this test
    if len(expected) > ical.MAX_EVENTS:
        with pytest.raises(SourceError, match="more than 2,000 events in the window"):
            ical.parse(body, TARGET, window, deadline)
        return
    found, failure = _outcome(body, window, deadline)
    if failure is not None:
        assert readable == 0, failure  # it fails as a whole only when none of its series can be read
        assert re.match(r"^malformed iCalendar[:( ]", failure) and len(failure) < 300
        return
    assert sorted(_key(e.start, e.title) for e in found.events) == expected
    assert all(REASON.match(skip.reason) for skip in found.skipped), found.skipped


def _outcome(body: bytes, window: Window, deadline: Deadline) -> tuple[ical.Found | None, str | None]:
    try:
        return ical.parse(body, TARGET, window, deadline), None
    except SourceError as error:
        return None, str(error)


@pytest.mark.filterwarnings("ignore::icalendar.error.GloballyUniqueTZIDGuessed")
@pytest.mark.parametrize("name", sorted({**SANK, **SHORT}))
def test_calendars_that_lost_events_to_one_bad_component_keep_them(name):
    [path] = [p for p in CORPUS if p.name == name]
    body = path.read_bytes()
    found = ical.parse(body, TARGET, window_for(body), Deadline(FakeClock(tick=1.0), READINGS))
    assert len(found.events) == {**SANK, **SHORT}[name]
    assert found.skipped or name == "multiple_calendar_components.ics"  # two VCALENDARs, both whole


# ---- what the libraries read, series by series, without our code ----


def read_alone(body: bytes, window: Window) -> tuple[list[tuple[str, str]], int]:
    """The events the libraries read from each series alone, as sorted (start, title), and how many series they read."""
    start = datetime.combine(window.start.date(), time(), TOKYO)
    stop = datetime.combine(window.end.date() + timedelta(days=1), time(), TOKYO)
    found, readable = [], 0
    for frame, components in series(body):
        if not all(_start(c) for c in components) or any(_sub_daily(c) for c in components):
            continue
        for dropped in LADDER:
            try:
                occurrences = recurring_ical_events.of(_alone(frame, components, dropped)).between(start, stop)
            except Exception:  # noqa: BLE001 - the libraries could not read it this way
                continue
            readable += 1
            found += [_key(_tokyo(o["DTSTART"].dt), plain_line(o.get("SUMMARY"), TITLE_LIMIT) or "(無題)")
                      for o in occurrences]
            break
    return sorted(found), readable


def series(body: bytes) -> list[tuple[icalendar.Calendar, list]]:
    """Each calendar's events grouped by UID, with the calendar's properties and time zones.

    A file icalendar cannot read whole is cut at its VEVENT and VTIMEZONE blocks, each read alone.
    """
    try:
        tops = icalendar.Calendar.from_ical(body, multiple=True)
    except Exception:  # noqa: BLE001
        tops = []
    if not tops:
        text = body.decode("utf-8", errors="replace")
        frame = icalendar.Calendar()
        for zone in filter(None, map(_read, VTIMEZONE.findall(text))):
            frame.add_component(zone)
        return _grouped(frame, [e for e in map(_read, VEVENT.findall(text)) if e is not None])
    found = []
    for top in tops:
        frame = icalendar.Calendar()
        if top.name == "VCALENDAR":
            frame.update(top)
            for zone in top.walk("VTIMEZONE"):
                frame.add_component(zone)
        found += _grouped(frame, top.walk("VEVENT"))
    return found


def window_for(body: bytes) -> Window:
    """A year from the day before the file's first event, so that every file has its events in the window."""
    days = [_day(_tokyo(c["DTSTART"].dt)) for _, components in series(body) for c in components if _start(c)]
    first = min(days, default=date(2026, 1, 1)) - timedelta(days=1)
    return Window(datetime.combine(first, time(), TOKYO), datetime.combine(first + timedelta(days=365), time(), TOKYO))


def _grouped(frame: icalendar.Calendar, events: list) -> list[tuple[icalendar.Calendar, list]]:
    groups: dict[str, list] = {}
    for number, event in enumerate(events):
        uid = event.get("UID")
        groups.setdefault(str(uid) if uid and not isinstance(uid, list) else f"#{number}", []).append(event)
    return [(frame, components) for components in groups.values()]


def _read(text: str):
    try:
        return icalendar.Component.from_ical(text)
    except Exception:  # noqa: BLE001
        return None


def _alone(frame: icalendar.Calendar, components: list, dropped: tuple[str, ...]) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.update(frame)
    for zone in frame.subcomponents:
        calendar.add_component(zone)
    for component in components:
        event = icalendar.Event()
        event.update({name: value for name, value in component.items() if name not in dropped})
        calendar.add_component(event)
    return calendar


def _start(component) -> bool:
    value = component.get("DTSTART")
    try:
        return not isinstance(value, list) and isinstance(value.dt, date)
    except Exception:  # noqa: BLE001 - icalendar raises BrokenCalendarProperty for a broken value
        return False


def _sub_daily(component) -> bool:
    rules = component.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        if isinstance(rule, icalendar.vRecur) and ical.repeats_within_a_day(rule):
            return True
    return False


def _tokyo(value):
    if not isinstance(value, datetime):
        return value
    return value.replace(tzinfo=TOKYO) if value.tzinfo is None else value.astimezone(TOKYO)


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _key(start, title: str) -> tuple[str, str]:
    return start.isoformat(), title
