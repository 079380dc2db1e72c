"""Turn the researched brigade lists (data/upstream/) into one brigades/<id>.yml per brigade, and say what it filled.

Only facts from the CSVs go in, each with its source. Every status is `unknown`: the sources are years old.

- jp_brigades.csv: the 108 brigades, their links and places, city_en (as location.city_en).
- jp_event_sources.csv, jp_event_sources_2026.csv: connpass, Doorkeeper and Meetup groups that a source showed.
- jp_locations_2026.csv: places for brigades that jp_brigades.csv leaves without one, each with its basis:
  `evidence` (a source states it, or events show the venue) or `inferred-from-name`.
- Where no source gives a city, the brigade's name may: when it names exactly one municipality (or ward) of
  core/japan.py's list, by kanji, kana or romaji (Code for Sendai: 仙台市 alone), the place is filled and marked
  `basis: inferred-from-name`; when it names a prefecture and a town of the same name (Code for Yamanashi) only
  the prefecture is; when it names several (Code for 中野: 中野区 or 中野市), nothing is.
- jp_activity_2026.csv (through import_activity.py): each brigade's `activity:`, and the groups it marks as
  missing from the 108 that were active after 2021, added as brigades of their own.

Coordinates come from jp_brigades.csv where it has them; elsewhere from the japancode package (a city office, or
the office of the prefecture's seat), marked `precision: city` or `prefecture`.

    python scripts/import_brigades.py [--out brigades] [--force]

Existing files are left alone unless --force is given, because brigades edit their own files.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import import_activity  # noqa: E402
from brigadehub.contrib import fmt  # noqa: E402
from brigadehub.core import japan  # noqa: E402

UPSTREAM = Path(__file__).resolve().parent.parent / "data" / "upstream"
EVENT_SOURCE_FILES = ("jp_event_sources.csv", "jp_event_sources_2026.csv")
CFJ_PAGE_DATE = "2018-07-30"  # Code for Japan's brigade page, as the CSV's README says
CFA_SOURCE = "Code for America brigade-information organizations.json (2023-02), via data/upstream/jp_brigades.csv"
JAPANCODE = "japancode 0.1.0 municipality data"
# Names with no Latin form in any source: ids chosen from the brigade's own handles.
ID_OVERRIDES = {"Code for 中野": "code-for-nakano", "Code for 選挙": "code-for-election"}
# English names of groups missing from the 108, as their sources write them.
NAMES_EN = {
    # Open Data Day 2026 registry row: organisers "シビックテックさいたま/Civic Tech Saitama" (jp_activity_2026.csv)
    "シビックテックさいたま": "Civic Tech Saitama",
}
EVENT_PLATFORMS = {"connpass", "doorkeeper", "meetup"}
# Open Data Day's registry began in 2014; groups last seen before 2022 are not taken as active after 2021.
ACTIVE_SINCE = 2022
HEADER = fmt.SCHEMA_COMMENT + (
    "# Imported from data/upstream/jp_brigades.csv. Unverified: brigades, please correct this file.\n"
)
NEW_HEADER = fmt.SCHEMA_COMMENT + (
    "# Imported from data/upstream/jp_activity_2026.csv, a group that jp_brigades.csv lacks. Unverified: brigades,"
    " please correct this file.\n"
)
BASIS_WORDS = {"evidence": "evidence", "inferred-from-name": "inferred from the name"}


@dataclass
class Upstream:
    """Every researched file, read once."""

    brigades: list[dict]
    event_sources: list[dict]
    locations: dict[str, dict]
    activity: list[import_activity.Row]

    @classmethod
    def read(cls, folder: Path) -> Upstream:
        event_sources = [row for name in EVENT_SOURCE_FILES for row in _read_csv(folder / name)]
        for row in event_sources:
            row["brigade_name"] = import_activity.MISSING.sub("", row["brigade_name"])
        locations = {import_activity.MISSING.sub("", row["brigade_name"]): row
                     for row in _read_csv(folder / "jp_locations_2026.csv")}
        return cls(_read_csv(folder / "jp_brigades.csv"), event_sources, locations,
                   import_activity.read_rows(folder))


@dataclass(frozen=True)
class Filled:
    """One fact the importer added beyond jp_brigades.csv's own columns, for the report."""

    brigade: str
    field: str
    value: str
    basis: str
    source: str


@dataclass
class Report:
    filled: list[Filled] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, brigade: str, name: str, value: object, basis: str, source: str) -> None:
        self.filled.append(Filled(brigade, name, str(value), basis, source))


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def brigade_id(row: dict) -> str:
    if row["name"] in ID_OVERRIDES:
        return ID_OVERRIDES[row["name"]]
    text = (row["name_en"] or row["name"]).lower().replace("+", " ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def handle(url: str, pattern: str) -> str | None:
    found = re.search(pattern, url)
    return found.group(1).rstrip("/") if found else None


# --- one brigade ---------------------------------------------------------------------------------------------


def convert(row: dict, event_rows: list[dict], upstream: Upstream, report: Report) -> dict:
    """Build one brigade file's data from a CSV row, the event-source rows that name it and the 2026 research."""
    data: dict = {"id": brigade_id(row), "name": {"ja": row["name"]}}
    if row["name_en"]:
        data["name"]["en"] = row["name_en"]
    data["status"] = "unknown"
    if "thematic" in row["notes"]:
        data["scope"] = "thematic"
    sources = [s.strip() for s in row["source"].split(" ; ") if s.strip()]
    location = convert_location(row, upstream, sources, Reporter(report, data["id"]))
    if location:
        data["location"] = location
    data["links"] = convert_links(row)
    event_sources = convert_event_sources(event_rows, data["links"])
    if event_sources:
        data["event_sources"] = event_sources
    if not data["links"]:
        del data["links"]
    if row["founded"]:
        data["founded"] = row["founded"]
    if row["cfj_status_2018"]:
        data["code_for_japan"] = {"status": row["cfj_status_2018"], "as_of": CFJ_PAGE_DATE}
    activity = convert_activity(row, upstream, Reporter(report, data["id"]))
    if activity:
        data["activity"] = activity
    if row["notes"]:
        data["notes"] = row["notes"]
    data["sources"] = sources + [
        f"{r['platform']} '{r['handle_or_url'].split()[0]}': {r['evidence']} (seen {r['seen_date'] or 'undated'})"
        for r in event_rows if _event_handle(r) or _page_link(r)
    ]
    return data


@dataclass(frozen=True)
class Reporter:
    """The report, for one brigade."""

    report: Report
    brigade: str

    def __call__(self, name: str, value: object, basis: str, source: str) -> None:
        self.report.add(self.brigade, name, value, basis, source)


def convert_activity(row: dict, upstream: Upstream, say: Reporter) -> list[dict]:
    activity = import_activity.activity_for(upstream.activity, {row["name"]})
    for entry in activity:
        say("activity", f"{entry['date']} {entry['finding']}", "evidence", entry["source"])
    return activity


def convert_location(row: dict, upstream: Upstream, sources: list[str], say: Reporter) -> dict:
    location: dict = {}
    for key in ("prefecture", "city"):
        if row[key]:
            location[key] = row[key]
    if row["city_en"]:
        location["city_en"] = row["city_en"]
        say("location.city_en", row["city_en"], "evidence", row["source"])
    own_words = row["area_ja"] and row["area_ja"] != row["prefecture"] + row["city"]
    if own_words:
        location["area"] = row["area_ja"]
    place = find_place(row, upstream) if "thematic" not in row["notes"] else None
    if place:
        fill_place(location, place, sources, say)
    coordinates = convert_coordinates(location, row)
    if coordinates:
        location["coordinates"] = coordinates
        if place and place.prefecture and not (row["lat"] and row["lon"]):
            say("location.coordinates", f"{coordinates['lat']}, {coordinates['lon']}",
                f"precision {coordinates['precision']}", coordinates["source"])
    return location


def fill_place(location: dict, place: Place, sources: list[str], say: Reporter) -> None:
    for key in ("prefecture", "city", "area"):
        value = getattr(place, key)
        if value and not location.get(key):
            location[key] = value
            say(f"location.{key}", value, place.basis, place.source)
    if place.basis != "evidence":
        location["basis"] = place.basis
    sources.append(f"place ({BASIS_WORDS[place.basis]}): {place.source}")


def convert_coordinates(location: dict, row: dict) -> dict | None:
    if row["lat"] and row["lon"]:
        # Code for America listed each brigade at its city, never at a meeting place.
        return {"lat": float(row["lat"]), "lon": float(row["lon"]), "precision": "city", "source": CFA_SOURCE}
    prefecture = location.get("prefecture")
    if not prefecture:
        return None
    city = re.sub(r"（.*?）", "", location.get("city", ""))
    # Towns and villages are listed without their district: 夕張郡栗山町 is 栗山町.
    town = japan.find_municipality(prefecture, re.sub(r"^.+郡(?=.+[町村]$)", "", city)) if city else None
    if town:
        return {"lat": town.lat, "lon": town.lon, "precision": "city",
                "source": f"{JAPANCODE}: {town.name} office"}
    seat = japan.prefecture_seat(prefecture)
    return {"lat": seat.lat, "lon": seat.lon, "precision": "prefecture",
            "source": f"{JAPANCODE}: {seat.name} office, the seat of {prefecture}"}


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


def _page_link(row: dict) -> str | None:
    """A Facebook page that a group missing from the 108 gave as its event's address (Code for Hamanako)."""
    url = row["handle_or_url"].strip()
    page = re.fullmatch(r"https://www\.facebook\.com/[\w.]+/", url)
    return url if row.get("missing") and row["platform"] == "facebook" and page else None


def convert_event_sources(rows: list[dict], links: dict) -> list[dict]:
    sources = []
    for row in rows:
        group = _event_handle(row)
        source = {"type": row["platform"], "group": group}
        if group and source not in sources:
            sources.append(source)
            links.setdefault(row["platform"], group)
        page = _page_link(row)
        if page:
            label = f"Facebook page named by its {row['seen_date'].split(' (')[0]} event"
            links.setdefault("other", []).append({"label": label, "url": page})
    return sources


# --- places --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a brigade works, how that is known, and the one line that says so in sources:."""

    prefecture: str | None
    city: str | None
    basis: str  # evidence | inferred-from-name
    source: str
    area: str | None = None


def find_place(row: dict, upstream: Upstream) -> Place | None:
    """The place the 2026 research or the name gives a brigade whose jp_brigades.csv row has no city."""
    if row["city"]:
        return None
    researched = upstream.locations.get(row["name"])
    if researched and row["prefecture"]:
        raise SystemExit(f"jp_locations_2026.csv gives {row['name']!r} a place, but jp_brigades.csv has one")
    if researched:
        return researched_place(researched)
    return place_in_finding(row["name"], upstream) or place_from_name(row, row["prefecture"] or None)


def researched_place(row: dict) -> Place | None:
    """A jp_locations_2026.csv row; its city cell may add a note in brackets: '湖西市 (浜名湖 area)'."""
    city = re.sub(r"\s*\(.*\)$", "", row["city"]).strip() or None
    if not row["prefecture"]:
        # A region across prefectures (九州, 東海地方) is an area; an empty row is an ambiguous name.
        return Place(None, None, "evidence", row["evidence_or_reasoning"], area=city) if city else None
    return Place(row["prefecture"], city, row["basis"], row["evidence_or_reasoning"])


def place_in_finding(name: str, upstream: Upstream) -> Place | None:
    """A municipality that jp_activity_2026.csv's finding names for a group, as in '(兵庫県豊岡市)'."""
    prefectures = "|".join(japan.prefecture_names())
    for row in upstream.activity:
        if not any(name in group.names for group in row.groups):
            continue
        found = re.search(rf"[(（](?P<prefecture>{prefectures})(?P<city>[^()（）、,\s]+?[市区町村])[)）]", row.finding)
        if found and japan.find_municipality(found["prefecture"], found["city"]):
            return Place(found["prefecture"], found["city"], "evidence", f"{row.finding}: {row.source}")
    return None


def place_from_name(row: dict, prefecture: str | None) -> Place | None:
    """Fill what the name alone says: one municipality, or a prefecture and a town of its name."""
    words, found = places_in_name(row)
    within = [p for p in found if not prefecture or p[0] == prefecture]
    prefectures = {p[0] for p in within}
    if len(prefectures) != 1:
        return None
    (inferred,) = prefectures
    city = within[0][1] if len(within) == 1 else None
    if not city and prefecture:
        return None  # nothing new: the sources give the prefecture, and the name no single city
    return Place(inferred, city, "inferred-from-name", name_reason(words, found, inferred, city, prefecture))


def name_reason(words: set[str], found: list, prefecture: str, city: str | None, given: str | None) -> str:
    named = ", ".join(f"{c or p}" + (f" ({p})" if c else "") for p, c in found)
    said = " or ".join(repr(w) for w in sorted(words))
    if city and given and len(found) > 1:
        return f"the name's {said} names {named}; in {given}, which its sources give, only {city} ({JAPANCODE})"
    if city:
        return f"the name's {said} names only {city} ({prefecture}) ({JAPANCODE})"
    return f"the name's {said} names {named}: the prefecture is certain, the city is not ({JAPANCODE})"


def unplaced_reason(row: dict, data: dict) -> str:
    """Why a brigade is left without a prefecture (the site lists it under 地域未記載)."""
    if data.get("scope") == "thematic":
        return "thematic, no place"
    area = data.get("location", {}).get("area")
    if area:
        return f"its area, {area}, spans several prefectures (location.area)"
    _, named = places_in_name(row)
    if named:
        return "the name is ambiguous: " + " or ".join(f"{p}{c or ''}" for p, c in named)
    return "no source and no name gives a place"


# --- which places a word names -------------------------------------------------------------------------------

NAME_PREFIX = re.compile(r"^(?:code\s*(?:for|4)|コード・?フォー・?|civic\s*tech|シビックテック)\s*", re.IGNORECASE)


def places_in_name(row: dict) -> tuple[set[str], list[tuple[str, str | None]]]:
    """The place words of a brigade's names (Japanese and English) and every place they name, in order."""
    words = {w for w in (place_word(row["name"]), place_word(row["name_en"])) if w}
    return words, sorted({p for word in words for p in places_named(word)}, key=lambda p: (p[0], p[1] or ""))


def place_word(name: str) -> str | None:
    """The place in a brigade's name: 'Code for Sendai' -> 'Sendai', 'コード・フォー・トヤマシティ' -> 'トヤマ'."""
    found = NAME_PREFIX.match(name)
    if not found:
        return None
    word = re.sub(r"（.*?）|\(.*?\)", "", name[found.end():]).strip()
    return re.sub(r"(?i)\s*(?:city|シティ)$", "", word) or None


def latin_key(text: str) -> str:
    """Romaji compared loosely: Tōkyō, Toukyou, Tohkyo and Tokyo alike; Namba and Nanba alike."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if "a" <= c <= "z")
    text = re.sub(r"m(?=[bmp])", "n", text)
    text = re.sub(r"oh(?![aeiouy])", "o", text)  # Tohkatsu, Ohno; not Tohoku
    while True:
        shorter = text.replace("ou", "o").replace("oo", "o").replace("uu", "u")
        if shorter == text:
            return text
        text = shorter


def _hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text).replace("ー", "")


@cache
def _place_keys() -> tuple[tuple[tuple[str, str | None], frozenset[str]], ...]:
    """Every prefecture and municipality (wards too) as ((prefecture, city or None), the keys that name it)."""
    keys = []
    for prefecture in japan.prefectures():
        stem = prefecture.name if prefecture.name == "北海道" else prefecture.name[:-1]
        kana = re.sub("(けん|と|ふ)$", "", prefecture.kana) if stem != prefecture.name else prefecture.kana
        keys.append(((prefecture.name, None), frozenset({stem, kana, latin_key(prefecture.name_en),
                                                         latin_key(japan.plain_romaji(kana))})))
    for town in japan.municipalities():
        name, kana = town.name.split(" ")[-1], town.kana.split(" ")[-1]
        stems = {kana.removesuffix(k) for k in japan.KANA_SUFFIXES.get(name[-1], ()) if kana.endswith(k) and kana != k}
        keys.append(((town.prefecture, town.label), frozenset({name[:-1], *stems, latin_key(town.romaji)})))
    return tuple(keys)


def places_named(word: str) -> list[tuple[str, str | None]]:
    """The prefectures and municipalities a word names, by kanji, kana or romaji ('Sendai': 宮城県仙台市)."""
    wanted = {word, _hiragana(word), latin_key(word)} - {""}
    return [place for place, keys in _place_keys() if wanted & keys]


# --- groups the 108 lack -------------------------------------------------------------------------------------


def missing_rows(upstream: Upstream, report: Report) -> list[dict]:
    """A jp_brigades.csv-shaped row for each group the 2026 research shows active after 2021 that the 108 lack."""
    known = {row["name"] for row in upstream.brigades}
    rows = []
    for name, (group, year) in import_activity.missing_groups(upstream.activity).items():
        if name in known:
            raise SystemExit(f"jp_activity_2026.csv marks {name!r} as missing, but jp_brigades.csv has it")
        if year < ACTIVE_SINCE:
            report.notes.append(f"not added, last seen {year}: {name}")
            continue
        latin = re.fullmatch(r"[\x20-\x7e]+", name)
        aliases = [n for n in group.names[1:]]
        rows.append({**dict.fromkeys(upstream.brigades[0], ""), "name": name,
                     "name_en": NAMES_EN.get(name, name if latin else ""),
                     "notes": f"also called {', '.join(aliases)}" if aliases else "",
                     "source": " ; ".join(r.source for r in upstream.activity
                                          if any(g.names[0] == name for g in r.groups))})
    return rows


# --- writing -------------------------------------------------------------------------------------------------


def plan(upstream: Upstream) -> tuple[list[tuple[dict, str]], Report]:
    """Every brigade's data with the header its file opens with, and the report of what was filled."""
    report = Report()
    new = missing_rows(upstream, report)
    planned = []
    for row in upstream.brigades + new:
        event_rows = [{**e, "missing": row in new} for e in upstream.event_sources if e["brigade_name"] == row["name"]]
        data = convert(row, event_rows, upstream, report)
        if row in new:
            report.add(data["id"], "(new brigade)", row["name"], "evidence", row["source"])
        if not data.get("location", {}).get("prefecture"):
            report.notes.append(f"no prefecture: {data['id']}: {unplaced_reason(row, data)}")
        planned.append((data, NEW_HEADER if row in new else HEADER))
    return planned, report


def render(data: dict, path: Path, header: str = HEADER) -> str:
    # The canonical layout of `brigadehub fmt`, so that a re-import and `brigadehub fmt --check` agree.
    return fmt.render_data(data, header, path)


def print_report(report: Report, upstream: Upstream) -> None:
    print("filled (brigade, field, value, basis, source):")
    for fact in report.filled:
        source = fact.source if len(fact.source) <= 100 else fact.source[:99] + "…"
        print(f"  {fact.brigade}\t{fact.field}\t{fact.value}\t{fact.basis}\t{source}")
    for note in report.notes:
        print(f"  {note}")
    for row in upstream.activity:
        if row.corrected:
            print(f"  activity date of {row.groups[0].names[0]}: {row.csv_date} -> {row.date}: {row.corrected}")
    counts: dict[str, int] = {}
    for fact in report.filled:
        key = fact.field if fact.field.startswith(("location.city_en", "activity", "(new")) else \
            f"{fact.field} ({fact.basis})"
        counts[key] = counts.get(key, 0) + 1
    print("summary: " + "; ".join(f"{key}: {n}" for key, n in sorted(counts.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("brigades"))
    parser.add_argument("--upstream", type=Path, default=UPSTREAM)
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")
    args = parser.parse_args(argv)
    upstream = Upstream.read(args.upstream)
    planned, report = plan(upstream)
    written = 0
    for data, header in planned:
        path = args.out / f"{data['id']}.yml"
        if path.exists() and not args.force:
            continue
        path.write_text(render(data, path, header), "utf-8")
        written += 1
    print_report(report, upstream)
    names = {data["name"]["ja"] for data, _ in planned}
    skipped = sorted({e["brigade_name"] for e in upstream.event_sources} - names)
    print(f"wrote {written} of {len(planned)} files to {args.out}")
    print(f"event sources left out, their brigade is not in the list: {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
