"""Tests for site/words.py: the two tables say the same things, with the same values to fill in."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from brigadehub.site import words
from conftest import ROOT

SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "brigadehub.js"


def _shape(value) -> object:
    """What must match between languages: a table's keys, a list's length, or that a word is HTML."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return len(value)
    forms = value if isinstance(value, tuple) else (value,)
    return {isinstance(form, Markup) for form in forms}


def test_every_word_is_in_both_languages():
    assert set(words.JA) == set(words.EN)
    assert {key: _shape(value) for key, value in words.JA.items()} == \
        {key: _shape(value) for key, value in words.EN.items()}


@pytest.mark.parametrize("key", sorted(words.JA))
def test_a_phrase_takes_the_same_values_in_both_languages(key):
    assert words.placeholders(words.JA[key]) == words.placeholders(words.EN[key])


def test_html_words_are_named_so_and_only_they_are_html():
    for table in (words.JA, words.EN):
        for key, value in table.items():
            forms = value if isinstance(value, tuple) else (value,)
            html = [isinstance(form, Markup) for form in forms if isinstance(form, str)]
            assert html == [key.endswith("_html")] * len(html), key


def test_an_english_count_has_a_form_for_one_and_for_more_and_japanese_has_one():
    counted = [key for key, value in words.EN.items() if isinstance(value, tuple)]
    assert "n_events" in counted and all(len(words.EN[key]) == 2 for key in counted)
    assert not [key for key, value in words.JA.items() if isinstance(value, tuple)]
    assert all("{n}" in form for key in counted for form in words.EN[key])


def test_say_fills_a_phrase_in_and_refuses_html():
    english = words.Words("en")
    assert english.say("n_events", n=1) == "1 event" and english.say("n_events", n=3) == "3 events"
    assert words.Words("ja").say("year_title", year=2025) == "2025年のイベント"
    with pytest.raises(ValueError, match="HTML"):
        english.say("home_total_html", n=1)
    with pytest.raises(AttributeError):
        english.no_such_word  # noqa: B018


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_scripts_labels_are_the_words_of_the_pages(lang):
    """brigadehub.js says the statuses and places of api/map.json's points in the page's language: the same words."""
    source = SCRIPT.read_text(encoding="utf-8")
    japanese, english = source.split("\n    ja: {", 1)[1].split("\n    en: {", 1)
    block = japanese if lang == "ja" else english
    table = words.TABLES[lang]
    for key, label in [*table["statuses"].items(), *table["precisions"].items()]:
        assert f'{key}: "{label}"' in block, (lang, key)
