"""Turn the researched brigade list (data/upstream/jp_brigades.csv) into one brigades/<id>.yml per row.

Only facts from the CSV go in, each row's sources with them. Every status is `unknown`: the sources are
years old. Coordinates come from the CSV where it has them; elsewhere from the japancode package (a
city office, or the office of the prefecture's seat), marked `precision: city` or `prefecture`.

    python scripts/import_brigades.py [--out brigades] [--force]

Existing files are left alone unless --force is given, because brigades edit their own files.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from brigadehub.contrib import fmt  # noqa: E402
from brigadehub.core import japan  # noqa: E402

UPSTREAM = Path(__file__).resolve().parent.parent / "data" / "upstream"
CFJ_PAGE_DATE = "2018-07-30"  # Code for Japan's brigade page, as the CSV's README says
CFA_SOURCE = "Code for America brigade-information organizations.json (2023-02), via data/upstream/jp_brigades.csv"
JAPANCODE = "japancode 0.1.0 municipality data"
# Names with no Latin form in any source: ids chosen from the brigade's own handles.
ID_OVERRIDES = {"Code for 中野": "code-for-nakano", "Code for 選挙": "code-for-election"}
EVENT_PLATFORMS = {"connpass", "doorkeeper", "meetup"}
HEADER = fmt.SCHEMA_COMMENT + (
    "# Imported from data/upstream/jp_brigades.csv. Unverified: brigades, please correct this file.\n"
)


def brigade_id(row: dict) -> str:
    if row["name"] in ID_OVERRIDES:
        return ID_OVERRIDES[row["name"]]
    text = (row["name_en"] or row["name"]).lower().replace("+", " ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def handle(url: str, pattern: str) -> str | None:
    found = re.search(pattern, url)
    return found.group(1).rstrip("/") if found else None


def convert(row: dict, event_rows: list[dict]) -> dict:
    """Build one brigade file's data from a CSV row and the event-source rows that name it."""
    data: dict = {"id": brigade_id(row), "name": {"ja": row["name"]}}
    if row["name_en"]:
        data["name"]["en"] = row["name_en"]
    data["status"] = "unknown"
    if "thematic" in row["notes"]:
        data["scope"] = "thematic"
    location = convert_location(row)
    if location:
        data["location"] = location
    data["links"] = convert_links(row)
    sources = convert_event_sources(event_rows, data["links"])
    if sources:
        data["event_sources"] = sources
    if not data["links"]:
        del data["links"]
    if row["founded"]:
        data["founded"] = row["founded"]
    if row["cfj_status_2018"]:
        data["code_for_japan"] = {"status": row["cfj_status_2018"], "as_of": CFJ_PAGE_DATE}
    if row["notes"]:
        data["notes"] = row["notes"]
    data["sources"] = [s.strip() for s in row["source"].split(" ; ")] + [
        f"{r['platform']} '{r['handle_or_url'].split()[0]}': {r['evidence']} (seen {r['seen_date'] or 'undated'})"
        for r in event_rows if _event_handle(r)
    ]
    return data


def convert_location(row: dict) -> dict:
    location: dict = {}
    for key in ("prefecture", "city"):
        if row[key]:
            location[key] = row[key]
    own_words = row["area_ja"] and row["area_ja"] != row["prefecture"] + row["city"]
    if own_words:
        location["area"] = row["area_ja"]
    coordinates = convert_coordinates(row)
    if coordinates:
        location["coordinates"] = coordinates
    return location


def convert_coordinates(row: dict) -> dict | None:
    if row["lat"] and row["lon"]:
        # Code for America listed each brigade at its city, never at a meeting place.
        return {"lat": float(row["lat"]), "lon": float(row["lon"]), "precision": "city", "source": CFA_SOURCE}
    if not row["prefecture"]:
        return None
    city = re.sub(r"（.*?）", "", row["city"])
    # Towns and villages are listed without their district: 夕張郡栗山町 is 栗山町.
    town = japan.find_municipality(row["prefecture"], re.sub(r"^.+郡(?=.+[町村]$)", "", city)) if city else None
    if town:
        return {"lat": town.lat, "lon": town.lon, "precision": "city",
                "source": f"{JAPANCODE}: {town.name} office"}
    seat = japan.prefecture_seat(row["prefecture"])
    return {"lat": seat.lat, "lon": seat.lon, "precision": "prefecture",
            "source": f"{JAPANCODE}: {seat.name} office, the seat of {row['prefecture']}"}


def convert_links(row: dict) -> dict:
    links: dict = {}
    if row["website"]:
        links["website"] = row["website"]
    for key, column, pattern in (
        ("github", "github", r"github\.com/(.+)"),
        ("facebook", "facebook", r"facebook\.com/(.+)"),
        ("x", "twitter", r"twitter\.com/@?([A-Za-z0-9_]+)"),
        ("meetup", "events", r"meetup\.com/([A-Za-z0-9_-]+)"),
        ("doorkeeper", "events", r"https?://([a-z0-9_-]+)\.doorkeeper\.jp"),
    ):
        found = handle(row[column], pattern) if row[column] else None
        if found:
            links[key] = found
    other = alternative_links(row)
    if other:
        links["other"] = other
    return links


def alternative_links(row: dict) -> list[dict]:
    """Alternative addresses that the CSV's notes name ("alt website: …"), and non-platform event pages."""
    found = []
    for kind, urls in re.findall(r"alt (website|facebook|github): ([^;]+)", row["notes"]):
        for url in re.findall(r"https?://\S+", urls):
            found.append({"label": f"{kind} (alternative)", "url": url})
    if "facebook.com/groups/" in row["events"]:
        found.append({"label": "Facebook group (events)", "url": row["events"]})
    return found


def _event_handle(row: dict) -> str | None:
    words = row["handle_or_url"].split()
    if row["platform"] not in EVENT_PLATFORMS or not words or words[0].startswith(("(", "http")):
        return None  # a single event's page, not a group
    return words[0]


def convert_event_sources(rows: list[dict], links: dict) -> list[dict]:
    sources = []
    for row in rows:
        group = _event_handle(row)
        source = {"type": row["platform"], "group": group}
        if group and source not in sources:
            sources.append(source)
            links.setdefault(row["platform"], group)
    return sources


def render(data: dict, path: Path) -> str:
    # The canonical layout of `brigadehub fmt`, so that a re-import and `brigadehub fmt --check` agree.
    return fmt.render_data(data, HEADER, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("brigades"))
    parser.add_argument("--upstream", type=Path, default=UPSTREAM)
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")
    args = parser.parse_args(argv)
    rows = list(csv.DictReader((args.upstream / "jp_brigades.csv").open(encoding="utf-8")))
    events = list(csv.DictReader((args.upstream / "jp_event_sources.csv").open(encoding="utf-8")))
    names = {row["name"] for row in rows}
    written = 0
    for row in rows:
        path = args.out / f"{brigade_id(row)}.yml"
        if path.exists() and not args.force:
            continue
        path.write_text(render(convert(row, [e for e in events if e["brigade_name"] == row["name"]]), path), "utf-8")
        written += 1
    skipped = sorted({e["brigade_name"] for e in events} - names)
    print(f"wrote {written} of {len(rows)} files to {args.out}")
    print(f"event sources left out, their brigade is not in the list: {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
