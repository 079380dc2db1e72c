"""Tests for site/towns.py and core/japan's town keys: every municipality leads to brigades, by any spelling."""

from __future__ import annotations

import json
import random

import pytest

from brigadehub.core import japan
from brigadehub.core.model import Brigade
from brigadehub.site import towns

# Twenty towns across all eight regions, each as a resident might type it.
TWENTY = [("旭川市", "あさひかわ"), ("盛岡市", "morioka"), ("石巻市", "石巻"), ("つくば市", "tsukuba"),
          ("高崎市", "たかさき"), ("藤沢市", "fujisawa"), ("野々市市", "ののいち"), ("松本市", "matsumoto"),
          ("浜松市", "浜松"), ("加古川市", "kakogawa"), ("奈良市", "なら"), ("豊中市", "toyonaka"), ("倉敷市", "倉敷"),
          ("出雲市", "izumo"), ("松山市", "まつやま"), ("高知市", "kochi"), ("佐世保市", "sasebo"),
          ("別府市", "べっぷ"), ("宮崎市", "miyazaki"), ("那覇市", "naha")]


def _town(name: str) -> japan.Municipality:
    return next(t for t in japan.municipalities() if t.label == name)


def _brigade(brigade_id: str, prefecture: str, city: str | None, lat: float, lon: float) -> Brigade:
    location = {"prefecture": prefecture, "coordinates": {"lat": lat, "lon": lon, "precision": "city"},
                **({"city": city} if city else {})}
    return Brigade.model_validate({"id": brigade_id, "name": {"ja": brigade_id}, "status": "active",
                                   "location": location, "sources": ["a test fixture"]})


@pytest.mark.parametrize(("name", "romaji"), [("野々市市", "nonoichi"), ("藤沢市", "fujisawa"), ("大分市", "oita"),
                                             ("一戸町", "ichinohe"), ("十日町市", "tokamachi")])
def test_a_town_is_keyed_by_the_romaji_people_type(name, romaji):
    assert _town(name).romaji == romaji


def test_every_town_of_japan_is_there_with_its_kana_and_romaji():
    every = japan.municipalities()
    assert len(every) == 1916 and all(t.kana and t.romaji.isascii() and t.romaji.isalpha() for t in every)
    assert _town("札幌市中央区").ward_of == "札幌市" and _town("千代田区").ward_of is None


def test_a_brigade_covers_its_city_and_the_wards_of_its_designated_city():
    sapporo = _brigade("code-for-example", "北海道", "札幌市", 43.06, 141.35)
    finder = towns.Finder([sapporo])
    assert finder.covering(_town("札幌市中央区")) == [sapporo] and finder.covering(_town("札幌市")) == [sapporo]
    assert finder.covering(_town("旭川市")) == []


def test_the_nearest_brigades_come_with_their_distance():
    kanazawa = _brigade("code-for-example", "石川県", "金沢市", 36.5613, 136.6562)
    far = _brigade("code-for-sample", "沖縄県", None, 26.2124, 127.6809)
    [(first, km), (second, _)] = towns.Finder([far, kanazawa]).nearest(_town("野々市市"))
    assert (first, second) == (kanazawa, far) and 5 < km < 10  # the two offices are about 7 km apart


def test_the_nearest_search_skips_only_brigades_that_cannot_be_nearer():
    """Issue 11: the search stops early by latitude; it finds what comparing with every brigade finds, ties too."""
    rng = random.Random(11)
    spots = [(rng.uniform(24, 45), rng.uniform(123, 146)) for _ in range(40)]
    brigades = [_brigade(f"code-for-b{i:03d}", "東京都", None, *spots[i % 40]) for i in range(120)]  # 3 a spot
    finder = towns.Finder(brigades)
    for town in japan.municipalities()[::7]:
        every = sorted((towns.distance_km(town.lat, town.lon, b.location.coordinates.lat,
                                          b.location.coordinates.lon), b.id) for b in brigades)
        assert [(b.id, km) for b, km in finder.nearest(town)] == [(i, km) for km, i in every[:towns.NEAREST]]
        assert finder.nearest(town, brigades[:60])[0][0] in brigades[60:]


def test_the_index_refers_to_brigades_and_prefectures_by_their_place_in_the_lists():
    kanazawa = _brigade("code-for-example", "石川県", "金沢市", 36.5613, 136.6562)
    index = towns.town_index(towns.Finder([kanazawa]))
    row = next(r for r in index["towns"] if r[0] == "金沢市")
    town = dict(zip(index["fields"], row, strict=True))
    assert town["covering"] == [0] and index["brigades"][0]["href"] == "brigades/code-for-example/"
    assert index["prefectures"][town["prefecture"]] == {"name": "石川県", "href": "prefectures/ishikawa/"}
    assert len(json.dumps(index, ensure_ascii=False, separators=(",", ":"))) < 160_000


def test_each_prefecture_page_lists_its_towns_with_an_answer_for_each(real_site):
    """Without JavaScript: home → 地域から探す → the prefecture's page, where every town has its brigades."""
    home = (real_site.path / "index.html").read_text(encoding="utf-8")
    assert 'href="prefectures/"' in home
    for name, _ in TWENTY:
        prefecture = japan.find_prefecture(_town(name).prefecture)
        page = (real_site.path / "prefectures" / prefecture.slug / "index.html").read_text(encoding="utf-8")
        line = next(li for li in page.split("<li>") if f'<span class="bh-towns__name">{name}</span>' in li)
        assert 'href="../../brigades/' in line, (name, line[:200])


def test_the_english_prefecture_page_names_each_town_in_romaji_beside_its_japanese_name():
    """Issue 13: the town list of a prefecture's English page."""
    from brigadehub.site.edition import ENGLISH, JAPANESE

    kanazawa = _brigade("code-for-example", "石川県", "金沢市", 36.56, 136.65)
    finder = towns.Finder([kanazawa])
    ishikawa = japan.find_prefecture("石川県")
    english = {t["name"]: t for t in towns.prefecture_towns(ENGLISH, ishikawa, finder)}
    assert english["Kanazawa"]["other"] == "金沢市" and english["Kanazawa"]["covering"][0]["href"] == \
        "../../brigades/code-for-example/"
    assert english["Nonoichi"]["nearest"][0]["km"] > 0
    japanese = {t["name"]: t for t in towns.prefecture_towns(JAPANESE, ishikawa, finder)}
    assert japanese["野々市市"]["other"] == "ののいちし"
