"""Tests for sources/ical.py on real-looking feeds: a Google Calendar export, a hand-made feed and a Meetup feed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from brigadehub.core.model import TOKYO
from brigadehub.events.fetch import new_client
from brigadehub.events.http import SYSTEM_CLOCK, Deadline, DeadlinePassed
from brigadehub.events.sources import SourceError, Target, Window, ical
from conftest import NOW, SOURCES, FakeClock, many_events

WINDOW = Window(NOW - timedelta(days=60), NOW + timedelta(days=365))
GOOGLE = Target("ical", "https://calendar.example.org/example/basic.ics", "code-for-example", "Code for Example")


def _events(name: str, target: Target = GOOGLE) -> list:
    return _read((SOURCES / name).read_bytes(), target).events


def _read(body: bytes, target: Target = GOOGLE) -> ical.Found:
    return ical.parse(body, target, WINDOW, Deadline(SYSTEM_CLOCK, 60))


def _google(**replace: str) -> bytes:
    """google_export.ics with some of its lines changed: a feed of the same shape with one fault."""
    text = (SOURCES / "google_export.ics").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


def _by_title(events, title: str) -> list:
    return [e for e in events if e.title == title]


def test_x_wr_timezone_makes_floating_times_tokyo_times():
    [walk] = _by_title(_events("google_export.ics"), "まち歩きマッピング (浮動時刻)")
    assert walk.start == datetime(2026, 12, 6, 14, 0, tzinfo=TOKYO) and walk.start.tzinfo == TOKYO
    assert walk.end == datetime(2026, 12, 6, 17, 0, tzinfo=TOKYO)


def test_utc_times_become_tokyo_times():
    [hack] = _by_title(_events("google_export.ics"), "図書館データ ハックデー")
    assert hack.start == datetime(2026, 12, 5, 14, 0, tzinfo=TOKYO)
    assert hack.place == "例市図書館 研修室, 石川県例市中央1-1"
    assert hack.description == "詳細はこちら\n持ち物: ノートPC"
    # LAST-MODIFIED is the updated time; DTSTAMP is Google's export time and changes on every download.
    assert hack.updated == datetime(2026, 11, 15, 18, 30, tzinfo=TOKYO)


def test_whole_days_keep_an_inclusive_last_day():
    events = _events("google_export.ics")
    [one_day] = _by_title(events, "オープンデータ展示 (終日)")
    assert (one_day.start, one_day.end, one_day.all_day) == (date(2026, 12, 10), None, True)
    [camp] = _by_title(events, "新春もくもく合宿")
    assert (camp.start, camp.end) == (date(2027, 1, 2), date(2027, 1, 4))  # DTEND 2027-01-05 is exclusive


def test_a_weekly_series_skips_its_exdate_and_keeps_its_cancelled_instance():
    weekly = _by_title(_events("google_export.ics"), "木曜夜のもくもく会")
    assert [(e.start.date().isoformat(), e.status) for e in weekly] == [
        ("2026-12-03", "confirmed"), ("2026-12-17", "cancelled"), ("2026-12-24", "confirmed"),
        ("2026-12-31", "confirmed"), ("2027-01-07", "confirmed")]
    assert len({e.uid for e in weekly}) == 5 and all(e.online for e in weekly)
    assert weekly[1].source_id == "4q8l0v7c5example05@google.com/2026-12-17T19:00:00+09:00"


def test_events_outside_the_window_are_left_out():
    assert not _by_title(_events("google_export.ics"), "昔の定例会 (窓の外)")
    assert len(_events("google_export.ics")) == 9


def test_uids_are_stable_and_depend_on_the_feed():
    first, again = _events("google_export.ics"), _events("google_export.ics")
    assert [e.uid for e in first] == [e.uid for e in again]
    other = Target("ical", "https://calendar.example.org/other.ics", "code-for-example", "x")
    assert not {e.uid for e in first} & {e.uid for e in _events("google_export.ics", other)}
    assert all(e.uid.startswith("ical-") and len(e.uid) == 21 for e in first)


def test_floating_times_without_x_wr_timezone_are_read_as_tokyo_and_bad_urls_dropped():
    events = _events("floating_no_timezone.ics")
    assert [(e.start, e.url) for e in events] == [
        (datetime(2026, 12, 20, 10, 0, tzinfo=TOKYO), "https://example.net/events/bousai"),
        (datetime(2027, 2, 6, 13, 30, tzinfo=TOKYO), None)]
    assert events[0].description == "防災マップをみんなでつくります"


def test_a_feed_none_of_whose_events_can_be_read_is_a_clear_source_error():
    with pytest.raises(SourceError, match=r"^malformed iCalendar: nothing could be read \(2 items skipped; "
                                          r"event 'broken-1@example.net': could not be read \(ValueError\)\)$"):
        _events("malformed.ics")


# ---- salvage: one broken component costs only itself (issue 10, item 3) ----


def test_an_event_without_a_start_is_skipped_and_named_and_the_others_kept():
    found = _read(_google(**{"DTSTART:20261206T140000\n": ""}))
    assert not _by_title(found.events, "まち歩きマッピング (浮動時刻)") and len(found.events) == 8
    assert [(s.item, s.reason) for s in found.skipped] == [("event '4q8l0v7c5example02@google.com'", "has no DTSTART")]


def test_a_line_that_breaks_the_whole_calendar_costs_only_itself():
    # icalendar refuses the whole calendar for one line it cannot split; each component is then read alone.
    found = _read(_google(**{"X-WR-CALDESC:Code for Example の予定\n": "X-WR-CALDESC:Code for Example の予定\nX\n"}))
    assert len(found.events) == 9
    assert [(s.item, s.reason) for s in found.skipped] == [("calendar property 8", "could not be read")]


def test_a_component_left_open_costs_only_itself():
    body = _google(**{"SUMMARY:オープンデータ展示 (終日)\n": "SUMMARY:オープンデータ展示 (終日)\nBEGIN:VALARM\n"})
    found = _read(body)
    assert not _by_title(found.events, "オープンデータ展示 (終日)") and len(found.events) == 8
    assert [(s.item, s.reason) for s in found.skipped] == [
        ("event '4q8l0v7c5example03@google.com'", "could not be read (ValueError)")]


def test_dates_that_cannot_be_expanded_cost_only_those_dates():
    # RDATE of type TIME, as icalendar's multiple_timezones.ics has it: recurring-ical-events cannot expand it.
    start = "DTSTART;VALUE=DATE:20270102\n"
    found = _read(_google(**{start: start + "RDATE;VALUE=TIME:083000\n"}))
    camp = _by_title(found.events, "新春もくもく合宿")
    assert [(e.start, e.end) for e in camp] == [(date(2027, 1, 2), date(2027, 1, 4))]
    assert [(s.item, s.reason) for s in found.skipped] == [
        ("event '4q8l0v7c5example04@google.com'", "its RDATE could not be read; its other dates are kept")]


def test_a_summary_is_text_and_keeps_what_looks_like_a_tag():
    """Issue 10, item 6: SUMMARY and LOCATION are text; only DESCRIPTION may hold HTML (Google writes some)."""
    found = _read(_google(**{"SUMMARY:図書館データ ハックデー": "SUMMARY:<Vue.js> 勉強会 & もくもく会",
                             "LOCATION:例市図書館 研修室": "LOCATION:<b>例市図書館</b> 研修室"}))
    [event] = _by_title(found.events, "<Vue.js> 勉強会 & もくもく会")
    assert event.place == "<b>例市図書館</b> 研修室, 石川県例市中央1-1"
    assert event.description == "詳細はこちら\n持ち物: ノートPC"


def test_html_is_not_a_calendar_and_the_reason_never_quotes_the_answer():
    # The reason is published in _report.json and on the status page; an internal page must not leak through it.
    body = b"<!DOCTYPE html><html><body>Sign in: internal-token-42</body></html>"
    with pytest.raises(SourceError) as caught:
        _read(body)
    assert str(caught.value) == (
        "malformed iCalendar (ValueError: Content line could not be parsed into parts …; 67 bytes)")


def test_a_meetup_group_is_read_from_its_public_ical_feed(site):
    site.serve()
    target = Target("meetup", "code-for-sample-meetup", "code-for-sample", "Code for Sample")
    [event] = ical.fetch(new_client(site.settings()), site.settings().meetup_url, [target], WINDOW)[target.key].events
    assert site.server.log[0][0].path == "/code-for-sample-meetup/events/ical/"
    assert (event.source, event.uid[:7], event.title) == ("meetup", "meetup-", "Civic Tech Night Sample")
    assert event.start == datetime(2026, 12, 15, 19, 0, tzinfo=TOKYO)
    assert event.url == "https://www.meetup.com/code-for-sample-meetup/events/300000001/"
    assert ical.meetup_url("https://www.meetup.com", "code-for-sample-meetup") == (
        "https://www.meetup.com/code-for-sample-meetup/events/ical/")


# ---- hostile feeds: the caps, the repeat rule and the deadline (issue 9, item 2) ----
# The fixtures have the shape of Google Calendar's export, as google_export.ics; see tests/data/sources/README.md.


def _parse(body: bytes, deadline: Deadline | None = None) -> ical.Found:
    return ical.parse(body, GOOGLE, WINDOW, deadline or Deadline(SYSTEM_CLOCK, 60))


def test_a_rule_without_end_is_expanded_up_to_the_last_day_of_the_window_only():
    events = _events("daily_forever.ics")
    daily = sorted(e.start for e in events if e.title == "見本市 毎日の朝会")
    # From 2020 on, every day at 19:00; the window holds 426 of those evenings, the first and last days included.
    assert len(daily) == 426 and len(events) == 427
    assert (daily[0].date(), daily[-1].date()) == (WINDOW.start.date(), WINDOW.end.date())


@pytest.mark.parametrize(("name", "rule"), [
    ("hostile_minutely.ics", "FREQ=MINUTELY"),
    # Never matches (there is no 30 February), and would make dateutil step through every day to the year 9999.
    ("hostile_secondly_never.ics", "FREQ=SECONDLY"),
])
def test_a_rule_that_repeats_within_a_day_leaves_its_series_out_before_any_expansion(name, rule):
    found = _read((SOURCES / name).read_bytes())
    assert [e.title for e in found.events] == ["見本市 データソン"]  # the ordinary event beside it is kept
    assert [(s.item, s.reason) for s in found.skipped] == [
        ("event '7h2k9m4p1sample02@google.com'", f"repeats more often than once a day ({rule}); left out")]


def test_several_times_of_day_in_one_rule_count_as_repeating_within_a_day():
    body = (SOURCES / "daily_forever.ics").read_bytes().replace(b"RRULE:FREQ=DAILY", b"RRULE:FREQ=DAILY;BYHOUR=10,19")
    [skip] = _parse(body).skipped
    assert skip.reason == "repeats more often than once a day (BYHOUR with 2 values); left out"


def test_more_occurrences_in_the_window_than_the_cap_fail_the_feed():
    # Five rules of one event a day: 2,130 in the window.
    with pytest.raises(SourceError, match=r"^more than 2,000 events in the window; is the feed right\?$"):
        _events("hostile_daily_forever.ics")


def test_a_calendar_with_more_events_than_the_cap_is_refused_before_it_is_parsed():
    clock = FakeClock(tick=1.0)  # were it parsed, the deadline would pass first and the reason differ
    with pytest.raises(SourceError, match=r"^the calendar has 5,001 events, more than the 5,000 we read; "
                                          r"is the feed right\?$"):
        _parse(many_events(5001), Deadline(clock, 5.0))


def test_a_folded_begin_line_does_not_hide_an_event_from_the_cap():
    body = many_events(5001).replace(b"BEGIN:VEVENT\n", b"BEGIN:VEV\n ENT\n")  # RFC 5545 3.1 unfolds this
    with pytest.raises(SourceError, match=r"^the calendar has 5,001 events, more than the 5,000 we read; "):
        _parse(body)


def test_rules_that_never_match_stop_at_the_deadline():
    # Fifty rules for 30 February: dateutil looks for each one's next occurrence until the year 9999, some seconds
    # a rule, without returning. Every reading of this clock is a second later: the deadline passes at the 500th,
    # and the deadline is read once every 1,000 calls.
    body = (SOURCES / "hostile_daily_never.ics").read_bytes()
    with pytest.raises(DeadlinePassed, match=r"^gave up after 500 s$"):
        _parse(body, Deadline(FakeClock(tick=1.0), 500.0))
    # The same deadline is ample for the same feed on a day that exists (about 320 readings): it was the search for
    # 30 February that was stopped. Each rule's DTSTART counts as an occurrence, as RFC 5545 says.
    clock = FakeClock(tick=1.0)
    feasible = _parse(body.replace(b"BYMONTHDAY=30", b"BYMONTHDAY=28"), Deadline(clock, 500.0)).events
    assert len([e for e in feasible if e.start.date() == date(2027, 2, 28)]) == 50 and len(feasible) == 63
