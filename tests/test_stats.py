"""Tests for site/stats.py and its charts: the counts against the archive, the geometry, the statistics page and
the sparklines in the built site (issue 12, item 4). tests/test_browser.py opens them in real Chromium."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from datetime import date, datetime

import pytest
import yaml

from brigadehub import pipeline
from brigadehub.core import japan
from brigadehub.core.model import TOKYO, Event
from brigadehub.events import gather
from brigadehub.site import stats
from brigadehub.site.edition import ENGLISH as EN
from brigadehub.site.edition import JAPANESE as JA
from brigadehub.site.event_pages import Directory
from brigadehub.site.render import render
from conftest import ROOT, TODAY
from test_site import document

BUILD_DAY = date.fromisoformat(TODAY)
ARCHIVE = ROOT / "data" / "archive" / "events.json"
APPROXIMATE = {"month", "year", "around"}


@functools.cache
def _real() -> tuple:
    brigades = pipeline.check_folder(ROOT / "brigades").brigades
    return brigades, gather.collect_events(brigades, ROOT / "data", BUILD_DAY)


@functools.cache
def _tally() -> stats.Tally:
    brigades, events = _real()
    return stats.Tally(events, Directory.of(brigades, BUILD_DAY))


@functools.cache
def _archive() -> list[dict]:
    """The archive as its JSON says, read without the Event model: the counts are checked against this."""
    return json.loads(ARCHIVE.read_text(encoding="utf-8"))["events"]


@functools.cache
def _prefecture_of_brigade() -> dict[str, str | None]:
    """Each brigade file's prefecture, read from the YAML itself."""
    found = {}
    for path in pipeline.brigade_files(ROOT / "brigades"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["id"]] = (data.get("location") or {}).get("prefecture")
    return found


def _held(row: dict) -> bool:
    return row["status"] != "cancelled" and row["start"][:10] <= TODAY


def _hosts(row: dict) -> list[str]:
    return [h for h in (row["host"], *row["co_hosts"]) if h in _prefecture_of_brigade()]


# --- the counts, against the archive ------------------------------------------------------------------------


def test_the_real_events_are_the_archive_alone():
    """The other checks compare with the archive's JSON, which holds only if nothing else adds events yet."""
    assert len(_real()[1]) == len(_archive()) == 526
    assert all(_held(row) for row in _archive())


def test_events_per_year_in_the_country_match_the_archive():
    page = _tally().page(JA)
    expected = Counter(int(row["start"][:4]) for row in _archive() if _held(row))
    approximate = Counter(int(row["start"][:4]) for row in _archive() if _held(row) and row["precision"] in APPROXIMATE)
    bars = page["national"]["bars"]
    assert [b["year"] for b in bars] == list(range(2013, 2027))
    assert {b["year"]: b["total"] for b in bars} == {year: expected[year] for year in range(2013, 2027)}
    assert {b["year"]: b["approximate"] for b in bars} == {year: approximate[year] for year in range(2013, 2027)}
    assert (page["national"]["total"], page["national"]["approximate"]) == (526, 215)
    assert (page["national"]["peak_year"], page["national"]["peak"]) == (2015, 72)
    assert page["precision"] == {"month": 32, "year": 1, "around": 182}


def test_events_per_region_match_the_archive_and_those_without_a_known_host_are_counted_apart():
    regions = _tally().page(JA)["regions"]
    expected: dict[str, Counter] = {r.name + "地方": Counter() for r in japan.regions()}
    expected["地域不明・全国"] = Counter()
    for row in filter(_held, _archive()):
        places = {japan.find_prefecture(p).region.name + "地方"
                  for p in (_prefecture_of_brigade()[h] for h in _hosts(row)) if p}
        for place in places or {"地域不明・全国"}:
            expected[place][int(row["start"][:4])] += 1
    panels = {panel["name"]: panel for panel in regions["panels"]}
    assert list(panels) == list(expected)
    for name, counts in expected.items():
        assert {b["year"]: b["total"] for b in panels[name]["bars"] if b["total"]} == dict(counts), name
    assert panels["近畿地方"]["total"] == 201 and panels["地域不明・全国"]["total"] == 53
    assert [row["counts"] for row in regions["rows"]] == [[panel["bars"][i]["total"] for panel in panels.values()]
                                                          for i in range(14)]
    assert regions["largest"] == max(b["total"] for panel in panels.values() for b in panel["bars"])


def test_brigades_and_events_per_prefecture_match_the_brigade_files_and_the_archive():
    tiles = _tally().page(JA)["tiles"]
    brigades = Counter(_prefecture_of_brigade().values())
    events = Counter(p for row in filter(_held, _archive())
                     for p in {_prefecture_of_brigade()[h] for h in _hosts(row)} if p)
    assert [t["name"] for t in tiles["tiles"]] == [p.name for p in japan.prefectures()]
    assert {t["name"]: t["count"] for t in tiles["tiles"]} == {p.name: brigades[p.name] for p in japan.prefectures()}
    assert {t["name"]: t["events"] for t in tiles["tiles"]} == {p.name: events[p.name] for p in japan.prefectures()}
    assert tiles["elsewhere"] == brigades[None] == 9
    assert sum(t["count"] for t in tiles["tiles"]) + tiles["elsewhere"] == 116
    tokyo = next(t for t in tiles["tiles"] if t["name"] == "東京都")
    assert (tokyo["short"], tokyo["count"], tokyo["shade"], tokyo["href"]) == ("東京", 16, "4", "../prefectures/tokyo/")


def test_a_brigades_sparkline_counts_its_hosted_and_co_hosted_events_per_year():
    brigades, _ = _real()
    harima = next(b for b in brigades if b.id == "code-for-harima")
    line = _tally().brigade_sparkline(harima)
    expected = Counter(int(row["start"][:4]) for row in _archive() if "code-for-harima" in _hosts(row))
    assert {b["year"]: b["total"] for b in line["bars"] if b["total"]} == dict(expected)
    assert (line["total"], line["first"], line["last"], line["stats"]) == (97, 2013, 2026, "../../stats/")
    assert len(line["bars"]) == 14  # the country's span, so that sparklines compare


def test_a_brigade_or_prefecture_without_events_has_no_sparkline():
    brigades, _ = _real()
    quiet = [b for b in brigades if not _tally().of(b)]
    assert quiet and all(_tally().brigade_sparkline(b) is None for b in quiet)
    assert _tally().prefecture_sparkline(japan.find_prefecture("高知県")) is None
    assert _tally().prefecture_sparkline(japan.find_prefecture("兵庫県"))["total"] > 0


def _event(uid: str, start, precision: str = "day", status: str = "confirmed", host: str = "code-for-harima"):
    return Event(uid=uid, title=uid, start=start, end=None, source="archive", source_id=uid, host=host,
                 host_name=host, status=status, precision=precision)


def test_an_event_known_to_the_month_year_or_around_a_day_counts_in_its_year_as_approximate():
    brigades, _ = _real()
    events = [_event("day", date(2020, 3, 7)), _event("around", date(2020, 3, 7), "around"),
              _event("month", date(2020, 6, 1), "month"), _event("year", date(2021, 1, 1), "year"),
              _event("timed", datetime(2021, 5, 1, 14, 0, tzinfo=TOKYO), "time")]
    tally = stats.Tally(events, Directory.of(brigades, BUILD_DAY))
    counts = {c.year: (c.exact, c.approximate) for c in stats.count_years(tally.events, tally.years)}
    assert (counts[2020], counts[2021]) == ((1, 2), (1, 1))


def test_cancelled_and_future_events_are_not_counted_and_the_build_day_is():
    brigades, _ = _real()
    events = [_event("held", BUILD_DAY), _event("cancelled", date(2024, 5, 1), status="cancelled"),
              _event("tomorrow", date(2026, 11, 27)), _event("next-year", date(2027, 2, 1))]
    tally = stats.Tally(events, Directory.of(brigades, BUILD_DAY))
    assert [e.uid for e in tally.events] == ["held"] and tally.upcoming == 2
    assert tally.years == [2026]


def test_bars_are_drawn_to_scale_and_a_single_event_stays_visible():
    counts = [stats.YearCount(2020, 72, 0), stats.YearCount(2021, 1, 0), stats.YearCount(2022, 0, 0),
              stats.YearCount(2023, 20, 16)]
    chart = stats.bars(counts, stats.NATIONAL, 72)
    first, one, none, mixed = chart["bars"]
    assert first["exact_height"] == stats.NATIONAL.height and first["exact_y"] == stats.NATIONAL.top
    assert one["exact_height"] == 2.1 and none["exact_height"] == none["approximate_height"] == 0
    assert mixed["exact_height"] == round(20 * 150 / 72, 1)
    assert mixed["approximate_y"] + mixed["approximate_height"] == pytest.approx(mixed["exact_y"], abs=0.11)
    assert [b["labelled"] for b in chart["bars"]] == [False, True, False, True]  # the latest year is named
    tiny = stats.bars([stats.YearCount(2020, 1, 0)], stats.SPARK, 500)["bars"][0]
    assert tiny["exact_height"] == 1.0
    assert chart["width"] == 2 * 8 + 4 * 32 and chart["base"] == 22 + 150


def test_the_tiles_fill_a_seven_by_seven_grid_once_each():
    positions = list(stats.TILES.values())
    assert sorted(stats.TILES) == list(range(1, 48))
    assert len(set(positions)) == 47 and all(0 <= c < 7 and 0 <= r < 7 for c, r in positions)
    # Hokkaido at the top right, Okinawa at the bottom left, Tokyo beside Kanagawa.
    assert (stats.TILES[1], stats.TILES[47], stats.TILES[13], stats.TILES[14]) == ((6, 0), (0, 6), (5, 5), (5, 6))


# --- the templates ----------------------------------------------------------------------------------------


@functools.cache
def _stats_page() -> str:
    return render(JA, "stats.md", **_tally().page(JA))


def test_the_statistics_page_says_how_it_counts_and_names_every_approximation():
    page = _stats_page()
    assert page.startswith('---\ntitle: "数字で見るブリゲード"\n')
    assert "月までしかわからないもの（32 件）、年までしかわからないもの（1 件）" in page
    assert "「その日ごろ」とわかるもの（182 件）" in page
    assert "2026年は11月26日までの件数です。" in page
    assert "これからのイベントも入っていません" in page  # none in the archive, so no count of 0


def test_every_chart_on_the_page_is_described_for_screen_readers():
    page = _stats_page()
    svgs = re.findall(r"<svg [^>]*>.*?</svg>", page, re.S)
    assert len(svgs) == 1 + 1 + 9  # the tiles, the country, the regions
    for svg in svgs:
        opening = svg.split(">", 1)[0]
        if 'role="group"' in opening:
            assert len(re.findall(r'<a xlink:href="[^"]+" aria-label="[^"]+: ブリゲード \d+ 件">', svg)) == 47
            assert 'aria-labelledby="bh-tiles-caption"' in opening and 'id="bh-tiles-caption"' in page
            continue
        assert 'role="img"' in opening
        label = re.search(r'aria-labelledby="([^"]+)"', opening).group(1)
        title = re.search(rf'<title id="{label}">([^<]+)</title>', svg)
        assert title and re.search(r"\d{4}年から\d{4}年までに \d+ 件", title.group(1)), opening
    assert page.count('<table class="bh-table">') == 3
    assert ('<title id="bh-years-title">全国のイベント数の推移: 2013年から2026年までに 526 件。'
            '最も多いのは 2015年の 72 件</title>') in page


def test_a_sparkline_names_every_years_count_in_its_title():
    brigades, _ = _real()
    harima = next(b for b in brigades if b.id == "code-for-harima")
    html = render(JA, "partials/sparkline.html", sparkline=_tally().brigade_sparkline(harima))
    title = re.search(r'<title id="bh-spark-title">年ごとのイベント数: ([^<]+)</title>', html).group(1)
    counts = {int(y): int(n) for y, n in re.findall(r"(\d{4})年 (\d+) 件", title)}
    assert sum(counts.values()) == 97 and counts[2019] == 15
    assert 'role="img" aria-labelledby="bh-spark-title"' in html and "<figcaption" in html
    assert render(JA, "partials/sparkline.html") == "" and render(JA, "partials/sparkline.html", sparkline=None) == ""


def test_with_no_events_at_all_the_page_says_so_instead_of_drawing_empty_charts():
    brigades, _ = _real()
    page = render(JA, "stats.md", **stats.Tally((), Directory.of(brigades, BUILD_DAY)).page(JA))
    assert "まだイベントの記録がありません。" in page and 'id="bh-years-title"' not in page


def test_the_english_statistics_page_says_it_all_in_english_with_the_same_numbers():
    """Issue 13: the charts' titles, axes and tables of the English edition."""
    page = render(EN, "stats.md", **_tally().page(EN))
    assert page.startswith('---\ntitle: "Brigades in numbers"\n')
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", page)  # the real data's names here are all places
    assert ('<title id="bh-years-title">Japan: 526 events from 2013 to 2026; the most, 72, in 2015</title>'
            in page)
    assert "2026 counts up to 26 Nov." in page and "(to 26 Nov)" in page
    assert '<th scope="col">Year</th><th scope="col">Events</th>' in page
    assert page.count('">Ishikawa</a></th><td>Chubu</td>') == 1
    assert "known to the month (32), to the year (1), or “around” a day, such as Open Data Day (182)" in page
    # A name longer than a tile is drawn to fit it.
    assert ('>Kagoshima</text>' in page and 'textLength="54" lengthAdjust="spacingAndGlyphs">Kagoshima' in page
            and 'lengthAdjust="spacingAndGlyphs">Aomori' not in page)


def test_an_english_sparkline_names_every_years_count_in_english():
    brigades, _ = _real()
    harima = next(b for b in brigades if b.id == "code-for-harima")
    html = render(EN, "partials/sparkline.html", sparkline=_tally().brigade_sparkline(harima))
    title = re.search(r'<title id="bh-spark-title">Events per year: ([^<]+)</title>', html).group(1)
    counts = {int(y): int(n) for y, n in re.findall(r"(\d{4}): (\d+)", title)}
    assert sum(counts.values()) == 97 and counts[2019] == 15
    assert "national figures</a>" in html


# --- the built site -----------------------------------------------------------------------------------------


def test_the_statistics_page_is_built_and_linked_from_the_home_page_and_the_nav(real_site):
    html = (real_site.path / "stats" / "index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="bh-') == 11 and html.count('<details class="bh-chart__data"') == 3
    home = document(real_site.path / "index.html")
    links = [a.attrs.get("href") for a in home.find_all("a")]
    assert "stats/" in links
    assert any(a.text.strip() == "統計" for a in home.find_all("a", "md-tabs__link"))


def test_every_tile_links_to_its_prefectures_built_page(real_site):
    html = (real_site.path / "stats" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a xlink:href="([^"]+)"', html)
    assert len(hrefs) == 47
    for href in hrefs:
        assert (real_site.path / "stats" / href / "index.html").resolve().is_file(), href


def test_brigade_and_prefecture_pages_with_events_carry_a_sparkline(real_site):
    brigades, _ = _real()
    for brigade in brigades:
        html = (real_site.path / "brigades" / brigade.id / "index.html").read_text(encoding="utf-8")
        has_events = bool(_tally().of(brigade))
        assert html.count('<figure class="bh-spark"') == int(has_events), brigade.id
        if has_events:
            assert re.search(r'<svg class="bh-spark__svg"[^>]*role="img" aria-labelledby="bh-spark-title">\s*'
                             r'<title id="bh-spark-title">年ごとのイベント数: \d{4}年 \d+ 件', html), brigade.id
    hyogo = (real_site.path / "prefectures" / "hyogo" / "index.html").read_text(encoding="utf-8")
    kochi = (real_site.path / "prefectures" / "kochi" / "index.html").read_text(encoding="utf-8")
    assert 'class="bh-spark"' in hyogo and 'class="bh-spark"' not in kochi
