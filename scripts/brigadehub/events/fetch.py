"""Plan the fetch of every brigade's event sources and run it, a few sources at a time, through the one client.

The client (http.py) holds the timeouts, caps, retries, throttle, validators and network policy; snapshot.py
merges what the sources gave into data/events/. Here: which requests to make, and running them so that one
source's failure, of any kind, is only that source's outcome.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from brigadehub.core.model import Brigade
from brigadehub.events import http, snapshot
from brigadehub.events.snapshot import Outcome
from brigadehub.events.sources import SourceError, Target, Window, connpass, doorkeeper, ical

ADAPTERS = {"connpass": connpass, "doorkeeper": doorkeeper, "ical": ical, "meetup": ical}
SECRETS = {"connpass": "CONNPASS_API_KEY", "doorkeeper": "DOORKEEPER_TOKEN"}


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
    source_deadline: float = 120.0  # seconds for one source: its requests, retries, pages, parsing and expanding
    # Seconds for the whole run, every source included; well inside the refresh job's timeout-minutes (deploy.yml),
    # so that the job commits what it got and the site deploys even when many sources are slow.
    fetch_deadline: float = 600.0
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
    policy: http.Policy = http.Policy()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read the keys, and the base URLs, timeout and loopback opt-in that tests and mirrors may set."""
        overrides = {"connpass_url": "BRIGADEHUB_CONNPASS_URL", "doorkeeper_url": "BRIGADEHUB_DOORKEEPER_URL",
                     "meetup_url": "BRIGADEHUB_MEETUP_URL"}
        values: dict = {name: env[var] for name, var in overrides.items() if env.get(var)}
        if env.get("BRIGADEHUB_FETCH_TIMEOUT"):
            values["read_timeout"] = values["connect_timeout"] = seconds(env["BRIGADEHUB_FETCH_TIMEOUT"])
        return cls(connpass_key=env.get(SECRETS["connpass"]) or None,
                   doorkeeper_token=env.get(SECRETS["doorkeeper"]) or None, policy=http.Policy.from_env(env), **values)

    def secret(self, kind: str) -> str | None:
        return {"connpass": self.connpass_key, "doorkeeper": self.doorkeeper_token}.get(kind)

    def base_url(self, kind: str) -> str | None:
        return {"connpass": self.connpass_url, "doorkeeper": self.doorkeeper_url, "meetup": self.meetup_url}.get(kind)

    def intervals(self) -> dict[str, float]:
        lanes: dict[str, float] = {}
        for url, gap in ((self.connpass_url, self.connpass_interval), (self.doorkeeper_url, self.doorkeeper_interval)):
            host = http.host_of(url)
            lanes[host] = max(gap, lanes.get(host, 0.0))
        return lanes

    def limits(self) -> http.Limits:
        return http.Limits(connect_timeout=self.connect_timeout, read_timeout=self.read_timeout,
                           deadline=self.source_deadline, max_bytes=self.max_bytes, retries=self.retries,
                           backoff=self.backoff, max_retry_after=self.max_retry_after, max_redirects=self.max_redirects)


class SettingsError(ValueError):
    """A setting from the environment that cannot be used; the message names the variable and its value."""


def seconds(text: str) -> float:
    """BRIGADEHUB_FETCH_TIMEOUT as a number of seconds, more than 0 and finite."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise SettingsError(f"BRIGADEHUB_FETCH_TIMEOUT must be a number of seconds, more than 0, not {text[:20]!r}")
    return value


def new_shared(settings: Settings, validators: Mapping[str, Mapping[str, str]] | None = None,
               clock: http.Clock = http.SYSTEM_CLOCK, scope: str = "") -> http.Shared:
    """The state all clients of one run share: limits, policy, throttle, validators, clock, and a deadline from now.

    scope is the run's window (Window.key): stored validators of another window are not sent.
    """
    throttle = http.Throttle(settings.intervals(), settings.other_interval, clock)
    deadline = http.Deadline(clock, settings.fetch_deadline, name="the whole fetch")
    return http.Shared(settings.limits(), settings.policy, throttle, http.Validators(validators or {}, scope), clock,
                       deadline=deadline)


def new_client(settings: Settings, validators: Mapping[str, Mapping[str, str]] | None = None,
               clock: http.Clock = http.SYSTEM_CLOCK, scope: str = "") -> http.Client:
    """A client on its own, as a test or a one-off script uses it; its deadline starts now."""
    return http.Client(new_shared(settings, validators, clock, scope))


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


@dataclass(frozen=True)
class JobResult:
    outcomes: list[Outcome]
    validators: dict[str, dict[str, str]]  # to keep for the next run: only when every outcome was read whole


def run_job(job: Job, settings: Settings, shared: http.Shared, window: Window) -> JobResult:
    """Run one job to an outcome per target; nothing a source does can escape as an exception.

    Its validators (ETag, Last-Modified) are kept only when every source of the job was read whole: one that
    failed, or skipped an item, is asked in full next time, so that it is reported again, never hidden by a 304.
    """
    client = http.Client(shared)  # a client per job, so that each source's deadline starts when the source does
    outcomes = _outcomes(job, settings, client, window)
    whole = all(o.status in ("ok", "not_modified") and not o.skipped for o in outcomes)
    return JobResult(outcomes, client.learned if whole else {})


def _outcomes(job: Job, settings: Settings, client: http.Client, window: Window) -> list[Outcome]:
    try:
        found = ADAPTERS[job.kind].fetch(client, settings.base_url(job.kind), job.targets, window,
                                         settings.secret(job.kind))
        return [Outcome(t, "ok", events=tuple(found[t.key].events), skipped=tuple(found[t.key].skipped))
                for t in job.targets]
    except http.NotModified:
        return [Outcome(t, "not_modified") for t in job.targets]
    except (SourceError, http.RequestError) as error:
        return [Outcome(t, "failed", str(error)) for t in job.targets]
    except Exception as error:  # noqa: BLE001 - a bug met by one source must not stop the others
        return [Outcome(t, "failed", f"internal error ({type(error).__name__}: {error})") for t in job.targets]


def run_jobs(jobs: list[Job], settings: Settings, shared: http.Shared, window: Window) -> list[JobResult]:
    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        return list(pool.map(lambda j: run_job(j, settings, shared, window), jobs))


def window_of(now: datetime, settings: Settings) -> Window:
    return Window(now - timedelta(days=settings.past_days), now + timedelta(days=settings.future_days))


def fetch_all(brigades: Iterable[Brigade], data_dir: Path, settings: Settings, now: datetime,
              clock: http.Clock = http.SYSTEM_CLOCK) -> snapshot.Fetched:
    """Fetch every source of the brigades, merge with the stored snapshot, and say what happened to each."""
    brigades = list(brigades)
    stored = snapshot.read_stored(data_dir, [b.id for b in brigades])
    window = window_of(now, settings)
    shared = new_shared(settings, snapshot.read_validators(data_dir), clock, scope=window.key)
    jobs, skipped = plan(targets_of(brigades), settings)
    results = run_jobs(jobs, settings, shared, window)
    outcomes = [*skipped, *(o for result in results for o in result.outcomes)]
    validators = {url: values for result in results for url, values in result.validators.items()}
    return snapshot.merge_outcomes(stored, outcomes, now, validators)
