"""Tests for site/cards.py: the share cards are PNGs of the right size, the same bytes on every build, drawn
without text where no Japanese font is installed, and named as og:image on every brigade and prefecture page
(issue 12, item 7)."""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from brigadehub import pipeline
from brigadehub.core import japan
from brigadehub.site import cards
from conftest import ROOT
from test_site import parse

FONT = cards.find_font()
needs_font = pytest.mark.skipif(FONT is None, reason="no Japanese font: apt-get install fonts-ipafont-gothic")
KANAZAWA = cards.Card("cards/brigades/code-for-kanazawa.png", "Code for Kanazawa", ("石川県 金沢市",), "未確認",
                      cards.STATUS_COLOURS["unknown"])


@functools.cache
def _brigades():
    return pipeline.check_folder(ROOT / "brigades").brigades


def _chunks(png: bytes) -> list[str]:
    """The PNG's chunk types in order: a tIME or a text chunk would make two builds differ."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        found.append(kind.decode("ascii"))
        at += 12 + length
    return found


def test_a_card_is_a_1200_by_630_palette_png_with_no_timestamp_and_only_its_stamp_for_text():
    png = cards.render_card(KANAZAWA, FONT)
    image = Image.open(io.BytesIO(png))
    assert (image.size, image.mode) == ((1200, 630), "P")
    assert set(_chunks(png)) == {"IHDR", "PLTE", "tEXt", "IDAT", "IEND"}
    assert image.text == {cards.STAMP_KEY: cards.stamp(KANAZAWA, FONT)}
    assert cards.read_stamp(png) == cards.stamp(KANAZAWA, FONT) and len(cards.read_stamp(png)) == 64


def test_a_card_is_written_at_four_bits_a_pixel_with_sixteen_colours():
    # Band, body, muted lines and badge, four shades each: 16 palette entries, which halves what zlib is given.
    png = cards.render_card(KANAZAWA, FONT)
    assert png[24] == 4  # IHDR's bit depth
    assert len(Image.open(io.BytesIO(png)).getpalette()) == 16 * 3


def test_the_stamp_changes_with_the_text_and_the_font():
    other = cards.Card(KANAZAWA.path, "Code for Example", KANAZAWA.lines, KANAZAWA.badge, KANAZAWA.badge_colours)
    assert cards.stamp(other, FONT) != cards.stamp(KANAZAWA, FONT) != cards.stamp(KANAZAWA, None)
    assert cards.read_stamp(b"\x89PNG\r\n\x1a\n") is None


def test_a_card_drawn_from_the_same_inputs_is_kept_and_any_other_is_drawn_again(monkeypatch):
    brigades = [b for b in _brigades() if b.id == "code-for-kanazawa"]
    first = cards.render_cards(brigades, FONT)
    drawn = []
    monkeypatch.setattr(cards, "render_card", lambda card, font: drawn.append(card.path) or b"new")
    kept = cards.render_cards(brigades, FONT, first.get)
    assert drawn == [] and kept == first
    # A file drawn from other inputs (a renamed brigade, another font or Pillow): drawn again.
    stale = {path: png.replace(cards.read_stamp(png).encode(), b"0" * 64) for path, png in first.items()}
    assert set(cards.render_cards(brigades, FONT, stale.get).values()) == {b"new"}
    assert len(drawn) == len(first) == 48


@needs_font
def test_every_card_of_the_site_gives_the_same_bytes_twice_and_in_another_process():
    first = cards.render_cards(_brigades(), FONT)
    cards._text.cache_clear()
    assert cards.render_cards(_brigades(), FONT) == first
    assert len(first) == 116 + 47
    digest = hashlib.sha256(b"".join(first[path] for path in sorted(first))).hexdigest()
    # Another interpreter, with another hash seed, so that an order taken from a set would show.
    script = ("import hashlib; from brigadehub import pipeline; from brigadehub.site import cards; from pathlib import "
              "Path; out = cards.render_cards(pipeline.check_folder(Path('brigades')).brigades, cards.find_font()); "
              "print(hashlib.sha256(b''.join(out[p] for p in sorted(out))).hexdigest())")
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env={"PYTHONHASHSEED": "1", "PATH": "/usr/bin:/bin"}, check=True)
    assert other.stdout.strip() == digest


def test_there_is_a_card_for_every_brigade_and_every_prefecture():
    paths = {card.path for card in cards.site_cards(_brigades())}
    assert paths == {f"cards/brigades/{b.id}.png" for b in _brigades()} | \
        {f"cards/prefectures/{p.slug}.png" for p in japan.prefectures()}


def test_a_card_says_the_name_area_and_status_or_the_prefectures_count():
    brigade = next(b for b in _brigades() if b.id == "code-for-kawasaki")
    card = cards.brigade_card(brigade)
    assert (card.title, card.lines, card.badge) == ("Code for Kawasaki（オープン川崎）",
                                                    ("神奈川県 川崎市", "Code for Kawasaki"), "未確認")
    tokyo = cards.prefecture_card(japan.find_prefecture("東京都"), 15)
    kochi = cards.prefecture_card(japan.find_prefecture("高知県"), 0)
    assert (tokyo.title, tokyo.lines, tokyo.badge) == ("東京都のブリゲード", ("関東地方 ・ Tokyo",), "ブリゲード 15 件")
    assert kochi.badge == "ブリゲードの登録はまだありません" and kochi.badge_colours != tokyo.badge_colours


@needs_font
def test_a_card_with_a_font_has_text_in_antialiased_shades():
    image = Image.open(io.BytesIO(cards.render_card(KANAZAWA, FONT)))
    used = {index for _, index in image.getcolors(256)}
    assert len(used) > 2 * cards.SHADES  # shades between each background and its ink, not four flat colours


def test_without_a_japanese_font_the_cards_have_no_text_and_a_notice_says_so(caplog, tmp_path):
    with caplog.at_level(logging.WARNING, logger="brigadehub.site.cards"):
        assert cards.find_font((tmp_path / "missing.ttf",)) is None
    assert caplog.messages == [f"notice: no Japanese font found (looked for {tmp_path / 'missing.ttf'}); the share "
                               "cards are drawn without text. Install Debian's fonts-ipafont-gothic to put names on "
                               "them."]
    image = Image.open(io.BytesIO(cards.render_card(KANAZAWA, None)))
    assert image.size == (1200, 630)
    # The band, the body, the lines under the title, the badge: four flat colours, no shade of any text.
    assert sorted(index for _, index in image.getcolors(256)) == [0, cards.SHADES, 2 * cards.SHADES, 3 * cards.SHADES]


@needs_font
@pytest.mark.parametrize("title", [
    "Code for 石川県能登半島と加賀地方のみんなでつくるシビックテックの会・準備室",
    "Code for " + "Supercalifragilisticexpialidocious" * 3,
    "Code for " + "あ" * 200,
])
def test_a_long_name_is_wrapped_onto_two_lines_and_cut_only_when_it_must(title):
    width_of = cards._measure(FONT)
    size, lines = cards.fit_title(title, 1072, width_of)
    assert 1 <= len(lines) <= 2 and all(width_of(line, size) <= 1072 for line in lines)
    shown = "".join(lines).replace(" ", "")
    assert shown == title.replace(" ", "") or (shown.endswith("…") and title.replace(" ", "").startswith(shown[:-1]))


@needs_font
def test_a_short_name_takes_one_large_line():
    assert cards.fit_title("Code for Sabae", 1072, cards._measure(FONT)) == (cards.TITLE_SIZES[0], ["Code for Sabae"])


@needs_font
def test_text_a_contributor_wrote_never_stops_the_cards():
    brigade = next(b for b in _brigades() if b.id == "code-for-kanazawa")
    name = brigade.name.model_copy(update={"ja": "\u202eCode\x00 for <script>😀\n\tx", "en": "\x1b[31m"})
    card = cards.brigade_card(brigade.model_copy(update={"name": name}))
    assert card.title == "\u202eCode for <script>😀 x" and card.lines == ("石川県 金沢市", "[31m")
    assert cards.render_card(card, FONT).startswith(b"\x89PNG")
    empty = cards.Card("cards/brigades/x.png", "", ("",), "", ("#ffffff", "#000000"))
    assert cards.render_card(empty, FONT).startswith(b"\x89PNG")


# --- the built site -----------------------------------------------------------------------------------------


def _meta(page_path: Path) -> dict[str, str]:
    page = parse(page_path)
    return {a.get("property") or a.get("name"): a.get("content") for t, a in page.elements if t == "meta"}


def test_every_brigade_and_prefecture_page_names_its_card_by_its_absolute_address(real_site):
    pages = [real_site.path / "brigades" / b.id / "index.html" for b in _brigades()]
    pages += [real_site.path / "prefectures" / p.slug / "index.html" for p in japan.prefectures()]
    for page in pages:
        meta = _meta(page)
        image = meta["og:image"]
        assert image.startswith(real_site.url + "cards/") and image.endswith(".png"), page
        built = real_site.path / image.removeprefix(real_site.url)
        assert built.is_file(), image
        with Image.open(built) as card:
            assert card.size == (1200, 630)
        assert (meta["og:image:width"], meta["og:image:height"], meta["twitter:card"]) == \
            ("1200", "630", "summary_large_image")
    kanazawa = _meta(real_site.path / "brigades" / "code-for-kanazawa" / "index.html")
    assert kanazawa["og:image"] == real_site.url + "cards/brigades/code-for-kanazawa.png"
    assert kanazawa["og:image:alt"] == "Code for Kanazawa"


def test_pages_without_a_card_name_no_image(real_site):
    for page in ("index.html", "brigades/index.html", "prefectures/index.html", "stats/index.html",
                 "regions/kanto/index.html"):
        assert "og:image" not in _meta(real_site.path / page), page


def test_the_built_cards_are_the_ones_cards_py_draws(real_site):
    card = next(c for c in cards.site_cards(_brigades()) if c.path == "cards/prefectures/hyogo.png")
    assert (real_site.path / card.path).read_bytes() == cards.render_card(card, FONT)


def test_the_hostile_brigades_card_and_its_alt_text_carry_its_name_as_text(fixture_site):
    page = fixture_site.path / "brigades" / "code-for-hostile" / "index.html"
    assert """<meta property="og:image:alt" content="&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;">""" in \
        page.read_text(encoding="utf-8")
    meta = _meta(page)
    assert meta["og:image"] == fixture_site.url + "cards/brigades/code-for-hostile.png"
    assert meta["og:image:alt"] == "<script>alert('name')</script>"  # the parser unescaped what the page escaped
    with Image.open(fixture_site.path / "cards" / "brigades" / "code-for-hostile.png") as card:
        assert card.size == (1200, 630)
