"""Read and render the committed event files: data/events/<brigade-id>.json and data/archive/events.json."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path

from brigadehub.core.model import TOKYO, Event

FORMAT_VERSION = 1
EVENTS_DIR = "events"
ARCHIVE_FILE = Path("archive") / "events.json"
REPORT_FILE = "_report.json"
VALIDATORS_FILE = "_validators.json"
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
