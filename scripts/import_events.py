"""Turn the researched archive of past events (data/upstream/jp_past_events.csv) into data/archive/events.json.

Every row goes in, with its date_basis and its evidence. A row's host is the brigade whose name.ja is exactly
the row's brigade_name; national events and hosts missing from brigades/ get no host and keep the name.

How much of each date is known (Event.precision), from date_basis (data/upstream/README.md):
    stated with a time -> time        stated date -> day         month -> month        year -> year
    assumed-open-data-day -> around (held near that year's Open Data Day, not necessarily on it)
    inferred -> day (or time) only when the quoted evidence states that day of the month ("27日", "3月20日",
                "5/2") and, for time, the clock time; otherwise month. The year or month was worked out, which
                date_basis still says.

    python scripts/import_events.py [--brigades brigades] [--out data/archive/events.json] [--check]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from brigadehub.core.model import TOKYO, Event, web_address  # noqa: E402
from brigadehub.events.clean import clean_line, strip_controls  # noqa: E402
from brigadehub.events.snapshot import render_archive  # noqa: E402
from brigadehub.events.sources import looks_online  # noqa: E402
from brigadehub.pipeline import check_folder, write_committed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CSV_FILE = ROOT / "data" / "upstream" / "jp_past_events.csv"
SOURCE = "data/upstream/jp_past_events.csv"
NATIONAL = " (national)"
BASIS_PRECISION = {"month": "month", "year": "year", "assumed-open-data-day": "around"}


def brigade_ids(folder: Path) -> dict[str, str]:
    """Map each brigade's name.ja to its id; the files must be valid."""
    checked = check_folder(folder)
    if checked.problems:
        raise SystemExit(f"{folder} has invalid brigade files; run: brigadehub validate")
    return {b.name.ja: b.id for b in checked.brigades}


def precision(row: dict) -> str:
    basis, start = row["date_basis"], row["start"]
    if basis == "stated":
        return "time" if "T" in start else "day"
    if basis == "inferred":
        return inferred_precision(start, row["evidence"])
    if basis not in BASIS_PRECISION:
        raise ValueError(f"unknown date_basis {basis!r}")
    return BASIS_PRECISION[basis]


def inferred_precision(start: str, evidence: str) -> str:
    """Trust an inferred date to the day only when the quoted source itself names that day."""
    day = date.fromisoformat(start[:10])
    names_day = re.search(rf"(?<!\d){day.day}日|(?<!\d){day.month}/{day.day}(?!\d)", evidence)
    if not names_day:
        return "month"
    if "T" in start and f"{int(start[11:13])}:{start[14:16]}" in evidence:
        return "time"
    return "day"


def times(row: dict, known: str) -> tuple[date | datetime, date | datetime | None, str]:
    """Start, end and precision; a timed start with a date-only end becomes a run of whole days."""
    start_text, end_text = row["start"], row["end"]
    if known == "time":
        start = datetime.fromisoformat(start_text).astimezone(TOKYO)
        if end_text and "T" not in end_text:
            return start.date(), date.fromisoformat(end_text), "day"
        return start, datetime.fromisoformat(end_text).astimezone(TOKYO) if end_text else None, known
    if known in {"day", "around"}:
        end = date.fromisoformat(end_text[:10]) if end_text else None
        return date.fromisoformat(start_text[:10]), end, known
    parts = [int(p) for p in start_text[:7].split("-")]
    return date(parts[0], parts[1] if known == "month" else 1, 1), None, known


def uid(row: dict) -> str:
    key = f"{row['brigade_name']}|{row['title']}|{row['start']}"
    return f"archive-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def convert(row: dict, ids: dict[str, str]) -> Event:
    name = row["brigade_name"]
    # National events and brigades missing from the directory get no host: never invent a brigade.
    host = None if name.endswith(NATIONAL) else ids.get(name)
    start, end, known = times(row, precision(row))
    place = clean_line(row["place"]) or None
    return Event(
        uid=uid(row), title=clean_line(row["title"], 400), start=start, end=end, source="archive",
        source_id=uid(row).removeprefix("archive-"), host=host, host_name=clean_line(name),
        place=place, online=looks_online(place), url=web_address(row["url"]), precision=known,
        evidence=strip_controls(row["evidence"]).strip(), date_basis=row["date_basis"],
    )


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def import_events(rows: list[dict], ids: dict[str, str]) -> list[Event]:
    events = [convert(row, ids) for row in rows]
    if len({e.uid for e in events}) != len(events):
        raise SystemExit("two rows share brigade_name, title and start; make them differ")
    return events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brigades", type=Path, default=ROOT / "brigades")
    parser.add_argument("--csv", type=Path, default=CSV_FILE)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "archive" / "events.json")
    parser.add_argument("--check", action="store_true", help="only say whether --out is up to date")
    args = parser.parse_args(argv)
    text = render_archive(import_events(read_rows(args.csv), brigade_ids(args.brigades)), SOURCE)
    current = write_committed(args.out, text, args.check)
    if args.check:
        print(f"{args.out} is {'up to date' if current else 'out of date; run scripts/import_events.py'}")
        return 0 if current else 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
