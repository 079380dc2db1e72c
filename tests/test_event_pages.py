"""Tests for site/event_pages.py: an event's places, its dates as precisely as known, and when it can be added."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

from brigadehub.core.model import TOKYO, Brigade, Event
from brigadehub.events.feeds import google_calendar_link
from brigadehub.site.edition import ENGLISH
from brigadehub.site.edition import JAPANESE as JA
from brigadehub.site.event_pages import Directory, event_item, format_when
from brigadehub.site.render import render

TODAY = date(2026, 11, 26)


def _brigade(brigade_id: str, prefecture: str | None) -> Brigade:
    data = {"id": brigade_id, "name": {"ja": brigade_id}, "status": "active", "sources": ["a test fixture"]}
    return Brigade.model_validate({**data, **({"location": {"prefecture": prefecture}} if prefecture else {})})


DIRECTORY = Directory.of([_brigade("code-for-example", "石川県"), _brigade("code-for-sample", "東京都"),
                          _brigade("code-for-nowhere", None)], TODAY)


def _event(start, host="code-for-example", co_hosts=(), **more) -> Event:
    return Event(uid="connpass-1", title="定例会", start=start, end=None, source="connpass", source_id="1",
                 host=host, host_name=host, co_hosts=co_hosts, **more)


def test_a_co_hosted_event_is_in_every_area_of_its_hosts_so_the_filter_finds_it_there():
    """Issue 10, item 7: the /events/ filter read only the host's prefecture, unlike the pages and feeds."""
    item = event_item(JA, _event(datetime(2026, 12, 12, 14, tzinfo=TOKYO), co_hosts=("code-for-sample",
                                                                               "code-for-nowhere")), "", DIRECTORY,
                      filtered=True)
    assert item["prefectures"] == "ishikawa tokyo"
    html = render(JA, "home-events.md", events=[item])
    # The item names no region and no host id: the filter finds them from the prefectures and from the host
    # links, in the item's first <span> (issue 11, the site's size).
    assert '<li data-prefectures="ishikawa tokyo"><time' in html
    assert "data-regions" not in html and "data-hosts" not in html and "data-online" not in html
    hosts = html.split("</b> <span>", 1)[1].split("</span>", 1)[0]
    assert hosts.count('href="brigades/') == 3 and "共催" in hosts


def test_only_a_listing_with_the_filter_carries_what_the_filter_reads():
    event = _event(datetime(2026, 12, 12, 14, tzinfo=TOKYO), online=True)
    with_filter = render(JA, "home-events.md", events=[event_item(JA, event, "events/", DIRECTORY, filtered=True)])
    without = render(JA, "home-events.md", events=[event_item(JA, event, "prefectures/ishikawa/", DIRECTORY)])
    assert '<li data-prefectures="ishikawa" data-online><time' in with_filter
    assert "<li><time" in without and "data-prefectures" not in without and "data-online" not in without


def test_on_its_hosts_own_page_an_event_names_no_host_but_its_co_hosts_are_named():
    page = "brigades/code-for-example/"  # past events: no links to add them, which are a <span> too
    alone = render(JA, "home-events.md", events=[event_item(JA, _event(datetime(2026, 11, 20, 14, tzinfo=TOKYO)),
                                                                   page, DIRECTORY)])
    shared = render(JA, "home-events.md", events=[event_item(JA, _event(datetime(2026, 11, 20, 14, tzinfo=TOKYO),
                                                                        co_hosts=("code-for-sample",)),
                                                                 page, DIRECTORY)])
    guest = render(JA, "home-events.md", events=[event_item(JA, _event(datetime(2026, 11, 20, 14, tzinfo=TOKYO),
                                                                       host="code-for-sample"), page, DIRECTORY)])
    assert "</b> <span>" not in alone and 'href="./"' not in alone
    assert '</b> <span><a href="./">code-for-example</a>・<a href="../code-for-sample/">code-for-sample</a>' in shared
    assert '</b> <span><a href="../code-for-sample/">code-for-sample</a></span>' in guest


def test_only_an_event_to_come_offers_to_be_added_to_a_calendar():
    coming = event_item(JA, _event(datetime(2026, 11, 26, 19, tzinfo=TOKYO)), "", DIRECTORY)
    past = event_item(JA, _event(datetime(2026, 11, 25, 19, tzinfo=TOKYO)), "", DIRECTORY)
    assert coming["ics"] == "feeds/events/connpass-1.ics"
    assert coming["google"] == {"dates": "20261126T190000/20261126T210000", "host": "code-for-example",
                                "location": "", "text": None}
    assert past["ics"] is None and past["google"] is None
    assert "download" not in render(JA, "home-events.md", events=[past])


def test_an_event_to_come_carries_the_parts_of_its_google_link_for_the_script():
    """The script makes the link (test_hostile.py checks it in Chromium): the page carries only what the item does
    not show, and the title only when the link's differs from the item's."""
    cancelled = _event(datetime(2026, 12, 1, 19, tzinfo=TOKYO), status="cancelled", place="例市 公民館")
    html = render(JA, "home-events.md", events=[event_item(JA, cancelled, "", DIRECTORY)])
    assert ('<a href="feeds/events/connpass-1.ics" download data-dates="20261201T190000/20261201T210000" '
            'data-host="code-for-example" data-location="例市 公民館">.ics</a>') in html
    assert "calendar.google.com" not in html
    tagged = dataclasses.replace(cancelled, title="<b>定例会</b>\n第2回", status="confirmed")
    assert event_item(JA, tagged, "", DIRECTORY)["google"]["text"] == "定例会 第2回"


def test_the_google_calendar_link_is_written_in_the_language_of_its_page():
    """Issue 13: on an English page the link said "主催:" for the host and "オンライン" for an online place. The
    place is on the page; the host's word is brigadehub.js's, which test_hostile.py compares with this link."""
    event = _event(datetime(2026, 11, 26, 19, tzinfo=TOKYO), online=True)
    found = {}
    for edition in (JA, ENGLISH):
        query = parse_qs(urlsplit(google_calendar_link(event, edition.t.calendar_host, edition.t.online)).query)
        found[edition.lang] = (query["details"][0].split(":")[0], query["location"][0],
                               event_item(edition, event, "", DIRECTORY)["google"]["location"])
    assert found == {"ja": ("主催", "オンライン", "オンライン"), "en": ("Host", "Online", "Online")}


def test_dates_are_written_as_precisely_as_they_are_known():
    assert format_when(JA, _event(datetime(2026, 12, 12, 14, tzinfo=TOKYO))) == "2026年12月12日（土）14:00"
    assert format_when(JA, _event(date(2018, 3, 1), precision="around")) == "2018年3月ごろ"
    assert format_when(JA, _event(date(2015, 1, 1), precision="year")) == "2015年"


def test_with_a_long_list_of_brigades_the_calendars_page_links_to_their_pages_instead_of_buttons():
    """Issue 11: a kilobyte of subscribe buttons for each of 1,000 brigades made the page 1 MB."""
    from brigadehub.site.config import Site
    from brigadehub.site.event_pages import LIST_LIMIT, calendars_page

    site = Site(site_url="https://example.org/hub/", repo_url="https://example.org/repo", tiles="https://t/{z}.png",
                attribution="", today=TODAY)
    few = render(JA, "calendars.md", **calendars_page(JA, [_brigade("code-for-example", "石川県")], site, feeds=JA))
    many = render(JA, "calendars.md", **calendars_page(JA, [_brigade(f"code-for-b{i}", "石川県") for i in
                                                   range(LIST_LIMIT + 1)], site, feeds=JA))
    assert "feeds/brigades/code-for-example.ics" in few and "feeds/brigades/code-for-b1.ics" not in many
    assert '<a href="../brigades/code-for-b1/#events">' in many and "feeds/regions/chubu.ics" in many
    assert len(many) - len(few) < 200 * LIST_LIMIT


def test_past_the_directorys_limit_the_calendars_page_links_to_the_directorys_parts():
    """Issue 11: even a link for each brigade made the page 508 KB at 3,000 brigades."""
    from brigadehub.site.config import Site
    from brigadehub.site.event_pages import calendars_page

    site = Site(site_url="https://example.org/hub/", repo_url="https://example.org/repo", tiles="https://t/{z}.png",
                attribution="", today=TODAY)
    brigades = [_brigade("code-for-example", "石川県"), _brigade("code-for-sample", "東京都"),
                _brigade("code-for-nowhere", None)]
    within = render(JA, "calendars.md", **calendars_page(JA, brigades, site, feeds=JA, directory_limit=3))
    past = render(JA, "calendars.md", **calendars_page(JA, brigades, site, feeds=JA, directory_limit=2))
    assert "feeds/brigades/code-for-sample.ics" in within and "code-for-sample" not in past
    assert '<li><a href="../brigades/kanto/">関東地方</a> 1 件</li>' in past
    assert '<li><a href="../brigades/elsewhere/">地域未記載・テーマ型</a> 1 件</li>' in past
    assert '<a href="../brigades/">ブリゲード一覧</a>' in past and "feeds/regions/chubu.ics" in past


# ---- issue 13: the English edition ----

def test_an_english_event_item_says_when_in_english_and_links_to_the_shared_download():
    from brigadehub.site.edition import ENGLISH as EN

    coming = event_item(EN, _event(datetime(2026, 12, 12, 14, tzinfo=TOKYO), co_hosts=("code-for-sample",),
                                   online=True), "brigades/code-for-example/", DIRECTORY)
    assert coming["when"] == "Sat 12 Dec 2026, 14:00 JST" and coming["where"] == "Online"
    assert coming["ics"] == "../../../feeds/events/connpass-1.ics"  # en/brigades/x/ → feeds/ at the root
    html = render(EN, "home-events.md", events=[coming])
    assert '<span lang="ja">定例会</span>' in html and " (co-hosts)" in html
    assert 'data-location="Online">.ics</a>' in html  # brigadehub.js adds "Add to Google Calendar" beside it


def test_the_english_calendars_page_names_each_feed_in_english_and_says_what_a_calendar_app_shows():
    from brigadehub.site.config import Site
    from brigadehub.site.edition import ENGLISH as EN
    from brigadehub.site.event_pages import calendars_page

    site = Site(site_url="https://example.org/hub/", repo_url="https://example.org/repo", tiles="https://t/{z}.png",
                attribution="", today=TODAY)
    page = render(EN, "calendars.md", **calendars_page(EN, [_brigade("code-for-example", "石川県")], site, feeds=JA))
    assert ('<tr><th>Brigade Hub: Chubu<br><span class="bh-muted">In your calendar: '
            'Brigade Hub <span lang="ja">中部地方</span></span></th>') in page
    assert "https://example.org/hub/feeds/regions/chubu.ics" in page  # the one feed, at the root
    assert "&amp;name=Brigade%20Hub%3A%20Chubu" in page  # Outlook names it in English
    assert "<summary>8 calendars</summary>" in page and "Older events are on the [Events](../events/) page." in page
