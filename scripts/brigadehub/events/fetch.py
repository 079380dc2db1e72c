"""Fetch every brigade's event sources; snapshot.py merges the answers. The only module that imports requests.

Sources run concurrently on a few workers. Each request has a timeout and a size cap, retries back off and honour
Retry-After, one host is never asked faster than its limit, and answers are asked for conditionally (ETag,
Last-Modified). A source that fails keeps its last known good events; a past event is never deleted.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests

from brigadehub.core.model import Brigade
from brigadehub.events import snapshot
from brigadehub.events.snapshot import Outcome
from brigadehub.events.sources import JSON_TYPES, NotModified, SourceError, Target, Window, connpass, doorkeeper, ical

USER_AGENT = "BrigadeHub/0.1 (+https://github.com/brigade-hub/brigade-hub; an event directory of civic-tech brigades)"
ADAPTERS = {"connpass": connpass, "doorkeeper": doorkeeper, "ical": ical, "meetup": ical}
SECRETS = {"connpass": "CONNPASS_API_KEY", "doorkeeper": "DOORKEEPER_TOKEN"}
# Headers that carry a secret and must not follow a redirect to another host; requests strips Authorization itself.
SECRET_HEADERS = ("X-API-Key",)


@dataclass(frozen=True)
class Settings:
    """Everything a fetch run can be told; tests shrink the timeouts and point the base URLs at 127.0.0.1."""

    connpass_url: str = connpass.BASE_URL
    doorkeeper_url: str = doorkeeper.BASE_URL
    meetup_url: str = ical.MEETUP_BASE_URL
    connpass_key: str | None = None
    doorkeeper_token: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    source_deadline: float = 120.0  # seconds for one source, retries and pages included
    max_bytes: int = 5 * 1024 * 1024
    retries: int = 2
    backoff: float = 2.0
    max_retry_after: float = 60.0
    max_redirects: int = 5
    workers: int = 4
    connpass_interval: float = 1.0  # connpass allows one request a second
    doorkeeper_interval: float = 1.0  # Doorkeeper allows 300 requests in 5 minutes
    other_interval: float = 0.5
    past_days: int = 60
    future_days: int = 365

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read the keys, and the base URLs and timeout that tests and mirrors may override."""
        overrides = {"connpass_url": "BRIGADEHUB_CONNPASS_URL", "doorkeeper_url": "BRIGADEHUB_DOORKEEPER_URL",
                     "meetup_url": "BRIGADEHUB_MEETUP_URL"}
        values: dict = {name: env[var] for name, var in overrides.items() if env.get(var)}
        if env.get("BRIGADEHUB_FETCH_TIMEOUT"):
            values["read_timeout"] = values["connect_timeout"] = float(env["BRIGADEHUB_FETCH_TIMEOUT"])
        return cls(connpass_key=env.get(SECRETS["connpass"]) or None,
                   doorkeeper_token=env.get(SECRETS["doorkeeper"]) or None, **values)

    def secret(self, kind: str) -> str | None:
        return {"connpass": self.connpass_key, "doorkeeper": self.doorkeeper_token}.get(kind)

    def base_url(self, kind: str) -> str | None:
        return {"connpass": self.connpass_url, "doorkeeper": self.doorkeeper_url, "meetup": self.meetup_url}.get(kind)

    def intervals(self) -> dict[str, float]:
        lanes: dict[str, float] = {}
        for url, gap in ((self.connpass_url, self.connpass_interval), (self.doorkeeper_url, self.doorkeeper_interval)):
            host = urlsplit(url).netloc.lower()
            lanes[host] = max(gap, lanes.get(host, 0.0))
        return lanes


class Throttle:
    """Let one request at a time go to a host, each at least its interval after the previous one ended."""

    def __init__(self, intervals: Mapping[str, float], default: float):
        self.intervals, self.default = dict(intervals), default
        self.locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self.guard = threading.Lock()
        self.next_at: dict[str, float] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        host = urlsplit(url).netloc.lower()
        with self.guard:
            lock = self.locks[host]
        # Counting from the end of the previous request keeps the gap the server sees at least the interval.
        with lock:
            delay = self.next_at.get(host, 0.0) - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                yield
            finally:
                self.next_at[host] = time.monotonic() + self.intervals.get(host, self.default)


class Validators:
    """ETag and Last-Modified per URL: the stored ones, and those this run confirmed or learnt."""

    def __init__(self, stored: Mapping[str, Mapping[str, str]]):
        self.stored, self.kept, self.lock = dict(stored), {}, threading.Lock()

    def headers_for(self, url: str) -> dict[str, str]:
        known = self.stored.get(url, {})
        names = {"etag": "If-None-Match", "last_modified": "If-Modified-Since"}
        return {header: known[name] for name, header in names.items() if known.get(name)}

    def keep(self, url: str, values: Mapping[str, str] | None = None) -> None:
        with self.lock:
            values = values if values is not None else self.stored.get(url)
            if values:
                self.kept[url] = dict(values)


@dataclass(frozen=True)
class Reply:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes


class _Retry(Exception):
    """A transient failure: worth another try after a pause (wait is the server's Retry-After, if any)."""

    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.wait = wait


class _Session(requests.Session):
    def rebuild_auth(self, prepared_request, response):
        if self.should_strip_auth(response.request.url, prepared_request.url):
            for name in SECRET_HEADERS:
                prepared_request.headers.pop(name, None)
        super().rebuild_auth(prepared_request, response)


@dataclass
class Shared:
    settings: Settings
    throttle: Throttle
    validators: Validators


class Client:
    """The HTTP client one source uses: its own session, the run's throttle and validators, its own deadline."""

    def __init__(self, shared: Shared, deadline: float):
        self.shared, self.settings, self.deadline = shared, shared.settings, deadline
        self.session = _Session()
        self.session.max_redirects = self.settings.max_redirects
        self.session.headers["User-Agent"] = USER_AGENT

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, *, params: Mapping | None = None, headers: Mapping | None = None,
            accept: frozenset[str] = JSON_TYPES, conditional: bool = False) -> Reply:
        """GET url, retrying transient failures; raise SourceError, or NotModified after a 304."""
        try:
            full = requests.Request("GET", url, params=params).prepare().url
        except requests.RequestException as error:
            raise SourceError(f"not a URL we can ask ({type(error).__name__})") from None
        sent = {**(headers or {}), **(self.shared.validators.headers_for(full) if conditional else {})}
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                with self.shared.throttle.slot(full):
                    return self._attempt(full, sent, accept)
            except _Retry as retry:
                last = retry
                if attempt + 1 < attempts:
                    self._pause(retry.wait if retry.wait is not None else self.settings.backoff * 2**attempt)
        raise SourceError(f"{last} ({attempts} attempt{'s' if attempts > 1 else ''})")

    def remember(self, answer: Reply) -> None:
        """Store the validators of an answer that was read completely and well."""
        values = {"etag": answer.headers.get("ETag"), "last_modified": answer.headers.get("Last-Modified")}
        self.shared.validators.keep(answer.url, {k: v for k, v in values.items() if v})

    def _attempt(self, url: str, headers: Mapping, accept: frozenset[str]) -> Reply:
        try:
            with self.session.get(url, headers=headers, stream=True, timeout=self._timeout()) as response:
                return self._read(response, url, accept)
        except requests.TooManyRedirects:
            raise SourceError(f"more than {self.settings.max_redirects} redirects; a redirect loop?") from None
        except requests.Timeout:
            raise _Retry(f"no answer within {self.settings.read_timeout:g} s") from None
        except requests.ConnectionError as error:
            if "timed out" in str(error):
                raise _Retry(f"no answer within {self.settings.read_timeout:g} s") from None
            raise _Retry("could not connect") from None
        except requests.RequestException as error:
            raise SourceError(f"request failed ({type(error).__name__})") from None

    def _read(self, response: requests.Response, url: str, accept: frozenset[str]) -> Reply:
        status = response.status_code
        if status == 304 and any(h in response.request.headers for h in ("If-None-Match", "If-Modified-Since")):
            self.shared.validators.keep(url)
            raise NotModified()
        if status == 429 or status >= 500:
            raise _Retry(f"HTTP {status}", self._retry_after(response))
        if status != 200:
            raise SourceError(f"HTTP {status}{HTTP_HINTS.get(status, '')}")
        _check_type(response, accept)
        return Reply(url, status, dict(response.headers), self._download(response))

    def _retry_after(self, response: requests.Response) -> float | None:
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is not None and seconds > self.settings.max_retry_after:
            raise SourceError(f"HTTP {response.status_code}: the server asks us to wait {seconds:.0f} s, "
                              f"longer than the {self.settings.max_retry_after:g} s we wait")
        return seconds

    def _download(self, response: requests.Response) -> bytes:
        cap = self.settings.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            raise SourceError(f"the answer is {int(length):,} bytes, more than the {cap:,}-byte cap")
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > cap:
                raise SourceError(f"the answer is more than the {cap:,}-byte cap")
            self._timeout()
            chunks.append(chunk)
        return b"".join(chunks)

    def _timeout(self) -> tuple[float, float]:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SourceError(f"gave up after {self.settings.source_deadline:g} s")
        return min(self.settings.connect_timeout, left), min(self.settings.read_timeout, left)

    def _pause(self, seconds: float) -> None:
        if time.monotonic() + seconds > self.deadline:
            limit = self.settings.source_deadline
            raise SourceError(f"gave up: waiting {seconds:.3g} s more would pass the {limit:g} s limit for one source")
        time.sleep(seconds)


def new_shared(settings: Settings, validators: Mapping[str, Mapping[str, str]] | None = None) -> Shared:
    """The state all clients of one run share: the throttle and the validators."""
    return Shared(settings, Throttle(settings.intervals(), settings.other_interval), Validators(validators or {}))


def new_client(settings: Settings, validators: Mapping[str, Mapping[str, str]] | None = None) -> Client:
    """A client on its own, as a test or a one-off script uses it; close it when done."""
    return Client(new_shared(settings, validators), time.monotonic() + settings.source_deadline)


HTTP_HINTS = {401: ": the key or token was refused", 403: ": the key or token was refused",
              404: ": not found; is the group name or URL right?"}


def _check_type(response: requests.Response, accept: frozenset[str]) -> None:
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if kind in accept or (accept is JSON_TYPES and kind.endswith("+json")):
        return
    raise SourceError(f"wrong content type {kind or '(none)'!r}; expected {' or '.join(sorted(accept))}")


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


# ---- planning and running the jobs ----


@dataclass(frozen=True)
class Job:
    kind: str
    targets: tuple[Target, ...]


def targets_of(brigades: Iterable[Brigade]) -> list[Target]:
    """Every event source of every brigade, once each."""
    found: dict[str, Target] = {}
    for brigade in brigades:
        for source in brigade.event_sources:
            handle = getattr(source, "group", None) or source.url
            target = Target(source.type, handle, brigade.id, brigade.name.ja)
            found.setdefault(f"{brigade.id} {target.key}", target)
    return sorted(found.values(), key=lambda t: (t.brigade, t.kind, t.handle))


def plan(targets: Iterable[Target], settings: Settings) -> tuple[list[Job], list[Outcome]]:
    """Group targets into jobs; a platform whose key is missing is skipped, never an error."""
    jobs, skipped = [], []
    by_kind: defaultdict[str, list[Target]] = defaultdict(list)
    for target in targets:
        by_kind[target.kind].append(target)
    for kind, group in sorted(by_kind.items()):
        if kind in SECRETS and not settings.secret(kind):
            skipped += [Outcome(t, "skipped", f"{SECRETS[kind]} is not set") for t in group]
        elif kind == "connpass":
            size = connpass.GROUPS_PER_REQUEST
            jobs += [Job(kind, tuple(group[i:i + size])) for i in range(0, len(group), size)]
        else:
            jobs += [Job(kind, (t,)) for t in group]
    return jobs, skipped


def run_job(job: Job, shared: Shared, window: Window) -> list[Outcome]:
    """Run one job to an outcome per target; nothing a source does can escape as an exception."""
    client = Client(shared, time.monotonic() + shared.settings.source_deadline)
    adapter, settings = ADAPTERS[job.kind], shared.settings
    try:
        found = adapter.fetch(client, settings.base_url(job.kind), job.targets, window, settings.secret(job.kind))
        return [Outcome(t, "ok", events=tuple(found[t.key])) for t in job.targets]
    except NotModified:
        return [Outcome(t, "not_modified") for t in job.targets]
    except SourceError as error:
        return [Outcome(t, "failed", str(error)) for t in job.targets]
    except Exception as error:  # noqa: BLE001 - a bug met by one source must not stop the others
        return [Outcome(t, "failed", f"internal error ({type(error).__name__}: {error})") for t in job.targets]
    finally:
        client.close()


def run_jobs(jobs: list[Job], shared: Shared, window: Window) -> list[Outcome]:
    with ThreadPoolExecutor(max_workers=max(1, shared.settings.workers)) as pool:
        return [o for outcomes in pool.map(lambda j: run_job(j, shared, window), jobs) for o in outcomes]


def fetch_all(brigades: Iterable[Brigade], data_dir: Path, settings: Settings, now: datetime) -> snapshot.Fetched:
    """Fetch every source of the brigades, merge with the stored snapshot, and say what happened to each."""
    brigades = list(brigades)
    stored = snapshot.read_stored(data_dir, [b.id for b in brigades])
    shared = new_shared(settings, snapshot.read_validators(data_dir))
    window = Window(now - timedelta(days=settings.past_days), now + timedelta(days=settings.future_days))
    jobs, skipped = plan(targets_of(brigades), settings)
    outcomes = [*skipped, *run_jobs(jobs, shared, window)]
    return snapshot.merge_outcomes(stored, outcomes, now, shared.validators.kept)
