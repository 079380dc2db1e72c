"""Tests for sources/connpass.py against answers shaped like connpass API v2 (tests/data/sources/README.md)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from werkzeug import Response

from brigadehub.core.model import TOKYO
from brigadehub.events.fetch import new_client
from brigadehub.events.http import RequestError
from brigadehub.events.sources import SourceError, Target, Window, connpass
from conftest import JSON_TYPE, NOW, SOURCES, FakeClock, FetchSite, connpass_answer, saved_response

WINDOW = Window(NOW - timedelta(days=60), NOW + timedelta(days=365))
EXAMPLE = Target("connpass", "codeforexample", "code-for-example", "Code for Example")
SAMPLE = Target("connpass", "CodeForSample", "code-for-sample", "Code for Sample")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(site: FetchSite, clock):
    return new_client(site.settings(), clock=clock)


def _fetch(site: FetchSite, client, targets=(EXAMPLE, SAMPLE)):
    return connpass.fetch(client, site.settings().connpass_url, targets, WINDOW, "test-connpass-key")


def test_one_request_per_page_asks_for_every_group_with_the_key(site, client):
    site.serve()
    _fetch(site, client)
    requests = [entry[0] for entry in site.server.log]
    assert [r.args["start"] for r in requests] == ["1", "4"]
    first = requests[0]
    assert first.headers["X-API-Key"] == "test-connpass-key"
    assert first.args["subdomain"] == "codeforexample,codeforsample"
    assert (first.args["count"], first.args["ym"].split(",")[:2]) == ("100", ["202609", "202610"])
    assert first.args["ym"].split(",")[-1] == "202711"


def test_v2_fields_become_tokyo_events_of_the_right_brigade(site, client):
    site.serve()
    found = _fetch(site, client)
    example = {e.uid: e for e in found[EXAMPLE.key].events}
    assert sorted(example) == ["connpass-300950", "connpass-301001", "connpass-301003"]
    meeting = example["connpass-301001"]
    assert meeting.start == datetime(2026, 12, 12, 14, 0, tzinfo=TOKYO) and meeting.start.tzinfo == TOKYO
    assert (meeting.title, meeting.place, meeting.url) == (
        "Code for Example 定例会 #42", "例市市民活動センター 会議室A", "https://codeforexample.connpass.com/event/301001/")
    assert (meeting.host, meeting.host_name, meeting.source_id) == ("code-for-example", "Code for Example", "301001")
    assert meeting.updated == datetime(2026, 11, 20, 10, 15, tzinfo=TOKYO)
    # catch, then the description's text: tags gone, one line per paragraph or list item
    assert meeting.description.startswith("例市のオープンデータを使って、地域の困りごとを一緒に考えます\n概要\n")
    assert "<" not in meeting.description and len(meeting.description) <= 300


def test_a_cancelled_event_comes_back_cancelled_and_online_is_read_from_the_place(site, client):
    site.serve()
    [online] = _fetch(site, client)[SAMPLE.key].events
    assert (online.uid, online.status, online.online) == ("connpass-301002", "cancelled", True)


def test_titles_are_text_and_only_the_html_description_loses_its_tags(site, client):
    """Issue 10, item 6: a title is text, escaped where it is shown; only the description is HTML."""
    site.serve()
    event = next(e for e in _fetch(site, client)[EXAMPLE.key].events if e.uid == "connpass-301003")
    assert event.title == "<script>alert('xss')</script>年末LT大会 &lt;script&gt;alert(2)&lt;/script&gt;"
    # catch is plain text too, and comes first; the description's tags, script and control characters are gone.
    assert event.description == "<img src=x onerror=alert(1)>LT 募集中\n5分で話しましょう。\n申し込み"
    assert event.url is None  # javascript: is not a web address
    # A lone surrogate, which JSON can carry and no UTF-8 page can hold, is a space, trimmed away.
    assert event.place == "例市駅前ホール"


def _serve_json(site, name: str) -> None:
    site.server.expect_request("/api/v2/events/").respond_with_data((SOURCES / name).read_bytes(),
                                                                    content_type=JSON_TYPE)


def test_nullable_fields_skip_their_event_not_the_request_for_every_group(site, client):
    """Issue 10, item 3: the reference marks started_at and group nullable; such an event costs itself alone."""
    _serve_json(site, "connpass_events_nulls.json")
    found = _fetch(site, client)
    [event] = found[EXAMPLE.key].events
    assert (event.uid, event.title, event.start) == (
        "connpass-301012", "<Vue.js> 勉強会 & もくもく会", datetime(2027, 2, 13, 10, tzinfo=TOKYO))
    assert (event.end, event.place, event.address, event.description, event.online) == (None, None, None, "", False)
    assert [(s.item, s.reason) for s in found[EXAMPLE.key].skipped] == [
        ("connpass event 301010", "started_at is null"), ("connpass event 301011", "group is null")]
    # Without a group, and with a URL on connpass.com itself, nobody knows whose it is: every group hears of it.
    assert [(s.item, s.reason) for s in found[SAMPLE.key].skipped] == [("connpass event 301011", "group is null")]
    assert found[SAMPLE.key].events == []


def test_an_answer_none_of_whose_events_can_be_read_fails_the_source(site, client):
    answer = json.loads((SOURCES / "connpass_events_nulls.json").read_text(encoding="utf-8"))
    for event in answer["events"]:
        event["started_at"] = None
    site.server.expect_request("/api/v2/events/").respond_with_json(answer)
    with pytest.raises(SourceError, match=r"^connpass answer: nothing could be read \(3 items skipped; "
                                          r"connpass event 301010: started_at is null\)$"):
        _fetch(site, client)


def test_a_renamed_field_fails_loudly_instead_of_losing_events(site, client):
    answer = json.loads((SOURCES / "connpass_events_page1.json").read_text(encoding="utf-8"))
    for event in answer["events"]:
        event["series"] = event.pop("group")  # the v1 name
    site.server.expect_request("/api/v2/events/").respond_with_json(answer)
    with pytest.raises(SourceError, match=r"^connpass events have no 'group'; the API may have changed$"):
        _fetch(site, client)
    assert client.learned == {}  # no validators: the next run asks in full, and fails as loudly


def test_an_answer_without_events_is_refused(site, client):
    site.server.expect_request("/api/v2/events/").respond_with_json({"results_returned": 0})
    with pytest.raises(SourceError, match="connpass answer has no 'events'"):
        _fetch(site, client)


def test_requests_to_connpass_are_at_least_a_second_apart(site, clock):
    seen = []

    def timed(request):
        seen.append(clock.now())
        return connpass_answer(request)

    site.server.expect_request("/api/v2/events/").respond_with_handler(timed)
    _fetch(site, new_client(site.settings(connpass_interval=1.0), clock=clock))
    # The second page waited the whole second: the first request took no time on this clock.
    assert clock.sleeps == [1.0] and len(seen) == 2 and seen[1] - seen[0] == 1.0


def test_429_waits_for_retry_after_then_reads_the_answer(site, client, clock):
    calls = []

    def busy_once(request):
        calls.append(request.args["start"])
        if len(calls) == 1:
            return saved_response("http_429_retry_after.http")
        return connpass_answer(request)

    site.server.expect_request("/api/v2/events/").respond_with_handler(busy_once)
    found = _fetch(site, client)
    # 2 s, not the 0.01 s backoff: the server's Retry-After wins; then the same page is asked again.
    assert len(found[EXAMPLE.key].events) == 3 and clock.sleeps == [2.0] and calls == ["1", "1", "4"]


def test_a_retry_after_longer_than_the_cap_fails_at_once(site, client, clock):
    site.server.expect_request("/api/v2/events/").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "3600"}))
    with pytest.raises(RequestError, match="HTTP 429: the server asks us to wait 3600 s, longer than the 2 s we wait"):
        _fetch(site, client)
    assert clock.sleeps == [] and len(site.server.log) == 1


def test_months_cover_the_window_for_the_ym_parameter():
    window = Window(datetime(2026, 11, 30, tzinfo=TOKYO), datetime(2027, 2, 1, tzinfo=TOKYO))
    assert connpass.months(window) == ["202611", "202612", "202701", "202702"]


def test_more_than_100_groups_is_refused_before_any_request(site, client):
    targets = [Target("connpass", f"group{i}", "code-for-example", "x") for i in range(101)]
    with pytest.raises(ValueError, match="at most 100 groups"):
        _fetch(site, client, targets)
    assert site.server.log == []
