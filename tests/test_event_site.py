"""End to end: fictional brigades fetched from a local server, then built; their events reach every page and feed.

Also the real site with the real archive: every archived event is shown once, with the precision really known.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date
from pathlib import Path

import icalendar
import pytest
import vobject

from brigadehub.core.validate import check_paths
from brigadehub.events import gather
from brigadehub.events.feeds import window_events
from conftest import NOW, ROOT, TODAY, FetchSite, copy_project, run_brigadehub

FEEDS = ("feeds/all.ics", "feeds/online.ics", "feeds/brigades/code-for-example.ics",
         "feeds/brigades/code-for-sample.ics", "feeds/prefectures/ishikawa.ics", "feeds/regions/chubu.ics")


@pytest.fixture(scope="module")
def fetched_site(make_httpserver, tmp_path_factory):
    """Run `brigadehub fetch` against the local server, then `brigadehub build` from what it wrote."""
    make_httpserver.clear()
    tmp_path = tmp_path_factory.mktemp("fetched")
    site = FetchSite(make_httpserver, tmp_path)
    site.serve()
    brigadehub = run_brigadehub
    fetch = brigadehub("fetch", "--brigades", str(site.brigades_dir), "--data", str(site.data), "--now",
                       NOW.isoformat(), env=site.env())
    assert fetch.returncode == 0, fetch.stdout + fetch.stderr
    project = copy_project(tmp_path / "project")
    built = tmp_path / "built"
    build = brigadehub("build", "--brigades", str(site.brigades_dir), "--data", str(site.data), "--site", str(built),
                       "--today", TODAY, cwd=project, env={"BRIGADEHUB_SITE_URL": "https://hub.example.org/"})
    assert build.returncode == 0, build.stdout + build.stderr
    checked = check_paths(sorted(site.brigades_dir.glob("*.yml")))
    all_events = gather.collect_events(checked.brigades, site.data, date.fromisoformat(TODAY))
    make_httpserver.clear()
    return built, all_events


def _read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_fetched_events_appear_on_every_page_that_lists_them(fetched_site):
    built, all_events = fetched_site
    upcoming = gather.upcoming_events(all_events, date.fromisoformat(TODAY))
    assert {e.source for e in upcoming} >= {"connpass", "doorkeeper", "ical", "meetup", "hand"}
    listing = _read(built, "events")
    assert all(_ics("events", e) in listing for e in upcoming if e.exact)
    example = [e for e in upcoming if e.host == "code-for-example" and e.exact]
    for page in ("brigades/code-for-example", "prefectures/ishikawa", "regions/chubu"):
        html = _read(built, page)
        assert all(_ics(page, e) in html for e in example), page
    home = (built / "index.html").read_text(encoding="utf-8")
    assert len(ITEM.findall(home)) == min(6, len(upcoming))


# An event item (a title, or "cancelled", after its time); only the listings with the filter give it data-*.
ITEM = re.compile(r'<li[^>]*><time datetime="[^"]*">[^<]*</time> <(?:b>|strong )')


def _ics(page: str, event) -> str:
    """The relative link from a page to an event's single .ics file."""
    from urllib.parse import quote

    return "../" * (page.count("/") + 1) + "feeds/events/" + quote(event.uid, safe="") + ".ics"


@pytest.mark.parametrize("feed", FEEDS)
def test_every_feed_parses_with_icalendar_and_vobject(fetched_site, feed):
    built, _ = fetched_site
    raw = (built / feed).read_bytes()
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar.get_missing_tzids() == set()
    assert all(not component.errors for component in calendar.walk())
    uids = [str(e["UID"]) for e in calendar.events]
    assert len(uids) == len(set(uids))
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in raw and b"X-WR-CALNAME:" in raw
    parsed = vobject.readOne(raw.decode("utf-8"), validate=True)
    assert len(getattr(parsed, "vevent_list", [])) == len(uids)


def test_feeds_carry_the_events_of_their_brigade_place_and_kind(fetched_site):
    built, all_events = fetched_site

    def uids(feed):
        return {str(e["UID"]) for e in icalendar.Calendar.from_ical((built / feed).read_bytes()).events}

    def expected(chosen):
        return {f"{e.uid}@brigadehub" for e in chosen if e.exact}

    # One window for every feed: what is to come and the last 180 days (issue 10, item 8).
    national = window_events(all_events, date.fromisoformat(TODAY))
    assert len(national) < len(all_events)  # the fixtures hold events older than the window
    example = [e for e in national if "code-for-example" in (e.host, *e.co_hosts)]
    assert expected(example) == uids("feeds/brigades/code-for-example.ics")
    # Code for Sample names no prefecture: its events are in Ishikawa's feed only when Code for Example co-hosts.
    ishikawa = [e for e in national if "code-for-example" in (e.host, *e.co_hosts)]
    assert uids("feeds/prefectures/ishikawa.ics") == uids("feeds/regions/chubu.ics") == expected(ishikawa)
    assert uids("feeds/all.ics") == expected(national) > expected(ishikawa)
    assert uids("feeds/online.ics") == expected(e for e in national if e.online)
    assert uids("feeds/online.ics")  # the fixtures hold online events
    upcoming = gather.upcoming_events(all_events, date.fromisoformat(TODAY))
    for event in (e for e in upcoming if e.exact):
        single = built / "feeds" / "events" / f"{event.uid}.ics"
        assert str(icalendar.Calendar.from_ical(single.read_bytes()).events[0]["UID"]) == f"{event.uid}@brigadehub"
    singles = {p.stem for p in (built / "feeds" / "events").glob("*.ics")}
    assert singles == {e.uid for e in upcoming if e.exact}  # a download for what is to come, not for the past


def test_the_calendar_page_offers_apple_google_outlook_and_the_address(fetched_site):
    built, _ = fetched_site
    html = _read(built, "calendars")
    assert 'href="webcal://hub.example.org/feeds/prefectures/ishikawa.ics"' in html
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fhub.example.org%2Ffeeds%2Fall.ics" in html
    assert ("https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fhub.example.org%2Ffeeds%2Fall.ics"
            "&amp;name=Brigade%20Hub%20" in html)
    assert 'value="https://hub.example.org/feeds/brigades/code-for-example.ics"' in html


def test_an_event_offers_a_single_download_and_a_google_link(fetched_site):
    built, all_events = fetched_site
    html = _read(built, "brigades/code-for-example")
    # The Google link is made by brigadehub.js from the parts on the .ics link (test_hostile.py opens it).
    assert "calendar.google.com/calendar/render?action" not in html
    assert re.search(r'href="\.\./\.\./feeds/events/[^"]+\.ics" download data-dates="\d{8}T\d{6}/\d{8}T\d{6}"', html)


# --- the real site with the real archive ----------------------------------------------------------------------


def test_every_archived_event_is_on_a_year_page_once(real_site):
    archive = json.loads((ROOT / "data" / "archive" / "events.json").read_text(encoding="utf-8"))["events"]
    listed = sum(_read(real_site.path, f"events/{year}").count(' data-prefectures="')
                 for year in range(2013, 2027) if (real_site.path / "events" / str(year)).is_dir())
    assert listed == len(archive) == 526


def test_an_archive_page_s_headings_skip_no_level(real_site):
    """axe's heading-order: a year page went from its h1 straight to an h3 for each month."""
    for page in ("events/2018", "events", "en/events/2018", "brigades/code-for-harima"):
        article = _read(real_site.path, page).split("<article", 1)[1].split("</article>", 1)[0]
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", article)]
        assert len(levels) > 1 and levels[0] == 1, page
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (page, levels)


def test_archive_dates_show_only_the_precision_that_is_known(real_site):
    html = _read(real_site.path, "events/2018")
    assert "2018年3月ごろ" in html  # Open Data Day events with no stated day
    assert re.search(r"2018年3月3日（土）", html)  # a stated day, with its weekday
    exact = [e for e in json.loads((ROOT / "data" / "archive" / "events.json").read_text(encoding="utf-8"))["events"]
             if e["precision"] in {"time", "day"}]
    assert len(exact) == 311
    # Archived events are past: a page offers no download for them, and the site makes none (issue 11).
    assert not (real_site.path / "feeds" / "events").exists()
    assert '.ics" download' not in html and "calendar.google.com" not in html


def test_real_brigades_show_only_archived_events_and_when_they_last_met(real_site):
    checked = check_paths(sorted(p for p in (ROOT / "brigades").glob("*.yml") if not p.name.startswith("_")))
    real_events = gather.collect_events(checked.brigades, ROOT / "data", date.fromisoformat(TODAY))
    assert {e.source for e in real_events} == {"archive"}
    harima = _read(real_site.path, "brigades/code-for-harima")
    held = [e for e in real_events if "code-for-harima" in (e.host, *e.co_hosts)]
    # A brigade's page lists its latest ten, then links to the year pages narrowed to it (issue 11).
    assert len(held) == 97 and len(ITEM.findall(harima)) == 10
    years = sorted({e.start.year for e in held}, reverse=True)
    links = re.findall(r'<a href="\.\./\.\./events/(\d{4})/\?brigade=code-for-harima">\d{4}年（(\d+) 件）</a>', harima)
    assert [int(year) for year, _ in links] == years and sum(int(n) for _, n in links) == 97
    # Its Open Data Day 2026 event, 2026-03-10: within the 12 months before TODAY (2026-11-26).
    assert ('<dt>活動の記録</dt><dd><span class="bh-activity bh-activity--active">直近 12 か月に記録あり</span> '
            '<span class="bh-muted">（最後のイベント: 2026年3月10日）</span></dd>') in harima
    adachi = _read(real_site.path, "brigades/code-for-adachi")  # no event or other record at all
    assert '<span class="bh-activity bh-activity--none">記録なし</span></dd>' in adachi and "最後の" not in adachi


def test_script_in_a_fetched_title_never_reaches_a_page_as_markup(fetched_site):
    built, all_events = fetched_site
    assert any("年末LT大会" in e.title for e in all_events)  # the hostile connpass event was fetched
    for html_path in built.rglob("*.html"):
        html = html_path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "javascript:alert" not in html, html_path


def test_the_status_page_lists_every_source_and_what_its_fetch_did(fetched_site):
    built, _ = fetched_site
    html = _read(built, "status")
    assert "最後の取得: 2026-11-26T12:00:00+09:00（取得 6 ・ 変更なし 0 ・ 失敗 0 ・ スキップ 0）" in html
    assert html.count("<tr><td>") == 6
    assert "<td>connpass codeforexample</td><td>取得</td>" in html
