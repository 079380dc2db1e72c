"""Tests for sources/doorkeeper.py against answers shaped like the Doorkeeper API (tests/data/sources/README.md)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from werkzeug import Response

from brigadehub.core.model import TOKYO
from brigadehub.events.fetch import new_client
from brigadehub.events.http import RequestError
from brigadehub.events.sources import SourceError, Target, Window, doorkeeper
from conftest import JSON_TYPE, NOW, SOURCES, FakeClock, saved_response

WINDOW = Window(NOW - timedelta(days=60), NOW + timedelta(days=365))
EXAMPLE = Target("doorkeeper", "codeforexample", "code-for-example", "Code for Example")
ROUTE = "/groups/codeforexample/events"
FIRST_PAGE = {"since": "2026-09-27", "until": "2027-11-26", "sort": "starts_at", "locale": "ja", "page": "1"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(site, clock):
    return new_client(site.settings(), clock=clock)


def _fetch(site, client):
    return doorkeeper.fetch(client, site.settings().doorkeeper_url, [EXAMPLE], WINDOW, "test-doorkeeper-token")


def _rows(name: str = "doorkeeper_codeforexample.json") -> list:
    return json.loads((SOURCES / name).read_text(encoding="utf-8"))


def test_utc_times_become_tokyo_times_even_across_midnight(site, client):
    site.serve()
    events = {e.uid: e for e in _fetch(site, client)[EXAMPLE.key].events}
    early = events["doorkeeper-149900"]
    assert early.start == datetime(2026, 12, 19, 8, 30, tzinfo=TOKYO)  # 2026-12-18T23:30Z
    assert early.start.utcoffset() == timedelta(hours=9) and early.end == datetime(2026, 12, 19, 10, 0, tzinfo=TOKYO)
    ideathon = events["doorkeeper-150001"]
    assert (ideathon.start.hour, ideathon.url) == (13, "https://codeforexample.doorkeeper.jp/events/150001")
    assert ideathon.description.splitlines() == [
        "テーマ", "子育て世代が使いやすい地域情報とは？", "当日の流れ", "インプット", "グループワーク", "発表"]
    assert ideathon.updated == datetime(2026, 11, 18, 11, 30, tzinfo=TOKYO)


def test_an_online_event_has_venue_and_address_null_and_is_marked_online(site, client):
    """Issue 10, item 4: real answers give an online (オンライン開催) event venue_name and address null."""
    site.serve()
    events = {e.uid: e for e in _fetch(site, client)[EXAMPLE.key].events}
    online, in_person = events["doorkeeper-149900"], events["doorkeeper-150001"]
    assert (online.online, online.place, online.address) == (True, None, None)
    assert (in_person.online, in_person.place, in_person.address) == (
        False, "例市産業支援センター 2F", "石川県例市港町5-1")


def test_the_request_carries_the_token_and_the_window(site, client):
    site.serve()
    _fetch(site, client)
    [(request, _)] = site.server.log
    assert request.headers["Authorization"] == "Bearer test-doorkeeper-token"
    assert dict(request.args) == FIRST_PAGE


def test_a_full_page_of_25_asks_for_the_next_page(site, client):
    for page in ("1", "2"):
        site.server.expect_request(ROUTE, query_string={**FIRST_PAGE, "page": page}).respond_with_data(
            (SOURCES / f"doorkeeper_page{page}.json").read_bytes(), content_type=JSON_TYPE)
    found = _fetch(site, client)[EXAMPLE.key]
    assert len(found.events) == 28 and len({e.uid for e in found.events}) == 28 and found.skipped == []
    assert [entry[0].args["page"] for entry in site.server.log] == ["1", "2"]
    assert client.learned == {}  # two pages: a 304 on the first would not say that the second is unchanged


def test_titles_are_text(site, client):
    """Issue 10, item 6."""
    rows = _rows()
    rows[0]["event"]["title"] = "<Vue.js> 勉強会 &amp; もくもく会"
    site.server.expect_request(ROUTE).respond_with_json(rows)
    titles = {e.title for e in _fetch(site, client)[EXAMPLE.key].events}
    assert "<Vue.js> 勉強会 &amp; もくもく会" in titles


def test_an_event_that_cannot_be_read_is_skipped_and_named_and_the_rest_kept(site, client):
    """Issue 10, item 3."""
    rows = _rows()
    del rows[0]["event"]["starts_at"]
    rows.append({"event": {**rows[1]["event"], "id": 149901, "starts_at": "2026/12/25 10:00"}})
    rows.append(["not", "an", "event"])
    site.server.expect_request(ROUTE).respond_with_json(rows)
    found = _fetch(site, client)[EXAMPLE.key]
    assert [e.uid for e in found.events] == ["doorkeeper-149900"]
    assert [(s.item, s.reason) for s in found.skipped] == [
        ("doorkeeper event 150001", "has no 'starts_at'"),
        ("doorkeeper event 149901", "starts_at is not an ISO 8601 time"),
        ("doorkeeper events[3]", "is not an object")]


def test_a_field_missing_from_every_event_is_a_renamed_field_and_fails_loudly(site, client):
    rows = _rows()
    for row in rows:
        row["event"]["start_time"] = row["event"].pop("starts_at")
    site.server.expect_request(ROUTE).respond_with_json(rows)
    with pytest.raises(SourceError, match=r"^doorkeeper events have no 'starts_at'; the API may have changed$"):
        _fetch(site, client)
    assert client.learned == {}


def test_an_answer_that_is_not_a_list_is_refused(site, client):
    site.server.expect_request(ROUTE).respond_with_json({"events": []})
    with pytest.raises(SourceError, match=r"doorkeeper answer is not a list"):
        _fetch(site, client)


def test_429_waits_for_retry_after_then_reads_the_answer(site, client, clock):
    calls = []

    def busy_once(request):
        calls.append(request.args["page"])
        if len(calls) == 1:
            return saved_response("http_429_retry_after.http")
        return Response((SOURCES / "doorkeeper_codeforexample.json").read_bytes(), content_type=JSON_TYPE)

    site.server.expect_request(ROUTE).respond_with_handler(busy_once)
    assert len(_fetch(site, client)[EXAMPLE.key].events) == 2
    assert clock.sleeps == [2.0] and calls == ["1", "1"]


def test_an_unknown_group_is_a_clear_404(site, client):
    site.server.expect_request(ROUTE).respond_with_data("Not Found", status=404, content_type="application/json")
    with pytest.raises(RequestError, match="HTTP 404: not found; is the group name or URL right?"):
        _fetch(site, client)


@pytest.mark.parametrize("name", ["doorkeeper_codeforexample.json", "doorkeeper_page1.json", "doorkeeper_page2.json"])
def test_the_saved_answers_have_the_types_of_real_ones(name):
    """Issue 10, item 4: as the captures in the README give them, never invented (the old fixture had strings)."""
    events = [row["event"] for row in _rows(name)]
    for event in events:
        assert all(event[k] is None or type(event[k]) in (int, float) for k in ("lat", "long", "ticket_limit"))
        assert event["starts_at"].endswith("Z") and event["ends_at"].endswith("Z")  # UTC, '….000Z'
        assert (event["venue_name"] is None) == (event["address"] is None)  # online: both null, as mitakarb's
    assert any("banner" in event for event in events) and any(e["venue_name"] is None for e in events)
