"""Check that every brigade's website and links still answer: a few hosts at a time, one request a host at a time.

Every request goes through the one HTTP client (events/http.py), under its network policy: a link to a private
or loopback address is reported as refused, never asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlsplit

from brigadehub.core.model import Brigade
from brigadehub.events import http

USER_AGENT = "BrigadeHub-linkcheck/1 (+https://github.com/brigade-hub/brigade-hub)"
ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8"
GONE = {404, 410}
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
    deadline: float = 60.0  # seconds for one link, its redirects included
    policy: http.Policy = http.Policy()

    def shared(self, clock: http.Clock = http.SYSTEM_CLOCK) -> http.Shared:
        """The client state of one run: one request at a time per site, `delay` after the previous one ended."""
        limits = http.Limits(connect_timeout=self.timeout, read_timeout=self.timeout, deadline=self.deadline,
                             retries=0, max_redirects=self.max_redirects)
        throttle = http.Throttle({}, self.delay, clock, lane=host_key)
        headers = {"User-Agent": self.user_agent, "Accept": ACCEPT}
        return http.Shared(limits, self.policy, throttle, http.Validators({}), clock, headers)


def links_of(brigade: Brigade) -> list[Link]:
    """Render a brigade's website, platform handles and other links into the URLs a visitor would open."""
    return [Link(brigade.id, field, url) for field, _, url in brigade.links.addresses()]


def host_key(url: str) -> str:
    """Group URLs by the site that serves them, so that politeness holds across its subdomains."""
    labels = (urlsplit(url).hostname or "").split(".")
    depth = 3 if len(labels) >= 3 and labels[-1] == "jp" and labels[-2] in JP_SECOND_LEVEL else 2
    return ".".join(labels[-depth:])


def check_links(links: Iterable[Link], settings: Settings = Settings(),
                clock: http.Clock = http.SYSTEM_CLOCK) -> list[Result]:
    """Check every link, one host per worker, and return the results sorted by brigade, field and URL."""
    groups: dict[str, list[Link]] = {}
    for link in links:
        groups.setdefault(host_key(link.url), []).append(link)
    shared = settings.shared(clock)
    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        found = pool.map(lambda group: _check_host(group, shared), groups.values())
        results = [result for group in found for result in group]
    return sorted(results, key=lambda r: (r.brigade, r.field, r.url))


def _check_host(links: Sequence[Link], shared: http.Shared) -> list[Result]:
    """Check one host's links in turn; a URL two brigades share is asked once."""
    answers: dict[str, Result] = {}
    for link in links:
        if link.url not in answers:
            answers[link.url] = check_url(shared, link.url)
    return [replace(answers[link.url], brigade=link.brigade, field=link.field) for link in links]


def check_url(shared: http.Shared, url: str) -> Result:
    """Ask for one link's status; the client follows redirects hop by hop, so loops and their targets are named."""
    try:
        probe = http.Client(shared).probe(url)  # a client per link: each link has its own deadline
    except http.RedirectLoop as loop:
        return Result("", "", url, "error", reason=f"redirect loop ({' -> '.join(loop.hops)})")
    except (http.TimedOut, http.DeadlinePassed) as error:
        return Result("", "", url, "slow", reason=str(error))
    except http.RequestError as error:
        return Result("", "", url, "error", reason=str(error))
    return _judge(url, probe)


def _judge(url: str, probe: http.Probe) -> Result:
    code = probe.status
    if code in GONE:
        return Result("", "", url, "dead", code=code)
    if code >= 400:
        return Result("", "", url, "error", code=code, reason=f"HTTP {code}")
    if len(probe.hops) > 1:
        return Result("", "", url, "redirected", code=code, to=probe.hops[-1])
    return Result("", "", url, "live", code=code)


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
