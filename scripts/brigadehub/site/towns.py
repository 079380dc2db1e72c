"""Find the brigades for every municipality of Japan: those that cover it, those of its prefecture, the nearest.

The town finder on the home page and in the directory reads api/towns.json and works in the browser; each
prefecture page lists its towns with the same answers, for readers without JavaScript.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

from brigadehub.core import japan
from brigadehub.core.model import Brigade
from brigadehub.site.pages import brigade_path, english_name, prefecture_of, prefecture_path, relative

NEAREST = 3
EARTH_KM = 6371.0


def _place(brigade: Brigade) -> tuple[str, str] | None:
    location = brigade.location
    return (location.prefecture, location.city) if location and location.prefecture and location.city else None


def covers(brigade: Brigade, town: japan.Municipality) -> bool:
    """A brigade covers the town it names, and every ward of the designated city it names."""
    place = _place(brigade)
    if not place or place[0] != town.prefecture:
        return False
    city = place[1].replace(" ", "")
    return city == town.label or town.ward_of == city


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance (haversine); near enough for 'about 12 km away'."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


class Finder:
    """The brigades with a place on the map, and the answers for each town."""

    def __init__(self, brigades: Sequence[Brigade]):
        self.brigades = sorted(brigades, key=lambda b: b.id)
        self.placed = [b for b in self.brigades if b.location and b.location.coordinates]
        self.placed_ids = {b.id for b in self.placed}
        self.by_prefecture: dict[str, list[Brigade]] = {}
        for brigade in self.brigades:
            if prefecture_of(brigade):
                self.by_prefecture.setdefault(brigade.location.prefecture, []).append(brigade)

    def covering(self, town: japan.Municipality) -> list[Brigade]:
        return [b for b in self.by_prefecture.get(town.prefecture, []) if covers(b, town)]

    def nearest(self, town: japan.Municipality, leave_out: Sequence[Brigade] = ()) -> list[tuple[Brigade, float]]:
        """The nearest brigades with coordinates, nearest first, and how far their point is."""
        skip = {b.id for b in leave_out}
        found = ((distance_km(town.lat, town.lon, b.location.coordinates.lat, b.location.coordinates.lon), b.id, b)
                 for b in self.placed if b.id not in skip)
        return [(b, km) for km, _, b in heapq.nsmallest(NEAREST, found)]

    def thematic(self) -> list[Brigade]:
        """Brigades that work on a theme anywhere rather than in one place: open to everyone, wherever they live."""
        return [b for b in self.brigades if b.scope == "thematic"]


def _brigade(brigade: Brigade, page: str) -> dict:
    return {"name": brigade.name.ja, "en": english_name(brigade), "href": relative(page, brigade_path(brigade))}


def prefecture_towns(prefecture: japan.Prefecture, finder: Finder) -> list[dict]:
    """Every town of a prefecture with its answer, for the prefecture's page: who covers it, else who is nearest."""
    page = prefecture_path(prefecture)
    towns = []
    for town in (t for t in japan.municipalities() if t.prefecture == prefecture.name):
        covering = finder.covering(town)
        nearest = [] if covering else finder.nearest(town)
        towns.append({"name": town.label, "kana": town.kana.replace(" ", ""),
                      "covering": [_brigade(b, page) for b in covering],
                      "nearest": [{**_brigade(b, page), "km": round(km)} for b, km in nearest]})
    return towns


def town_index(finder: Finder) -> dict:
    """api/towns.json: every town with the keys people search by, and every brigade the answers may name.

    Distances are worked out in the browser, for the few towns a search finds. Towns are rows of TOWN_FIELDS
    and refer to prefectures and brigades by their place in those lists: 1,916 named keys each would double
    the file (about 140 KB this way, 40 KB compressed).
    """
    order = {b.id: i for i, b in enumerate(finder.brigades)}
    prefectures = japan.prefectures()
    codes = {p.name: i for i, p in enumerate(prefectures)}
    brigades = [{"id": b.id, "name": b.name.ja, "en": english_name(b) or "", "href": brigade_path(b),
                 "prefecture": codes.get(b.location.prefecture if b.location else None),
                 "lat": b.location.coordinates.lat if b.id in finder.placed_ids else None,
                 "lon": b.location.coordinates.lon if b.id in finder.placed_ids else None,
                 "thematic": b.scope == "thematic"} for b in finder.brigades]
    towns = [[t.label, t.kana.replace(" ", ""), t.romaji, codes[t.prefecture], round(t.lat, 3), round(t.lon, 3),
              [order[b.id] for b in finder.covering(t)]] for t in japan.municipalities()]
    return {"version": 1, "fields": TOWN_FIELDS, "towns": towns, "brigades": brigades,
            "prefectures": [{"name": p.name, "href": prefecture_path(p)} for p in prefectures]}


TOWN_FIELDS = ["name", "kana", "romaji", "prefecture", "lat", "lon", "covering"]
