"""Gather the events the site shows: hand-kept ones from the brigade files, the fetched snapshot and the archive.

Nothing here touches the network or writes a file, and nothing reads the clock: `today` is passed in, so the
same files give the same events on every build.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from brigadehub.core import recurrence
from brigadehub.core.model import TOKYO, Brigade, Event, HandEvent
from brigadehub.events import snapshot
from brigadehub.events.snapshot import sort_key, start_key

# Open-ended recurring hand-kept events are expanded only inside this window around today.
RECUR_PAST = timedelta(days=730)
RECUR_FUTURE = timedelta(days=365)
MAX_OCCURRENCES = 1500
# Duplicates: the same brigade, starts at most 30 minutes apart, and titles at least this similar.
NEAR = timedelta(minutes=30)
SIMILAR_TITLES = 0.6
# When two sources list one event, the first of these wins: the brigade's own word, then the richer APIs.
PRIORITY = {"hand": 0, "connpass": 1, "doorkeeper": 2, "ical": 3, "meetup": 3, "archive": 4}
QUIET_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class _Candidate:
    """An event with the links that may tie it to the same event elsewhere (its url, a hand event's same_as)."""

    event: Event
    links: frozenset[str]


def collect_events(brigades: Iterable[Brigade], data_dir: Path, today: date) -> tuple[Event, ...]:
    """Every event of the brigades, the snapshot under data_dir/events and the archive, once each, sorted.

    Raises snapshot.SnapshotError when a committed event file cannot be read.
    """
    brigades = list(brigades)
    known = {b.id for b in brigades}
    found = [c for b in brigades for c in _hand_candidates(b, today)]
    found += [_candidate(e) for e in read_fetched(data_dir, known)]
    found += [_candidate(e) for e in read_archive(data_dir, known)]
    return tuple(sorted(dedupe(found), key=sort_key))


def read_fetched(data_dir: Path, known: set[str]) -> list[Event]:
    """The fetched events of the brigades in the directory; snapshots of other brigades are left out."""
    events = []
    for path in snapshot.snapshot_paths(data_dir):
        if path.stem in known:
            events += [_known_co_hosts(e, known) for feed in snapshot.read_snapshot(path).values() for e in feed
                       if e.host == path.stem]
    return events


def read_archive(data_dir: Path, known: set[str]) -> list[Event]:
    """The imported archive; a host missing from this directory is kept by name only, never linked."""
    events = snapshot.read_archive(data_dir / snapshot.ARCHIVE_FILE)
    return [_known_co_hosts(e if e.host in known else replace(e, host=None), known) for e in events]


def _known_co_hosts(event: Event, known: set[str]) -> Event:
    co_hosts = tuple(c for c in event.co_hosts if c in known)
    return event if co_hosts == event.co_hosts else replace(event, co_hosts=co_hosts)


def _candidate(event: Event, same_as: str | None = None) -> _Candidate:
    return _Candidate(event, frozenset(normalise_url(u) for u in (event.url, same_as) if u))


def normalise_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")


# ---- hand-kept events ----


def hand_events(brigade: Brigade, today: date) -> list[Event]:
    """The events written in a brigade file, recurring ones expanded inside the window around today."""
    return [c.event for c in _hand_candidates(brigade, today)]


def _hand_candidates(brigade: Brigade, today: date) -> list[_Candidate]:
    found = [(start, hand) for hand in brigade.events for start in occurrences(hand, today)]
    found.sort(key=lambda pair: (_as_time(pair[0]), pair[1].title))
    counts: defaultdict[str, int] = defaultdict(int)
    candidates = []
    for start, hand in found:
        uid = f"hand-{brigade.id}-{_stamp(start)}"
        counts[uid] += 1
        uid += f"-{counts[uid]}" if counts[uid] > 1 else ""  # two events at one start in one file
        candidates.append(_candidate(_from_hand(brigade, hand, start, uid), hand.same_as))
    return candidates


def _stamp(start: date | datetime) -> str:
    return start.strftime("%Y%m%dT%H%M") if isinstance(start, datetime) else start.strftime("%Y%m%d")


def _as_time(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time(), TOKYO)


def occurrences(hand: HandEvent, today: date) -> list[date | datetime]:
    """The starts of a hand-kept event: its own start; with an RRULE, every instance up to a year from today,
    from the first for a series with COUNT or UNTIL, from two years back for an open-ended one."""
    if not hand.rrule:
        return [hand.start]
    first = recurrence.as_wall_clock(hand.start)
    low = datetime.combine(today - RECUR_PAST, datetime.min.time())
    high = datetime.combine(today + RECUR_FUTURE, datetime.max.time())
    if re.search(r"(^|;)(COUNT|UNTIL)=", hand.rrule):
        low = first  # a bounded series is kept whole, so its past meetings stay on the pages for good
    starts = set(recurrence.between(hand.rrule, first, low, high, MAX_OCCURRENCES))
    if low <= first <= high:
        starts.add(first)  # RFC 5545: DTSTART is always the first instance, even off the rule
    timed = isinstance(hand.start, datetime)
    return [s.replace(tzinfo=TOKYO) if timed else s.date() for s in sorted(starts)]


def _from_hand(brigade: Brigade, hand: HandEvent, start: date | datetime, uid: str) -> Event:
    end = start + (hand.end - hand.start) if hand.end is not None else None
    return Event(
        uid=uid, title=hand.title, start=start, end=end, source="hand", source_id=uid,
        host=brigade.id, host_name=brigade.name.ja, co_hosts=tuple(hand.co_hosts),
        place=hand.place, address=hand.address, online=hand.online, url=hand.url,
        description=hand.description or "", status=hand.status,
        precision="time" if isinstance(start, datetime) else "day",
    )


# ---- duplicates ----


def dedupe(candidates: Iterable[_Candidate]) -> list[Event]:
    """Keep one event where several sources list the same one; the highest-priority source wins."""
    kept: list[_Candidate] = []
    index = _Near()
    uids: set[str] = set()
    for candidate in sorted(candidates, key=lambda c: (PRIORITY.get(c.event.source, 9), sort_key(c.event))):
        if candidate.event.uid in uids:
            continue
        uids.add(candidate.event.uid)
        match = next((i for i in index.near(candidate) if same_event(kept[i], candidate)), None)
        if match is None:
            index.add(len(kept), candidate)
            kept.append(candidate)
        else:
            kept[match] = _absorb(kept[match], candidate)
            index.add(match, kept[match])  # it may have gained links
    return [c.event for c in kept]


class _Near:
    """The kept events by day and by each host and link: only those can be the same event as a newcomer.

    Comparing a newcomer with the day's events of every brigade grew as the square of a day's events: gathering
    took 8 times as long for 4 times the events (3,000 brigades against 1,000). The answers come in the day's
    order, so the first match is the one that comparing the whole day would have found.
    """

    def __init__(self):
        self.found: defaultdict[tuple[date, str, str], list[int]] = defaultdict(list)

    def add(self, at: int, candidate: _Candidate) -> None:
        day = start_key(candidate.event).date()
        for key in self._keys(candidate):
            listed = self.found[(day, *key)]
            if at not in listed:
                listed.append(at)

    def near(self, candidate: _Candidate) -> list[int]:
        day = start_key(candidate.event).date()
        keys = self._keys(candidate)
        found = {(offset, at) for offset in (-1, 0, 1) for key in keys
                 for at in self.found.get((day + timedelta(days=offset), *key), ())}
        return [at for _, at in sorted(found)]

    @staticmethod
    def _keys(candidate: _Candidate) -> list[tuple[str, str]]:
        return [*(("host", h) for h in _hosts(candidate.event)), *(("link", link) for link in candidate.links)]


def same_event(a: _Candidate, b: _Candidate) -> bool:
    """An explicit link on the same day, or the same brigade, a start within 30 minutes and a similar title.

    Two events from one source are never merged, nor are events whose day is not known, nor titles alone.
    """
    first, second = a.event, b.event
    if first.source == second.source or not (first.exact and second.exact):
        return False
    if a.links & b.links and start_key(first).date() == start_key(second).date():
        return True
    return bool(_hosts(first) & _hosts(second)) and _close(first, second) and similar_titles(first.title, second.title)


def _hosts(event: Event) -> set[str]:
    return {h for h in (event.host, *event.co_hosts) if h}


def _close(first: Event, second: Event) -> bool:
    if first.all_day or second.all_day:
        return start_key(first).date() == start_key(second).date()
    return abs(first.start - second.start) <= NEAR


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).lower()
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PSZ")


def similar_titles(first: str, second: str) -> bool:
    """Titles drift between platforms ('【オンライン】定例会 #12' and '定例会 #12'), so compare their letters."""
    a, b = _title_key(first), _title_key(second)
    if not a or not b:
        return False
    if min(len(a), len(b)) >= 4 and (a in b or b in a):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_TITLES


def _absorb(winner: _Candidate, loser: _Candidate) -> _Candidate:
    """Keep the winner, filling the facts it lacks from the duplicate (a sign-up URL, a place)."""
    event, other = winner.event, loser.event
    names = ("place", "address", "url", "description") + (("end",) if event.all_day == other.all_day else ())
    filled = {name: getattr(other, name) for name in names if not getattr(event, name) and getattr(other, name)}
    return _Candidate(replace(event, **filled), winner.links | loser.links)


# ---- questions the pages ask ----


def events_of(events: Iterable[Event], brigade_id: str) -> tuple[Event, ...]:
    """The events a brigade hosted or co-hosted."""
    return tuple(e for e in events if brigade_id in _hosts(e))


def by_brigade(events: Iterable[Event]) -> dict[str, tuple[Event, ...]]:
    """Every brigade's events_of, in one pass over the events, each list in the events' order."""
    found: dict[str, list[Event]] = {}
    for event in events:
        for host in _hosts(event):
            found.setdefault(host, []).append(event)
    return {host: tuple(chosen) for host, chosen in found.items()}


def upcoming_events(events: Iterable[Event], today: date) -> tuple[Event, ...]:
    """Events that start today or later, cancelled ones included (pages mark them)."""
    return tuple(e for e in events if start_key(e).date() >= today)


def past_events(events: Iterable[Event], today: date) -> tuple[Event, ...]:
    return tuple(e for e in events if start_key(e).date() < today)


# ---- how active a brigade looks, from its events and dated evidence ----


@dataclass(frozen=True)
class Activity:
    """What the records say of a brigade's activity, kept apart from the status the brigade itself gives.

    label: "active" (an event or evidence in the last 12 months, or an event to come), "quiet" (records, none
    that recent) or "none". last: the latest record's day, as precise as it is known (YYYY, YYYY-MM or
    YYYY-MM-DD); a record known only to the month or year counts from its first day, never later.
    """

    label: str
    last: str | None = None
    basis: str | None = None  # "event" or "evidence": which record is the latest
    finding: str | None = None  # for evidence: what it shows, and where
    source: str | None = None


def activity(brigade: Brigade, events: Iterable[Event], today: date) -> Activity:
    records = [(_event_day(e), _event_text(e), "event", e.title, None) for e in events_of(events, brigade.id)
               if e.status != "cancelled"]
    records += [(_partial_day(a.date), a.date, "evidence", a.finding, a.source) for a in brigade.activity]
    if not records:
        return Activity("none")
    held = [r for r in records if r[0] <= today]
    if not held:
        return Activity("active")  # only meetings to come: a sign of life, not yet a record
    day, text, basis, finding, source = max(held, key=lambda r: r[0])  # the first of a tie: an event
    label = "active" if len(held) < len(records) or day >= today - QUIET_AFTER else "quiet"
    return Activity(label, text, basis, finding, source)


def _event_day(event: Event) -> date:
    return start_key(event).date()


def _event_text(event: Event) -> str:
    day = _event_day(event)
    return {"year": f"{day.year:04d}", "month": f"{day:%Y-%m}", "around": f"{day:%Y-%m}"}.get(event.precision,
                                                                                          day.isoformat())


def _partial_day(value: str) -> date:
    """The first day a partial date can mean: 2023 → 2023-01-01, 2023-05 → 2023-05-01."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])
