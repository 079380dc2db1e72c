"""Tests for sources/doorkeeper.py against answers shaped like the Doorkeeper API, served on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from brigadehub.core.model import TOKYO
from brigadehub.events.fetch import new_client
from brigadehub.events.http import RequestError
from brigadehub.events.sources import SourceError, Target, Window, doorkeeper
from conftest import NOW, SOURCES

WINDOW = Window(NOW - timedelta(days=60), NOW + timedelta(days=365))
EXAMPLE = Target("doorkeeper", "codeforexample", "code-for-example", "Code for Example")
ROUTE = "/groups/codeforexample/events"


@pytest.fixture
def client(site):
    return new_client(site.settings())


def _fetch(site, client):
    return doorkeeper.fetch(client, site.settings().doorkeeper_url, [EXAMPLE], WINDOW, "test-doorkeeper-token")


def test_utc_times_become_tokyo_times_even_across_midnight(site, client):
    site.serve()
    events = {e.uid: e for e in _fetch(site, client)[EXAMPLE.key]}
    early = events["doorkeeper-149900"]
    assert early.start == datetime(2026, 12, 19, 8, 30, tzinfo=TOKYO)  # 2026-12-18T23:30Z
    assert early.start.utcoffset() == timedelta(hours=9) and early.end == datetime(2026, 12, 19, 10, 0, tzinfo=TOKYO)
    assert early.online and early.place == "オンライン (Zoom)" and early.address is None
    ideathon = events["doorkeeper-150001"]
    assert (ideathon.start.hour, ideathon.url) == (13, "https://codeforexample.doorkeeper.jp/events/150001")
    assert ideathon.description.splitlines() == [
        "テーマ", "子育て世代が使いやすい地域情報とは？", "当日の流れ", "インプット", "グループワーク", "発表"]
    assert ideathon.updated == datetime(2026, 11, 18, 11, 30, tzinfo=TOKYO)


def test_the_request_carries_the_token_and_the_window(site, client):
    site.serve()
    _fetch(site, client)
    [(request, _)] = site.server.log
    assert request.headers["Authorization"] == "Bearer test-doorkeeper-token"
    assert dict(request.args) == {"since": "2026-09-27", "until": "2027-11-26", "sort": "starts_at", "locale": "ja",
                                  "page": "1"}


def test_a_full_page_of_25_asks_for_the_next_page(site, client):
    template = json.loads((SOURCES / "doorkeeper_codeforexample.json").read_text(encoding="utf-8"))[0]

    def page(first: int, count: int) -> list:
        return [{"event": {**template["event"], "id": first + i, "title": f"連続講座 第{first + i}回"}}
                for i in range(count)]

    site.server.expect_request(ROUTE, query_string={"since": "2026-09-27", "until": "2027-11-26", "sort": "starts_at",
                                                    "locale": "ja", "page": "1"}).respond_with_json(page(1, 25))
    site.server.expect_request(ROUTE).respond_with_json(page(26, 3))
    events = _fetch(site, client)[EXAMPLE.key]
    assert len(events) == 28 and len({e.uid for e in events}) == 28
    assert [entry[0].args["page"] for entry in site.server.log] == ["1", "2"]


def test_an_answer_that_is_not_a_list_is_refused(site, client):
    site.server.expect_request(ROUTE).respond_with_json({"events": []})
    with pytest.raises(SourceError, match=r"doorkeeper answer is not a list"):
        _fetch(site, client)


def test_an_event_without_a_start_is_refused_not_skipped(site, client):
    site.server.expect_request(ROUTE).respond_with_json([{"event": {"id": 1, "title": "x", "start_time": "2026"}}])
    with pytest.raises(SourceError, match=r"doorkeeper \[0\]\.event has no 'starts_at'"):
        _fetch(site, client)


def test_an_unknown_group_is_a_clear_404(site, client):
    site.server.expect_request(ROUTE).respond_with_data("Not Found", status=404, content_type="application/json")
    with pytest.raises(RequestError, match="HTTP 404: not found; is the group name or URL right?"):
        _fetch(site, client)
