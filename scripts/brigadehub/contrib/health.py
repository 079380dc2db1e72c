"""Check that every brigade's website and links still answer: a few hosts at a time, one request a host at a time."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from urllib.parse import urljoin, urlsplit

import requests

from brigadehub.core.model import Brigade

USER_AGENT = "BrigadeHub-linkcheck/1 (+https://github.com/brigade-hub/brigade-hub)"
REDIRECTS = {301, 302, 303, 307, 308}
GONE = {404, 410}
# Some servers refuse HEAD, or answer it wrongly; a GET settles it.
HEAD_DOUBTFUL = 400
# Second-level labels under which each registrant's domain is one level deeper (example.co.jp).
JP_SECOND_LEVEL = {"co", "or", "ne", "ac", "go", "lg", "gr", "ed", "ad"}
STATUSES = ("live", "redirected", "slow", "dead", "error")


@dataclass(frozen=True)
class Link:
    """One address that one brigade file gives, and the field that gives it."""

    brigade: str
    field: str
    url: str


@dataclass(frozen=True)
class Result:
    """What one link answered: live | redirected (to) | slow | dead (code) | error (reason)."""

    brigade: str
    field: str
    url: str
    status: str
    code: int | None = None
    to: str | None = None
    reason: str | None = None
    since: str | None = None  # when this status was first seen; kept across runs while it lasts


@dataclass(frozen=True)
class Settings:
    timeout: float = 15.0  # seconds for each request; a link that takes longer is reported slow
    delay: float = 2.0  # seconds between two requests to the same host
    workers: int = 4  # hosts checked at once
    max_redirects: int = 5
    user_agent: str = USER_AGENT


def links_of(brigade: Brigade) -> list[Link]:
    """Render a brigade's website, platform handles and other links into the URLs a visitor would open."""
    return [Link(brigade.id, field, url) for field, _, url in brigade.links.addresses()]


def host_key(url: str) -> str:
    """Group URLs by the site that serves them, so that politeness holds across its subdomains."""
    labels = (urlsplit(url).hostname or "").split(".")
    depth = 3 if len(labels) >= 3 and labels[-1] == "jp" and labels[-2] in JP_SECOND_LEVEL else 2
    return ".".join(labels[-depth:])


def check_links(links: Iterable[Link], settings: Settings = Settings()) -> list[Result]:
    """Check every link, one host per worker, and return the results sorted by brigade, field and URL."""
    groups: dict[str, list[Link]] = {}
    for link in links:
        groups.setdefault(host_key(link.url), []).append(link)
    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        found = pool.map(lambda group: _check_host(group, settings), groups.values())
        results = [result for group in found for result in group]
    return sorted(results, key=lambda r: (r.brigade, r.field, r.url))


def _check_host(links: Sequence[Link], settings: Settings) -> list[Result]:
    """Check one host's links in turn, waiting between requests; a URL two brigades share is asked once."""
    session = _session(settings)
    answers: dict[str, Result] = {}
    pace = _Pace(settings.delay)
    try:
        for link in links:
            if link.url not in answers:
                answers[link.url] = check_url(session, link.url, settings, pace)
    finally:
        session.close()
    return [replace(answers[link.url], brigade=link.brigade, field=link.field) for link in links]


def _session(settings: Settings) -> requests.Session:
    session = requests.Session()
    session.headers.update({"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    return session


class _Pace:
    """Keep at least `delay` seconds between the starts of two requests."""

    def __init__(self, delay: float):
        self.delay, self.last, self.lock = delay, float("-inf"), threading.Lock()

    def wait(self) -> None:
        with self.lock:
            pause = self.last + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self.last = time.monotonic()


def check_url(session: requests.Session, url: str, settings: Settings, pace: _Pace | None = None) -> Result:
    """Follow a URL's redirects by hand, so that loops and their targets can be named."""
    pace = pace or _Pace(settings.delay)
    seen, current = [url], url
    try:
        for _ in range(settings.max_redirects + 1):
            response = _ask(session, current, settings, pace)
            target = response.headers.get("Location")
            if response.status_code not in REDIRECTS or not target:
                return _judge(url, current, response.status_code)
            current = urljoin(current, target)
            if current in seen:
                return Result("", "", url, "error", reason=f"redirect loop ({' -> '.join([*seen, current])})")
            seen.append(current)
    except requests.Timeout:
        return Result("", "", url, "slow", reason=f"no answer within {settings.timeout:g} s")
    except requests.RequestException as error:
        return Result("", "", url, "error", reason=_reason(error))
    return Result("", "", url, "error", reason=f"more than {settings.max_redirects} redirects")


def _ask(session: requests.Session, url: str, settings: Settings, pace: _Pace) -> requests.Response:
    pace.wait()
    response = session.head(url, timeout=settings.timeout, allow_redirects=False)
    response.close()
    if response.status_code >= HEAD_DOUBTFUL:
        pace.wait()
        # stream=True: the status is enough; the body is never downloaded.
        response = session.get(url, timeout=settings.timeout, allow_redirects=False, stream=True)
        response.close()
    return response


def _judge(url: str, final: str, code: int) -> Result:
    if code in GONE:
        return Result("", "", url, "dead", code=code)
    if code >= 400:
        return Result("", "", url, "error", code=code, reason=f"HTTP {code}")
    if final != url:
        return Result("", "", url, "redirected", code=code, to=final)
    return Result("", "", url, "live", code=code)


def _reason(error: requests.RequestException) -> str:
    """Name a network failure in words that stay the same from run to run (no addresses, no object ids)."""
    text = str(error)
    if isinstance(error, requests.exceptions.SSLError):
        return "TLS error (certificate or protocol)"
    if "NameResolutionError" in text or "Name or service not known" in text or "nodename nor servname" in text:
        return "host name not found"
    if "Connection refused" in text:
        return "connection refused"
    if isinstance(error, requests.ConnectionError):
        return "connection failed"
    return error.__class__.__name__


def merge_since(results: Iterable[Result], previous: dict | None, now: str) -> list[Result]:
    """Carry each link's `since` over from the previous report while its status stays the same."""
    before = {(r["brigade"], r["field"], r["url"]): r for r in (previous or {}).get("links", [])}
    merged = []
    for result in results:
        old = before.get((result.brigade, result.field, result.url))
        same = old and (old.get("status"), old.get("code"), old.get("to")) == (result.status, result.code, result.to)
        merged.append(replace(result, since=old.get("since") if same and old.get("since") else now))
    return merged


def build_report(results: Sequence[Result], checked_at: str) -> dict:
    """Lay out data/health/links.json: when, how many of each status, then every link in a fixed order."""
    counts = {status: sum(1 for r in results if r.status == status) for status in STATUSES}
    return {"checked_at": checked_at, "counts": counts, "links": [asdict(r) for r in results]}
