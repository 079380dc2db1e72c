"""Tests of the real directory in brigades/: every researched brigade is there, valid and honestly sourced."""

from __future__ import annotations

import csv
import functools
import re

import yaml

from conftest import ROOT

UPSTREAM = ROOT / "data" / "upstream"
FILES = sorted(p for p in (ROOT / "brigades").glob("*.yml") if not p.name.startswith("_"))
MISSING = re.compile(r"\s*\((?:not in|missing from) the 108\)$")
# The brigades the site lists under 地域未記載 (no prefecture), and why no prefecture can be given. A new source that
# gives one of them a place fails test_brigades_without_a_prefecture_have_none_in_any_source: import it.
UNPLACED = {
    "code-for-nakano": "中野 is 中野区 (東京都) or 中野市 (長野県); only a Facebook page is known",
    "code-for-kyushu": "a federation of brigades across Kyushu (location.area: 九州)",
    "code-for-tokai": "the 東海 region, across prefectures (location.area: 東海地方); its one venue is no coverage",
    "code-for-election": "thematic", "code-for-cat": "thematic", "code-for-giin": "thematic",
    "code-for-npo": "thematic", "code-for-sake": "thematic", "code-for-youth": "thematic",
}


def _rows(name: str) -> list[dict]:
    with (UPSTREAM / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def _brigades() -> tuple[dict, ...]:
    """The real files as data, read once for all the tests here (about a second of PyYAML each time)."""
    return tuple(yaml.safe_load(p.read_text(encoding="utf-8")) for p in FILES)


def test_every_real_file_validates(brigadehub):
    result = brigadehub("validate")
    assert (result.returncode, result.stdout) == (0, f"ok: {len(FILES)} files checked\n")


def test_every_researched_brigade_has_a_file():
    names = {b["name"]["ja"] for b in _brigades()}
    rows = _rows("jp_brigades.csv")
    assert len(rows) == 108
    assert {row["name"] for row in rows} <= names
    # Groups the 2026 research shows active after 2021 that the 108 lack (jp_activity_2026.csv).
    assert {"Code for Kumamoto", "Code for Yamaguchi", "Code for SOKA", "Code for Hodogaya", "Code 4 Sasebo",
            "Code for Hamanako", "Code for Toyooka", "シビックテックさいたま"} <= names


def test_no_unconfirmed_entry_claims_to_be_alive():
    for brigade in _brigades():
        if "confirmed_on" not in brigade:
            assert brigade["status"] == "unknown", brigade["id"]


def test_every_coordinate_says_where_it_comes_from_and_none_claims_a_meeting_place():
    for brigade in _brigades():
        coordinates = (brigade.get("location") or {}).get("coordinates")
        if coordinates and "confirmed_on" not in brigade:
            assert coordinates["source"], brigade["id"]
            assert coordinates["precision"] in {"city", "prefecture"}, brigade["id"]


def test_every_event_source_group_was_seen_in_the_evidence():
    rows = _rows("jp_event_sources.csv") + _rows("jp_event_sources_2026.csv")
    seen = {(r["platform"], r["handle_or_url"].split()[0]) for r in rows}
    for brigade in _brigades():
        for source in brigade.get("event_sources", []):
            if "confirmed_on" not in brigade and "group" in source:
                assert (source["type"], source["group"]) in seen, brigade["id"]


def test_brigades_without_a_prefecture_have_none_in_any_source():
    """Every brigade under 地域未記載 is there because no source and not its name gives it a prefecture (issue 12)."""
    unplaced = {b["id"]: b for b in _brigades() if not (b.get("location") or {}).get("prefecture")}
    assert sorted(unplaced) == sorted(UNPLACED)
    names = {b["name"]["ja"] for b in unplaced.values()}
    for path in sorted(UPSTREAM.glob("*.csv")):
        rows = _rows(path.name)
        if rows and "prefecture" in rows[0]:
            for row in rows:
                name = MISSING.sub("", row.get("brigade_name") or row["name"])
                assert not (name in names and row["prefecture"]), f"{path.name} places {name}: import it"
    place_in_brackets = re.compile(r"[(（](?:東京都|北海道|(?:大阪|京都)府|\S{2,3}県)\S*?[市区町村][)）]")
    for row in _rows("jp_activity_2026.csv"):
        named = {n.strip() for n in MISSING.sub("", row["brigade_name"]).split(";")}
        assert not (named & names and place_in_brackets.search(row["finding"])), row["brigade_name"]
    for brigade in unplaced.values():
        thematic = brigade.get("scope") == "thematic"
        assert thematic == (UNPLACED[brigade["id"]] == "thematic"), brigade["id"]
        if "location.area" in UNPLACED[brigade["id"]]:
            assert brigade["location"]["area"] in UNPLACED[brigade["id"]]


def test_an_inferred_place_says_so_and_says_why():
    for brigade in _brigades():
        location = brigade.get("location") or {}
        inferred = [s for s in brigade["sources"] if s.startswith("place (inferred from the name): ")]
        assert bool(inferred) == (location.get("basis") == "inferred-from-name"), brigade["id"]
        if location.get("basis") == "inferred-from-name":
            assert location["coordinates"]["precision"] == ("city" if location.get("city") else "prefecture")


def test_every_place_from_the_2026_research_is_in_its_file_with_its_source():
    by_name = {b["name"]["ja"]: b for b in _brigades()}
    for row in _rows("jp_locations_2026.csv"):
        brigade = by_name.get(MISSING.sub("", row["brigade_name"]))
        location = brigade.get("location") or {}
        if row["prefecture"]:
            assert (location["prefecture"], location.get("basis", "evidence")) == (row["prefecture"], row["basis"])
            assert location.get("city") == (re.sub(r"\s*\(.*\)$", "", row["city"]) or None), brigade["id"]
        if row["prefecture"] or row["city"]:
            assert any(row["evidence_or_reasoning"] in s for s in brigade["sources"]), brigade["id"]


def test_every_english_city_name_is_imported():
    by_name = {b["name"]["ja"]: b for b in _brigades()}
    for row in _rows("jp_brigades.csv"):
        assert (by_name[row["name"]].get("location") or {}).get("city_en") == (row["city_en"] or None), row["name"]
