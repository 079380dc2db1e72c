"""Tests for feeds.py: every feed parses with icalendar and vobject, keeps Tokyo times, and is byte-stable."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import vobject

from brigadehub.core.model import TOKYO, Event
from brigadehub.core.validate import check_paths
from brigadehub.events import feeds, gather
from brigadehub.events.snapshot import sort_key
from brigadehub.pipeline import brigade_files
from conftest import NOW, ROOT

TODAY = NOW.date()


@pytest.fixture(params=["UTC", "Asia/Tokyo"])
def local_zone(request):
    """Run a test with the machine's own zone set to UTC and to Tokyo: output must not depend on it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    assert time.tzname[0] == ("UTC" if request.param == "UTC" else "JST")
    yield request.param
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def fetched_events(site):
    site.serve()
    site.fetch()
    return gather.collect_events(site.brigades(), site.data, TODAY)


def check_feed(data: bytes) -> icalendar.Calendar:
    """Everything a published feed must pass, with two independent parsers."""
    calendar = icalendar.Calendar.from_ical(data)
    assert all(not component.errors for component in calendar.walk())
    assert calendar.get_missing_tzids() == set() and {str(t.tz_name) for t in calendar.timezones} <= {"Asia/Tokyo"}
    assert calendar.get_used_tzids() <= {"Asia/Tokyo"}
    uids = [str(e["UID"]) for e in calendar.events]
    assert len(uids) == len(set(uids)) and all(u.endswith("@brigadehub") for u in uids)
    assert all(name in e for e in calendar.events for name in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "STATUS"))
    assert "METHOD" not in calendar
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 and b"\n" not in line for line in lines)
    vobject.readOne(data.decode("utf-8"), validate=True)
    return calendar


def _vevent(calendar: icalendar.Calendar, summary: str) -> icalendar.Event:
    return next(e for e in calendar.events if str(e["SUMMARY"]) == summary)


def test_a_feed_of_every_kind_of_event_parses_and_keeps_tokyo_times(fetched_events, local_zone):
    data = feeds.render_calendar("Code for Example のイベント", "例市のシビックテック", fetched_events,
                                 "https://example.org/feeds/code-for-example.ics")
    calendar = check_feed(data)
    assert len(calendar.events) == len(fetched_events) == 19
    assert b"DTSTART;TZID=Asia/Tokyo:20261212T140000\r\n" in data
    assert b"DTSTART;TZID=Asia/Tokyo:20261219T083000\r\n" in data  # Doorkeeper's 23:30Z, the day before in UTC
    camp = _vevent(calendar, "新春もくもく合宿")
    assert (camp["DTSTART"].dt, camp["DTEND"].dt) == (date(2027, 1, 2), date(2027, 1, 5))  # exclusive DTEND
    assert b"DTSTART;VALUE=DATE:20261210\r\nDTEND;VALUE=DATE:20261211\r\n" in data


def test_the_calendar_header_names_the_feed_and_asks_for_refreshes(fetched_events):
    data = feeds.render_calendar("Code for Example のイベント", "例市のシビックテック", fetched_events, None)
    for line in (b"VERSION:2.0", b"PRODID:-//Brigade Hub//Brigade Hub events//JA",
                 "NAME:Code for Example のイベント".encode(), "X-WR-CALNAME:Code for Example のイベント".encode(),
                 "X-WR-CALDESC:例市のシビックテック".encode(), b"REFRESH-INTERVAL;VALUE=DURATION:PT6H",
                 b"X-PUBLISHED-TTL:PT6H", b"X-WR-TIMEZONE:Asia/Tokyo", b"TZID:Asia/Tokyo"):
        assert line + b"\r\n" in data


def test_cancelled_events_stay_marked_and_stamps_come_from_the_source(fetched_events):
    calendar = check_feed(feeds.render_calendar("x", "", fetched_events))
    cancelled = _vevent(calendar, "【中止】Code for Sample オンラインもくもく会")
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(_vevent(calendar, "【中止】木曜夜のもくもく会")["STATUS"]) == "CANCELLED"
    meeting = _vevent(calendar, "例市オープンデータ定例会")  # hand-kept, merged with connpass 301001
    assert str(meeting["STATUS"]) == "CONFIRMED" and str(meeting["URL"]).endswith("/event/301001/")
    ideathon = _vevent(calendar, "Code for Example アイデアソン 2027")
    assert ideathon["DTSTAMP"].dt == ideathon["LAST-MODIFIED"].dt == datetime(2026, 11, 18, 2, 30, tzinfo=ideathon[
        "DTSTAMP"].dt.tzinfo)
    assert str(ideathon["CATEGORIES"].cats[0]) == "コード・フォー・エグザンプル"
    assert "https://codeforexample.doorkeeper.jp/events/150001" in str(ideathon["DESCRIPTION"])


def test_two_renders_give_the_same_bytes_and_the_machine_zone_changes_nothing(fetched_events, local_zone):
    first = feeds.render_calendar("x", "y", fetched_events, "https://example.org/x.ics")
    assert first == feeds.render_calendar("x", "y", list(reversed(fetched_events)), "https://example.org/x.ics")
    assert b"DTSTAMP:20261118T023000Z\r\n" in first  # Doorkeeper 150001's updated_at, whatever the zone


def test_only_events_whose_day_is_known_enter_a_feed():
    exact = Event(uid="archive-a", title="展示会", start=date(2019, 3, 2), end=None, source="archive", source_id="a",
                  host=None, host_name="International Open Data Day Japan (national)", precision="day",
                  evidence='"3月2日に開催"', date_basis="stated")
    around = Event(uid="archive-b", title="ODD 2019 in 例市", start=date(2019, 3, 2), end=None, source="archive",
                   source_id="b", host=None, host_name="x", precision="around", date_basis="assumed-open-data-day")
    calendar = check_feed(feeds.render_calendar("all", "", [exact, around]))
    [only] = calendar.events
    assert str(only["SUMMARY"]) == "展示会"
    # What a reader needs, and no provenance: the quoted evidence stays in the site's data (issue 10, item 8).
    assert str(only["DESCRIPTION"]) == "主催: International Open Data Day Japan (national)"


def test_an_event_without_an_end_is_two_hours_long_and_says_so():
    """Issue 10, item 8: with no DTEND, calendars draw a line of no height."""
    meeting = Event(uid="connpass-1", title="定例会", start=datetime(2026, 12, 12, 14, tzinfo=TOKYO), end=None,
                    source="connpass", source_id="1", host="code-for-example", host_name="Code for Example",
                    place="例市市民活動センター")
    [event] = check_feed(feeds.render_calendar("x", "", [meeting])).events
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(hours=2)
    assert str(event["DESCRIPTION"]) == ("主催: Code for Example\n\n会場: 例市市民活動センター\n\n"
                                         "終了時刻は未定です（カレンダーには 2 時間で表示しています）。")
    link = {k: v[0] for k, v in parse_qs(urlsplit(feeds.google_calendar_link(meeting)).query).items()}
    assert link["dates"] == "20261212T140000/20261212T160000"


def test_a_single_event_download_and_a_google_link(fetched_events):
    ideathon = next(e for e in fetched_events if e.uid == "doorkeeper-150001")
    calendar = check_feed(feeds.render_event_ics(ideathon))
    assert [str(e["UID"]) for e in calendar.events] == ["doorkeeper-150001@brigadehub"]
    link = urlsplit(feeds.google_calendar_link(ideathon))
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    assert (link.scheme, link.netloc, link.path) == ("https", "calendar.google.com", "/calendar/render")
    assert (query["action"], query["ctz"]) == ("TEMPLATE", "Asia/Tokyo")
    assert query["dates"] == "20270123T130000/20270123T170000"
    assert query["text"] == "Code for Example アイデアソン 2027"
    assert query["location"] == "例市産業支援センター 2F / 石川県例市港町5-1"
    # Japanese stays as it is in the link (a third of the bytes); spaces and the rest of ASCII are encoded.
    assert "text=Code%20for%20Example%20アイデアソン%202027" in link.query
    camp = next(e for e in fetched_events if e.title == "新春もくもく合宿")
    assert parse_qs(urlsplit(feeds.google_calendar_link(camp)).query)["dates"] == ["20270102/20270105"]


def test_a_google_link_encodes_what_could_hide_or_reorder_text():
    """A title's ideographic space, bidi override or line separator is percent-encoded, not left raw."""
    event = Event(uid="connpass-2", title="会\u3000議\u202e逆\u2028行 &x=1",
                  start=datetime(2026, 12, 12, 14, tzinfo=TOKYO), end=None, source="connpass",
                  source_id="2", host=None, host_name="例")
    link = feeds.google_calendar_link(event)
    assert "\u3000" not in link and "\u202e" not in link and "\u2028" not in link and "&x=" not in link
    assert parse_qs(urlsplit(link).query)["text"] == [feeds._summary(event)]


def test_the_national_window_keeps_the_future_and_half_a_year_back(fetched_events):
    old = Event(uid="archive-old", title="昔", start=date(2026, 1, 1), end=None, source="archive", source_id="o",
                host=None, host_name="x", precision="day")
    kept = feeds.window_events((old, *fetched_events), TODAY)
    # Of the fixtures, only the hand-kept meeting of January 2025 is older than 180 days.
    assert old not in kept and [e.title for e in fetched_events if e not in kept] == ["設立準備会"]
    assert old in feeds.window_events((old,), TODAY, past_days=400)


def test_a_feed_too_large_keeps_the_events_nearest_to_today(fetched_events):
    whole = feeds.render_calendar("x", "", fetched_events)
    bounded = feeds.FeedWriter(TODAY).calendar("x", "", fetched_events, max_bytes=len(whole) // 2)
    calendar = check_feed(bounded)
    assert len(bounded) <= len(whole) // 2 and 0 < len(calendar.events) < 19
    kept = {str(e["UID"]) for e in calendar.events}
    ahead = sorted((e for e in fetched_events if e.exact and feeds._last_day(e) >= TODAY), key=sort_key)
    taken = [f"{e.uid}@brigadehub" in kept for e in ahead]
    assert taken == sorted(taken, reverse=True)  # the soonest are kept, the farthest dropped first
    assert not all(taken) or len(kept) > len(ahead)  # the past gets room only after everything to come


def test_a_feed_is_exactly_what_icalendar_writes_for_the_same_calendar(fetched_events):
    """The writer renders each VEVENT once and joins them; the bytes must be icalendar's own."""
    calendar = icalendar.Calendar()
    for name, value in (("VERSION", "2.0"), ("PRODID", feeds.PRODID), ("CALSCALE", "GREGORIAN")):
        calendar.add(name, value)
    calendar.calendar_name, calendar.description = "例市のイベント", "例市のシビックテック"
    calendar.add("URL", "https://example.org/calendars/")
    calendar.add("REFRESH-INTERVAL", feeds.REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT6H")
    calendar.add("X-WR-TIMEZONE", "Asia/Tokyo")
    for event in sorted((e for e in fetched_events if e.exact), key=sort_key):
        calendar.add_component(feeds.to_vevent(event))
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.subcomponents.insert(0, icalendar.Timezone.from_tzid(tzid, first_date=date(1970, 1, 1),
                                                                      last_date=date(2100, 1, 1)))
    writer = feeds.FeedWriter(TODAY)
    ours = writer.calendar("例市のイベント", "例市のシビックテック", fetched_events, "https://example.org/calendars/")
    assert ours == calendar.to_ical()
    assert writer.calendar("例市のイベント", "例市のシビックテック", fetched_events,
                           "https://example.org/calendars/") == ours  # again, from the rendered VEVENTs


def test_the_real_archive_makes_a_valid_national_feed_under_a_megabyte():
    brigades = check_paths(brigade_files(ROOT / "brigades")).brigades
    found = gather.collect_events(brigades, ROOT / "data", date(2026, 11, 26))
    data = feeds.FeedWriter(date(2026, 11, 26)).calendar("全国のイベント", "Brigade Hub", found,
                                                         "https://example.org/feeds/all.ics", feeds.MAX_FEED_BYTES)
    calendar = check_feed(data)
    assert len(data) < feeds.MAX_FEED_BYTES and len(calendar.events) == sum(e.exact for e in found) == 311
