"""Find the brigades for every municipality of Japan: those that cover it, those of its prefecture, the nearest.

The town finder on the home page and in the directory reads api/towns.json and works in the browser; each
prefecture page lists its towns with the same answers, for readers without JavaScript.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Sequence

from brigadehub.core import japan
from brigadehub.core.model import Brigade
from brigadehub.site import english
from brigadehub.site.edition import Edition, relative
from brigadehub.site.pages import brigade_path, english_name, prefecture_of, prefecture_path

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
        # By latitude: the nearest search starts at the town's and stops where no farther one can be nearer.
        self.by_latitude = sorted(self.placed, key=lambda b: b.location.coordinates.lat)
        self.latitudes = [b.location.coordinates.lat for b in self.by_latitude]
        self.by_prefecture: dict[str, list[Brigade]] = {}
        for brigade in self.brigades:
            if prefecture_of(brigade):
                self.by_prefecture.setdefault(brigade.location.prefecture, []).append(brigade)

    def covering(self, town: japan.Municipality) -> list[Brigade]:
        return [b for b in self.by_prefecture.get(town.prefecture, []) if covers(b, town)]

    def nearest(self, town: japan.Municipality, leave_out: Sequence[Brigade] = ()) -> list[tuple[Brigade, float]]:
        """The nearest brigades with coordinates, nearest first (then by id), and how far their point is.

        Brigades are read outward from the town's latitude; a point is never nearer than its difference in
        latitude, so once that difference passes the third nearest found, the rest are skipped: comparing
        every town with every brigade grew as towns × brigades, a minute of the build at 3,000 brigades.
        """
        skip = {b.id for b in leave_out}
        found: list[tuple[float, str, Brigade]] = []
        kept: list[float] = []  # the NEAREST smallest distances so far, negated: a max-heap
        below = bisect.bisect_left(self.latitudes, town.lat) - 1
        above = below + 1
        while below >= 0 or above < len(self.latitudes):
            gap_below = town.lat - self.latitudes[below] if below >= 0 else math.inf
            gap_above = self.latitudes[above] - town.lat if above < len(self.latitudes) else math.inf
            index, gap = (below, gap_below) if gap_below <= gap_above else (above, gap_above)
            # The margin keeps a brigade whose distance rounds to the bound itself.
            if len(kept) == NEAREST and EARTH_KM * math.radians(gap) > -kept[0] + 1e-6:
                break
            below, above = (below - 1, above) if index == below else (below, above + 1)
            brigade = self.by_latitude[index]
            if brigade.id in skip:
                continue
            point = brigade.location.coordinates
            km = distance_km(town.lat, town.lon, point.lat, point.lon)
            found.append((km, brigade.id, brigade))
            if len(kept) < NEAREST:
                heapq.heappush(kept, -km)
            else:
                heapq.heappushpop(kept, -km)
        return [(b, km) for km, _, b in heapq.nsmallest(NEAREST, found)]

    def thematic(self) -> list[Brigade]:
        """Brigades that work on a theme anywhere rather than in one place: open to everyone, wherever they live."""
        return [b for b in self.brigades if b.scope == "thematic"]


def _brigade(edition: Edition, brigade: Brigade, page: str) -> dict:
    return {"name": edition.name(brigade), "href": relative(page, brigade_path(brigade))}


def prefecture_towns(edition: Edition, prefecture: japan.Prefecture, finder: Finder) -> list[dict]:
    """Every town of a prefecture with its answer, for the prefecture's page: who covers it, else who is nearest.

    A town is named as the edition reads it, with another name beside it: its kana, or its Japanese name."""
    page = prefecture_path(prefecture)
    towns = []
    for town in (t for t in japan.municipalities() if t.prefecture == prefecture.name):
        covering = finder.covering(town)
        nearest = [] if covering else finder.nearest(town)
        names = (town.label, town.kana.replace(" ", "")) if edition.japanese else (english.town_name(town), town.label)
        towns.append({"name": names[0], "other": names[1],
                      "covering": [_brigade(edition, b, page) for b in covering],
                      "nearest": [{**_brigade(edition, b, page), "km": round(km)} for b, km in nearest]})
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
