"""Count brigades and events for the statistics page and the sparklines, as numbers and the coordinates of bars.

The templates draw the SVG (partials/chart-*.html, partials/sparkline.html) and say every word; this module
decides what is counted, and where each bar and tile goes. An event counts in the year it started, held on or
before the build's day and not cancelled; one known only to the month, the year or "around" a day (Open Data
Day) counts in its year too, and is kept apart as `approximate` so that the charts can show it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from brigadehub.core import japan
from brigadehub.core.model import Brigade, Event
from brigadehub.events.snapshot import start_key
from brigadehub.site.edition import Edition, relative
from brigadehub.site.event_pages import Directory
from brigadehub.site.pages import brigade_path, prefecture_of, prefecture_path, region_path

PAGE = "stats/"
# The 47 prefectures on a 7 × 7 grid, (column, row) by JIS X 0401 code, row 0 at the top: the layout of
# カラム地図 (tabularmaps, https://github.com/tabularmaps/hq, CC0), where each column is a band of the country.
TILES = {
    1: (6, 0), 2: (5, 0), 3: (6, 1), 4: (6, 2), 5: (5, 1), 6: (5, 2), 7: (6, 3), 8: (6, 5), 9: (6, 4),
    10: (5, 3), 11: (5, 4), 12: (6, 6), 13: (5, 5), 14: (5, 6), 15: (4, 0), 16: (4, 1), 17: (3, 0), 18: (3, 1),
    19: (4, 3), 20: (4, 2), 21: (4, 4), 22: (4, 5), 23: (4, 6), 24: (3, 6), 25: (3, 2), 26: (3, 3), 27: (2, 4),
    28: (2, 3), 29: (3, 4), 30: (3, 5), 31: (2, 0), 32: (1, 1), 33: (2, 1), 34: (2, 2), 35: (0, 1), 36: (2, 6),
    37: (2, 5), 38: (1, 5), 39: (1, 6), 40: (1, 2), 41: (0, 3), 42: (0, 2), 43: (0, 4), 44: (1, 3), 45: (1, 4),
    46: (0, 5), 47: (0, 6),
}
TILE, TILE_GAP = 60, 4
SQUEEZE_AFTER = 6  # Latin letters of a name that fit in a tile (seen at 390 px); 北海道 and the rest are 2 or 3
# Tile shades by number of brigades: (lowest count, class suffix); the legend lists them in this order.
TILE_BINS = ((0, "0"), (1, "1"), (2, "2"), (4, "3"), (6, "4"))


@dataclass(frozen=True)
class Frame:
    """The user units of one bar chart: a slot per year, bars inside it, room above for values, below for years."""

    slot: float
    bar: float
    height: float
    top: float
    bottom: float
    side: float
    label_every: int  # a year label on every n-th slot, counted back from the latest year


NATIONAL = Frame(slot=32, bar=22, height=150, top=22, bottom=26, side=8, label_every=2)
REGIONAL = Frame(slot=12, bar=9, height=60, top=18, bottom=18, side=4, label_every=0)  # first and last year only
SPARK = Frame(slot=12, bar=8, height=36, top=2, bottom=15, side=0, label_every=0)


@dataclass(frozen=True)
class YearCount:
    year: int
    exact: int = 0
    approximate: int = 0

    @property
    def total(self) -> int:
        return self.exact + self.approximate


def held(events: Iterable[Event], directory: Directory) -> tuple[Event, ...]:
    """The events held on or before the build's day; a cancelled event was not held."""
    return tuple(e for e in events if e.status != "cancelled" and start_key(e).date() <= directory.today)


def index(events: Iterable[Event], keys) -> dict:
    """{key: [the events for which keys(event) names that key]}, each event once per key, in their order."""
    found: dict = {}
    for event in events:
        for key in dict.fromkeys(keys(event)):
            found.setdefault(key, []).append(event)
    return found


def count_years(events: Iterable[Event], years: Sequence[int]) -> list[YearCount]:
    """Events per year, for each of years, split into those whose day is known and the rest."""
    exact = Counter(start_key(e).year for e in events if e.exact)
    approximate = Counter(start_key(e).year for e in events if not e.exact)
    return [YearCount(year, exact[year], approximate[year]) for year in years]


# --- geometry ------------------------------------------------------------------------------------------------


def bars(counts: Sequence[YearCount], frame: Frame, largest: int) -> dict:
    """Where each year's bar goes in a chart drawn to `largest`: the approximate part stacked on the exact one."""
    scale = frame.height / largest if largest else 0
    base = frame.top + frame.height
    found = [_bar(count, i, len(counts), frame, scale) for i, count in enumerate(counts)]
    return {"bars": found, "width": round(2 * frame.side + len(counts) * frame.slot, 1),
            "height": frame.top + frame.height + frame.bottom, "base": base, "top": frame.top,
            "left": frame.side, "right": round(frame.side + len(counts) * frame.slot, 1), "largest": largest,
            "label_y": base + frame.bottom - 6, "largest_y": frame.top - 5, "paths": _paths(found)}


def _paths(found: Sequence[dict]) -> list[tuple[str, str]]:
    """Each shade's bars as one SVG path, (class, d): a rect for each bar made every brigade page's sparkline about
    a kilobyte larger."""
    shades = (("bh-chart__bar", "exact"), ("bh-chart__bar bh-chart__bar--approximate", "approximate"))
    drawn = [(kind, "".join(f"M{b['x']:g} {b[part + '_y']:g}h{b['width']:g}v{b[part + '_height']:g}h-{b['width']:g}z"
                            for b in found if b[part + "_height"])) for kind, part in shades]
    return [(kind, d) for kind, d in drawn if d]


def _bar(count: YearCount, i: int, n: int, frame: Frame, scale: float) -> dict:
    base = frame.top + frame.height
    exact, total = _length(count.exact, scale), _length(count.total, scale)
    left = frame.side + i * frame.slot + (frame.slot - frame.bar) / 2
    if frame.label_every:  # every n-th year, centred, so that the latest year is always named
        labelled, anchor, label_x = (n - 1 - i) % frame.label_every == 0, "middle", left + frame.bar / 2
    else:  # the first and the last year, held inside the chart
        labelled = i in (0, n - 1)
        anchor, label_x = ("start", left) if i == 0 else ("end", left + frame.bar)
    return {"year": count.year, "total": count.total, "exact": count.exact, "approximate": count.approximate,
            "x": round(left, 1), "width": frame.bar, "middle": round(left + frame.bar / 2, 1),
            "exact_y": round(base - exact, 1), "exact_height": exact,
            "approximate_y": round(base - total, 1), "approximate_height": round(total - exact, 1),
            "value_y": round(base - total - 5, 1), "labelled": labelled, "anchor": anchor,
            "label_x": round(label_x, 1)}


def _length(count: int, scale: float) -> float:
    """A bar's length; one event stays visible however tall the chart's largest bar is."""
    return round(max(count * scale, 1.0), 1) if count else 0.0


def summary(counts: Sequence[YearCount]) -> dict:
    """What a reader takes from a chart: its span, total, busiest year and how much of it is approximate."""
    peak = max(counts, key=lambda c: (c.total, c.year), default=YearCount(0))
    return {"first": counts[0].year if counts else None, "last": counts[-1].year if counts else None,
            "total": sum(c.total for c in counts), "approximate": sum(c.approximate for c in counts),
            "peak_year": peak.year, "peak": peak.total}


# --- what the pages show -------------------------------------------------------------------------------------


class Tally:
    """The held events of the site, counted by year for the country, each region, prefecture and brigade."""

    def __init__(self, events: Iterable[Event], directory: Directory):
        events = tuple(events)
        self.directory = directory
        self.events = held(events, directory)
        self.upcoming = sum(e.status != "cancelled" and start_key(e).date() > directory.today for e in events)
        first = min((start_key(e).year for e in self.events), default=directory.today.year)
        self.years = list(range(first, directory.today.year + 1))
        # Each event is placed once, not once per page: at 1,000 brigades, a scan of every event for each brigade,
        # prefecture and region was most of the time this module took.
        self._places = {e: directory.prefectures(e) for e in self.events}
        self._by_place = index(self.events, self._where)
        self._by_brigade = index(self.events, lambda e: (e.host, *e.co_hosts))

    def _where(self, event: Event) -> list:
        """The prefectures and regions of the event's hosts, once each; [None] if none is in the directory."""
        found = self._places[event]
        return list(dict.fromkeys([*found, *(p.region for p in found)])) or [None]

    def at(self, place: japan.Prefecture | japan.Region | None) -> tuple[Event, ...]:
        """The events whose host or a co-host is in place; for None, those with no host in the directory."""
        return tuple(self._by_place.get(place, ()))

    def of(self, brigade: Brigade) -> tuple[Event, ...]:
        return tuple(self._by_brigade.get(brigade.id, ()))

    def sparkline(self, events: Sequence[Event], page: str) -> dict | None:
        """A brigade's or a prefecture's events per year, on the country's span of years; None if it has none."""
        if not events:
            return None
        counts = count_years(events, self.years)
        return {**bars(counts, SPARK, max(c.total for c in counts)), **summary(counts),
                "stats": relative(page, PAGE)}

    def brigade_sparkline(self, brigade: Brigade) -> dict | None:
        return self.sparkline(self.of(brigade), brigade_path(brigade))

    def prefecture_sparkline(self, prefecture: japan.Prefecture) -> dict | None:
        return self.sparkline(self.at(prefecture), prefecture_path(prefecture))

    def page(self, edition: Edition) -> dict:
        """The statistics page: brigades per prefecture, events per year for the country and for each region."""
        national = count_years(self.events, self.years)
        today = self.directory.today
        return {"title": edition.t.stats_title, "description": edition.t.stats_description,
                "today": edition.date(today), "until": edition.month_day(today),
                "brigades": len(self.directory.brigades), "tiles": self.tiles(edition),
                "national": {**bars(national, NATIONAL, max(c.total for c in national)), **summary(national),
                             "name": edition.t.national},
                "regions": self.regions(edition), "precision": {kind: sum(e.precision == kind for e in self.events)
                                                          for kind in ("month", "year", "around")},
                "co_hosted": sum(len({p.region for p in self._places[e]}) > 1 for e in self.events),
                "upcoming": self.upcoming}

    def tiles(self, edition: Edition) -> dict:
        """The 47 tiles, in JIS order (the order a screen reader and the tab key take), and the table's rows."""
        counts = Counter(prefecture_of(b) for b in self.directory.brigades.values())
        events = Counter(p for e in self.events for p in self._places[e])
        tiles = [_tile(edition, p, counts[p], events[p]) for p in japan.prefectures()]
        size = 7 * TILE + 6 * TILE_GAP
        return {"tiles": tiles, "size": size, "elsewhere": counts[None],
                "elsewhere_href": relative(PAGE, "prefectures/") + "#elsewhere",
                "bins": [{"key": key, "low": low, "high": TILE_BINS[i + 1][0] - 1 if i + 1 < len(TILE_BINS) else None}
                         for i, (low, key) in enumerate(TILE_BINS)]}

    def regions(self, edition: Edition) -> dict:
        """Small multiples: one chart per region, and one for events with no host in the directory, on one scale."""
        places = [*japan.regions(), None]
        counts = {place: count_years(self.at(place), self.years) for place in places}
        largest = max((c.total for found in counts.values() for c in found), default=0)
        panels = [{"name": edition.region(place) if place else edition.t.unknown_area,
                   "slug": place.slug if place else "unknown",
                   "href": relative(PAGE, region_path(place)) if place else None,
                   **bars(found, REGIONAL, largest), **summary(found)} for place, found in counts.items()]
        rows = [{"year": year, "counts": [panel["bars"][i]["total"] for panel in panels]}
                for i, year in enumerate(self.years)]
        return {"panels": panels, "rows": rows, "largest": largest}


def _tile(edition: Edition, prefecture: japan.Prefecture, count: int, events: int) -> dict:
    column, row = TILES[prefecture.code]
    key = next(key for low, key in reversed(TILE_BINS) if count >= low)
    if edition.japanese:
        short = prefecture.name if prefecture.name == "北海道" else prefecture.name[:-1]
    else:
        short = prefecture.name_en
    x, y = column * (TILE + TILE_GAP), row * (TILE + TILE_GAP)
    # Nine Latin letters are wider than a tile: those names are drawn to fit (SVG's textLength).
    squeeze = TILE - 6 if len(short) > SQUEEZE_AFTER else None
    return {"name": edition.prefecture(prefecture), "short": short, "squeeze": squeeze,
            "region": edition.region_short(prefecture.region), "count": count,
            "events": events, "shade": key, "href": relative(PAGE, prefecture_path(prefecture)),
            "x": x, "y": y, "size": TILE, "middle": x + TILE / 2, "name_y": y + 24, "count_y": y + 51}
