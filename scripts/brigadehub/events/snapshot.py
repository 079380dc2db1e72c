"""Read, merge and write the committed event files: data/events/<brigade-id>.json and data/archive/events.json.

A fetch run's outcomes are merged here into the stored snapshot: a new answer replaces events with the same
uid, a past event is never deleted, and a source that fails keeps its last known good events.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from brigadehub.core.model import TOKYO, Event
from brigadehub.events.sources import Skip, Target

FORMAT_VERSION = 1
EVENTS_DIR = "events"
ARCHIVE_FILE = Path("archive") / "events.json"
REPORT_FILE = "_report.json"
VALIDATORS_FILE = "_validators.json"
LISTED_SKIPS = 20  # skipped items named per source in the report; skipped_count has them all
# A source is silent when nothing of it is coming and its last event is further back than this many of its usual
# gaps between events, and at least SILENT_MIN_DAYS: a month's break is no news for a brigade that meets weekly.
SILENT_FACTOR = 2
SILENT_MIN_DAYS = 30
RHYTHM_EVENTS = 3  # the fewest event days that show a rhythm
EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
TIME_FIELDS = {"start", "end", "updated"}


class SnapshotError(Exception):
    """A committed event file that cannot be read; the message says which and why."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


def render_json(data: object) -> str:
    """The one JSON style of every committed file, so that the same data gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def start_key(event: Event) -> datetime:
    """The start as a Tokyo time; a whole day starts at midnight."""
    start = event.start
    return start if isinstance(start, datetime) else datetime.combine(start, time(0), TOKYO)


def sort_key(event: Event) -> tuple[datetime, str]:
    return start_key(event), event.uid


def event_to_dict(event: Event) -> dict:
    data = dataclasses.asdict(event)
    for name in TIME_FIELDS:
        if data[name] is not None:
            data[name] = data[name].isoformat()
    data["co_hosts"] = list(event.co_hosts)
    return data


def _read_time(value: object) -> date | datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date or time")
    if "T" not in value:
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return moment.astimezone(TOKYO)


def event_from_dict(data: Mapping) -> Event:
    """Rebuild an Event from its JSON form; raise ValueError or KeyError when the form is wrong."""
    values = {name: data[name] for name in EVENT_FIELDS if name in data}
    for name in TIME_FIELDS & values.keys():
        values[name] = _read_time(values[name])
    values["co_hosts"] = tuple(values.get("co_hosts") or ())
    return Event(**values)


def _events_from(path: Path, rows: object) -> list[tuple[str, Event]]:
    if not isinstance(rows, list):
        raise SnapshotError(path, "'events' must be a list")
    found = []
    for i, row in enumerate(rows):
        try:
            found.append((str(row.get("feed", "")), event_from_dict(row)))
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise SnapshotError(path, f"events[{i}] cannot be read ({error}); fix it or delete the file") from None
    return found


def read_json_file(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SnapshotError(path, f"cannot be read ({error})") from None
    if not isinstance(data, dict):
        raise SnapshotError(path, "must hold a JSON object")
    return data


def snapshot_path(data_dir: Path, brigade_id: str) -> Path:
    return data_dir / EVENTS_DIR / f"{brigade_id}.json"


def snapshot_paths(data_dir: Path) -> list[Path]:
    """The brigades' snapshot files; names starting with '_' are the run's report and HTTP validators."""
    folder = data_dir / EVENTS_DIR
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("_")) if folder.is_dir() else []


def read_snapshot(path: Path) -> dict[str, list[Event]]:
    """Read one brigade's snapshot as {feed key: events}; the feed key names the source, e.g. 'connpass:cfk'."""
    feeds: dict[str, list[Event]] = {}
    for feed, event in _events_from(path, read_json_file(path).get("events")):
        feeds.setdefault(feed, []).append(event)
    return feeds


def render_snapshot(brigade_id: str, feeds: Mapping[str, Iterable[Event]]) -> str:
    """One brigade's events, sorted by start then uid, each marked with the feed it came from."""
    pairs = sorted(((feed, e) for feed, events in feeds.items() for e in events), key=lambda p: (sort_key(p[1]), p[0]))
    rows = [{**event_to_dict(event), "feed": feed} for feed, event in pairs]
    return render_json({"brigade": brigade_id, "format": FORMAT_VERSION, "events": rows})


def read_archive(path: Path) -> tuple[Event, ...]:
    """Read the imported archive of past events; a missing file means no archive."""
    if not path.is_file():
        return ()
    return tuple(event for _, event in _events_from(path, read_json_file(path).get("events")))


def render_archive(events: Iterable[Event], source: str) -> str:
    rows = [event_to_dict(e) for e in sorted(events, key=sort_key)]
    return render_json({"format": FORMAT_VERSION, "source": source, "events": rows})


# ---- merging a fetch run into the snapshot ----


@dataclass(frozen=True)
class Outcome:
    """What one source gave a fetch run; events only when status is ok."""

    target: Target
    status: str  # ok | not_modified | failed | skipped
    reason: str | None = None
    events: tuple[Event, ...] = ()
    skipped: tuple[Skip, ...] = ()  # items of an ok answer that were left out or read in part


@dataclass
class Fetched:
    """What a run produced: each brigade's feeds, the report, and the validators to keep."""

    snapshots: dict[str, dict[str, list[Event]]]
    report: dict
    validators: dict[str, dict[str, str]]


def is_upcoming(event: Event, now: datetime) -> bool:
    return start_key(event) >= now


def merge_feed(stored: Iterable[Event], fresh: Iterable[Event], now: datetime) -> tuple[list[Event], int]:
    """New answers replace same-uid events; stored past events stay; stored upcoming ones the source dropped go.

    Returns the merged events and how many upcoming events were removed. A cancelled event is not dropped by
    its source: it comes back with status cancelled and stays.
    """
    latest = {e.uid: e for e in fresh}
    kept = [e for e in stored if e.uid not in latest and not is_upcoming(e, now)]
    removed = sum(1 for e in stored if e.uid not in latest and is_upcoming(e, now))
    return [*latest.values(), *kept], removed


def read_stored(data_dir: Path, brigade_ids: Iterable[str]) -> dict[str, dict[str, list[Event]]]:
    """The committed snapshot of each brigade that has one; raise SnapshotError for an unreadable file."""
    return {b: read_snapshot(path) for b in brigade_ids if (path := snapshot_path(data_dir, b)).is_file()}


def read_validators(data_dir: Path) -> dict[str, dict[str, str]]:
    path = data_dir / EVENTS_DIR / VALIDATORS_FILE
    if not path.is_file():
        return {}
    # A damaged file only costs one full fetch, so it is read as empty rather than stopping the run.
    try:
        stored = read_json_file(path).get("validators")
    except SnapshotError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {url: {k: v for k, v in values.items() if isinstance(v, str)}
            for url, values in stored.items() if isinstance(values, dict)}


def apply_outcome(feeds: dict[str, list[Event]], outcome: Outcome, now: datetime) -> dict:
    """Merge one outcome into its brigade's feeds and return its report row."""
    target, stored = outcome.target, feeds.get(outcome.target.key, [])
    before = sum(is_upcoming(e, now) for e in stored)
    removed = 0
    if outcome.status == "ok":
        feeds[target.key], removed = merge_feed(stored, outcome.events, now)
    kept = feeds.get(target.key, [])
    after = sum(is_upcoming(e, now) for e in kept)
    answered = outcome.status in ("ok", "not_modified")
    return {
        "brigade": target.brigade, "type": target.kind, "url" if target.kind == "ical" else "group": target.handle,
        "status": outcome.status, "reason": outcome.reason,
        "received": len(outcome.events) if outcome.status == "ok" else None,
        "stored": len(kept), "upcoming_before": before, "upcoming": after, "removed": removed,
        "skipped_count": len(outcome.skipped),
        "skipped_items": [{"item": s.item, "reason": s.reason} for s in outcome.skipped[:LISTED_SKIPS]],
        # A source that had upcoming events and now has none may have changed its API (coderdojo.jp #1845).
        "went_quiet": outcome.status == "ok" and before > 0 and after == 0,
        **silence(kept if answered and after == 0 else [], now),
    }


def silence(events: list[Event], now: datetime) -> dict:
    """How long a source with nothing coming has been quiet, against its usual gap between events.

    Its events are those kept in the snapshot, past ones included (they are never deleted): their days show the
    source's rhythm. Pass no events for a source with something coming, or one that did not answer.
    """
    days = sorted({start_key(e).date() for e in events if e.status != "cancelled"})
    if len(days) < RHYTHM_EVENTS:
        return {"silent": False, "days_since_last_event": None, "usual_gap_days": None}
    usual = statistics.median_low((b - a).days for a, b in zip(days, days[1:], strict=False))
    quiet = (now.date() - days[-1]).days
    return {"silent": quiet > max(SILENT_FACTOR * usual, SILENT_MIN_DAYS), "days_since_last_event": quiet,
            "usual_gap_days": usual}


def merge_outcomes(stored: Mapping[str, Mapping[str, list[Event]]], outcomes: Iterable[Outcome], now: datetime,
                   validators: Mapping[str, Mapping[str, str]]) -> Fetched:
    """Merge every outcome into a copy of the stored snapshots, in a fixed order, with the report of the run."""
    snapshots = {b: {k: list(v) for k, v in feeds.items()} for b, feeds in stored.items()}
    ordered = sorted(outcomes, key=lambda o: (o.target.brigade, o.target.key))
    rows = [apply_outcome(snapshots.setdefault(o.target.brigade, {}), o, now) for o in ordered]
    return Fetched(snapshots, render_report(rows, now), {url: dict(v) for url, v in sorted(validators.items())})


def render_report(rows: list[dict], now: datetime) -> dict:
    counts = Counter(row["status"] for row in rows)
    summary = {status: counts.get(status, 0) for status in ("ok", "not_modified", "failed", "skipped")}
    summary["went_quiet"] = sum(row["went_quiet"] for row in rows)
    summary["silent"] = sum(row["silent"] for row in rows)
    summary["skipped_items"] = sum(row["skipped_count"] for row in rows)
    return {"format": FORMAT_VERSION, "fetched_at": now.isoformat(timespec="seconds"),
            "summary": summary, "sources": rows}


def render_files(fetched: Fetched) -> dict[str, str | None]:
    """Every file under data/events/ a fetch run owns, as {name: text}; None means the file should not exist."""
    files: dict[str, str | None] = {}
    for brigade, feeds in sorted(fetched.snapshots.items()):
        files[f"{brigade}.json"] = render_snapshot(brigade, feeds) if any(feeds.values()) else None
    files[REPORT_FILE] = render_json(fetched.report)
    files[VALIDATORS_FILE] = render_json({"format": FORMAT_VERSION, "validators": fetched.validators})
    return files


def write_fetched(data_dir: Path, fetched: Fetched) -> list[Path]:
    """Write the files whose content changed, remove emptied snapshots; return the paths touched."""
    folder = data_dir / EVENTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    touched = []
    for name, text in render_files(fetched).items():
        path = folder / name
        if text is None and path.is_file():
            path.unlink()
            touched.append(path)
        elif text is not None and (not path.is_file() or path.read_text(encoding="utf-8") != text):
            path.write_text(text, encoding="utf-8")
            touched.append(path)
    return touched
