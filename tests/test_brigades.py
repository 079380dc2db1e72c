"""Tests of the real directory in brigades/: every researched brigade is there, valid and honestly sourced."""

from __future__ import annotations

import csv
import functools
import subprocess
import sys

import yaml

from conftest import ROOT

UPSTREAM = ROOT / "data" / "upstream"
FILES = sorted(p for p in (ROOT / "brigades").glob("*.yml") if not p.name.startswith("_"))


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
    seen = {(r["platform"], r["handle_or_url"].split()[0]) for r in _rows("jp_event_sources.csv")}
    for brigade in _brigades():
        for source in brigade.get("event_sources", []):
            if "confirmed_on" not in brigade and "group" in source:
                assert (source["type"], source["group"]) in seen, brigade["id"]


def test_the_converter_can_be_run_again_and_gives_valid_files(tmp_path, brigadehub):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "import_brigades.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    written = sorted(p.name for p in tmp_path.glob("*.yml"))
    assert written == [p.name for p in FILES]
    result = brigadehub("validate", "--brigades", str(tmp_path))
    assert result.returncode == 0, result.stdout
    # It writes the layout of `brigadehub fmt`, so a re-import and `fmt --check` agree.
    assert brigadehub("fmt", "--check", str(tmp_path)).returncode == 0
