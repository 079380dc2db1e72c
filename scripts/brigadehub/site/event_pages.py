"""Turn Event records into the plain data of the event listings and the calendar page.

Dates are written here, as precisely as they are known, in the words of the page's edition; the templates in
site/templates/ lay them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from itertools import groupby
from urllib.parse import quote

from brigadehub.core import japan
from brigadehub.core.model import Brigade, Event
from brigadehub.events.feeds import FEED_PAST_DAYS, google_calendar_fields
from brigadehub.events.snapshot import start_key
from brigadehub.site.config import Site
from brigadehub.site.edition import Edition, relative
from brigadehub.site.pages import DIRECTORY_LIMIT, brigade_path, directory_parts, part_links, prefecture_of

LIST_LIMIT = 300  # events one list shows: about 140 KB of a page; longer lists are split by month, then in parts
PAGE_UPCOMING = 100  # events to come on a brigade's page (a weekly meeting for two years)
# On a prefecture's or region's page, many brigades' events: the next few weeks, then the link to the rest on the
# events listing with the area's filter. At 1,000 brigades, 100 made Tokyo's page list 100 of 506 (2.3 MB more
# over the 110 area pages of both editions than 20).
AREA_UPCOMING = 20
RECENT_PAST = 10  # past events on a brigade's or an area's page, before the links to the rest
HOME_EVENTS = 6


@dataclass(frozen=True)
class Directory:
    """The brigades by id and the build's day: an event can name and place its hosts, and know if it is to come."""

    brigades: dict[str, Brigade]
    today: date

    @classmethod
    def of(cls, brigades: Iterable[Brigade], today: date) -> Directory:
        return cls({b.id: b for b in brigades}, today)

    def hosts(self, event: Event) -> list[Brigade]:
        """The host and the co-hosts that are in the directory, host first."""
        return [self.brigades[h] for h in (event.host, *event.co_hosts) if h in self.brigades]

    def prefectures(self, event: Event) -> list[japan.Prefecture]:
        """Where the event's host and co-hosts are, once each: a co-hosted event belongs to each of their areas."""
        return list(dict.fromkeys(p for b in self.hosts(event) if (p := prefecture_of(b))))

    def is_upcoming(self, event: Event) -> bool:
        return start_key(event).date() >= self.today


# --- paths of the feeds -----------------------------------------------------------------------------------


def feed_path(kind: str, slug: str = "") -> str:
    """feeds/all.ics, feeds/online.ics, or feeds/<brigades|prefectures|regions>/<slug>.ics."""
    return f"feeds/{kind}/{slug}.ics" if slug else f"feeds/{kind}.ics"


def event_ics_path(event: Event) -> str:
    return f"feeds/events/{quote(event.uid, safe='')}.ics"


# --- one event --------------------------------------------------------------------------------------------


def format_when(edition: Edition, event: Event) -> str:
    """The date as precisely as it is known: 「2026年12月12日（土）14:00–17:00」, 「2018年3月ごろ」, 「2015年」;
    "Sat 12 Dec 2026, 14:00–17:00 JST", "around Mar 2018", "2015"."""
    start = event.start
    if event.precision == "year":
        return edition.year(start.year)
    if event.precision in {"month", "around"}:
        return edition.month(start.year, start.month, around=event.precision == "around")
    if isinstance(start, datetime):
        return edition.t.say("when_timed", day=edition.date(start, weekday=True), time=start.strftime("%H:%M"),
                             until=_timed_end(edition, start, event.end))
    end = event.end if isinstance(event.end, date) and not isinstance(event.end, datetime) else None
    until = edition.t.say("until_day", day=edition.date(end, weekday=True)) if end and end != start else ""
    return edition.date(start, weekday=True) + until


def _timed_end(edition: Edition, start: datetime, end) -> str:
    if not isinstance(end, datetime):
        return ""
    if end.date() == start.date():
        return edition.t.say("until_time", time=end.strftime("%H:%M"))
    return edition.t.say("until_day_time", day=edition.date(end.date(), weekday=True), time=end.strftime("%H:%M"))


def _iso(event: Event) -> str:
    start = event.start
    if event.precision == "year":
        return f"{start.year:04d}"
    if event.precision in {"month", "around"}:
        return f"{start.year:04d}-{start.month:02d}"
    return start.isoformat()


# An event to come is listed on three pages of an edition on average (its month, its brigade, its prefecture), and
# its link's parts are the same on each. Bounded, as `make serve` renders again and again in one process.
_google_fields = lru_cache(maxsize=1 << 15)(google_calendar_fields)


def event_item(edition: Edition, event: Event, page: str, directory: Directory, filtered: bool = False) -> dict:
    """One event: when and what, its hosts linked, where, and links to add it when it is to come on a known day.
    filtered: the page has the event filter, which reads the item's areas and whether it is online."""
    hosts = directory.hosts(event)
    # On its host's own page an event names no host: each item said the page's title again (1.5 MB at 1k).
    own = [brigade_path(b) for b in hosts] == [page]
    addable = event.exact and directory.is_upcoming(event)
    return {
        # Space-separated, so that the filter finds a co-hosted event in each of its hosts' areas; the filter
        # finds the regions from the prefectures (its options say which region each is in), not from the item.
        # Pages without the filter leave them out: 1 MB of attributes that nothing read at 1k.
        "prefectures": " ".join(p.slug for p in directory.prefectures(event)) if filtered else None,
        "online": int(event.online and filtered), "cancelled": event.status == "cancelled",
        "iso": _iso(event), "when": format_when(edition, event), "title": event.title, "url": event.url,
        "hosts": [] if own else [{"name": edition.name(b), "href": relative(page, brigade_path(b))} for b in hosts],
        "host_name": None if own else event.host_name,
        "where": edition.t.online if event.online else (event.place or ""),
        "ics": edition.shared(page, event_ics_path(event)) if addable else None,
        # The script makes the Google Calendar link from these: written out, the links were 7.3 MB of the 1,000-
        # brigade site, and Google Calendar cannot be used without JavaScript anyway.
        "google": _google_fields(event, edition.t.online) if addable else None,
    }


# --- lists ------------------------------------------------------------------------------------------------


def group_events(edition: Edition, events: Sequence[Event], page: str, directory: Directory, *,
                 by: str = "month", filtered: bool = False) -> list[dict]:
    """Events under a heading per month or per year, in the order given."""
    groups = []
    if by == "month":
        for (year, month), items in groupby(events, key=lambda e: (e.start.year, e.start.month)):
            groups.append({"heading": edition.month(year, month, heading=True),
                           "events": [event_item(edition, e, page, directory, filtered) for e in items]})
    else:
        for year, items in groupby(events, key=lambda e: e.start.year):
            groups.append({"heading": edition.year(year),
                           "events": [event_item(edition, e, page, directory, filtered) for e in items]})
    return groups


def year_path(year: int) -> str:
    return f"events/{year}/"


def month_path(year: int, month: int, part: int = 1) -> str:
    """A month's page of events, events/2026/03/, and its further parts when it holds too many: events/2026/03/2/."""
    return f"events/{year}/{month:02d}/" + (f"{part}/" if part > 1 else "")


def events_section(edition: Edition, upcoming: Sequence[Event], past: Sequence[Event], page: str,
                   directory: Directory, feed: dict, query: str, limit: int = PAGE_UPCOMING) -> dict:
    """The events part of a brigade, prefecture or region page: its feed's subscribe buttons, the next `limit`
    events, the latest past, and links to the rest on the event listings, with the filter (query) that shows only
    these."""
    years = Counter(e.start.year for e in past)
    return {"feed": feed, "calendars": relative(page, "calendars/"),
            "upcoming": group_events(edition, upcoming[:limit], page, directory),
            "more_upcoming": max(0, len(upcoming) - limit), "more_href": relative(page, "events/") + query,
            "past": group_events(edition, past[:RECENT_PAST], page, directory, by="year"), "past_count": len(past),
            "past_shown": min(len(past), RECENT_PAST),
            "past_years": [{"year": year, "count": count, "href": relative(page, year_path(year)) + query}
                           for year, count in sorted(years.items(), reverse=True)] if len(past) > RECENT_PAST else []}


def events_index(edition: Edition, upcoming: Sequence[Event], past_years: Sequence[int], directory: Directory) -> dict:
    """What is to come, as far as one list goes; the months beyond it have pages of their own."""
    later = Counter((e.start.year, e.start.month) for e in upcoming[LIST_LIMIT:])
    return {"title": edition.t.events_title, "description": edition.t.events_description,
            "count": len(upcoming),
            "upcoming": group_events(edition, upcoming[:LIST_LIMIT], "events/", directory, filtered=True),
            "later": [{"label": edition.month(year, month), "href": relative("events/", month_path(year, month))}
                      for year, month in sorted(later)],
            "years": [{"year": year, "label": edition.year(year)} for year in sorted(past_years, reverse=True)],
            **_filters(edition)}


def year_page(edition: Edition, year: int, events: Sequence[Event], directory: Directory) -> dict:
    """A past year: its events by month, or, when they are too many for one page, its months' pages."""
    page = year_path(year)
    months = Counter(e.start.month for e in events)
    split = len(events) > LIST_LIMIT
    t = edition.t
    return {"title": t.say("year_title", year=year), "description": t.say("year_description", year=year),
            "year": year, "count": len(events), "inexact": sum(not e.exact for e in events),
            "groups": [] if split else group_events(edition, events, page, directory, filtered=True),
            "months": [{"label": edition.month(year, month), "count": count,
                        "href": relative(page, month_path(year, month))}
                       for month, count in sorted(months.items(), reverse=True)] if split else [],
            **_filters(edition)}


def month_pages(edition: Edition, year: int, month: int, events: Sequence[Event],
                directory: Directory) -> dict[str, dict]:
    """A month's events in order, in parts of at most LIST_LIMIT, each part linking to the others."""
    chunks = [events[i:i + LIST_LIMIT] for i in range(0, len(events), LIST_LIMIT)] or [()]
    found, t, name = {}, edition.t, edition.month(year, month)
    for part, chunk in enumerate(chunks, 1):
        page = month_path(year, month, part)
        found[page] = {
            "title": t.say("month_title", month=name)
                     + (t.say("month_part", part=part, parts=len(chunks)) if len(chunks) > 1 else ""),
            "description": t.say("month_description", month=name), "count": len(events),
            "groups": group_events(edition, chunk, page, directory, filtered=True),
            "parts": [{"part": n, "href": relative(page, month_path(year, month, n)), "current": n == part}
                      for n in range(1, len(chunks) + 1)] if len(chunks) > 1 else [],
            "up": relative(page, year_path(year) if date(year, month, 1) < directory.today.replace(day=1)
                           else "events/"), **_filters(edition)}
    return found


def _filters(edition: Edition) -> dict:
    return {"regions": [(r.slug, edition.region_short(r)) for r in japan.regions()],
            "prefectures": [(p.slug, edition.prefecture(p), p.region.slug) for p in japan.prefectures()]}


def home_events(edition: Edition, upcoming: Sequence[Event], directory: Directory) -> list[dict]:
    """The next few events, for the snippet in docs/index.md."""
    return [event_item(edition, e, "", directory) for e in upcoming[:HOME_EVENTS]]


# --- the calendar page ----------------------------------------------------------------------------------


def feed_name(edition: Edition, kind: str, place: japan.Region | japan.Prefecture | Brigade | None = None) -> str:
    """A feed's name in an edition's words: Brigade Hub 全国のイベント, Brigade Hub: Ishikawa, a brigade's name.

    The feeds themselves are built once, with the Japanese names (outputs.Listing.feeds)."""
    t = edition.t
    if kind in {"all", "online"}:
        return t.feed_all if kind == "all" else t.feed_online
    if kind == "brigades":
        return edition.name(place)
    return t.say("feed_area", name=edition.region(place) if kind == "regions" else edition.prefecture(place))


def subscription(site: Site, path: str, name: str, shown_as: str | None = None) -> dict:
    """The addresses that subscribe Apple, Google and Outlook to one feed, and the plain one to copy; shown_as is the
    name a calendar app shows, where it is not the one the page gives (the English page's feeds are Japanese)."""
    https = site.absolute(path)
    webcal = "webcal://" + https.split("://", 1)[1]
    return {"name": name, "https": https, "webcal": webcal, "shown_as": shown_as if shown_as != name else None,
            "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
            "outlook": ("https://outlook.live.com/calendar/0/addfromweb?url=" + quote(https, safe="")
                        + "&name=" + quote(name, safe=""))}


def feed_subscription(edition: Edition, site: Site, kind: str, place=None, *, feeds: Edition) -> dict:
    """The subscription of one feed as an edition's page offers it; feeds is the edition the feeds are named in."""
    path = feed_path(kind, place.slug if kind in {"regions", "prefectures"} else place.id if place else "")
    return subscription(site, path, feed_name(edition, kind, place), feed_name(feeds, kind, place))


def calendars_page(edition: Edition, brigades: Sequence[Brigade], site: Site, *, feeds: Edition,
                   directory_limit: int = DIRECTORY_LIMIT) -> dict:
    by_region = sorted(brigades, key=lambda b: ((p := prefecture_of(b)) and p.code or 99, b.name.ja))
    groups = [("national", [("all", None), ("online", None)]), ("regions", [("regions", r) for r in japan.regions()]),
              ("prefectures", [("prefectures", p) for p in japan.prefectures()]),
              ("brigades", [("brigades", b) for b in by_region])]
    t = edition.t
    page = {"title": t.calendars_title, "description": t.calendars_description,
            "past_days": FEED_PAST_DAYS, "groups": [{"title": t.calendar_groups[key], "open": key == "national",
                        "feeds": [feed_subscription(edition, site, kind, place, feeds=feeds) for kind, place in rows]}
                       for key, rows in groups]}
    if len(brigades) > LIST_LIMIT:
        # A kilobyte of buttons for each of thousands of brigades made the page megabytes; each brigade's own
        # page has them, so the long list links there.
        page["groups"][-1]["feeds"] = [{"name": edition.name(b), "shown_as": None,
                                        "page": relative("calendars/", brigade_path(b))} for b in by_region]
    parts = directory_parts(brigades, directory_limit)
    if parts:
        # Even a link each was 508 KB at 3,000 brigades: past the directory's limit, its parts are linked instead.
        page["groups"][-1] = {"title": t.calendar_groups["brigades"], "open": False, "feeds": [],
                              "parts": part_links(edition, parts, "calendars/", None),
                              "directory": relative("calendars/", "brigades/")}
    return page
