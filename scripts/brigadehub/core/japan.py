"""Japan's 47 prefectures, its 8 regions and its municipalities' coordinates, from the japancode package."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jaconv

# Japan's extreme points, with a margin: Okinotorishima 20.4N, Etorofu 45.6N, Yonaguni 122.9E,
# Minamitorishima 154.0E.
LAT_RANGE = (20.0, 46.0)
LON_RANGE = (122.0, 154.5)

# The usual eight-region division, by JIS X 0401 prefecture code.
REGIONS = (
    ("hokkaido", "北海道", "Hokkaido", range(1, 2)),
    ("tohoku", "東北", "Tohoku", range(2, 8)),
    ("kanto", "関東", "Kanto", range(8, 15)),
    ("chubu", "中部", "Chubu", range(15, 24)),
    ("kinki", "近畿", "Kinki", range(24, 31)),
    ("chugoku", "中国", "Chugoku", range(31, 36)),
    ("shikoku", "四国", "Shikoku", range(36, 40)),
    ("kyushu-okinawa", "九州・沖縄", "Kyushu and Okinawa", range(40, 48)),
)

# The seat of each prefecture's government (都道府県庁所在地), as listed by the Geospatial Information
# Authority of Japan (https://www.gsi.go.jp/KOKUJYOHO/center.htm). Only the name is taken from there;
# the coordinates come from japancode's municipality data.
PREFECTURE_SEATS = (
    "札幌市", "青森市", "盛岡市", "仙台市", "秋田市", "山形市", "福島市", "水戸市", "宇都宮市", "前橋市",
    "さいたま市", "千葉市", "新宿区", "横浜市", "新潟市", "富山市", "金沢市", "福井市", "甲府市", "長野市",
    "岐阜市", "静岡市", "名古屋市", "津市", "大津市", "京都市", "大阪市", "神戸市", "奈良市", "和歌山市",
    "鳥取市", "松江市", "岡山市", "広島市", "山口市", "徳島市", "高松市", "松山市", "高知市", "福岡市",
    "佐賀市", "長崎市", "熊本市", "大分市", "宮崎市", "鹿児島市", "那覇市",
)


@dataclass(frozen=True)
class Region:
    slug: str
    name: str
    name_en: str


@dataclass(frozen=True)
class Prefecture:
    code: int
    name: str
    name_en: str
    kana: str
    slug: str
    region: Region


@dataclass(frozen=True)
class Municipality:
    prefecture: str
    name: str
    kana: str
    lat: float
    lon: float

    @property
    def ward_of(self) -> str | None:
        """The designated city a ward belongs to (札幌市 for 札幌市 中央区); Tokyo's 23 wards stand alone."""
        return self.name.split(" ")[0] if " " in self.name else None

    @property
    def label(self) -> str:
        return self.name.replace(" ", "")

    @property
    def romaji(self) -> str:
        """The name in plain romaji, as people type it: 野々市市 → nonoichi, 大分市 → oita, a ward by its own name."""
        name, kana = self.name.split(" ")[-1], self.kana.split(" ")[-1]
        suffix = next((k for k in KANA_SUFFIXES.get(name[-1], ()) if kana.endswith(k) and len(kana) > len(k)), "")
        return plain_romaji(kana.removesuffix(suffix))


# The readings of a municipality's last character, left out of its romaji: people type "nonoichi", not "nonoichishi".
KANA_SUFFIXES = {"市": ("し",), "区": ("く",), "町": ("ちょう", "まち"), "村": ("むら", "そん")}
LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"))


def plain_romaji(kana: str) -> str:
    """Hepburn romaji without long vowels, the way names are written on signs and typed: とうきょう → tokyo."""
    text = jaconv.kana2alphabet(jaconv.kata2hira(kana)).replace(" ", "")
    for long, short in LONG_VOWELS:
        text = text.replace(long, short)
    return text


def _load_json(name: str) -> list[dict]:
    return json.loads(resources.files("japancode").joinpath("data", name).read_text("utf-8"))


def _region_for(code: int) -> Region:
    for slug, name, name_en, codes in REGIONS:
        if code in codes:
            return Region(slug, name, name_en)
    raise ValueError(code)


@cache
def prefectures() -> tuple[Prefecture, ...]:
    """Return the 47 prefectures in JIS X 0401 order."""
    return tuple(
        Prefecture(
            code=int(row["pid"]),
            name=row["pref"],
            name_en=row["pref_en"],
            kana=row["prefkana"],
            slug=row["pref_en"].lower(),
            region=_region_for(int(row["pid"])),
        )
        for row in _load_json("prefectures.json")
    )


@cache
def regions() -> tuple[Region, ...]:
    return tuple(Region(slug, name, name_en) for slug, name, name_en, _ in REGIONS)


@cache
def prefecture_names() -> tuple[str, ...]:
    return tuple(p.name for p in prefectures())


def find_prefecture(name: str) -> Prefecture | None:
    return next((p for p in prefectures() if p.name == name), None)


def _normalise_city(name: str) -> str:
    # The ministry's list writes 茅ヶ崎市 where many sources write 茅ケ崎市.
    name = unicodedata.normalize("NFKC", name).replace("ケ", "ヶ").replace(" ", "")
    return name


@cache
def _municipality_index() -> dict[tuple[str, str], Municipality]:
    index = {}
    for row in _load_json("municipalities.json"):
        town = Municipality(row["pref"], row["city"], row["citykana"], row["lat"], row["lng"])
        index[(row["pref"], _normalise_city(row["city"]))] = town
    return index


@cache
def municipalities() -> tuple[Municipality, ...]:
    """Every municipality and every ward of a designated city, in the ministry's order."""
    return tuple(_municipality_index().values())


def find_municipality(prefecture: str, city: str) -> Municipality | None:
    """Find a city, ward, town or village by its exact name (茅ケ崎市 and 茅ヶ崎市 alike)."""
    return _municipality_index().get((prefecture, _normalise_city(city)))


def prefecture_seat(prefecture: str) -> Municipality | None:
    """Return the municipality that holds a prefecture's government, with its coordinates."""
    found = find_prefecture(prefecture)
    return find_municipality(prefecture, PREFECTURE_SEATS[found.code - 1]) if found else None


def in_japan(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]
