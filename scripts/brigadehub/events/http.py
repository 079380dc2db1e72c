"""The one HTTP client: every request that fetch and linkcheck make goes through it, under one network policy.

It is requests, with an adapter whose urllib3 pools open guarded connections. A request goes only to http or https
URLs whose host resolves to public addresses. Redirects are followed here, hop by hop, and each hop is checked
again; so is the address actually connected to, so that a name that answers differently between the check and the
connection (DNS rebinding) is still refused. One Client serves one source or one link: its deadline covers
connecting, every receive from the socket, the retries and the pauses, so a server that trickles one byte at a
time cannot hold a request past it. Requests to one host wait for each other (the Throttle), and every wait reads
an injected Clock, so tests never wait for real.
"""

from __future__ import annotations

import functools
import http.client
import inspect
import io
import ipaddress
import socket
import ssl
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol, TypeVar
from urllib.parse import urlencode, urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import LocationParseError, MaxRetryError, NameResolutionError, NewConnectionError, ProtocolError
from urllib3.util import parse_url

USER_AGENT = "BrigadeHub/0.1 (+https://github.com/brigade-hub/brigade-hub; an event directory of civic-tech brigades)"
# Off by default, and named so that nobody sets it by accident: tests serve on 127.0.0.1 and opt in with it.
LOOPBACK_ENV = "BRIGADEHUB_ALLOW_LOOPBACK_FOR_TESTS"
SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECTS = frozenset({301, 302, 303, 307, 308})
JSON_TYPES = frozenset({"application/json", "text/json"})
# Headers that carry a secret and must not follow a redirect to another host.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})
# Some servers refuse HEAD, or answer it wrongly; a GET settles it.
HEAD_DOUBTFUL = 400
CHUNK = 64 * 1024
HTTP_HINTS = {401: ": the key or token was refused", 403: ": the key or token was refused",
              404: ": not found; is the group name or URL right?"}
# Checked in this order, so that 169.254.169.254 is named link-local rather than private.
NOT_PUBLIC = (("is_unspecified", "an unspecified"), ("is_loopback", "a loopback"), ("is_link_local", "a link-local"),
              ("is_multicast", "a multicast"), ("is_reserved", "a reserved"), ("is_private", "a private"))
NAT64 = ipaddress.ip_network("64:ff9b::/96")
GENERATOR_FLAGS = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The clock of a real run: time.monotonic and time.sleep."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


class RequestError(Exception):
    """A request that gave no usable answer; the message is the reason: short, and never a quote of the answer."""


class Refused(RequestError):
    """The network policy forbids the URL or the address; no request was sent."""


class Transient(RequestError):
    """A failure worth another try after a pause; wait is the server's Retry-After, if it gave one."""

    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.wait = wait


class TimedOut(Transient):
    """No answer within the timeout."""


class DeadlinePassed(RequestError):
    """The client's deadline passed, or a pause would pass it."""


class Interrupted(BaseException):
    """Raised inside traced library code by Deadline.enforced(), which turns it into DeadlinePassed.

    A BaseException, as KeyboardInterrupt is, so that no `except Exception` on the way swallows it: icalendar turns
    any Exception met while it reads a property of an event into a broken property, and reads on.
    """


class RedirectError(RequestError):
    """A chain of redirects that leads nowhere; hops are the URLs asked, in order, then where the last one led."""

    def __init__(self, reason: str, hops: tuple[str, ...]):
        super().__init__(reason)
        self.hops = hops


class RedirectLoop(RedirectError):
    """A redirect back to a URL already asked; the last hop repeats an earlier one."""


class NotModified(Exception):
    """The server answered 304 Not Modified: the stored answer still holds."""


@dataclass(frozen=True)
class Limits:
    """How long, how much and how often one client may ask."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0  # the longest wait for any one receive
    deadline: float = 120.0  # seconds for everything one client does, retries and pauses included
    max_bytes: int = 5 * 1024 * 1024
    retries: int = 2
    backoff: float = 2.0
    max_retry_after: float = 60.0
    max_redirects: int = 5


class Deadline:
    """The moment by which one client must be done; every pause, every receive and the work on the answer count.

    A deadline may lie within another, a source's within the whole fetch's: whichever ends first holds.
    """

    def __init__(self, clock: Clock, seconds: float, within: Deadline | None = None, name: str | None = None):
        self.clock, self.seconds, self.within, self.name = clock, seconds, within, name
        self.at = clock.now() + seconds

    def first(self) -> Deadline:
        """This deadline, or the one it lies within when that one ends first."""
        outer = self.within.first() if self.within else self
        return outer if outer.at < self.at else self

    def left(self) -> float:
        return self.first().at - self.clock.now()

    def limit(self) -> str:
        first = self.first()
        return f"the {first.seconds:g} s limit" + (f" for {first.name}" if first.name else "")

    def passed(self) -> DeadlinePassed:
        first = self.first()
        whose = f", the limit for {first.name}" if first.name else ""
        return DeadlinePassed(f"gave up after {first.seconds:g} s{whose}")

    def check(self) -> None:
        if self.left() <= 0:
            raise self.passed()

    def cap(self, timeout: float) -> float:
        """The timeout to use now: timeout, or what is left when that is less; raise once nothing is left."""
        self.check()
        return min(timeout, self.left())

    def pause(self, seconds: float) -> None:
        if seconds > self.left():
            raise DeadlinePassed(f"gave up: waiting {seconds:.3g} s more would pass {self.limit()}")
        self.clock.sleep(seconds)

    @contextmanager
    def enforced(self, every: int = 1000) -> Iterator[None]:
        """Stop the code run inside at a function call of its own once the deadline has passed: raise DeadlinePassed.

        For library code that may compute for long without returning. dateutil, under recurring-ical-events, looks
        for the next occurrence of a rule that never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) until the year
        9999, some seconds per rule, and no argument stops it sooner. So this thread's calls are traced meanwhile
        (sys.settrace, 'call' events only) and the deadline is read every `every` calls. It raises Interrupted, and
        only in plain function frames: an exception raised into a generator that is being closed would be lost.
        """
        calls = 0

        def check(frame, event, arg) -> None:
            nonlocal calls
            calls += 1
            if calls >= every and not frame.f_code.co_flags & GENERATOR_FLAGS:
                calls = 0
                if self.left() <= 0:
                    raise Interrupted()  # CPython removes this tracer as it raises: once is all it takes

        previous = sys.gettrace()
        sys.settrace(check)
        try:
            yield
        except Interrupted:
            raise self.passed() from None
        finally:
            sys.settrace(previous)


@dataclass(frozen=True)
class Policy:
    """Where a request may go: http and https, to public addresses only."""

    allow_loopback_for_tests: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Policy:
        return cls(allow_loopback_for_tests=env.get(LOOPBACK_ENV) == "1")

    def refusal(self, address: str) -> str | None:
        """Why no request may go to this IP address, in words, or None when one may."""
        kind = not_public(ipaddress.ip_address(address))
        if kind is None or (kind == "a loopback address" and self.allow_loopback_for_tests):
            return None
        return f"{address} is {kind}"

    def check(self, url: str, redirected: bool = False) -> None:
        """Refuse a URL whose scheme or host the policy forbids, before anything is sent; the host is resolved here."""
        refused = "refused a redirect" if redirected else "refused"
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            raise Refused(f"{refused}: {parts.scheme[:20] or '(none)'!r} is not http or https")
        if not parts.hostname:
            raise Refused(f"{refused}: the address names no host")
        for address in resolve(parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]):
            reason = self.refusal(address)
            if reason:
                raise Refused(f"{refused}: {reason}")


def not_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What keeps an address from being public ('a private address'), or None for a public one."""
    for inner in _embedded_ipv4(ip):
        kind = not_public(inner)
        if kind:
            return kind
    for test, kind in NOT_PUBLIC:
        if getattr(ip, test):
            return f"{kind} address"
    return None if ip.is_global else "not a public address"


def _embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    # ::ffff:127.0.0.1, 6to4, Teredo and NAT64 addresses reach the IPv4 address they carry.
    if ip.version == 4:
        return []
    found = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
    if ip in NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [address for address in found if address is not None]


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to; an IP address is itself."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Transient("host name not found") from None
    return sorted({str(info[4][0]) for info in found})


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


class Throttle:
    """Let one request at a time go to a host, each at least its interval after the previous one ended."""

    def __init__(self, intervals: Mapping[str, float], default: float, clock: Clock = SYSTEM_CLOCK,
                 lane: Callable[[str], str] = host_of):
        self.intervals, self.default, self.clock, self.lane = dict(intervals), default, clock, lane
        self.locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self.guard = threading.Lock()
        self.next_at: dict[str, float] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        lane = self.lane(url)
        with self.guard:
            lock = self.locks[lane]
        # Counting from the end of the previous request keeps the gap the server sees at least the interval.
        with lock:
            delay = self.next_at.get(lane, float("-inf")) - self.clock.now()
            if delay > 0:
                self.clock.sleep(delay)
            try:
                yield
            finally:
                self.next_at[lane] = self.clock.now() + self.intervals.get(lane, self.default)


class Validators:
    """The stored ETag and Last-Modified of each URL, each with the scope its answer was read for.

    The scope is what the answer was turned into besides its URL: a fetch stores its window there, because the
    events kept after a 304 are the ones expanded for the window of the run that read the answer. Validators of
    another scope, or of none, are never sent, so a moved window asks for the whole answer again.
    """

    def __init__(self, stored: Mapping[str, Mapping[str, str]], scope: str = ""):
        self.stored, self.scope = dict(stored), scope

    def known(self, url: str) -> dict[str, str] | None:
        values = self.stored.get(url)
        return dict(values) if values and values.get("scope", "") == self.scope else None

    def headers_for(self, url: str) -> dict[str, str]:
        known = self.known(url) or {}
        names = {"etag": "If-None-Match", "last_modified": "If-Modified-Since"}
        return {header: known[name] for name, header in names.items() if known.get(name)}


@dataclass(frozen=True)
class Shared:
    """What every client of one run shares."""

    limits: Limits
    policy: Policy
    throttle: Throttle
    validators: Validators
    clock: Clock = SYSTEM_CLOCK
    headers: Mapping[str, str] = field(default_factory=lambda: {"User-Agent": USER_AGENT})
    deadline: Deadline | None = None  # the whole run's, within which every client's lies


@dataclass(frozen=True)
class Reply:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Probe:
    """A link's status, and every URL asked on the way to it (more than one after a redirect)."""

    status: int
    hops: tuple[str, ...]


class Client:
    """The client one source, or one link, uses: the run's shared state, and a deadline of its own."""

    def __init__(self, shared: Shared):
        self.shared, self.limits = shared, shared.limits
        self.deadline = Deadline(shared.clock, shared.limits.deadline, within=shared.deadline)
        # The validators this client learnt or had confirmed by a 304; the caller keeps them, or not, once it
        # knows how the answers were read.
        self.learned: dict[str, dict[str, str]] = {}

    def get(self, url: str, *, params: Mapping | None = None, headers: Mapping | None = None,
            accept: frozenset[str] = JSON_TYPES, conditional: bool = False) -> Reply:
        """GET url, retrying transient failures; raise RequestError, or NotModified after a 304."""
        full = full_url(url, params)
        sent = {**(headers or {}), **(self.shared.validators.headers_for(full) if conditional else {})}
        attempts = self.limits.retries + 1
        for attempt in range(attempts):
            try:
                return self._exchange(("GET",), full, sent, lambda answer, _: self._read(answer, full, sent, accept))
            except Transient as failure:
                last = failure
                if attempt + 1 < attempts:
                    self.deadline.pause(failure.wait if failure.wait is not None else self.limits.backoff * 2**attempt)
        raise RequestError(f"{last} ({attempts} attempt{'s' if attempts > 1 else ''})")

    def probe(self, url: str) -> Probe:
        """Ask for url's status alone: HEAD, then GET where HEAD is refused; no body is ever read."""
        return self._exchange(("HEAD", "GET"), full_url(url), {},
                              lambda response, hops: Probe(response.status_code, hops))

    def remember(self, answer: Reply) -> None:
        """Note the validators of an answer, to be called once it was read completely and well."""
        values = {"etag": answer.headers.get("ETag"), "last_modified": answer.headers.get("Last-Modified")}
        if any(values.values()):
            self.learned[answer.url] = {**{k: v for k, v in values.items() if v}, "scope": self.shared.validators.scope}

    def _exchange(self, methods: tuple[str, ...], url: str, headers: Mapping[str, str],
                  handle: Callable[[requests.Response, tuple[str, ...]], T]) -> T:
        """Ask url and follow its redirects hop by hop, each hop checked by the policy; hand the last answer on."""
        hops = [url]
        for _ in range(self.limits.max_redirects + 1):
            self.deadline.check()  # before the policy resolves the host name: no time, no look-up
            self.shared.policy.check(hops[-1], redirected=len(hops) > 1)
            result, location = self._hop(methods, tuple(hops), headers, handle)
            if location is None:
                return result
            hops.append(next_hop(hops, location))
            headers = headers_for_hop(headers, hops[-2], hops[-1])
        raise RedirectError(f"more than {self.limits.max_redirects} redirects", tuple(hops))

    def _hop(self, methods: tuple[str, ...], hops: tuple[str, ...], headers: Mapping[str, str],
             handle: Callable) -> tuple[object, str | None]:
        """Ask one URL, each method in a slot of its own; return what handle made of it, or where it redirects."""
        method, *fallback = methods
        with self.shared.throttle.slot(hops[-1]), self._send(method, hops[-1], headers) as response:
            if not (fallback and response.status_code >= HEAD_DOUBTFUL):
                location = response.headers.get("Location") if response.status_code in REDIRECTS else None
                return (None, location) if location else (handle(response, hops), None)
        return self._hop(tuple(fallback), hops, headers, handle)

    @contextmanager
    def _send(self, method: str, url: str, headers: Mapping[str, str]) -> Iterator[requests.Response]:
        """One request on a session and a connection of its own, closed afterwards; faults become RequestErrors."""
        guard = Guard(self.shared.policy, self.deadline, self.limits.read_timeout)
        sent = {**self.shared.headers, **headers, "Accept-Encoding": "gzip, deflate", "Connection": "close"}
        # The read timeout is only the first; the guarded connection shortens every receive to the deadline.
        timeout = (self.deadline.cap(self.limits.connect_timeout), self.limits.read_timeout)
        try:
            # stream=True: the body is read later, chunk by chunk under the size cap, or never (a probe, a redirect).
            # Closing the answer closes its socket even when its body was never read.
            with new_session(guard) as session, session.request(
                    method, url, headers=sent, timeout=timeout, stream=True, allow_redirects=False) as response:
                yield response
        except (requests.RequestException, OSError, http.client.HTTPException, urllib3.exceptions.HTTPError) as error:
            raise self._failure(error) from None

    def _failure(self, error: Exception) -> RequestError:
        """Name a network fault in words that stay the same from run to run: no addresses, no object ids."""
        if self.deadline.left() <= 0:
            return self.deadline.passed()
        error = unwrap(error)
        if isinstance(error, NameResolutionError):
            return Transient("host name not found")
        if isinstance(error, NewConnectionError):
            refused = isinstance(error.__cause__, ConnectionRefusedError)
            return Transient("connection refused" if refused else "could not connect")
        if isinstance(error, (TimeoutError, urllib3.exceptions.TimeoutError)):
            return TimedOut(f"no answer within {self.limits.read_timeout:g} s")
        if isinstance(error, (ssl.SSLError, urllib3.exceptions.SSLError)):
            return RequestError("TLS error (certificate or protocol)")
        if isinstance(error, (OSError, ProtocolError)):
            return Transient("the connection broke off")
        return RequestError(f"request failed ({type(error).__name__})")

    def _read(self, response: requests.Response, url: str, sent: Mapping[str, str],
              accept: frozenset[str]) -> Reply:
        status = response.status_code
        if status == 304 and any(h in sent for h in ("If-None-Match", "If-Modified-Since")):
            self.learned[url] = self.shared.validators.known(url) or {}
            raise NotModified()
        if status == 429 or status >= 500:
            raise Transient(f"HTTP {status}", self._retry_after(response))
        if status != 200:
            raise RequestError(f"HTTP {status}{HTTP_HINTS.get(status, '')}")
        check_type(response.headers.get("Content-Type", ""), accept)
        return Reply(url, status, response.headers.copy(), self._download(response))

    def _retry_after(self, response: requests.Response) -> float | None:
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is not None and seconds > self.limits.max_retry_after:
            raise RequestError(f"HTTP {response.status_code}: the server asks us to wait {seconds:.0f} s, "
                               f"longer than the {self.limits.max_retry_after:g} s we wait")
        return seconds

    def _download(self, response: requests.Response) -> bytes:
        cap = self.limits.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            raise RequestError(f"the answer is {int(length):,} bytes, more than the {cap:,}-byte cap")
        chunks, size = [], 0
        for chunk in response.iter_content(CHUNK):  # decompressed: the cap counts what we would keep
            size += len(chunk)
            if size > cap:
                raise RequestError(f"the answer is more than the {cap:,}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)


def unwrap(error: Exception) -> Exception:
    """The urllib3 or socket error that requests wraps (in a MaxRetryError, too), so that it can be named."""
    inner = error.args[0] if isinstance(error, requests.RequestException) and error.args else error
    inner = inner.reason if isinstance(inner, MaxRetryError) and inner.reason else inner
    return inner if isinstance(inner, Exception) else error


def full_url(url: str, params: Mapping | None = None) -> str:
    """The URL as it is asked: params appended, unsafe characters escaped, the host in IDNA form, no fragment."""
    try:
        parts = parse_url(url)
    except LocationParseError:
        raise RequestError("not a URL we can ask") from None
    query = "&".join(q for q in (parts.query, urlencode(params or {}, doseq=True)) if q)
    return parts._replace(query=query or None, fragment=None).url


def next_hop(hops: list[str], location: str) -> str:
    """Where a redirect leads, as a full URL; refuse one that leads back to a URL already asked."""
    try:
        # http.client reads headers as Latin-1; servers send UTF-8 (requests undoes this the same way).
        location = location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    target = full_url(urljoin(hops[-1], location))
    if target in hops:
        redirects = len(hops)
        raise RedirectLoop(f"redirect loop after {redirects} redirect{'s' if redirects > 1 else ''}",
                           (*hops, target))
    return target


def headers_for_hop(headers: Mapping[str, str], before: str, after: str) -> Mapping[str, str]:
    """Drop the headers that carry a secret when a redirect leaves the host they were meant for."""
    old, new = origin(before), origin(after)
    # As requests does: the same origin keeps them, and so does the upgrade from http on 80 to https on 443.
    kept = old == new or (old[1] == new[1] and (old[0], old[2], new[0], new[2]) == ("http", 80, "https", 443))
    return headers if kept else {k: v for k, v in headers.items() if k.lower() not in SECRET_HEADERS}


def origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme)


def check_type(content_type: str, accept: frozenset[str]) -> None:
    kind = content_type.split(";")[0].strip().lower()[:60]
    if kind in accept or ("application/json" in accept and kind.endswith("+json")):
        return
    raise RequestError(f"wrong content type {kind or '(none)'!r}; expected {' or '.join(sorted(accept))}")


def parse_retry_after(value: str | None) -> float | None:
    """Read Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3); None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


# ---- the session and its adapter; the connection: the address connected to, and a deadline on every receive ----


@dataclass(frozen=True)
class Guard:
    """What a connection enforces itself: the policy on the peer's address, and the deadline on every receive."""

    policy: Policy
    deadline: Deadline
    read_timeout: float


def new_session(guard: Guard) -> requests.Session:
    """A requests session whose every connection is guarded; it reads nothing from the environment."""
    session = _Session()
    # No proxy, ever: a proxy would be the peer the guard sees, and the policy would no longer hold for the real one.
    # With trust_env off, HTTP(S)_PROXY, ALL_PROXY, .netrc and REQUESTS_CA_BUNDLE are ignored, as they were when
    # this client opened its connections itself. Certificates are verified against certifi's bundle (requests').
    session.trust_env = False
    session.headers.clear()  # the client names every header it sends
    adapter = GuardedAdapter(guard)
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)
    return session


class _Session(requests.Session):
    def get_redirect_target(self, response: requests.Response) -> None:
        # The client follows redirects itself, hop by hop, each checked by the policy. Even with allow_redirects=False,
        # Session.send prepares the next hop for Response.next and reads the redirect's whole body to do so, past the
        # size cap; with no target, it reads nothing.
        return None


class GuardedAdapter(HTTPAdapter):
    """requests' adapter, whose urllib3 pools open guarded connections; it never retries (the Client does)."""

    def __init__(self, guard: Guard):
        self.guard = guard  # HTTPAdapter.__init__ calls init_poolmanager, which needs it
        super().__init__(pool_connections=1, pool_maxsize=1, max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        # The guard reaches the connections through the pools' conn_kw; as a pool keyword of the manager it would
        # have to be part of urllib3's pool key, which accepts only the keywords it knows.
        self.poolmanager.pool_classes_by_scheme = {
            "http": functools.partial(_HTTPPool, guard=self.guard),
            "https": functools.partial(_HTTPSPool, guard=self.guard)}


class _Guarded:
    """Checks the address a connection reached, and reads every answer through a _DeadlineReader."""

    def __init__(self, *args, guard: Guard, **kwargs):
        super().__init__(*args, **kwargs)
        self.guard = guard
        self.response_class = functools.partial(_DeadlineResponse, guard=guard)

    def _new_conn(self) -> socket.socket:
        # The name was resolved and checked before; it may resolve differently now (DNS rebinding).
        sock = super()._new_conn()
        reason = self.guard.policy.refusal(sock.getpeername()[0])
        if reason:
            sock.close()
            raise Refused(f"refused: {reason}")
        return sock


class _HTTPConnection(_Guarded, HTTPConnection):
    pass


class _HTTPSConnection(_Guarded, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args, guard: Guard, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self.fp.close()
        self.fp = io.BufferedReader(_DeadlineReader(sock, guard))


class _DeadlineReader(io.RawIOBase):
    """A socket's reading side that shortens the timeout to what is left of the deadline before each receive.

    A read timeout alone restarts with every byte, so a server that sends one byte a second would never time out.
    """

    def __init__(self, sock: socket.socket, guard: Guard):
        super().__init__()
        self.sock, self.guard, self.raw = sock, guard, sock.makefile("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.raw.fileno()

    def readinto(self, buffer) -> int | None:
        self.sock.settimeout(self.guard.deadline.cap(self.guard.read_timeout))
        return self.raw.readinto(buffer)

    def close(self) -> None:
        self.raw.close()
        super().close()
