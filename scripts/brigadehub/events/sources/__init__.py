"""What every source adapter shares: the targets it reads, the window it keeps to, what it found and skipped."""

# Each adapter has one shape, `fetch(client, base_url, targets, window, secret) -> {target key: Found}`. The client
# is http.Client, the one way to the network; an adapter only asks it for answers, and lets its RequestError (or
# NotModified) pass to fetch.py, which makes each the outcome of that source alone. An item that cannot be read
# (one event of a list, one component of a calendar) is skipped and named in Found.skipped; the source fails as a
# whole (SourceError) only when nothing in it can be read, or when a field is missing from every row, as a renamed
# field is (coderdojo.jp PR #1845).

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from brigadehub.core.model import TOKYO, Event

if TYPE_CHECKING:  # only named: the snapshot and the site read Target and Skip without loading requests
    from brigadehub.events.http import Deadline

ONLINE = re.compile(r"(?i)オンライン|online|zoom|google meet|teams|youtube live|配信")
# An id quoted in a report is cut down to these characters: it names the item, and carries nothing else.
ID_CHARACTERS = re.compile(r"[^0-9A-Za-z@._:/+=#-]")
ID_LIMIT = 60


class SourceError(Exception):
    """A source that could not be read; the message is the reason shown in the report."""


@dataclass(frozen=True)
class Skip:
    """An item of a source that was left out, or read only in part: what it is (a cleaned id) and why, in our words."""

    item: str
    reason: str


@dataclass
class Found:
    """What one target's answer gave: its events in the window, and the items skipped on the way."""

    events: list[Event] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


@dataclass(frozen=True)
class Window:
    """The span of time a fetch asks for; both ends are Tokyo times, and whole days count."""

    start: datetime
    end: datetime

    def holds(self, moment: date | datetime) -> bool:
        day = moment.date() if isinstance(moment, datetime) else moment
        return self.start.date() <= day <= self.end.date()

    @property
    def key(self) -> str:
        """The window's days, '2026-09-27/2027-11-26': an answer stored for one window is never reused for another."""
        return f"{self.start.date().isoformat()}/{self.end.date().isoformat()}"


@dataclass(frozen=True)
class Target:
    """One entry of a brigade file's event_sources: what to read, and whose events they are."""

    kind: str  # connpass | doorkeeper | ical | meetup
    handle: str  # a group handle, or the URL of an iCal feed
    brigade: str
    host_name: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.handle}"


class Answer(Protocol):
    url: str
    body: bytes


class Client(Protocol):
    """What an adapter asks of http.Client: get (JSON unless accept says otherwise), remember, and its deadline."""

    deadline: Deadline

    def get(self, url: str, *, params: Mapping | None = None, headers: Mapping | None = None,
            accept: frozenset[str] = ..., conditional: bool = False) -> Answer: ...

    def remember(self, answer: Answer) -> None: ...


def read_json(answer: Answer) -> object:
    try:
        return json.loads(answer.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceError(f"malformed JSON ({error})") from None


def parse_time(value: object, what: str) -> datetime:
    """Read an ISO 8601 time with a zone ('…+09:00' or '…Z') as a Tokyo time; raise ValueError in our words."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(f"{what} is not an ISO 8601 time")
    if moment.tzinfo is None:
        raise ValueError(f"{what} has no time zone")
    return moment.astimezone(TOKYO)


def looks_online(*texts: str | None) -> bool:
    # connpass v2 has no "online" field; organisers write it in the place.
    return any(ONLINE.search(text) for text in texts if text)


def cleaned_id(value: object) -> str:
    """An id as a report may quote it: safe characters only, and short."""
    return ID_CHARACTERS.sub("", str(value))[:ID_LIMIT] or "?"


def check_renamed(rows: Sequence[object], fields: tuple[str, ...], where: str) -> None:
    """Fail when a field we read is missing from every row: an API that renamed it (coderdojo.jp PR #1845).

    A field missing from some rows only, or null, costs those rows alone (problem()).
    """
    objects = [row for row in rows if isinstance(row, dict)]
    for name in fields:
        if objects and not any(name in row for row in objects):
            raise SourceError(f"{where} have no {name!r}; the API may have changed")


def problem(row: object, fields: tuple[str, ...]) -> str | None:
    """Why a row cannot be read, in our words ('started_at is null'), or None when it has every field we need."""
    if not isinstance(row, dict):
        return "is not an object"
    for name in fields:
        if name not in row:
            return f"has no {name!r}"
        if row[name] in (None, ""):
            return f"{name} is {'null' if row[name] is None else 'empty'}"
    return None


def nothing_readable(skipped: Sequence[Skip], what: str) -> SourceError:
    """The failure of a source none of whose items could be read; it names the first item and its reason."""
    first = skipped[0]
    count = f"{len(skipped):,} item{'s' if len(skipped) > 1 else ''} skipped"
    return SourceError(f"{what}: nothing could be read ({count}; {first.item}: {first.reason})")
