"""Tests for model.py: brigades/schema.json is generated from the model and agrees with it on real files."""

from __future__ import annotations

import json

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
    "case", ["unknown-key", "status-near-miss", "javascript-url", "prefecture-near-miss", "missing-required"]
)
def test_an_independent_validator_rejects_what_we_reject(case):
    path = DATA / "bad" / f"{case}.yml"
    data = parse(path.read_text(encoding="utf-8"), path).data
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " data:text/html,x", "//evil.example/",
                                 "/relative", "ftp://example.org/", "https://", "vbscript:x", None, 42,
                                 "https://example.org\\.evil.example/", "https://example.org/a b",
                                 "https://user@example.org/", "https://example.org/" + "a" * 2000])
def test_only_absolute_http_addresses_of_the_one_pattern_survive(url):
    assert web_address(url) is None


def test_http_and_https_addresses_pass_trimmed():
    assert web_address(" https://example.org/a?b=1&c=2 ") == "https://example.org/a?b=1&c=2"
    assert web_address("HTTP://example.org/") == "HTTP://example.org/"  # schemes are case-insensitive
