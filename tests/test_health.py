"""Tests for health.py and `brigadehub linkcheck`, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from brigadehub.contrib.health import Link, Result, Settings, check_links, host_key, links_of, merge_since
from brigadehub.core.model import Brigade
from brigadehub.events.http import Policy
from conftest import LOOPBACK, LOOPBACK_ENV_VARS, FakeClock

FAST = Settings(timeout=0.5, delay=0.0, workers=2, max_redirects=5, policy=LOOPBACK)


@pytest.fixture
def server(httpserver):
    """pytest-httpserver's server, threaded by conftest.py so that a slow answer holds up no other."""
    return httpserver


def _sleep_then_answer(request: Request) -> Response:
    time.sleep(1.5)
    return Response("late")


def _refuse_head(request: Request) -> Response:
    return Response("", status=405) if request.method == "HEAD" else Response("ok")


def _serve_the_cases(server: HTTPServer) -> None:
    server.expect_request("/live").respond_with_data("ok")
    server.expect_request("/gone-404").respond_with_data("missing", status=404)
    server.expect_request("/gone-410").respond_with_data("gone", status=410)
    server.expect_request("/slow").respond_with_handler(_sleep_then_answer)
    server.expect_request("/moved").respond_with_data("", status=301, headers={"Location": "/live"})
    server.expect_request("/loop-a").respond_with_data("", status=302, headers={"Location": "/loop-b"})
    server.expect_request("/loop-b").respond_with_data("", status=302, headers={"Location": "/loop-a"})
    server.expect_request("/no-head").respond_with_handler(_refuse_head)
    server.expect_request("/broken").respond_with_data("oops", status=503)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_each_kind_of_link_is_reported_for_what_it_is(server):
    _serve_the_cases(server)
    paths = ["live", "gone-404", "gone-410", "slow", "moved", "loop-a", "no-head", "broken"]
    links = [Link("code-for-example", f"links.other[{i}]", server.url_for(f"/{p}")) for i, p in enumerate(paths)]
    links.append(Link("code-for-sample", "links.website", f"http://127.0.0.1:{_closed_port()}/"))
    found = {r.url.rsplit("/", 1)[-1] or "closed": r for r in check_links(links, FAST)}
    assert (found["live"].status, found["live"].code) == ("live", 200)
    assert (found["gone-404"].status, found["gone-404"].code) == ("dead", 404)
    assert (found["gone-410"].status, found["gone-410"].code) == ("dead", 410)
    assert (found["slow"].status, found["slow"].reason) == ("slow", "no answer within 0.5 s")
    assert (found["moved"].status, found["moved"].to) == ("redirected", server.url_for("/live"))
    assert found["loop-a"].status == "error"
    base = server.url_for("").rstrip("/")
    assert found["loop-a"].reason == f"redirect loop ({base}/loop-a -> {base}/loop-b -> {base}/loop-a)"
    assert (found["no-head"].status, found["no-head"].code) == ("live", 200)  # HEAD refused, GET answered
    assert (found["broken"].status, found["broken"].reason) == ("error", "HTTP 503")
    assert (found["closed"].status, found["closed"].reason) == ("error", "connection refused")


def test_results_come_back_in_a_fixed_order_with_the_brigade_and_field(server):
    server.expect_request("/live").respond_with_data("ok")
    url = server.url_for("/live")
    links = [Link("code-for-sample", "links.website", url), Link("code-for-example", "links.other[0]", url)]
    results = check_links(links, FAST)
    assert [(r.brigade, r.field, r.status) for r in results] == [
        ("code-for-example", "links.other[0]", "live"), ("code-for-sample", "links.website", "live")]
    assert len(server.log) == 1  # two brigades, one URL: asked once


def test_one_host_is_asked_politely_one_request_at_a_time_naming_the_project(server):
    clock, seen, lock = FakeClock(), [], threading.Lock()
    in_flight = []

    def record(request: Request) -> Response:
        with lock:
            in_flight.append(1)
            seen.append((clock.now(), len(in_flight), request.headers.get("User-Agent", "")))
        clock.advance(0.5)  # each answer takes half a second
        with lock:
            in_flight.pop()
        return Response("ok")

    server.expect_request("/page", method="HEAD").respond_with_handler(record)
    links = [Link("code-for-example", f"links.other[{i}]", server.url_for(f"/page?n={i}")) for i in range(4)]
    check_links(links, Settings(timeout=2, delay=0.2, workers=4, policy=LOOPBACK), clock)
    # The whole delay after the previous answer ended, however long that answer took.
    assert clock.sleeps == pytest.approx([0.2, 0.2, 0.2])
    assert [at - seen[0][0] for at, _, _ in seen] == pytest.approx([0.0, 0.7, 1.4, 2.1])
    assert all(busy == 1 for _, busy, _ in seen)
    assert all(agent.startswith("BrigadeHub-linkcheck/") for _, _, agent in seen)


def test_handles_are_rendered_into_the_addresses_a_visitor_opens():
    brigade = Brigade.model_validate({
        "id": "code-for-example", "name": {"ja": "Code for Example"}, "status": "unknown", "sources": ["a test"],
        "links": {"website": "https://example.org/", "github": "codeforexample", "connpass": "cfe",
                  "doorkeeper": "cfe-dk", "facebook": "groups/codeforexample", "x": "codeforexample",
                  "other": [{"label": "ブログ", "url": "https://example.org/blog/"}]},
    })
    assert [(link.field, link.url) for link in links_of(brigade)] == [
        ("links.website", "https://example.org/"),
        ("links.github", "https://github.com/codeforexample"),
        ("links.connpass", "https://cfe.connpass.com/"),
        ("links.doorkeeper", "https://cfe-dk.doorkeeper.jp/"),
        ("links.facebook", "https://www.facebook.com/groups/codeforexample"),
        ("links.x", "https://x.com/codeforexample"),
        ("links.other[0]", "https://example.org/blog/"),
    ]


@pytest.mark.parametrize(("url", "key"), [
    ("https://cfk.connpass.com/", "connpass.com"),
    ("https://www.example.co.jp/a", "example.co.jp"),
    ("https://city.example.lg.jp/", "example.lg.jp"),
    ("http://127.0.0.1:8000/", "0.1"),
    ("https://github.com/x", "github.com"),
])
def test_hosts_are_grouped_by_the_site_that_serves_them(url, key):
    assert host_key(url) == key


def test_since_is_kept_while_a_status_lasts_and_reset_when_it_changes():
    previous = {"links": [
        {"brigade": "b", "field": "links.website", "url": "https://example.org/", "status": "dead", "code": 404,
         "to": None, "since": "2026-10-01T09:00:00+09:00"},
        {"brigade": "b", "field": "links.x", "url": "https://x.com/b", "status": "live", "code": 200,
         "to": None, "since": "2026-10-01T09:00:00+09:00"},
    ]}
    now = "2026-11-26T12:00:00+09:00"
    merged = merge_since([Result("b", "links.website", "https://example.org/", "dead", code=404),
                          Result("b", "links.x", "https://x.com/b", "dead", code=404)], previous, now)
    assert [r.since for r in merged] == ["2026-10-01T09:00:00+09:00", now]


def _write_brigade(folder, website: str, other: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "code-for-example.yml").write_text(
        "id: code-for-example\nname:\n  ja: Code for Example\nstatus: unknown\nlinks:\n"
        f"  website: {website}\n  other:\n    - label: old\n      url: {other}\nsources:\n  - a test fixture\n",
        encoding="utf-8")


def test_linkcheck_writes_a_report_and_the_tracking_issue_text(server, tmp_path, brigadehub):
    server.expect_request("/live").respond_with_data("ok")
    server.expect_request("/gone").respond_with_data("", status=404)
    _write_brigade(tmp_path / "brigades", server.url_for("/live"), server.url_for("/gone"))
    args = ("linkcheck", "--brigades", str(tmp_path / "brigades"), "--data", str(tmp_path / "data"),
            "--summary", str(tmp_path / "issue.md"), "--delay", "0", "--timeout", "2")
    result = brigadehub(*args, "--now", "2026-11-26T12:00:00+09:00", env=LOOPBACK_ENV_VARS)
    assert (result.returncode, result.stdout) == (0, "1 live, 0 redirected, 0 slow, 1 dead, 0 error of 2 links\n")
    report_path = tmp_path / "data" / "health" / "links.json"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["counts"] == {"live": 1, "redirected": 0, "slow": 0, "dead": 1, "error": 0}
    assert [(link["field"], link["status"], link["code"]) for link in report["links"]] == [
        ("links.other[0]", "dead", 404), ("links.website", "live", 200)]
    assert set(report["links"][0]) == {"brigade", "field", "url", "status", "code", "to", "reason", "since"}
    issue = (tmp_path / "issue.md").read_text(encoding="utf-8")
    assert issue.startswith("<!-- brigadehub:link-health -->\n")
    assert f"| `code-for-example` | links.other\\[0\\] | <{server.url_for('/gone')}> | リンク切れ (404) |" in issue
    # A second run: a new checked_at, the same links, and each link keeps the time its status was first seen.
    assert brigadehub(*args, "--now", "2026-11-27T12:00:00+09:00", env=LOOPBACK_ENV_VARS).returncode == 0
    again = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["checked_at"], again["checked_at"]) == ("2026-11-26T12:00:00+09:00", "2026-11-27T12:00:00+09:00")
    assert again["links"] == report["links"]
    assert report["links"][0]["since"] == report["checked_at"]


def test_linkcheck_refuses_invalid_brigade_files_without_a_request(tmp_path, brigadehub):
    _write_brigade(tmp_path / "brigades", "example.org", "https://example.org/")
    result = brigadehub("linkcheck", "--brigades", str(tmp_path / "brigades"), "--data", str(tmp_path / "data"))
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "check failed: 1 error in 1 file"
    assert not (tmp_path / "data").exists()


def test_a_link_to_loopback_is_refused_and_never_asked(server, tmp_path, brigadehub):
    server.expect_request("/live").respond_with_data("ok")
    [result] = check_links([Link("code-for-example", "links.website", server.url_for("/live"))],
                           Settings(timeout=0.5, delay=0.0, policy=Policy()))
    assert (result.status, result.reason) == ("error", "refused: 127.0.0.1 is a loopback address")
    # The command as the health workflow runs it, without the test setting: the same, and nothing asked.
    _write_brigade(tmp_path / "brigades", server.url_for("/live"), "http://[::1]:9/")
    args = ("linkcheck", "--brigades", str(tmp_path / "brigades"), "--data", str(tmp_path / "data"))
    assert brigadehub(*args).stdout == "0 live, 0 redirected, 0 slow, 0 dead, 2 error of 2 links\n"
    report = json.loads((tmp_path / "data" / "health" / "links.json").read_text(encoding="utf-8"))
    assert sorted(link["reason"] for link in report["links"]) == [
        "refused: 127.0.0.1 is a loopback address", "refused: ::1 is a loopback address"]
    assert server.log == []


@pytest.mark.parametrize(("target", "reason"), [
    ("http://10.0.0.1/admin", "refused a redirect: 10.0.0.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "refused a redirect: 169.254.169.254 is a link-local address"),
    ("file:///etc/passwd", "refused a redirect: 'file' is not http or https"),
])
def test_a_redirect_to_a_private_address_or_another_scheme_is_refused(server, target, reason):
    server.expect_request("/moved").respond_with_data("", status=302, headers={"Location": target})
    [result] = check_links([Link("code-for-example", "links.website", server.url_for("/moved"))], FAST)
    assert (result.status, result.reason, result.to) == ("error", reason, None)
    assert [entry[0].path for entry in server.log] == ["/moved"]
