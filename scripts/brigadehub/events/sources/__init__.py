"""What every source adapter shares: the targets it reads, the window it keeps to, the errors it raises.

Each adapter has one shape, `fetch(client, base_url, targets, window, secret) -> {target key: [Event]}`.
The client is http.Client, the one way to the network; an adapter only asks it for answers, and lets its
RequestError (or NotModified) pass to fetch.py, which makes each the outcome of that source alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from brigadehub.core.model import TOKYO
from brigadehub.events.http import Deadline

ONLINE = re.compile(r"(?i)オンライン|online|zoom|google meet|teams|youtube live|配信")


class SourceError(Exception):
    """A source that could not be read; the message is the reason shown in the report."""


@dataclass(frozen=True)
class Window:
    """The span of time a fetch asks for; both ends are Tokyo times."""

    start: datetime
    end: datetime

    def holds(self, moment: date | datetime) -> bool:
        day = moment.date() if isinstance(moment, datetime) else moment
        return self.start.date() <= day <= self.end.date()


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
    """Read an ISO 8601 time with a zone ('…+09:00' or '…Z') as a Tokyo time."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise SourceError(f"{what} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise SourceError(f"{what} {value!r} has no time zone")
    return moment.astimezone(TOKYO)


def looks_online(*texts: str | None) -> bool:
    # Neither connpass v2 nor Doorkeeper has an "online" field; organisers write it in the place.
    return any(ONLINE.search(text) for text in texts if text)


def require(row: object, fields: tuple[str, ...], where: str) -> dict:
    """Refuse an answer whose rows lack a field we read: a renamed field must fail loudly (coderdojo.jp #1845)."""
    if not isinstance(row, dict):
        raise SourceError(f"{where} is not an object; the API may have changed")
    for name in fields:
        if row.get(name) in (None, ""):
            raise SourceError(f"{where} has no {name!r}; the API may have changed")
    return row
