"""Tests for events/gather.py: hand-kept, fetched and archived events become one sorted list, each once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from brigadehub.core.model import TOKYO, Activity, Event
from brigadehub.core.validate import check_paths
from brigadehub.events import gather
from brigadehub.events.snapshot import SnapshotError, render_archive, render_snapshot
from conftest import DATA, NOW

TODAY = NOW.date()
GOOD = sorted((DATA / "good").glob("*.yml"))


def _good_brigades():
    checked = check_paths(GOOD)
    assert not checked.problems
    return checked.brigades


def _event(uid: str, title: str, start, source: str = "connpass", host: str | None = "code-for-example", **more):
    return Event(uid=uid, title=title, start=start, end=more.pop("end", None), source=source, source_id=uid,
                 host=host, host_name=more.pop("host_name", "x"), **more)


def _data(tmp_path: Path, fetched: dict[str, list[Event]] | None = None, archive: list[Event] = ()) -> Path:
    """Write a data folder as fetch and the importer would: one snapshot per brigade, and the archive."""
    (tmp_path / "events").mkdir()
    for brigade, found in (fetched or {}).items():
        text = render_snapshot(brigade, {f"connpass:{brigade}": [e for e in found if e.source == "connpass"],
                                         "ical:https://example.org/c.ics": [e for e in found if e.source == "ical"]})
        (tmp_path / "events" / f"{brigade}.json").write_text(text, encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "events.json").write_text(render_archive(archive, "test"), encoding="utf-8")
    return tmp_path


def _at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026 if month > 6 else 2027, month, day, hour, minute, tzinfo=TOKYO)


def test_hand_kept_events_are_tokyo_events_and_a_bounded_rrule_is_expanded_whole():
    found = gather.collect_events(_good_brigades(), Path("/nonexistent"), TODAY)
    monthly = [e for e in found if e.title == "オンライン定例会"]
    assert [e.start.date().isoformat() for e in monthly] == [
        "2026-12-03", "2027-01-07", "2027-02-04", "2027-03-04", "2027-04-01", "2027-05-06"]
    assert all(e.start.tzinfo == TOKYO and e.end - e.start == timedelta(hours=1) and e.online for e in monthly)
    assert monthly[0].uid == "hand-code-for-example-20261203T2000" and monthly[0].source == "hand"
    [meeting] = [e for e in found if e.title == "例市もくもく会"]
    assert (meeting.co_hosts, meeting.precision) == (("code-for-sample",), "time")
    assert meeting.host_name == "コード・フォー・エグザンプル"
    # Years later the bounded series is still there: a past event is never dropped.
    later = gather.collect_events(_good_brigades(), Path("/nonexistent"), date(2031, 1, 1))
    assert len([e for e in later if e.title == "オンライン定例会"]) == 6


def test_an_open_ended_rrule_is_expanded_only_inside_the_window(tmp_path):
    text = (DATA / "good" / "code-for-example.yml").read_text(encoding="utf-8")
    (tmp_path / "code-for-example.yml").write_text(text.replace("FREQ=MONTHLY;BYDAY=1TH;COUNT=6", "FREQ=WEEKLY"),
                                                   encoding="utf-8")
    checked = check_paths([tmp_path / "code-for-example.yml"], {"code-for-sample"})
    weekly = [e for e in gather.collect_events(checked.brigades, tmp_path, date(2030, 6, 1))
              if e.title == "オンライン定例会"]
    assert weekly[0].start.date() >= date(2028, 6, 1) and weekly[-1].start.date() <= date(2031, 6, 1)
    assert 150 < len(weekly) < 160


def test_the_same_event_from_two_sources_is_shown_once_the_brigades_own_word_winning(tmp_path):
    duplicate = _event("connpass-1", "【例市】もくもく会 12月", _at(12, 14, 20), url="https://x.connpass.com/event/1/")
    data = _data(tmp_path, {"code-for-example": [duplicate]})
    found = gather.collect_events(_good_brigades(), data, TODAY)
    [meeting] = [e for e in found if e.start.date() == date(2026, 12, 12)]
    assert (meeting.source, meeting.title, meeting.url) == ("hand", "例市もくもく会", "https://example.org/events/2026-12")


def test_a_recurring_instance_and_its_feed_copy_merge_and_the_feed_fills_what_hand_lacks(tmp_path):
    copy = _event("ical-abc", "オンライン定例会 (1月)", _at(7, 20, 0, month=1), source="ical", place="Zoom",
                  url="https://example.org/zoom")
    found = gather.collect_events(_good_brigades(), _data(tmp_path, {"code-for-example": [copy]}), TODAY)
    [january] = [e for e in found if e.start == _at(7, 20, 0, month=1)]
    assert (january.uid, january.place, january.url) == (
        "hand-code-for-example-20270107T2000", "Zoom", "https://example.org/zoom")


def test_never_on_the_title_alone(tmp_path):
    same_title_other_day = _event("connpass-2", "例市もくもく会", _at(19, 14))
    same_title_later_that_day = _event("connpass-3", "例市もくもく会", _at(12, 15, 0))  # 60 minutes apart
    other_brigade = _event("connpass-4", "例市もくもく会", _at(12, 14), host="code-for-nowhere")
    data = _data(tmp_path, {"code-for-example": [same_title_other_day, same_title_later_that_day]},
                 archive=[other_brigade])
    titles = [e.uid for e in gather.collect_events(_good_brigades(), data, TODAY) if e.title == "例市もくもく会"]
    assert sorted(titles) == ["connpass-2", "connpass-3", "connpass-4", "hand-code-for-example-20261212T1400"]


def test_a_dissimilar_title_at_the_same_time_is_another_event(tmp_path):
    other = _event("connpass-5", "年末大掃除ハッカソン", _at(12, 14))
    found = gather.collect_events(_good_brigades(), _data(tmp_path, {"code-for-example": [other]}), TODAY)
    assert len([e for e in found if e.start == _at(12, 14)]) == 2


def test_a_link_gained_in_one_merge_and_a_start_past_midnight_still_find_the_same_event():
    # dedupe looks only at the day's events that share a host or a link with the newcomer: this checks the
    # cases that index could miss, a link the kept event took from a duplicate, and a neighbouring day.
    hand = _event("hand-1", "例市もくもく会", _at(12, 23, 50), source="hand")
    after_midnight = _event("connpass-6", "例市もくもく会 #5", _at(13, 0, 10), url="https://x.connpass.com/event/6/")
    elsewhere = _event("ical-7", "Mokumoku night", _at(12, 21), source="ical", host="code-for-sample",
                       url="https://x.connpass.com/event/6/")
    kept = gather.dedupe([gather._candidate(e) for e in (elsewhere, after_midnight, hand)])
    assert [(e.uid, e.url) for e in kept] == [("hand-1", "https://x.connpass.com/event/6/")]
    other_link = replace(elsewhere, url="https://example.org/other")
    kept = gather.dedupe([gather._candidate(e) for e in (other_link, after_midnight, hand)])
    assert sorted(e.uid for e in kept) == ["hand-1", "ical-7"]


def test_an_explicit_same_as_link_merges_titles_that_do_not_look_alike(site):
    site.serve()
    site.fetch()
    found = gather.collect_events(site.brigades(), site.data, TODAY)
    on_the_12th = [e for e in found if e.start == _at(12, 14)]
    assert [(e.source, e.title) for e in on_the_12th] == [("hand", "例市オープンデータ定例会")]
    assert on_the_12th[0].url == "https://codeforexample.connpass.com/event/301001/"  # filled from connpass
    assert len({e.uid for e in found}) == len(found) == 19  # 14 + 4 fetched, 2 hand-kept, 1 merged away


def test_archive_months_never_merge_with_exact_events_and_unknown_hosts_lose_their_link(tmp_path):
    month = _event("archive-1", "例市もくもく会", date(2026, 12, 1), source="archive", precision="month")
    stranger = _event("archive-2", "よそのイベント", date(2025, 3, 1), source="archive", host="code-for-nowhere",
                      host_name="Code for Nowhere", precision="around")
    found = gather.collect_events(_good_brigades(), _data(tmp_path, archive=[month, stranger]), TODAY)
    archived = {e.uid: e for e in found if e.source == "archive"}
    assert archived["archive-1"].host == "code-for-example"
    assert (archived["archive-2"].host, archived["archive-2"].host_name) == (None, "Code for Nowhere")


def test_the_result_is_sorted_aware_and_the_same_every_time(site):
    site.serve()
    site.fetch()
    first = gather.collect_events(site.brigades(), site.data, TODAY)
    assert first == gather.collect_events(site.brigades(), site.data, TODAY)
    moments = [e.start if isinstance(e.start, datetime) else datetime.combine(e.start, datetime.min.time(), TOKYO)
               for e in first]
    assert moments == sorted(moments)
    assert all(e.start.tzinfo is not None for e in first if isinstance(e.start, datetime))


def _example(*activity: dict):
    brigade = next(b for b in _good_brigades() if b.id == "code-for-example")
    return brigade.model_copy(update={"activity": [Activity(**a) for a in activity]})


def test_activity_is_judged_from_events_and_today():
    held = _event("a", "定例会", _at(1, 10, month=3).replace(year=2026))
    cancelled = _event("b", "中止の会", _at(20, 10, month=11), status="cancelled")
    brigade = _example()
    found = gather.activity(brigade, (held, cancelled), TODAY)
    assert found == gather.Activity("active", "2026-03-01", "event", "定例会")
    assert gather.activity(brigade, (held,), date(2027, 3, 2)).label == "quiet"  # a year and a day later
    assert gather.activity(brigade, (cancelled,), TODAY) == gather.Activity("none")  # cancelled was not held
    upcoming = _event("d", "次回", _at(1, 10, month=6).replace(year=2027))
    found = gather.activity(brigade, (upcoming,), TODAY)
    assert (found.label, found.last) == ("active", None)  # a meeting to come is a sign of life, not a record


def test_a_partial_date_counts_from_its_first_day_and_evidence_counts_like_an_event():
    month_only = _event("c", "月だけ", date(2025, 12, 1), source="archive", precision="month")
    assert gather.activity(_example(), (month_only,), TODAY) == gather.Activity("active", "2025-12", "event", "月だけ")
    # 2025-12 could be 2025-12-31, but is read as 2025-12-01: a year later it no longer counts.
    assert gather.activity(_example(), (month_only,), date(2026, 12, 2)).label == "quiet"
    minutes = {"date": "2026-05", "finding": "第90回定例会の議事録", "source": "https://example.org/minutes"}
    found = gather.activity(_example(minutes), (month_only,), TODAY)
    assert found == gather.Activity("active", "2026-05", "evidence", "第90回定例会の議事録", "https://example.org/minutes")
    old = gather.activity(_example({**minutes, "date": "2019"}), (), TODAY)
    assert (old.label, old.last, old.basis) == ("quiet", "2019", "evidence")


def test_an_unreadable_snapshot_is_a_snapshot_error_naming_the_file(tmp_path):
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "code-for-example.json").write_text('{"events": [{"uid": "x", "start": "soon"}]}',
                                                                encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"code-for-example\.json: events\[0\] cannot be read"):
        gather.collect_events(_good_brigades(), tmp_path, TODAY)


def test_an_rrule_written_the_rfc_5545_way_with_until_in_utc_is_read_as_tokyo_time(tmp_path):
    """Issue 10, item 5: with a zoned DTSTART, RFC 5545 §3.3.10 asks for UNTIL in UTC."""
    text = (DATA / "good" / "code-for-example.yml").read_text(encoding="utf-8")
    # 2027-03-04T10:59:59Z is 19:59:59 in Tokyo: the meeting at 20:00 that day is past the end.
    rule = "FREQ=MONTHLY;BYDAY=1TH;UNTIL=20270304T105959Z"
    (tmp_path / "code-for-example.yml").write_text(text.replace("FREQ=MONTHLY;BYDAY=1TH;COUNT=6", rule),
                                                   encoding="utf-8")
    checked = check_paths([tmp_path / "code-for-example.yml"], {"code-for-sample"})
    assert checked.problems == ()
    monthly = [e.start.date().isoformat() for e in gather.collect_events(checked.brigades, tmp_path, TODAY)
               if e.title == "オンライン定例会"]
    assert monthly == ["2026-12-03", "2027-01-07", "2027-02-04"]


def test_a_rule_that_never_matches_is_walked_a_bounded_way():
    """Issue 9, finding 8: dateutil walks such a rule to the year 9999 unless the walk ends nearer."""
    from brigadehub.core import recurrence

    first = datetime(2026, 12, 12, 14)
    assert recurrence.between("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", first, first, datetime(2027, 12, 31), 100) == []
    yearly = recurrence.between("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", first, first, datetime(2033, 1, 1), 100)
    assert yearly == [datetime(2028, 2, 29, 14), datetime(2032, 2, 29, 14)]  # leap days survive the walk's move
