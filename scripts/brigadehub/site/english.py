"""Names in Latin letters for the English edition: a brigade's own English name, else its Japanese one romanised.

A name is romanised from its kana where the file gives them, which say how the brigade reads its own name, else
by pykakasi's reading of the kanji (Hepburn, long vowels written short, as on signs: Tōkyō → Tokyo). A city is
its `city_en`, else the romaji of the municipality it names, else romanised.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from brigadehub.core import japan
from brigadehub.core.model import Brigade, Location, Names

# Kana, kanji, and the Japanese punctuation and full-width forms: text that a Japanese voice should read.
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # kana and kanji alone
PUNCTUATION = str.maketrans({"、": ", ", "。": ". ", "・": " ", "「": "“", "」": "”", "〜": "–", "　": " "})
# The last word of a place that is not a municipality: 会津地域 is the Aizu area, not "Aizu Chiiki".
# Long vowels as signs write them; ee too, which pykakasi makes of katakana's ー (ゲーム → geemu).
LONG_VOWELS = (*japan.LONG_VOWELS, ("ee", "e"))
PLACE_WORDS = (("地域", " area"), ("地方", " region"), ("市", ""), ("区", ""), ("町", ""), ("村", ""))


def has_japanese(text: str) -> bool:
    return bool(SCRIPT.search(text))


def japanese_span(text: str) -> tuple[int, int] | None:
    """Where the Japanese part of a text starts and ends: 'Code for 中野 (Code for Nakano)' → the span of 中野."""
    found = [m.start() for m in JAPANESE.finditer(text)]
    return (found[0], found[-1] + 1) if found and has_japanese(text) else None


@cache
def _kakasi():
    import pykakasi  # here: its dictionaries take most of a second to load, and most builds need no romaji

    return pykakasi.kakasi()


def _word(romaji: str) -> str:
    for long, short in LONG_VOWELS:
        romaji = romaji.replace(long, short)
    return " ".join(part.capitalize() for part in romaji.replace("・", " ").split())


@cache
def romanise(text: str) -> str:
    """Japanese text in Hepburn romaji, word by word, capitalised; Latin letters and digits are kept as written."""
    out, after_japanese = "", False
    for item in _kakasi().convert(unicodedata.normalize("NFKC", text)):
        japanese = has_japanese(item["orig"])
        piece = _word(item["hepburn"]) if japanese else item["orig"].translate(PUNCTUATION)
        starts_word = piece[:1].isalnum() and (japanese or after_japanese)
        if out and starts_word and out[-1] not in " (“-/":
            out += " "
        out, after_japanese = out + piece, japanese
    return " ".join(re.sub(r"(?<=\S)\(", " (", out).split())


def name_romaji(names: Names) -> str:
    """The name in Latin letters: the kana of each Japanese word where the kana go word for word, else pykakasi's."""
    if names.kana:
        words, readings = names.ja.split(), names.kana.split()
        if len(words) == len(readings):
            return " ".join(romanise(r) if has_japanese(w) else w for w, r in zip(words, readings, strict=True))
        if not re.search(r"[A-Za-z]", names.ja):
            return romanise(names.kana)
    return romanise(names.ja)


def brigade_name(brigade: Brigade) -> str:
    """name.en; else the Japanese name, with its romanisation beside it when it is not in Latin letters already."""
    if brigade.name.en:
        return brigade.name.en
    if not has_japanese(brigade.name.ja):
        return brigade.name.ja
    return f"{brigade.name.ja} ({name_romaji(brigade.name)})"


def town_name(town: japan.Municipality) -> str:
    """A municipality's romaji as a name: Nonoichi; a ward with its city, Hodogaya, Yokohama."""
    name = town.romaji.capitalize()
    if town.ward_of:
        city = japan.find_municipality(town.prefecture, town.ward_of)
        return f"{name}, {city.romaji.capitalize()}" if city else name
    return name


def place_name(prefecture: str | None, place: str) -> str:
    """One place a brigade file names: a municipality by its romaji, else romanised (remarks in brackets dropped)."""
    bare = re.sub(r"[（(].*[）)]$", "", place).strip() or place
    # A town or village may be written with its district: 双葉郡浪江町 is 浪江町.
    for candidate in (bare, bare.split("郡", 1)[-1]):
        town = japan.find_municipality(prefecture, candidate) if prefecture else None
        if town:
            return town_name(town)
    for ending, english in PLACE_WORDS:
        if bare.endswith(ending) and len(bare) > len(ending):
            return romanise(bare.removesuffix(ending)) + english
    return romanise(bare)


def city_name(location: Location | None) -> str | None:
    """city_en where given; else each place the city field names (篠山市、丹波市), in Latin letters."""
    if not location or not location.city:
        return None  # as on the Japanese page, which names no city either
    if location.city_en:
        return location.city_en
    if not has_japanese(location.city):
        return location.city
    return ", ".join(place_name(location.prefecture, part) for part in re.split(r"[、,]", location.city) if part)
