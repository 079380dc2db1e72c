"""Tests for exports.py: the open data files, their versions, and cells a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest

from brigadehub.core.model import Brigade
from brigadehub.site import exports

EXAMPLE = {
    "id": "code-for-example", "name": {"ja": "=HYPERLINK(\"https://evil.example\")", "en": "Code for Example"},
    "status": "active",
    "location": {"prefecture": "石川県", "coordinates": {"lat": 36.5, "lon": 136.6, "precision": "city"}},
    "events": [{"title": "定例会", "start": "2026-12-12T14:00:00+09:00"}], "sources": ["a test fixture"],
}


def _brigade() -> Brigade:
    return Brigade.model_validate(EXAMPLE)


def test_json_has_version_licence_and_the_region_but_not_hand_kept_events():
    data = json.loads(exports.render_json([_brigade()], "https://example.org/"))
    record = data["brigades"][0]
    assert (data["version"], data["count"]) == (1, 1)
    assert record["location"]["region"] == "chubu" and record["location"]["prefecture_code"] == "17"
    assert "events" not in record and record["page_url"] == "https://example.org/brigades/code-for-example/"


def test_geojson_points_are_longitude_first():
    data = json.loads(exports.render_geojson([_brigade()], "https://example.org/"))
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [136.6, 36.5]}


def test_csv_defuses_formulas_and_starts_with_a_byte_order_mark():
    raw = exports.render_csv([_brigade()], "https://example.org/")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["name_ja"] == "'=HYPERLINK(\"https://evil.example\")"
    assert rows[0]["region"] == "chubu"


def test_the_published_schema_accepts_the_published_records_own_source():
    schema = json.loads(exports.render_schema())
    jsonschema.Draft202012Validator(schema).validate(EXAMPLE)


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_defused(value):
    assert exports.csv_cell(value) == "'" + value
