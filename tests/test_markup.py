"""Tests for markup.py: each escape holds where its text lands."""

from __future__ import annotations

import json

import pytest

from brigadehub.site.markup import csv_cell, front_matter_value, json_for_script, relative, safe_url, text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " data:text/html,x", "//evil.example/",
                                 "/relative", "ftp://example.org/", "https://", "vbscript:x"])
def test_only_absolute_http_addresses_survive(url):
    assert safe_url(url) is None


def test_http_and_https_addresses_pass_unchanged():
    assert safe_url("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&c=2"
    assert safe_url("http://example.org/") == "http://example.org/"


def test_text_escapes_markup_quotes_and_drops_control_characters():
    assert text("<a href='x'>\"&\x00") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;"


def test_json_for_script_cannot_close_its_script_element():
    encoded = json_for_script({"name": "</script><script>alert(1)</script>", "line": "\u2028"})
    assert "<" not in encoded and ">" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded)["name"] == "</script><script>alert(1)</script>"


def test_front_matter_values_are_yaml_strings_of_escaped_html():
    assert front_matter_value('a "b" <c>') == '"a &quot;b&quot; &lt;c&gt;"'


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_defused(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [("brigades/x/", "prefectures/ishikawa/", "../../prefectures/ishikawa/"), ("", "map/", "map/"),
     ("brigades/", "brigades/x/", "x/"), ("brigades/x/", "", "../../"),
     ("data/", "api/brigades.json", "../api/brigades.json")],
)
def test_relative_links_between_directory_urls(start, target, expected):
    assert relative(start, target) == expected
