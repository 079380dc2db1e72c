"""Tests for site/english.py: the Latin-letter names of the English edition, on fictional brigades and places."""

from __future__ import annotations

import pytest

from brigadehub.core.model import Brigade, Location, Names
from brigadehub.site import english


def _brigade(name: dict, **more) -> Brigade:
    return Brigade.model_validate({"id": "code-for-example", "name": name, "status": "active",
                                   "sources": ["a test fixture"], **more})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("例市", "Rei Shi"), ("Code for 東京", "Code for Tokyo"), ("ＣＯＤＥ for 大阪", "CODE for Osaka"),
     ("コード・フォー・ミナト", "Kodo Fo Minato"), ("Code for Example（オープン例）", "Code for Example (Opun Rei)"),
     ("Code for Example", "Code for Example")],
)
def test_japanese_is_romanised_word_by_word_with_long_vowels_written_short(text, expected):
    assert english.romanise(text) == expected


def test_the_english_name_is_name_en_where_the_file_gives_one():
    assert english.brigade_name(_brigade({"ja": "コード・フォー・例", "en": "Code for Example"})) == "Code for Example"


def test_a_name_in_latin_letters_is_its_own_english_name():
    assert english.brigade_name(_brigade({"ja": "Code for Example"})) == "Code for Example"


def test_a_japanese_name_keeps_its_kanji_with_the_romaji_beside_them():
    assert english.brigade_name(_brigade({"ja": "Code for 東京"})) == "Code for 東京 (Code for Tokyo)"


def test_the_kana_are_a_better_source_than_a_guess_at_the_kanji():
    # pykakasi reads 例 as "rei"; the brigade says how it reads its own name.
    assert english.brigade_name(_brigade({"ja": "Code for 例", "kana": "こーど ふぉー たとえ"})) == \
        "Code for 例 (Code for Tatoe)"
    assert english.name_romaji(Names(ja="例ブリゲード", kana="たとえぶりげーど")) == "Tatoeburigedo"
    # Kana that do not go word for word with a mixed name are not guessed at.
    assert english.name_romaji(Names(ja="Code for 例", kana="こーどふぉーたとえ")) == "Code for Rei"


def test_romanisation_is_cached():
    english.romanise.cache_clear()
    english.romanise("例市")
    english.romanise("例市")
    assert english.romanise.cache_info().hits == 1


@pytest.mark.parametrize(
    ("prefecture", "city", "city_en", "expected"),
    [("石川県", "野々市市", None, "Nonoichi"), ("石川県", "野々市市", "Nonoichi City", "Nonoichi City"),
     ("神奈川県", "横浜市保土ケ谷区", None, "Hodogaya, Yokohama"), ("福島県", "双葉郡浪江町", None, "Namie"),
     ("石川県", "例市（主に）", None, "Rei"), ("石川県", "例地域", None, "Rei area"),
     ("石川県", "金沢市、例市", None, "Kanazawa, Rei"), ("石川県", None, "Example", None)],
)
def test_a_city_is_its_city_en_else_the_municipality_s_romaji_else_romanised(prefecture, city, city_en, expected):
    assert english.city_name(Location(prefecture=prefecture, city=city, city_en=city_en)) == expected


def test_the_japanese_part_of_a_mixed_text_is_found_for_its_lang_attribute():
    assert english.japanese_span("Code for 東京 (Code for Tokyo)") == (9, 11)
    assert english.japanese_span("定例会（第3回）") == (0, 8)
    assert english.japanese_span("Code for Example (2026)") is None
    assert english.japanese_span("（）") is None  # punctuation alone is not Japanese text
