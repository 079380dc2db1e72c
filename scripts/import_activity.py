"""Read the dated evidence of activity (data/upstream/jp_activity_2026.csv) for each brigade's `activity:` list.

Each row becomes one entry, {date, finding, source}, in the file of every brigade it names, newest first;
scripts/import_brigades.py writes them. Dates keep the precision the CSV gives (YYYY, YYYY-MM or YYYY-MM-DD);
"ODD 2023", an Open Data Day registry entry of that year with no day, becomes the year "2023". A span of years
("2015–2019") is no one date, so that row is left out and reported.

The CSV marks groups that jp_brigades.csv lacks with "(missing from the 108)"; `missing_groups` lists them for
the brigade importer, which adds those shown active after 2021.

    python scripts/import_activity.py [--upstream data/upstream]    # print what would be attached to whom
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

UPSTREAM = Path(__file__).resolve().parent.parent / "data" / "upstream"
CSV_NAME = "jp_activity_2026.csv"
MISSING = re.compile(r"\s*\((?:not in|missing from) the 108\)\s*$")
ALIAS_IN_BRACKETS = re.compile(r"^(?P<name>.+?)\s*\((?P<alias>[^()]+)\)$")
# Where a row's date is not the brigade's own activity, the date its evidence shows for the brigade, and why.
DATE_CORRECTIONS = {
    ("Code for Chiba", "2026-03-07"): (
        "2022",
        "the CSV's date is Civic Tech Zen Chiba's Open Data Day 2026 event, whose link to Code for Chiba is not "
        "evidenced; the finding says no 2023+ event under this name was found, and its evidence's own row is the "
        "Open Data Day 2022 entry organised by Code for Chiba",
    ),
}


@dataclass(frozen=True)
class Group:
    """One group a row names: its names (the first is the one the directory uses) and whether the 108 lack it."""

    names: tuple[str, ...]
    missing: bool


@dataclass(frozen=True)
class Row:
    groups: tuple[Group, ...]
    csv_date: str  # as the CSV writes it
    date: str | None  # None: no single date (a span of years)
    finding: str
    source: str
    corrected: str = ""  # why the date differs from the CSV's, if it does

    def entry(self) -> dict:
        return {"date": self.date, "finding": self.finding, "source": self.source}


def groups(cell: str) -> tuple[Group, ...]:
    """'A; B (missing from the 108)' names two groups; 'シン稽古堂塾 / Code for Toyooka' one group with two names."""
    missing = bool(MISSING.search(cell))
    found = []
    for part in MISSING.sub("", cell).split("; "):
        names: list[str] = []
        for name in part.split(" / "):
            bracketed = ALIAS_IN_BRACKETS.match(name.strip())
            names += [bracketed["name"], bracketed["alias"]] if bracketed else [name.strip()]
        # The directory writes "Code for <place>" names as such: prefer that one (シン稽古堂塾 / Code for Toyooka).
        names.sort(key=lambda n: not re.match(r"(?i)code (?:for|4) ", n))
        found.append(Group(tuple(names), missing))
    return tuple(found)


def activity_date(text: str) -> str | None:
    text = text.strip()
    if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text):
        return text
    odd = re.fullmatch(r"ODD (\d{4})", text)
    if odd:
        return odd[1]
    if re.fullmatch(r"\d{4}[–-]\d{4}", text):
        return None
    raise ValueError(f"{CSV_NAME}: cannot read the date {text!r}; write YYYY, YYYY-MM, YYYY-MM-DD or 'ODD YYYY'")


def latest_year(text: str) -> int:
    """The latest year a date cell names: '2015–2019' is 2019."""
    return max(int(year) for year in re.findall(r"\d{4}", text))


def read_rows(upstream: Path) -> list[Row]:
    with (upstream / CSV_NAME).open(encoding="utf-8", newline="") as handle:
        return [convert(row) for row in csv.DictReader(handle)]


def convert(row: dict) -> Row:
    named = groups(row["brigade_name"])
    date = activity_date(row["date"])
    corrected = ""
    for group in named:
        if (group.names[0], row["date"]) in DATE_CORRECTIONS:
            date, corrected = DATE_CORRECTIONS[(group.names[0], row["date"])]
    return Row(named, row["date"], date, " ".join(row["finding"].split()), " ".join(row["evidence"].split()), corrected)


def activity_for(rows: list[Row], names: set[str]) -> list[dict]:
    """The entries of every dated row that names one of these names, newest first."""
    found = [row.entry() for row in rows if row.date and any(set(g.names) & names for g in row.groups)]
    return sorted(found, key=lambda entry: entry["date"], reverse=True)


def missing_groups(rows: list[Row]) -> dict[str, tuple[Group, int]]:
    """Each group the CSV marks as missing from the 108, by its first name, with the latest year it was seen."""
    found: dict[str, tuple[Group, int]] = {}
    for row in rows:
        for group in row.groups:
            if group.missing:
                _, before = found.get(group.names[0], (group, 0))
                found[group.names[0]] = (group, max(latest_year(row.csv_date), before))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", type=Path, default=UPSTREAM)
    args = parser.parse_args(argv)
    rows = read_rows(args.upstream)
    for row in rows:
        names = "; ".join(g.names[0] for g in row.groups)
        note = f" (corrected: {row.corrected})" if row.corrected else ""
        print(f"{row.date or 'left out, no single date'}\t{names}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
