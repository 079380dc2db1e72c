"""Tests for scripts/import_brigades.py and import_activity.py: the committed brigades/ is what they write."""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import re
import sys

import pytest
import yaml

from conftest import ROOT

UPSTREAM = ROOT / "data" / "upstream"
FILES = sorted(p for p in (ROOT / "brigades").glob("*.yml") if not p.name.startswith("_"))


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


importer = _load("import_brigades")
activity_importer = sys.modules["import_activity"]


def _rows(name: str) -> list[dict]:
    with (UPSTREAM / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple:
    """Run the importer once into an empty folder; return the folder and what it printed."""
    out = tmp_path_factory.mktemp("brigades")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert importer.main(["--out", str(out)]) == 0
    return out, printed.getvalue()


@pytest.fixture(scope="module")
def committed() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in FILES}


def test_the_committed_files_are_what_the_importer_writes_now(imported, committed):
    out, _ = imported
    assert sorted(p.name for p in out.glob("*.yml")) == [p.name for p in FILES]
    for path in FILES:
        # A brigade that confirmed its entry owns its file from then on; the importer's copy may differ.
        if "confirmed_on" not in committed[path.stem]:
            assert (out / path.name).read_bytes() == path.read_bytes(), f"run: python scripts/import_brigades.py " \
                                                                        f"--force ({path.name} differs)"


def test_what_it_writes_is_valid_and_canonical(imported, brigadehub):
    out, _ = imported
    assert brigadehub("validate", "--brigades", str(out)).returncode == 0
    assert brigadehub("fmt", "--check", str(out)).returncode == 0


def test_the_report_gives_field_value_basis_and_source_for_each_fact(imported):
    _, printed = imported
    lines = printed.splitlines()
    assert "  code-for-sendai\tlocation.city\t仙台市\tinferred-from-name\t'Sendai' today names only 仙台市 (宮城県) " \
           "(the former Kagoshima 川内市 became 薩摩川内市 in 2004); website code4s…" in lines
    assert any(line.startswith("  code-for-adachi\tlocation.city\t足立区\tevidence\thttps://www.city.adachi.tokyo.jp/")
               for line in lines)
    assert any(line.startswith("  code-for-kanazawa\tlocation.city_en\tKanazawa\tevidence\t") for line in lines)
    assert any(line.startswith("  code-for-yamanashi\tlocation.coordinates\t") and "\tprecision prefecture\t" in line
               for line in lines)
    assert "  no prefecture: code-for-nakano: the name is ambiguous: 東京都中野区 or 長野県中野市" in lines
    assert [line for line in lines if line.startswith("summary: ")] == [
        "summary: (new brigade): 8; activity: 38; location.city (evidence): 7; location.city (inferred-from-name): 8;"
        " location.city_en: 21; location.coordinates (precision city): 13; location.coordinates (precision "
        "prefecture): 6; location.prefecture (evidence): 8; location.prefecture (inferred-from-name): 11"]


@pytest.mark.parametrize(("word", "places"), [
    ("Sendai", [("宮城県", "仙台市")]),             # 薩摩川内市 is satsumasendai, not sendai
    ("SUITA", [("大阪府", "吹田市")]),
    ("Chofu", [("東京都", "調布市")]),               # ちょうふ: long vowels are compared loosely
    ("Toyooka", [("長野県", "豊丘村"), ("兵庫県", "豊岡市")]),
    ("中野", [("東京都", "中野区"), ("長野県", "中野市")]),
    ("Yamanashi", [("山梨県", None), ("山梨県", "山梨市")]),
    ("さいたま", [("埼玉県", None), ("埼玉県", "さいたま市")]),
    ("トヤマ", [("富山県", None), ("富山県", "富山市")]),
    ("Hodogaya", [("神奈川県", "横浜市保土ケ谷区")]),  # wards count: they are on japancode's list
    ("Gumyoji", []),                                # a district (弘明寺), not a municipality
])
def test_a_word_names_the_places_japancode_knows_by_kanji_kana_or_romaji(word, places):
    assert importer.places_named(word) == places


@pytest.mark.parametrize(("written", "key"), [
    ("Tōkyō", "tokyo"), ("Toukyou", "tokyo"), ("Tohkatsu", "tokatsu"), ("Tohoku", "tohoku"), ("Namba", "nanba"),
    ("Kusatsu City", "kusatsucity"), ("SUITA", "suita"), ("suouoshima", "suoshima"),
])
def test_romaji_is_compared_loosely(written, key):
    assert importer.latin_key(written) == key


def test_the_name_rule_agrees_with_the_research_wherever_the_name_names_a_municipality():
    """The research's own inferences (jp_locations_2026.csv) follow the same rule, except for a district name."""
    for row in _rows("jp_locations_2026.csv"):
        if row["basis"] != "inferred-from-name":
            continue
        name = activity_importer.MISSING.sub("", row["brigade_name"])
        place = importer.place_from_name({"name": name, "name_en": ""}, None)
        got = (place.prefecture, place.city) if place else (None, None)
        # 双葉郡浪江町 is japancode's 浪江町.
        research = (row["prefecture"] or None, re.sub(r"^.+郡", "", row["city"]) or None)
        if name == "Code for Gumyoji":  # 弘明寺 is a district of 横浜市南区: the research judged from the domain
            assert (got, research) == ((None, None), ("神奈川県", "横浜市"))
        else:
            assert got == research, name


def test_a_name_that_names_a_town_elsewhere_takes_the_one_in_its_prefecture():
    place = importer.place_from_name({"name": "Code for Kanazawa", "name_en": ""}, "石川県")
    assert (place.prefecture, place.city, place.basis) == ("石川県", "金沢市", "inferred-from-name")
    assert "横浜市金沢区" in place.source  # the other 金沢 is named, so a reader sees why it was set aside


def test_every_activity_row_is_in_the_files_of_the_brigades_it_names(committed):
    by_name = {b["name"]["ja"]: b for b in committed.values()}
    rows = activity_importer.read_rows(UPSTREAM)
    assert len(rows) == 37
    attached = 0
    for row in rows:
        for group in row.groups:
            brigade = by_name.get(group.names[0])
            if row.date is None or brigade is None:
                assert row.csv_date == "2015–2019" and group.missing, group
                continue
            assert row.entry() in brigade["activity"], group.names[0]
            attached += 1
    assert attached == sum(len(b.get("activity", [])) for b in committed.values()) == 38


@pytest.mark.parametrize(("text", "date"), [
    ("2025-12-09", "2025-12-09"), ("2025-05", "2025-05"), ("2023", "2023"), ("ODD 2023", "2023"),
    ("2015–2019", None),
])
def test_activity_dates_keep_the_precision_the_source_gives(text, date):
    assert activity_importer.activity_date(text) == date


def test_an_activity_date_that_is_another_groups_is_corrected_and_reported(committed, imported):
    chiba = committed["code-for-chiba"]["activity"]
    assert [entry["date"] for entry in chiba] == ["2022"]  # the CSV's 2026-03-07 is Civic Tech Zen Chiba's event
    assert "\n  activity date of Code for Chiba: 2026-03-07 -> 2022: the CSV's date is Civic Tech Zen Chiba's" \
           in imported[1]


def test_groups_marked_missing_from_the_108_and_active_after_2021_are_added_with_their_sources(committed):
    listed = {row["name"] for row in _rows("jp_brigades.csv")}
    new = {b["id"]: b for b in committed.values() if b["name"]["ja"] not in listed}
    assert sorted(new) == ["civic-tech-saitama", "code-4-sasebo", "code-for-hamanako", "code-for-hodogaya",
                           "code-for-kumamoto", "code-for-soka", "code-for-toyooka", "code-for-yamaguchi"]
    for brigade in new.values():
        assert brigade["status"] == "unknown" and brigade["activity"] and brigade["sources"]
        assert brigade["activity"][0]["date"] >= "2022"
    assert new["code-for-yamaguchi"]["event_sources"] == [{"type": "connpass", "group": "code-for-yamaguchi"}]
    assert all("event_sources" not in b for i, b in new.items() if i != "code-for-yamaguchi")
    assert new["code-for-toyooka"]["notes"] == "also called シン稽古堂塾"
