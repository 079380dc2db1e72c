"""Tests for fetch.py and `brigadehub fetch`: real HTTP on 127.0.0.1, real files, and one fault at a time."""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import icalendar
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from brigadehub.core.model import TOKYO, Event
from brigadehub.events import feeds, gather, http
from brigadehub.events.fetch import new_client
from brigadehub.events.http import LOOPBACK_ENV, DeadlinePassed, Policy, parse_retry_after
from brigadehub.events.snapshot import merge_feed
from brigadehub.events.sources.ical import ICAL_TYPES
from conftest import (
    ICAL_TYPE,
    JSON_TYPE,
    NOW,
    SOURCES,
    FakeClock,
    conditional,
    connpass_answer,
    many_events,
    saved_response,
)

FEEDS = ("connpass", "doorkeeper", "ical", "meetup")


def _feeds_of(site) -> dict[str, list[dict]]:
    """Every stored event of both fictional brigades, grouped by the feed it came from."""
    found: dict[str, list[dict]] = {}
    for brigade in ("code-for-example", "code-for-sample"):
        for event in site.snapshot(brigade)["events"]:
            found.setdefault(f"{brigade} {event['feed'].split(':')[0]}", []).append(event)
    return found


def test_a_fetch_writes_one_sorted_deterministic_snapshot_per_brigade_and_a_report(site):
    site.serve()
    site.fetch()
    assert {r["status"] for r in site.report()["sources"]} == {"ok"} and len(site.report()["sources"]) == 6
    text = (site.data / "events" / "code-for-example.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert "コード・フォー・エグザンプル" in text  # ensure_ascii=False
    starts = [(datetime.fromisoformat(e["start"] if "T" in e["start"] else e["start"] + "T00:00:00+09:00"), e["uid"])
              for e in data["events"]]
    assert starts == sorted(starts) and len(data["events"]) == 14
    assert {e["host"] for e in data["events"]} == {"code-for-example"}
    assert len(site.snapshot("code-for-sample")["events"]) == 4


def test_the_same_answers_give_the_same_bytes_and_the_report_differs_only_in_fetched_at(site, tmp_path):
    site.serve()
    site.fetch()
    first = {p.name: p.read_bytes() for p in (site.data / "events").iterdir()}
    site.data = tmp_path / "again"  # a fresh folder: no validators, so the same answers come again
    site.fetch(now=NOW + timedelta(minutes=1))
    second = {p.name: p.read_bytes() for p in (site.data / "events").iterdir()}
    assert {k: v for k, v in first.items() if k != "_report.json"} == {
        k: v for k, v in second.items() if k != "_report.json"}
    reports = [json.loads(files["_report.json"]) for files in (first, second)]
    assert reports[0]["fetched_at"] != reports[1]["fetched_at"]
    assert [{k: v for k, v in r.items() if k != "fetched_at"} for r in reports] == [
        {k: v for k, v in reports[0].items() if k != "fetched_at"}] * 2


# The slow answer waits until its test has its report, and never longer than 10 s. The timeout is 2 s, the
# client's own: one short enough for the slow answer would also cut off a well source on a busy machine.
RELEASE_SLOW = threading.Event()


def _slow(request: Request) -> Response:
    RELEASE_SLOW.wait(10)
    return Response((SOURCES / "google_export.ics").read_bytes(), content_type=ICAL_TYPE)


def _loop(request: Request) -> Response:
    return Response("", status=302, headers={"Location": request.path})


def _streamed_too_large(request: Request) -> Response:
    # No Content-Length: the cap must hold while streaming, not only on the header.
    return Response((b"BEGIN:VCALENDAR\r\n" + b"X-PADDING:" + b"x" * 60 + b"\r\n" for _ in range(2000)),
                    content_type=ICAL_TYPE)


FAULTS = {
    # fault: (route, how the route answers, the reason the report must give, settings for speed)
    "timeout": ("example.ics", lambda r: r.respond_with_handler(_slow), r"^no answer within 2 s \(1 attempt\)$",
                {"read_timeout": 2.0, "retries": 0}),
    "http-500": ("doorkeeper", lambda r: r.respond_with_data("oops", status=500), r"^HTTP 500 \(2 attempts\)$", {}),
    "http-429": ("connpass", lambda r: r.respond_with_response(saved_response("http_429_retry_after.http")),
                 r"^HTTP 429 \(2 attempts\)$", {}),
    "malformed-json": ("doorkeeper", lambda r: r.respond_with_data(
        b'[{"event": {"title": "x",', content_type=JSON_TYPE), r"^malformed JSON \(", {}),
    "malformed-ics": ("sample.ics", lambda r: r.respond_with_data(
        (SOURCES / "malformed.ics").read_bytes(), content_type=ICAL_TYPE),
        r"^malformed iCalendar: nothing could be read \(2 items skipped; event 'broken-1@example\.net': ", {}),
    "too-large": ("example.ics", lambda r: r.respond_with_data(b"x" * 100_000, content_type=ICAL_TYPE),
                  r"^the answer is 100,000 bytes, more than the 65,536-byte cap$", {}),
    "too-large-streamed": ("meetup", lambda r: r.respond_with_handler(_streamed_too_large),
                           r"^the answer is more than the 65,536-byte cap$", {}),
    "wrong-content-type": ("doorkeeper", lambda r: r.respond_with_data(
        "<html><body>メンテナンス中</body></html>", content_type="text/html; charset=utf-8"),
        r"^wrong content type 'text/html'; expected application/json or text/json$", {}),
    # The client follows redirects itself, so it sees the loop at its first repeat instead of counting to 5.
    "redirect-loop": ("sample.ics", lambda r: r.respond_with_handler(_loop), r"^redirect loop after 1 redirect$", {}),
    "redirect-to-link-local": ("meetup", lambda r: r.respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
        r"^refused a redirect: 169\.254\.169\.254 is a link-local address$", {}),
}
BROKEN_FEEDS = {"connpass": {"code-for-example connpass", "code-for-sample connpass"},
                "doorkeeper": {"code-for-example doorkeeper"}, "example.ics": {"code-for-example ical"},
                "sample.ics": {"code-for-sample ical"}, "meetup": {"code-for-sample meetup"}}


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_one_broken_source_keeps_its_events_and_breaks_no_other(site, fault):
    route, answer, reason, overrides = FAULTS[fault]
    site.serve()
    site.fetch()
    before = _feeds_of(site)
    site.server.clear()
    site.serve(skip=(route,))
    answer(site.server.expect_request(site.ROUTES[route]))
    RELEASE_SLOW.clear()
    site.fetch(clock=FakeClock(), **overrides)  # Retry-After and backoff pauses are recorded, not waited for
    RELEASE_SLOW.set()
    broken = BROKEN_FEEDS[route]
    rows = {f"{r['brigade']} {r['type']}": r for r in site.report()["sources"]}
    # example.ics answers 304 to a second fetch, which is as good as ok.
    assert {name for name, row in rows.items() if row["status"] not in {"ok", "not_modified"}} == broken
    for name in broken:
        assert rows[name]["status"] == "failed" and rows[name]["stored"] == len(before[name])
        assert re.search(reason, rows[name]["reason"]), rows[name]["reason"]
    assert _feeds_of(site) == before  # the broken source's last good events and every other source's events


def test_a_missing_key_skips_its_platform_with_a_notice_and_fetches_the_rest(site, brigadehub):
    site.serve()
    # The skipped platforms point elsewhere, so their one-a-second limit does not slow the feeds down.
    env = site.env(CONNPASS_API_KEY="", DOORKEEPER_TOKEN="", BRIGADEHUB_CONNPASS_URL="http://127.0.0.1:9",
                   BRIGADEHUB_DOORKEEPER_URL="http://127.0.0.1:9")
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data),
                        "--now", NOW.isoformat(), env=env)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "notice: skipped 2 sources: CONNPASS_API_KEY is not set",
        "notice: skipped 1 source: DOORKEEPER_TOKEN is not set",
        f"fetched 6 sources: 3 ok, 0 not modified, 0 failed, 3 skipped; 4 files changed in {site.data / 'events'}",
    ]
    assert site.row("code-for-example", "connpass")["reason"] == "CONNPASS_API_KEY is not set"
    assert not any(entry[0].path.startswith(("/api/", "/groups/")) for entry in site.server.log)


def test_a_304_answer_keeps_the_stored_events_as_not_modified(site):
    site.serve()
    site.fetch()
    before = _feeds_of(site)["code-for-example ical"]
    site.fetch()
    ics_requests = [entry for entry in site.server.log if entry[0].path == "/calendars/example.ics"]
    assert ics_requests[-1][0].headers["If-None-Match"] == 'W/"example-1"' and ics_requests[-1][1].status_code == 304
    assert site.row("code-for-example", "ical")["status"] == "not_modified"
    assert _feeds_of(site)["code-for-example ical"] == before
    validators = json.loads((site.data / "events" / "_validators.json").read_text(encoding="utf-8"))["validators"]
    assert validators == {site.url("example.ics"): {"etag": 'W/"example-1"', "scope": "2026-09-27/2027-11-26"}}


def _connpass_without(*ids: int):
    """connpass's answer, on one page, without the given events."""
    pages = [json.loads((SOURCES / f"connpass_events_page{n}.json").read_text(encoding="utf-8")) for n in (1, 2)]
    rows = [e for page in pages for e in page["events"] if e["id"] not in ids]
    body = {"results_returned": len(rows), "results_available": len(rows), "results_start": 1, "events": rows}
    return lambda request: Response(json.dumps(body), content_type=JSON_TYPE)


def test_a_past_event_is_never_deleted_and_a_dropped_future_event_goes(site):
    site.serve()
    site.fetch()
    site.server.clear()
    site.serve(skip=("connpass",))
    site.server.expect_request("/api/v2/events/").respond_with_handler(_connpass_without(300950, 301001))
    site.fetch()
    uids = {e["uid"] for e in _feeds_of(site)["code-for-example connpass"]}
    assert uids == {"connpass-300950", "connpass-301003"}  # 300950 is past: kept; 301001 is future: removed
    row = site.row("code-for-example", "connpass")
    assert (row["status"], row["received"], row["removed"], row["went_quiet"]) == ("ok", 1, 1, False)


def test_a_source_that_had_upcoming_events_and_now_has_none_is_flagged(site, brigadehub):
    site.serve()
    site.fetch()
    site.server.clear()
    site.serve(skip=("doorkeeper",))
    site.server.expect_request(site.ROUTES["doorkeeper"]).respond_with_json([])
    site.fetch()
    row = site.row("code-for-example", "doorkeeper")
    assert (row["status"], row["upcoming_before"], row["upcoming"], row["went_quiet"]) == ("ok", 2, 0, True)
    assert site.report()["summary"]["went_quiet"] == 1


def test_the_default_policy_refuses_every_source_on_loopback_and_sends_nothing(site):
    site.serve()
    site.fetch(policy=Policy())
    rows = site.report()["sources"]
    assert [(r["status"], r["reason"]) for r in rows] == [("failed", "refused: 127.0.0.1 is a loopback address")] * 6
    assert site.server.log == []


def test_brigadehub_fetch_refuses_loopback_unless_the_test_setting_is_on(site, brigadehub):
    site.serve()
    env = {**site.env(), LOOPBACK_ENV: ""}
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data),
                        "--now", NOW.isoformat(), env=env)
    assert result.returncode == 0 and site.server.log == []
    assert "failed code-for-example: ical http://127.0.0.1:" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("fetched 6 sources: 0 ok, 0 not modified, 6 failed, 0 skipped;")


def test_a_secret_header_does_not_follow_a_redirect_to_another_host(site):
    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        other.expect_request("/api/v2/events/").respond_with_handler(connpass_answer)
        site.serve(skip=("connpass",))
        site.server.expect_request("/api/v2/events/").respond_with_handler(
            lambda r: Response("", status=302, headers={"Location": other.url_for("/api/v2/events/") + "?"
                                                        + r.query_string.decode()}))
        site.fetch()
        assert site.row("code-for-example", "connpass")["status"] == "ok"
        assert other.log and all("X-API-Key" not in entry[0].headers for entry in other.log)
        assert all(entry[0].headers.get("X-API-Key") for entry in site.server.log if entry[0].path.startswith("/api/"))
    finally:
        other.clear()
        other.stop()


def test_a_title_is_kept_as_text_and_only_the_description_loses_its_html(site):
    """Issue 10, item 6: titles are text, escaped wherever they are shown; descriptions are HTML, made text here."""
    site.serve()
    site.fetch()
    [hostile] = [e for e in site.snapshot("code-for-example")["events"] if e["uid"] == "connpass-301003"]
    assert hostile["title"] == "<script>alert('xss')</script>年末LT大会 &lt;script&gt;alert(2)&lt;/script&gt;"
    assert hostile["description"] == "<img src=x onerror=alert(1)>LT 募集中\n5分で話しましょう。\n申し込み"
    text = (site.data / "events" / "code-for-example.json").read_text(encoding="utf-8")
    for bad in ("document.cookie", "javascript:", "\u202e", "\\u0007", "\\u202e", "\\ud800"):
        assert bad not in text
    collected = gather.collect_events(site.brigades(), site.data, NOW.date())
    feed = icalendar.Calendar.from_ical(feeds.render_calendar("Code for Example", "テスト", collected, None))
    [event] = [e for e in feed.events if str(e["UID"]).startswith("connpass-301003@")]
    assert "URL" not in event and "document.cookie" not in str(event["DESCRIPTION"])


def test_invalid_brigade_files_stop_the_run_before_any_request(site, brigadehub, tmp_path):
    (site.brigades_dir / "code-for-broken.yml").write_text("id: code-for-broken\nname: x\n", encoding="utf-8")
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data))
    assert result.returncode == 1
    assert result.stderr == "brigadehub: fix the brigade files first; nothing was fetched\n"
    assert "check failed" in result.stdout and not site.data.exists() and site.server.log == []


def test_an_unwritable_data_folder_is_one_line_not_a_traceback(site, brigadehub):
    site.data.write_text("not a folder", encoding="utf-8")
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"brigadehub: cannot write to {site.data}: ") and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "inf"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_named_before_any_request(site, brigadehub, value):
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data),
                        env={"BRIGADEHUB_FETCH_TIMEOUT": value})
    assert (result.returncode, result.stdout, site.server.log) == (1, "", [])
    assert result.stderr == (f"brigadehub: BRIGADEHUB_FETCH_TIMEOUT must be a number of seconds, more than 0, "
                             f"not {value!r}\n")


def test_a_value_error_of_the_fetch_itself_is_not_blamed_on_the_timeout(site, brigadehub):
    # A path with a NUL byte makes the operating system's calls raise ValueError ('embedded null byte'): a fault
    # of the run, which the old code reported as a bad BRIGADEHUB_FETCH_TIMEOUT (issue 10).
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", f"{site.data}\0x",
                        env={"BRIGADEHUB_FETCH_TIMEOUT": "5"})
    assert result.returncode == 1 and "BRIGADEHUB_FETCH_TIMEOUT" not in result.stderr
    assert result.stderr.splitlines()[-1] == "ValueError: embedded null byte"  # shown as the fault it is


def test_a_corrupt_snapshot_is_one_line_not_a_traceback(site, brigadehub):
    (site.data / "events").mkdir(parents=True)
    (site.data / "events" / "code-for-example.json").write_text('{"events": [{"uid": 1}]}', encoding="utf-8")
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data),
                        env={"CONNPASS_API_KEY": "", "DOORKEEPER_TOKEN": ""})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    path = site.data / "events" / "code-for-example.json"
    assert result.stderr.startswith(f"brigadehub: {path}: events[0] cannot be read")


def _event(uid: str, day: int) -> Event:
    return Event(uid=uid, title=uid, start=datetime(2026, 11, day, 10, tzinfo=TOKYO), end=None, source="connpass",
                 source_id=uid, host="code-for-example", host_name="x")


def test_merge_replaces_by_uid_keeps_the_past_and_drops_the_missing_future():
    stored = [_event("past", 1), _event("future", 30), _event("changed", 29)]
    fresh = [_event("changed", 28), _event("new", 27)]
    merged, removed = merge_feed(stored, fresh, NOW)
    assert sorted((e.uid, e.start.day) for e in merged) == [("changed", 28), ("new", 27), ("past", 1)]
    assert removed == 1


def test_a_source_gives_up_at_its_deadline_instead_of_retrying_forever(site):
    site.server.expect_request("/calendars/example.ics").respond_with_data("down", status=503)
    clock = FakeClock()
    client = new_client(site.settings(source_deadline=0.5, retries=10, backoff=0.2), clock=clock)
    with pytest.raises(DeadlinePassed, match=r"^gave up: waiting 0\.4 s more would pass the 0\.5 s limit$"):
        client.get(site.url("example.ics"), accept=ICAL_TYPES)
    # Asked at 0 s and after a 0.2 s pause; the next pause, 0.4 s, would end past 0.5 s, so it is not taken.
    assert clock.sleeps == [0.2] and len(site.server.log) == 2


def _trickle(finished: threading.Event):
    """A feed that sends one byte every 50 ms for 5 s: each read answers within the timeout, the whole does not."""
    def answer(request: Request) -> Response:
        def drip():
            for _ in range(100):
                yield b" "
                time.sleep(0.05)
            finished.set()
        return Response(drip(), content_type=ICAL_TYPE)
    return answer


def test_a_trickling_feed_gives_up_at_its_deadline_and_keeps_its_events(site):
    site.serve()
    site.fetch()
    before = _feeds_of(site)
    finished = threading.Event()
    other = HTTPServer(host="127.0.0.1", port=0, threaded=True)  # a host of its own, so it holds up no other source
    other.start()
    try:
        other.expect_request("/code-for-sample-meetup/events/ical/").respond_with_handler(_trickle(finished))
        # The real clock: the deadline must hold in wall-clock time while bytes keep coming.
        site.fetch(meetup_url=other.url_for("/"), source_deadline=1.0, read_timeout=1.0)
        cut_short = not finished.is_set()
    finally:
        other.clear()
        other.stop()
    rows = {f"{r['brigade']} {r['type']}": r for r in site.report()["sources"]}
    assert (rows["code-for-sample meetup"]["status"], rows["code-for-sample meetup"]["reason"]) == (
        "failed", "gave up after 1 s")
    assert cut_short  # the client hung up; it did not wait for the last byte and then notice the time
    assert {r["status"] for k, r in rows.items() if k != "code-for-sample meetup"} <= {"ok", "not_modified"}
    assert _feeds_of(site) == before


def _meet(barrier: threading.Barrier, feed: str):
    """A handler that answers only once the other source's request has arrived too."""
    def answer(request: Request) -> Response:
        barrier.wait()
        return Response((SOURCES / feed).read_bytes(), content_type=ICAL_TYPE)
    return answer


def test_sources_on_different_hosts_are_fetched_at_the_same_time(site):
    # Each handler waits for the other: fetched one after the other, the first would wait in vain and fail.
    # A worker per source: with four, the three sources that share example.ics's host could take every worker
    # while they wait for its lane, and the Meetup feed would never start (it did, now and then, on a busy machine).
    barrier = threading.Barrier(2, timeout=5)
    other = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    other.start()
    try:
        other.expect_request("/code-for-sample-meetup/events/ical/").respond_with_handler(
            _meet(barrier, "meetup_code-for-sample-meetup.ics"))
        site.serve(skip=("example.ics",))
        site.server.expect_request(site.ROUTES["example.ics"]).respond_with_handler(_meet(barrier, "google_export.ics"))
        site.fetch(meetup_url=other.url_for("/"), read_timeout=10.0, retries=0, workers=5)
    finally:
        other.clear()
        other.stop()
    assert {r["status"] for r in site.report()["sources"]} == {"ok"} and not barrier.broken


def test_retry_after_may_be_seconds_or_an_http_date():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # already past
    assert 3500 < parse_retry_after(format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)) <= 3600
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize("damage", ['{"validators": ["W/\\"example-1\\""]}', "{not json"])
def test_damaged_validators_only_cost_a_full_fetch(site, damage):
    (site.data / "events").mkdir(parents=True)
    (site.data / "events" / "_validators.json").write_text(damage, encoding="utf-8")
    site.serve()
    site.fetch()
    assert {r["status"] for r in site.report()["sources"]} == {"ok"}
    assert all("If-None-Match" not in entry[0].headers for entry in site.server.log)


# ---- hostile feeds, served on loopback: each is stopped, reported, and harms no other source (issue 9) ----


def _serve(body: bytes):
    return lambda route: route.respond_with_data(body, content_type=ICAL_TYPE)


def _lines_slowly(name: str):
    """A real feed sent a line every 50 ms, 4 s in all: each read answers in time, the whole does not."""
    def answer(request: Request) -> Response:
        def lines():
            for line in (SOURCES / name).read_bytes().splitlines(keepends=True):
                yield line
                time.sleep(0.05)
        return Response(lines(), content_type=ICAL_TYPE)
    return lambda route: route.respond_with_handler(answer)


TICKING = {"clock": lambda: FakeClock(tick=1.0), "source_deadline": 500.0, "fetch_deadline": 100_000.0}
HOSTILE = {
    # feed: (how sample.ics answers, the reason its row must give, settings and clock for the second fetch)
    # Fifty daily rules for 30 February: each search runs to the year 9999 unless the deadline stops it. Every
    # reading of the clock is a second later, so the 500 s deadline is 500 readings, however busy the machine.
    "daily-never-matching": (_serve((SOURCES / "hostile_daily_never.ics").read_bytes()), r"^gave up after 500 s$",
                             TICKING),
    "never-ending-rules": (_serve((SOURCES / "hostile_daily_forever.ics").read_bytes()),
                           r"^more than 2,000 events in the window; is the feed right\?$", {}),
    "50,000-events": (_serve(many_events(50_000)),
                      r"^the calendar has 50,000 events, more than the 5,000 we read; is the feed right\?$",
                      {"max_bytes": 16 * 1024 * 1024}),
    # 2 s, not less: the limit holds for every source, and a well one may take a second on a busy machine.
    "trickling-server": (_lines_slowly("google_export.ics"), r"^gave up after 2 s$",
                         {"source_deadline": 2.0, "read_timeout": 2.0}),
}


@pytest.mark.parametrize("feed", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_feed_is_stopped_and_reported_and_every_other_source_keeps_its_events(site, feed):
    answer, reason, overrides = HOSTILE[feed]
    site.serve()
    site.fetch()
    before = _feeds_of(site)
    site.server.clear()
    site.serve(skip=("sample.ics",))
    answer(site.server.expect_request(site.ROUTES["sample.ics"]))
    clock = overrides.get("clock", lambda: http.SYSTEM_CLOCK)()
    # One source at a time, so that the hostile one shares no clock reading and no deadline with another.
    site.fetch(clock=clock, workers=1, **{k: v for k, v in overrides.items() if k != "clock"})
    rows = {f"{r['brigade']} {r['type']}": r for r in site.report()["sources"]}
    hostile = rows.pop("code-for-sample ical")
    assert (hostile["status"], hostile["stored"]) == ("failed", len(before["code-for-sample ical"]))
    assert re.search(reason, hostile["reason"]), hostile["reason"]
    assert {row["status"] for row in rows.values()} <= {"ok", "not_modified"}
    assert _feeds_of(site) == before  # the hostile feed's last good events, and every other source's


def test_the_whole_fetch_has_a_deadline_and_sources_after_it_are_not_asked(site):
    clock = FakeClock()

    def slow(request: Request) -> Response:
        clock.advance(25.0)  # the answer takes 25 s, within its source's 60 s but past the whole fetch's 20 s
        return Response((SOURCES / "google_export.ics").read_bytes(), content_type=ICAL_TYPE)

    site.serve()
    site.fetch()
    before = _feeds_of(site)
    site.server.clear()
    site.serve(skip=("example.ics",))
    site.server.expect_request(site.ROUTES["example.ics"]).respond_with_handler(slow)
    # One at a time, in the plan's order: connpass, Doorkeeper, example.ics, sample.ics, then the Meetup feed.
    site.fetch(clock=clock, workers=1, source_deadline=60.0, fetch_deadline=20.0)
    rows = {f"{r['brigade']} {r['type']}": r for r in site.report()["sources"]}
    late = {"code-for-example ical", "code-for-sample ical", "code-for-sample meetup"}
    assert {name for name, row in rows.items() if row["status"] == "failed"} == late
    assert {rows[name]["reason"] for name in late} == {"gave up after 20 s, the limit for the whole fetch"}
    asked = [entry[0].path for entry in site.server.log]
    assert site.ROUTES["sample.ics"] not in asked and site.ROUTES["meetup"] not in asked
    assert _feeds_of(site) == before


# ---- failures stay loud, a 304 never reuses another window's events, salvage is reported (issue 10) ----


def _renamed_connpass() -> bytes:
    """connpass's answer, on one page, after a rename of started_at: no row has it."""
    pages = [json.loads((SOURCES / f"connpass_events_page{n}.json").read_text(encoding="utf-8")) for n in (1, 2)]
    rows = [{("start_at" if k == "started_at" else k): v for k, v in e.items()}
            for page in pages for e in page["events"]]
    body = {"results_returned": len(rows), "results_available": len(rows), "results_start": 1, "events": rows}
    return json.dumps(body).encode()


def test_a_renamed_field_fails_on_every_run_and_never_turns_into_not_modified(site):
    """Issue 10, item 1: the validators of an answer that failed are not kept, so the next run asks in full."""
    site.serve(skip=("connpass",))
    site.server.expect_request(site.ROUTES["connpass"]).respond_with_handler(
        conditional(_renamed_connpass(), JSON_TYPE, '"connpass-1"'))
    for _ in range(2):
        site.fetch()
        row = site.row("code-for-example", "connpass")
        assert row["status"] == "failed" and re.search(r"no 'started_at'; the API may have changed$", row["reason"])
    asked = [entry[0] for entry in site.server.log if entry[0].path == site.ROUTES["connpass"]]
    assert len(asked) == 2 and not any("If-None-Match" in r.headers for r in asked)
    validators = json.loads((site.data / "events" / "_validators.json").read_text(encoding="utf-8"))["validators"]
    assert not [url for url in validators if "/api/v2/" in url]


def _weekly(request_log: list):
    handler = conditional((SOURCES / "weekly_forever.ics").read_bytes(), ICAL_TYPE, 'W/"weekly-1"')

    def answer(request: Request) -> Response:
        request_log.append(request.headers.get("If-None-Match"))
        return handler(request)
    return answer


def test_a_static_feed_with_a_weekly_rule_keeps_giving_its_upcoming_events_as_the_window_moves(site):
    """Issue 10, item 2: a 304 would keep the occurrences expanded for the old window, fewer every day."""
    asked: list = []
    site.serve(skip=("sample.ics",))
    site.server.expect_request(site.ROUTES["sample.ics"]).respond_with_handler(_weekly(asked))
    later = NOW + timedelta(days=200)
    upcoming = []
    for moment in (NOW, later, later + timedelta(hours=1)):
        site.fetch(now=moment)
        upcoming.append(site.row("code-for-sample", "ical")["upcoming"])
    # A year of Thursdays each time; reusing the first run's expansion would have left 24 by the second.
    assert upcoming == [53, 52, 52]
    # The window moved between the first two runs: asked in full. Within one window the answer was still valid.
    assert asked == [None, None, 'W/"weekly-1"'] and site.row("code-for-sample", "ical")["status"] == "not_modified"


def _every_other_thursday_until(last: str) -> bytes:
    feed = (SOURCES / "weekly_forever.ics").read_bytes()
    return feed.replace(b"RRULE:FREQ=WEEKLY;BYDAY=TH", f"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL={last}".encode())


def test_a_productive_source_quiet_for_longer_than_its_rhythm_is_flagged_silent(site, brigadehub):
    """Issue 10, "a status signal for silence": nothing new for longer than usual, whatever the status says."""
    site.serve(skip=("sample.ics",))
    site.server.expect_request(site.ROUTES["sample.ics"]).respond_with_handler(
        conditional(_every_other_thursday_until("20261217T100000Z"), ICAL_TYPE, 'W/"fortnightly-1"'))
    site.fetch()
    assert not site.row("code-for-sample", "ical")["silent"]  # two of its events are still to come
    quiet = NOW + timedelta(days=90)
    for status in ("ok", "not_modified"):  # a new window asks in full; the same day's run gets a 304
        site.fetch(now=quiet)
        row = site.row("code-for-sample", "ical")
        assert (row["status"], row["went_quiet"], row["silent"]) == (status, False, True)
        assert (row["days_since_last_event"], row["usual_gap_days"]) == (76, 14)  # 10 Dec to 24 Feb; fortnightly
    # google_export.ics has nothing after 7 January either; connpass's three events are 35 and more days apart.
    silent = {(r["brigade"], r["type"]) for r in site.report()["sources"] if r["silent"]}
    assert silent == {("code-for-sample", "ical"), ("code-for-example", "ical")}
    assert site.report()["summary"]["silent"] == 2


def test_skipped_items_are_named_per_source_and_keep_the_source_asked_in_full(site, brigadehub):
    """Issue 10, item 3: the report says what was left out and why; the rest of the source is kept."""
    site.serve(skip=("connpass",))
    site.server.expect_request(site.ROUTES["connpass"]).respond_with_handler(conditional(
        (SOURCES / "connpass_events_nulls.json").read_bytes(), JSON_TYPE, '"connpass-nulls"'))
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data),
                        "--now", NOW.isoformat(), env=site.env())
    row = site.row("code-for-example", "connpass")
    assert (row["status"], row["received"]) == ("ok", 1)  # not the whole request failed for two of its rows
    assert row["skipped_count"] == 2
    assert row["skipped_items"] == [{"item": "connpass event 301010", "reason": "started_at is null"},
                                    {"item": "connpass event 301011", "reason": "group is null"}]
    assert site.report()["summary"]["skipped_items"] == 3  # and 301011 on Code for Sample's row
    lines = result.stdout.splitlines()
    assert ("partial code-for-example: connpass codeforexample: left out 2 items (connpass event 301010: "
            "started_at is null; connpass event 301011: group is null)") in lines
    assert lines[-1].startswith("fetched 6 sources: 6 ok, 0 not modified, 0 failed, 0 skipped; 3 items left out; ")
    validators = json.loads((site.data / "events" / "_validators.json").read_text(encoding="utf-8"))["validators"]
    assert not [url for url in validators if "/api/v2/" in url]  # asked in full next time: the skips are told again


def test_a_rule_that_repeats_within_a_day_costs_its_series_and_the_feed_keeps_the_rest(site):
    site.serve(skip=("sample.ics",))
    site.server.expect_request(site.ROUTES["sample.ics"]).respond_with_data(
        (SOURCES / "hostile_minutely.ics").read_bytes(), content_type=ICAL_TYPE)
    site.fetch()
    row = site.row("code-for-sample", "ical")
    assert (row["status"], row["received"]) == ("ok", 1)
    assert row["skipped_count"] == 1
    assert row["skipped_items"] == [{"item": "event '7h2k9m4p1sample02@google.com'",
                                     "reason": "repeats more often than once a day (FREQ=MINUTELY); left out"}]


def test_a_warning_of_the_calendar_library_is_not_printed_and_changes_nothing(site, brigadehub):
    # A TZID with a vendor prefix, as Mozilla's Lightning writes it: icalendar guesses Asia/Tokyo and warns in words
    # that quote the feed. The fetch log is public; the event is read as it would be without the warning.
    vendor = b"TZID=/mozilla.org/20070129_1/Asia/Tokyo"
    feed = (SOURCES / "weekly_forever.ics").read_bytes().replace(b"TZID=Asia/Tokyo", vendor)
    site.serve(skip=("sample.ics",))
    site.server.expect_request(site.ROUTES["sample.ics"]).respond_with_data(feed, content_type=ICAL_TYPE)
    result = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data),
                        "--now", NOW.isoformat(), env=site.env())
    assert (result.returncode, result.stderr) == (0, "")
    row = site.row("code-for-sample", "ical")
    assert (row["status"], row["upcoming"], row["skipped_count"]) == ("ok", 53, 0)
    starts = {e["start"] for e in site.snapshot("code-for-sample")["events"] if e["feed"].startswith("ical:")}
    assert "2026-12-03T19:00:00+09:00" in starts
