"""Tests for events/http.py, the one client: its network policy, its deadline, its redirects and its throttle.

Every server listens on 127.0.0.1. The attack tests use the default policy and check that nothing reached it;
no test sends anything anywhere else: refused addresses are refused before any connection is tried.
"""

from __future__ import annotations

import gzip
import shutil
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from brigadehub.events import http
from conftest import LOOPBACK, ROOT, FakeClock


def _client(policy: http.Policy = LOOPBACK, clock: http.Clock = http.SYSTEM_CLOCK, interval: float = 0.0,
            **limits) -> http.Client:
    values = {"connect_timeout": 1.0, "read_timeout": 1.0, "deadline": 10.0, "retries": 0, **limits}
    throttle = http.Throttle({}, interval, clock)
    return http.Client(http.Shared(http.Limits(**values), policy, throttle, http.Validators({}), clock))


# ---- the network policy ----


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "127.0.0.1 is a loopback address"),
    ("::1", "::1 is a loopback address"),
    ("10.1.2.3", "10.1.2.3 is a private address"),
    ("192.168.0.10", "192.168.0.10 is a private address"),
    ("172.16.5.4", "172.16.5.4 is a private address"),
    ("fd00::1", "fd00::1 is a private address"),
    ("169.254.169.254", "169.254.169.254 is a link-local address"),
    ("fe80::1", "fe80::1 is a link-local address"),
    ("224.0.0.251", "224.0.0.251 is a multicast address"),
    ("ff02::1", "ff02::1 is a multicast address"),
    ("240.0.0.1", "240.0.0.1 is a reserved address"),
    ("0.0.0.0", "0.0.0.0 is an unspecified address"),
    ("100.64.0.1", "100.64.0.1 is not a public address"),  # carrier-grade NAT
    # IPv6 forms that carry an IPv4 address reach that address: mapped, NAT64 and 6to4.
    ("::ffff:127.0.0.1", "::ffff:127.0.0.1 is a loopback address"),
    ("64:ff9b::a9fe:a9fe", "64:ff9b::a9fe:a9fe is a link-local address"),
    ("2002:a00:1::", "2002:a00:1:: is a private address"),
    ("93.184.215.14", None),
    ("2606:4700::1111", None),
])
def test_only_public_addresses_are_allowed(address, reason):
    assert http.Policy().refusal(address) == reason


def test_the_test_setting_allows_loopback_and_nothing_else():
    policy = http.Policy(allow_loopback_for_tests=True)
    assert [policy.refusal(a) for a in ("127.0.0.1", "::1", "::ffff:127.0.0.1")] == [None] * 3
    assert policy.refusal("10.0.0.1") == "10.0.0.1 is a private address"
    assert policy.refusal("169.254.169.254") == "169.254.169.254 is a link-local address"


def test_the_test_setting_is_read_from_one_variable_only_when_it_is_exactly_1():
    assert http.Policy.from_env({http.LOOPBACK_ENV: "1"}).allow_loopback_for_tests
    assert not any(http.Policy.from_env(env).allow_loopback_for_tests
                   for env in ({}, {http.LOOPBACK_ENV: "true"}, {http.LOOPBACK_ENV: ""}))


def test_no_workflow_turns_the_test_setting_on():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows and not [p.name for p in workflows if http.LOOPBACK_ENV in Path(p).read_text(encoding="utf-8")]


@pytest.mark.parametrize(("path", "reason"), [
    ("/feed.ics", "refused: 127.0.0.1 is a loopback address"),
    # The same loopback address, written as a name, a decimal number and an IPv4-mapped IPv6 address.
    ("localhost", "refused: 127.0.0.1 is a loopback address"),
    ("2130706433", "refused: 127.0.0.1 is a loopback address"),
    ("[::ffff:127.0.0.1]", "refused: ::ffff:127.0.0.1 is a loopback address"),
])
def test_the_default_policy_refuses_loopback_before_any_request(httpserver, path, reason):
    httpserver.expect_request("/feed.ics").respond_with_data("BEGIN:VCALENDAR", content_type="text/calendar")
    url = httpserver.url_for(path) if path.startswith("/") else f"http://{path}:{httpserver.port}/feed.ics"
    with pytest.raises(http.Refused) as refused:
        _client(http.Policy()).get(url)
    assert str(refused.value) == reason and httpserver.log == []


@pytest.mark.parametrize(("url", "reason"), [
    ("file:///etc/passwd", "refused: 'file' is not http or https"),
    ("ftp://127.0.0.1/pub/feed.ics", "refused: 'ftp' is not http or https"),
    ("gopher://127.0.0.1:70/", "refused: 'gopher' is not http or https"),
    ("http:///no-host", "refused: the address names no host"),
])
def test_only_http_and_https_urls_are_asked(url, reason):
    with pytest.raises(http.Refused, match=f"^{reason}$"):
        _client().get(url)


def test_the_connection_itself_refuses_a_forbidden_peer(httpserver):
    """The check behind the check: a name that resolved to a public address may connect to a private one."""
    httpserver.expect_request("/").respond_with_data("hello")
    # The session alone, without the Client's check of the name before the request: only the connection is left.
    guard = http.Guard(http.Policy(), http.Deadline(http.SYSTEM_CLOCK, 5.0), read_timeout=1.0)
    with http.new_session(guard) as session, pytest.raises(
            http.Refused, match=r"^refused: 127\.0\.0\.1 is a loopback address$"):
        session.get(httpserver.url_for("/"), timeout=1.0)
    assert httpserver.log == []


@pytest.mark.parametrize(("location", "reason"), [
    ("http://169.254.169.254/latest/meta-data/", "refused a redirect: 169.254.169.254 is a link-local address"),
    ("http://10.0.0.1/internal", "refused a redirect: 10.0.0.1 is a private address"),
    ("http://[fd12:3456::1]/", "refused a redirect: fd12:3456::1 is a private address"),
    ("file:///etc/passwd", "refused a redirect: 'file' is not http or https"),
    ("ftp://ftp.example.org/feed.ics", "refused a redirect: 'ftp' is not http or https"),
])
def test_every_redirect_hop_is_checked_by_the_policy(httpserver, location, reason):
    httpserver.expect_request("/feed.ics").respond_with_data("", status=302, headers={"Location": location})
    with pytest.raises(http.Refused) as refused:
        _client().get(httpserver.url_for("/feed.ics"), accept=frozenset({"text/calendar"}))
    assert str(refused.value) == reason and len(httpserver.log) == 1


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl command to make a certificate")
def test_https_goes_through_the_same_guard_and_verifies_the_certificate(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.expect_request("/").respond_with_data("{}", content_type="application/json")
    server.start()
    try:
        url = server.url_for("/")
        assert url.startswith("https://")
        with pytest.raises(http.Refused, match=r"^refused: 127\.0\.0\.1 is a loopback address$"):
            _client(http.Policy()).get(url)
        # Allowed to connect, the client still refuses a certificate that no authority signed.
        with pytest.raises(http.RequestError, match=r"^TLS error \(certificate or protocol\)$"):
            _client().get(url)
    finally:
        server.clear()
        server.stop()


# ---- redirects, followed hop by hop ----


def test_redirects_are_followed_hop_by_hop_and_a_loop_is_named(httpserver):
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(http.RedirectLoop, match=r"^redirect loop after 2 redirects$") as loop:
        _client().get(httpserver.url_for("/a"))
    assert loop.value.hops == tuple(httpserver.url_for(p) for p in ("/a", "/b", "/a"))
    assert [entry[0].path for entry in httpserver.log] == ["/a", "/b"]  # the loop is seen before /a is asked again


def test_a_chain_longer_than_the_cap_stops_at_the_cap(httpserver):
    for n in range(10):
        httpserver.expect_request(f"/r{n}").respond_with_data("", status=307, headers={"Location": f"/r{n + 1}"})
    with pytest.raises(http.RedirectError, match=r"^more than 3 redirects$") as chain:
        _client(max_redirects=3).get(httpserver.url_for("/r0"))
    # Four asked, and the fifth address the last redirect pointed to.
    assert chain.value.hops == tuple(httpserver.url_for(f"/r{n}") for n in range(5)) and len(httpserver.log) == 4


@pytest.mark.parametrize(("before", "after", "kept"), [
    ("https://connpass.com/api/", "https://connpass.com/api/v2/", True),
    ("http://example.org/feed", "https://example.org/feed", True),  # the upgrade to https, as requests allows
    ("https://connpass.com/api/", "https://evil.example/api/", False),
    ("https://example.org/feed", "http://example.org/feed", False),  # a downgrade would send the key in clear
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8001/", False),
])
def test_secret_headers_stay_with_their_host(before, after, kept):
    headers = {"X-API-Key": "k", "Authorization": "Bearer t", "Cookie": "c", "If-None-Match": '"e"'}
    expected = headers if kept else {"If-None-Match": '"e"'}
    assert http.headers_for_hop(headers, before, after) == expected


# ---- the deadline, in wall-clock time, against servers that trickle ----


def test_a_body_that_trickles_cannot_outlast_the_deadline(httpserver):
    finished = threading.Event()

    def drip(request: Request) -> Response:
        def body():
            for _ in range(100):  # 5 s in all, one byte every 50 ms: each read answers well within its timeout
                yield b" "
                time.sleep(0.05)
            finished.set()
        return Response(body(), content_type="text/calendar")

    httpserver.expect_request("/feed.ics").respond_with_handler(drip)
    with pytest.raises(http.DeadlinePassed, match=r"^gave up after 0\.5 s$"):
        _client(deadline=0.5).get(httpserver.url_for("/feed.ics"), accept=frozenset({"text/calendar"}))
    assert not finished.is_set()  # the client hung up mid-body instead of reading to the end


class _TrickledHeaders(socketserver.BaseRequestHandler):
    """An answer whose header arrives one byte at a time, which no HTTP library's read timeout notices."""

    def handle(self):
        self.request.recv(65536)
        try:
            self.request.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(100):
                self.request.sendall(b"a")
                time.sleep(0.05)
            self.request.sendall(b"\r\nContent-Length: 0\r\n\r\n")
            self.server.finished.set()
        except OSError:
            pass  # the client hung up, as it should


@pytest.fixture
def trickling_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _TrickledHeaders)
    server.daemon_threads, server.finished = True, threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_header_that_trickles_cannot_outlast_the_deadline(trickling_server):
    url = f"http://127.0.0.1:{trickling_server.server_address[1]}/"
    with pytest.raises(http.DeadlinePassed, match=r"^gave up after 0\.5 s$"):
        _client(deadline=0.5).probe(url)
    assert not trickling_server.finished.is_set()


def test_a_deadline_that_has_passed_sends_nothing(httpserver):
    httpserver.expect_request("/").respond_with_data("late")
    clock = FakeClock()
    client = _client(clock=clock, deadline=1.0)
    clock.advance(2.0)
    with pytest.raises(http.DeadlinePassed, match=r"^gave up after 1 s$"):
        client.get(httpserver.url_for("/"))
    assert httpserver.log == []


def test_a_deadline_inside_another_gives_up_with_the_reason_of_the_one_that_ends_first():
    clock = FakeClock()
    run = http.Deadline(clock, 600.0, name="the whole fetch")
    early, late = http.Deadline(clock, 120.0, within=run), http.Deadline(clock, 900.0, within=run)
    assert (early.left(), late.left()) == (120.0, 600.0)
    assert [str(d.passed()) for d in (early, late)] == ["gave up after 120 s",
                                                        "gave up after 600 s, the limit for the whole fetch"]
    with pytest.raises(http.DeadlinePassed, match=r"^gave up: waiting 700 s more would pass the 600 s limit for "
                                                  r"the whole fetch$"):
        late.pause(700.0)
    assert clock.sleeps == []


def _count(n: int) -> int:
    return n + 1


def test_enforced_stops_code_that_never_returns_and_puts_the_tracer_back():
    deadline = http.Deadline(FakeClock(tick=1.0), 5.0)  # every reading is a second later: it passes at the fifth
    before, counted = sys.gettrace(), []

    def spin():
        with deadline.enforced(every=100):
            while True:  # a loop that calls a function, as dateutil's search for a rule that never matches does
                counted.append(_count(len(counted)))

    with pytest.raises(http.DeadlinePassed, match=r"^gave up after 5 s$"):
        spin()
    assert sys.gettrace() is before and 0 < len(counted) < 1000


def _forgiving(n: int) -> int:
    try:
        return _count(n)
    except Exception:  # noqa: BLE001 - as icalendar does with a property it cannot read
        return n


def test_enforced_stops_code_that_swallows_every_exception():
    deadline = http.Deadline(FakeClock(tick=1.0), 5.0)

    def spin():
        with deadline.enforced(every=100):
            done = 0
            while True:
                done = _forgiving(done)

    with pytest.raises(http.DeadlinePassed, match=r"^gave up after 5 s$"):
        spin()


def test_enforced_lets_work_done_in_time_return_its_result():
    deadline, before = http.Deadline(FakeClock(), 5.0), sys.gettrace()
    with deadline.enforced(every=1):
        total = sum(_count(n) for n in range(1000))
    assert total == 500500 and sys.gettrace() is before


def test_the_size_cap_counts_the_bytes_after_decompression(httpserver):
    small = gzip.compress(b'{"events": []}')
    bomb = gzip.compress(b"\0" * 10_000_000)  # about 10 KB on the wire
    for path, body in (("/small", small), ("/bomb", bomb)):
        httpserver.expect_request(path).respond_with_data(
            body, content_type="application/json", headers={"Content-Encoding": "gzip"})
    assert _client().get(httpserver.url_for("/small")).body == b'{"events": []}'
    with pytest.raises(http.RequestError, match=r"^the answer is more than the 65,536-byte cap$"):
        _client(max_bytes=65536).get(httpserver.url_for("/bomb"))


# ---- the throttle and the probe ----


def test_the_throttle_counts_the_interval_from_the_end_of_the_previous_request(httpserver):
    clock = FakeClock()
    started = []

    def slow(request: Request) -> Response:
        started.append(clock.now())
        clock.advance(0.5)  # the answer takes half a second
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api").respond_with_handler(slow)
    client = _client(clock=clock, interval=1.0)
    client.get(httpserver.url_for("/api"))
    client.get(httpserver.url_for("/api"))
    # Counted from the start, 0.5 s would be left to wait; from the end, the whole second is.
    assert clock.sleeps == [1.0] and started[1] - started[0] == 1.5


def test_hosts_have_lanes_of_their_own(httpserver):
    clock = FakeClock()
    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        for server in (httpserver, other):
            server.expect_request("/api").respond_with_data("{}", content_type="application/json")
        client = _client(clock=clock, interval=1.0)
        for server in (httpserver, other, httpserver):
            client.get(server.url_for("/api"))
    finally:
        other.clear()
        other.stop()
    assert clock.sleeps == [1.0]  # only the second request to the first host waited


def test_a_probe_falls_back_to_get_and_never_reads_the_body(httpserver):
    finished = threading.Event()

    def page(request: Request) -> Response:
        if request.method == "HEAD":
            return Response("", status=405)

        def body():
            for _ in range(200):
                yield b"x" * 65536
            finished.set()
        return Response(body(), content_type="text/html")

    httpserver.expect_request("/page").respond_with_handler(page)
    probe = _client().probe(httpserver.url_for("/page"))
    assert (probe.status, probe.hops) == (200, (httpserver.url_for("/page"),))
    assert [entry[0].method for entry in httpserver.log] == ["HEAD", "GET"] and not finished.is_set()


def test_a_refusal_is_named_without_quoting_the_answer_and_the_request_names_the_project(httpserver):
    httpserver.expect_request("/api").respond_with_data("<html>internal-token-42</html>", status=403)
    with pytest.raises(http.RequestError) as failure:
        _client().get(httpserver.url_for("/api"), headers={"X-API-Key": "k"})
    assert str(failure.value) == "HTTP 403: the key or token was refused"
    assert httpserver.log[0][0].headers["User-Agent"].startswith("BrigadeHub/")


# ---- requests, kept to the client's rules ----


def test_a_redirect_is_followed_without_reading_its_body(httpserver):
    finished = threading.Event()

    def moved(request: Request) -> Response:
        def body():  # 12.8 MB, more than the cap: read at all, it would have to be read past the cap
            for _ in range(200):
                yield b"x" * 65536
            finished.set()
        return Response(body(), status=302, headers={"Location": "/new"}, content_type="text/html")

    httpserver.expect_request("/old").respond_with_handler(moved)
    httpserver.expect_request("/new").respond_with_data("{}", content_type="application/json")
    assert _client(max_bytes=65536).get(httpserver.url_for("/old")).body == b"{}"
    assert [entry[0].path for entry in httpserver.log] == ["/old", "/new"] and not finished.is_set()


def test_a_proxy_set_in_the_environment_is_never_used(httpserver, monkeypatch):
    """A proxy would be the peer the guard checks, so the policy would no longer hold for the real one."""
    proxy = HTTPServer(host="127.0.0.1", port=0)
    proxy.start()
    try:
        for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.url_for("/"))
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        httpserver.expect_request("/api").respond_with_data("{}", content_type="application/json")
        assert _client().get(httpserver.url_for("/api")).body == b"{}"
        assert proxy.log == [] and len(httpserver.log) == 1
    finally:
        proxy.clear()
        proxy.stop()


# ---- conditional requests: validators are scoped, and kept only by whoever read the answer (issue 10) ----


def _scoped_client(stored: dict, scope: str) -> http.Client:
    limits = http.Limits(connect_timeout=1.0, read_timeout=1.0, deadline=10.0, retries=0)
    return http.Client(http.Shared(limits, LOOPBACK, http.Throttle({}, 0.0), http.Validators(stored, scope)))


def _etagged(httpserver) -> str:
    def answer(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response("{}", content_type="application/json", headers={"ETag": '"v1"'})
    httpserver.expect_request("/feed").respond_with_handler(answer)
    return httpserver.url_for("/feed")


def test_validators_of_another_scope_are_not_sent(httpserver):
    url = _etagged(httpserver)
    client = _scoped_client({url: {"etag": '"v1"', "scope": "2026-09-27/2027-11-26"}}, "2026-09-28/2027-11-27")
    answer = client.get(url, conditional=True)
    assert answer.status == 200 and "If-None-Match" not in httpserver.log[-1][0].headers
    assert client.learned == {}  # nothing is kept until the caller has read the answer and remembers it
    client.remember(answer)
    assert client.learned == {url: {"etag": '"v1"', "scope": "2026-09-28/2027-11-27"}}


def test_validators_of_the_same_scope_are_sent_and_a_304_confirms_them(httpserver):
    url = _etagged(httpserver)
    stored = {url: {"etag": '"v1"', "scope": "2026-09-27/2027-11-26"}}
    client = _scoped_client(stored, "2026-09-27/2027-11-26")
    with pytest.raises(http.NotModified):
        client.get(url, conditional=True)
    assert httpserver.log[-1][0].headers["If-None-Match"] == '"v1"' and client.learned == stored
