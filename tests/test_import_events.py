"""Tests for scripts/import_events.py and the committed archive it writes, data/archive/events.json."""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter

import pytest

from brigadehub.events.snapshot import read_archive
from conftest import ROOT

UPSTREAM = ROOT / "data" / "upstream" / "jp_past_events.csv"
ARCHIVE = ROOT / "data" / "archive" / "events.json"


def _load_importer():
    spec = importlib.util.spec_from_file_location("import_events", ROOT / "scripts" / "import_events.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


importer = _load_importer()


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with UPSTREAM.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def archived() -> dict[str, dict]:
    return {e["uid"]: e for e in json.loads(ARCHIVE.read_text(encoding="utf-8"))["events"]}


def _brigade_ids() -> dict[str, str]:
    return importer.brigade_ids(ROOT / "brigades")


def test_the_committed_archive_is_what_the_importer_writes_now(tmp_path, capsys):
    out = tmp_path / "events.json"
    assert importer.main(["--out", str(out)]) == 0
    assert out.read_bytes() == ARCHIVE.read_bytes()
    assert importer.main(["--out", str(ARCHIVE), "--check"]) == 0
    assert capsys.readouterr().out.endswith("is up to date\n")


def test_every_row_is_imported_once_with_its_date_basis_and_evidence(rows, archived):
    assert len(rows) == len(archived) == 526
    for row in rows:
        event = archived[importer.uid(row)]
        assert (event["date_basis"], event["evidence"]) == (row["date_basis"], row["evidence"].strip())
        assert event["title"] == " ".join(row["title"].split())  # "(planned)" and the like stay in the title
    assert Counter(e["date_basis"] for e in archived.values()) == {
        "stated": 303, "assumed-open-data-day": 182, "month": 32, "inferred": 8, "year": 1}


def test_no_event_is_attached_to_a_brigade_that_does_not_exist(rows, archived):
    ids = _brigade_ids()
    assert {e["host"] for e in archived.values()} - {None} <= set(ids.values())
    for row in rows:
        event = archived[importer.uid(row)]
        assert event["host"] == ids.get(row["brigade_name"]) or row["brigade_name"].endswith(" (national)")
        assert event["host_name"] == row["brigade_name"]


def test_national_events_and_hosts_outside_the_directory_have_no_host(rows, archived):
    national = [archived[importer.uid(r)] for r in rows if r["brigade_name"].endswith(" (national)")]
    assert len(national) == 31 and all(e["host"] is None for e in national)
    assert {e["host_name"] for e in national} == {
        "Code for Japan (national)", "International Open Data Day Japan (national)", "CIVIC TECH FORUM (national)"}
    fukui = [e for e in archived.values() if e["host_name"] == "Code for FUKUI"]
    assert len(fukui) == 6 and all(e["host"] is None for e in fukui)


def test_precision_follows_the_date_basis(archived):
    pairs = Counter((e["date_basis"], e["precision"]) for e in archived.values())
    assert pairs == {("assumed-open-data-day", "around"): 182, ("stated", "time"): 152, ("stated", "day"): 151,
                     ("month", "month"): 32, ("inferred", "day"): 7, ("inferred", "time"): 1, ("year", "year"): 1}
    for event in archived.values():
        assert ("T" in event["start"]) == (event["precision"] == "time")
        if event["precision"] in {"month", "year"}:
            assert event["start"].endswith("-01") and event["end"] is None


def test_an_inferred_date_is_exact_only_when_the_evidence_names_the_day():
    assert importer.inferred_precision("2016-03-27", '"…が27日(日)に…開催されました" (month inferred)') == "day"
    assert importer.inferred_precision("2018-03-20T19:20:00+09:00", '"3月20日(火)19:20より…"') == "time"
    assert importer.inferred_precision("2018-03-20T19:20:00+09:00", '"3月20日(火)の夜"') == "day"
    assert importer.inferred_precision("2015-05-02", '"5/2 Friday"') == "day"
    assert importer.inferred_precision("2015-05-02", '"held in early May" (year inferred)') == "month"
    assert importer.inferred_precision("2015-05-02", '"12日に…"') == "month"  # 12日 does not name the 2nd


def test_a_timed_start_with_a_date_only_end_becomes_whole_days(rows, archived):
    [row] = [r for r in rows if r["start"].startswith("2022-09-23T") and r["end"] == "2022-09-24"]
    event = archived[importer.uid(row)]
    assert (event["start"], event["end"], event["precision"]) == ("2022-09-23", "2022-09-24", "day")


def test_only_web_addresses_are_kept_and_the_archive_reads_back(archived):
    assert all(e["url"] is None or e["url"].startswith(("http://", "https://")) for e in archived.values())
    assert sum(e["url"] is None for e in archived.values()) == 68  # 67 empty cells and 'codeforniigata.org/'
    events = read_archive(ARCHIVE)
    assert len(events) == 526 and sum(e.exact for e in events) == 311
    assert len({e.uid for e in events}) == 526
