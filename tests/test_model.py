"""Tests for model.py: brigades/schema.json is generated from the model and agrees with it on real files."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from brigadehub.core.load import parse
from brigadehub.core.model import web_address
from conftest import DATA, ROOT

SCHEMA = json.loads((ROOT / "brigades" / "schema.json").read_text(encoding="utf-8"))
REAL = sorted(p for p in (ROOT / "brigades").glob("*.yml") if not p.name.startswith("_"))


def test_the_committed_schema_is_the_one_the_model_generates(brigadehub):
    result = brigadehub("schema", "--check")
    assert result.returncode == 0, result.stderr


def test_the_schema_is_itself_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", [*REAL, *sorted((DATA / "good").glob("*.yml"))], ids=lambda p: p.stem)
def test_an_independent_validator_accepts_every_file_we_accept(path):
    data = parse(path.read_text(encoding="utf-8"), path).data
    jsonschema.Draft202012Validator(SCHEMA).validate(data)


@pytest.mark.parametrize(
    "case", ["unknown-key", "status-near-miss", "javascript-url", "prefecture-near-miss", "missing-required",
             "location-basis-near-miss", "city-en-in-kanji", "activity-date-as-text", "activity-without-source"]
)
def test_an_independent_validator_rejects_what_we_reject(case):
    path = DATA / "bad" / f"{case}.yml"
    data = parse(path.read_text(encoding="utf-8"), path).data
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))


def test_the_place_basis_english_city_and_activity_are_in_the_schema_with_their_rules():
    """Issue 12: how a place is known, its romaji, and dated evidence of activity reach editors through the schema."""
    location = SCHEMA["$defs"]["Location"]["properties"]
    assert location["basis"]["enum"] == ["evidence", "inferred-from-name"]
    assert location["basis"]["default"] == "evidence" and "inferred-from-name" in location["basis"]["description"]
    assert location["city_en"]["anyOf"][0]["pattern"] and location["city_en"]["description"]
    activity = SCHEMA["properties"]["activity"]
    assert activity["items"] == {"$ref": "#/$defs/Activity"} and activity["description"]
    entry = SCHEMA["$defs"]["Activity"]
    assert entry["required"] == ["date", "finding", "source"]
    assert all(entry["properties"][key]["description"] for key in entry["required"])
    date_pattern = entry["properties"]["date"]["pattern"]
    assert [bool(re.fullmatch(date_pattern, d)) for d in ("2025", "2025-05", "2025-12-09", "ODD 2023", "2025-13")] \
        == [True, True, True, False, False]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " data:text/html,x", "//evil.example/",
                                 "/relative", "ftp://example.org/", "https://", "vbscript:x", None, 42,
                                 "https://example.org\\.evil.example/", "https://example.org/a b",
                                 "https://user@example.org/", "https://example.org/" + "a" * 2000])
def test_only_absolute_http_addresses_of_the_one_pattern_survive(url):
    assert web_address(url) is None


def test_http_and_https_addresses_pass_trimmed():
    assert web_address(" https://example.org/a?b=1&c=2 ") == "https://example.org/a?b=1&c=2"
    assert web_address("HTTP://example.org/") == "HTTP://example.org/"  # schemes are case-insensitive
