"""Draw a share card (the og:image) for each brigade and prefecture page: a PNG of its name, area and status.

Pillow draws them at build time, with no external service, in a Japanese font found by path (Debian's
fonts-ipafont-gothic, which CI installs). Without one, the cards are drawn without text, and a notice says so.

Drawing a card costs a few milliseconds, so a build keeps the card it built before when nothing that draws it
changed: each PNG carries a stamp (a tEXt chunk), the digest of its text, this module's source, Pillow's version
and the font's bytes, and a card whose previous file has the same stamp is not drawn again.

A card is a few rectangles ("zones"), each one background and one ink. Text is drawn as coverage (mode L) and
mapped onto 4 shades between the zone's background and ink in one palette: antialiased text in a
palette PNG, which Pillow writes four times faster and a third the size of the same card in RGB. A card's four
pairs of colours (band, body, muted lines, badge) then make 16 entries, so Pillow writes 4 bits a pixel, not 8.
Pillow writes no timestamp, and the stamp is a function of the inputs alone, so the same card gives the same
bytes (with the same Pillow and font; Pillow is pinned).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from brigadehub.core import japan
from brigadehub.core.model import Brigade
from brigadehub.site.pages import STATUS_LABELS, area_text, english_name, prefecture_of

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Looked for in this order; the first that exists is used.
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf"),
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)
WIDTH, HEIGHT = 1200, 630  # what Facebook, X and Slack show as a large card
MARGIN = 64
# Shades per pair of colours (background, ink). Four, so that a card's four pairs fill a 16-colour palette, which
# Pillow writes at 4 bits a pixel: on 20 cards, 11.9 KB at zlib level 4 in 6.4 ms, against 19.0 KB for eight shades
# at level 3 in 5.0 ms (8 bits a pixel). Four look like eight at twice the size (checked by eye on the title, the
# band and the badge); eight looked like 32.
SHADES = 4
MAX_ZONES = 256 // SHADES
# zlib level 4, the first with lazy matching: at 4 bits a pixel level 3 wrote 14.7 KB a card in 5.3 ms, level 4
# 11.9 KB in 6.4 ms, level 6, Pillow's default, 11.6 KB in 7.6 ms.
COMPRESS_LEVEL = 4
TITLE_SIZES = (84, 76, 68, 60)  # one line, as large as fits
TWO_LINE_SIZES = (64, 56, 48)
HEADER = ("#283593", "#ffffff")
BODY = ("#ffffff", "#1a237e")
MUTED = ("#ffffff", "#424242")
# The site's status badges (docs/assets/stylesheets/brigadehub.css), as (background, ink).
STATUS_COLOURS = {"active": ("#c8e6c9", "#1b5e20"), "dormant": ("#ffe0b2", "#8d4a00"),
                  "disbanded": ("#e0e0e0", "#424242"), "unknown": ("#eceff1", "#37474f")}
COUNT_COLOURS = {True: ("#e8eaf6", "#1a237e"), False: ("#eceff1", "#37474f")}
STAMP_KEY = "brigadehub-card"
NO_FONT = ("notice: no Japanese font found (looked for {paths}); the share cards are drawn without text. "
           "Install Debian's fonts-ipafont-gothic to put names on them.")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Card:
    """What one card says: a title, a line or two under it, and a badge."""

    path: str
    title: str
    lines: tuple[str, ...]
    badge: str
    badge_colours: tuple[str, str]


@dataclass
class Zone:
    """A rectangle of one background and one ink, and the lines of text drawn in it: (x, y, text, size)."""

    box: tuple[int, int, int, int]
    colours: tuple[str, str]
    lines: list[tuple[int, int, str, int]] = field(default_factory=list)


def card_path(kind: str, name: str) -> str:
    """Where a page's card is written under docs/; overrides/main.html prints the same address as og:image."""
    return f"cards/{kind}/{name}.png"


def brigade_card(brigade: Brigade) -> Card:
    lines = (_plain(area_text(brigade)), _plain(english_name(brigade) or ""))
    return Card(card_path("brigades", brigade.id), _plain(brigade.name.ja), tuple(line for line in lines if line),
                STATUS_LABELS[brigade.status], STATUS_COLOURS[brigade.status])


def _plain(text: str) -> str:
    """One line of text as a card shows it: control characters (tabs and newlines too) become spaces."""
    return " ".join(CONTROL.sub(" ", text).split())


def prefecture_card(prefecture: japan.Prefecture, count: int) -> Card:
    badge = f"ブリゲード {count} 件" if count else "ブリゲードの登録はまだありません"
    return Card(card_path("prefectures", prefecture.slug), f"{prefecture.name}のブリゲード",
                (f"{prefecture.region.name}地方 ・ {prefecture.name_en}",), badge, COUNT_COLOURS[bool(count)])


def site_cards(brigades: Sequence[Brigade]) -> list[Card]:
    counts = Counter(prefecture_of(b) for b in brigades)
    return [*(brigade_card(b) for b in brigades), *(prefecture_card(p, counts[p]) for p in japan.prefectures())]


def find_font(candidates: Sequence[Path] = FONT_CANDIDATES) -> Path | None:
    """The first Japanese font that exists, or None, with a notice that the cards will have no text."""
    found = next((path for path in candidates if path.is_file()), None)
    if found is None:
        log.warning(NO_FONT.format(paths=", ".join(str(p) for p in candidates)))
    return found


def render_cards(brigades: Sequence[Brigade], font: Path | None,
                 previous: Callable[[str], bytes | None] = lambda path: None) -> dict[str, bytes]:
    """Every card, as {path under docs/: PNG bytes}; previous(path) gives the file a build left there, if any,
    which is kept when its stamp says it was drawn from the same inputs."""
    found = {}
    for card in site_cards(brigades):
        old = previous(card.path)
        found[card.path] = old if old and read_stamp(old) == stamp(card, font) else render_card(card, font)
    return found


def stamp(card: Card, font: Path | None) -> str:
    """The digest of all that draws this card: its text, this module, Pillow, the font."""
    return hashlib.sha256(_tools(font) + json.dumps(astuple(card), ensure_ascii=False).encode("utf-8")).hexdigest()


@cache
def _tools(font: Path | None) -> bytes:
    # The font's bytes, not its path or time: another machine with the same Debian package draws the same card.
    found = hashlib.sha256(Path(__file__).read_bytes())
    found.update(PIL.__version__.encode("ascii"))
    found.update(font.read_bytes() if font else b"no font")
    return found.digest()


def read_stamp(png: bytes) -> str | None:
    """The stamp in a PNG's tEXt chunk, read from its bytes without decoding the image; None if it has none."""
    at = 8
    while at + 8 <= len(png):
        length, kind = int.from_bytes(png[at:at + 4], "big"), png[at + 4:at + 8]
        if kind == b"IDAT":  # Pillow writes text chunks before the image data
            return None
        if kind == b"tEXt":
            key, _, value = png[at + 8:at + 8 + length].partition(b"\0")
            if key == STAMP_KEY.encode("ascii"):
                return value.decode("latin-1")
        at += 12 + length
    return None


def render_card(card: Card, font: Path | None) -> bytes:
    """One card as PNG bytes, with its stamp; with font None, its zones alone."""
    zones = layout(card, _measure(font))
    colours = list(dict.fromkeys(zone.colours for zone in zones))
    if len(colours) > MAX_ZONES:
        raise ValueError(f"a card has {len(colours)} pairs of colours; the palette holds {MAX_ZONES}")
    image = Image.new("P", (WIDTH, HEIGHT), 0)
    image.putpalette(_palette(tuple(colours)))
    for zone in zones:
        number = colours.index(zone.colours)
        image.paste(number * SHADES, zone.box)
        for x, y, text, size in zone.lines if font else ():
            _draw_text(image, (zone.box[0] + x, zone.box[1] + y), text, _font(font, size), number)
    info = PngImagePlugin.PngInfo()
    info.add_text(STAMP_KEY, stamp(card, font))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=COMPRESS_LEVEL, pnginfo=info)
    return buffer.getvalue()


# --- layout ----------------------------------------------------------------------------------------------------


def layout(card: Card, width_of) -> list[Zone]:
    """The zones of a card, in the order they are painted: the site's band, the title, the lines under it, the
    rest of the card, and the badge on it."""
    inner = WIDTH - 2 * MARGIN
    header = Zone((0, 0, WIDTH, 104), HEADER, [(MARGIN, 30, "Brigade Hub ・ Code for ブリゲードを探す", 40)])
    size, lines = fit_title(card.title, inner, width_of)
    step = round(size * 1.25)
    title = Zone((0, 104, WIDTH, 104 + 56 + len(lines) * step), BODY,
                 [(MARGIN, 48 + i * step, line, size) for i, line in enumerate(lines)])
    top, bottom = title.box[3], title.box[3] + 8 + 56 * len(card.lines)
    under = Zone((0, top, WIDTH, bottom), MUTED,
                 [(MARGIN, 8 + 56 * i, _clip(line, 40, inner, width_of), 40) for i, line in enumerate(card.lines)])
    rest = Zone((0, bottom, WIDTH, HEIGHT), BODY)
    text = _clip(card.badge, 40, inner - 56, width_of)
    badge = Zone((MARGIN, HEIGHT - 140, MARGIN + round(width_of(text, 40)) + 56, HEIGHT - 64), card.badge_colours,
                 [(28, 16, text, 40)])
    return [header, title, under, rest, badge]


def fit_title(title: str, width: int, width_of) -> tuple[int, list[str]]:
    """The largest size at which the title fits one line, else two; a title longer still is cut with '…'."""
    for size in TITLE_SIZES:
        if width_of(title, size) <= width:
            return size, [title]
    for size in TWO_LINE_SIZES:
        lines = wrap(title, width, size, width_of)
        if len(lines) <= 2:
            return size, lines
    size = TWO_LINE_SIZES[-1]
    first, *rest = wrap(title, width, size, width_of)
    return size, [first, _clip("".join(rest), size, width, width_of)]


def wrap(text: str, width: int, size: int, width_of) -> list[str]:
    """Break text into lines that fit: between words where there are spaces, anywhere in Japanese."""
    lines, line = [], ""
    for token in re.findall(r"[\x21-\x7e]+\s*|\s+|.", text):
        if line and width_of((line + token).rstrip(), size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
        while width_of(line.rstrip(), size) > width and len(line) > 1:  # one word longer than the line
            cut = next(i for i in range(len(line), 0, -1) if width_of(line[:i], size) <= width or i == 1)
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line.rstrip()] if line.strip() else lines


def _clip(text: str, size: int, width: int, width_of) -> str:
    if width_of(text, size) <= width:
        return text
    while text and width_of(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


# --- drawing ---------------------------------------------------------------------------------------------------


def _measure(font: Path | None):
    """A text's width in pixels at a size; without a font, as if every character were one em wide."""
    if font is None:
        return lambda text, size: len(text) * size
    return lambda text, size: _font(font, size).getlength(text)


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout, always: Pillow uses libraqm where it finds FriBiDi, which would draw the same card
    # differently on another machine (and fails outright on some text a contributor may write).
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _draw_text(image: Image.Image, at: tuple[int, int], text: str, font: ImageFont.FreeTypeFont, number: int):
    """Paste text as shades of pair `number`, its top left corner at `at`."""
    shades, left, top = _text(text, font, number)
    if shades is not None:
        image.paste(shades, (at[0] + left, at[1] + top))


@lru_cache(maxsize=512)  # the band's line is on every card, and a few badges on most
def _text(text: str, font: ImageFont.FreeTypeFont, number: int) -> tuple[Image.Image | None, int, int]:
    """Text drawn as coverage on a canvas of its own size, mapped onto the shades of pair `number`."""
    left, top, right, bottom = font.getbbox(text)
    if right <= left or bottom <= top:
        return None, 0, 0
    coverage = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(coverage).text((-left, -top), text, font=font, fill=255)
    return Image.frombytes("P", coverage.size, coverage.tobytes().translate(_shades(number))), left, top


@cache
def _shades(number: int) -> bytes:
    """Coverage 0–255 → the palette index of zone `number`'s shade, as a table for bytes.translate."""
    return bytes(number * SHADES + round(value * (SHADES - 1) / 255) for value in range(256))


@cache
def _palette(colours: tuple[tuple[str, str], ...]) -> list[int]:
    palette = []
    for background, ink in colours:
        back, front = _rgb(background), _rgb(ink)
        for shade in range(SHADES):
            palette += [round(b + (f - b) * shade / (SHADES - 1)) for b, f in zip(back, front, strict=True)]
    return palette


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
