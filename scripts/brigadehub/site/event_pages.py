"""Turn Event records into the plain data of the event listings and the calendar page.

Dates are written here, as precisely as they are known; the templates in site/templates/ lay them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from urllib.parse import quote

from brigadehub.core import japan
from brigadehub.core.model import Brigade, Event
from brigadehub.events.feeds import FEED_PAST_DAYS, google_calendar_link
from brigadehub.events.snapshot import start_key
from brigadehub.site.config import Site
from brigadehub.site.pages import DIRECTORY_LIMIT, brigade_path, directory_parts, part_links, prefecture_of, relative

WEEKDAYS = "月火水木金土日"
LIST_LIMIT = 300  # events one list shows: about 140 KB of a page; longer lists are split by month, then in parts
PAGE_UPCOMING = 100  # events to come on a brigade's or an area's page (a weekly meeting for two years)
RECENT_PAST = 10  # past events on a brigade's or an area's page, before the links to the rest
PRECISION_NOTES = {"around": "ごろ", "month": "", "year": ""}
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


def _day(moment: date) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日（{WEEKDAYS[moment.weekday()]}）"


def format_when(event: Event) -> str:
    """The date as precisely as it is known: 「2026年12月12日（土）14:00–17:00」, 「2018年3月ごろ」, 「2015年」."""
    start = event.start
    if event.precision == "year":
        return f"{start.year}年"
    if event.precision in {"month", "around"}:
        return f"{start.year}年{start.month}月{PRECISION_NOTES[event.precision]}"
    if isinstance(start, datetime):
        return _day(start) + start.strftime("%H:%M") + _timed_end(start, event.end)
    end = event.end if isinstance(event.end, date) and not isinstance(event.end, datetime) else None
    return _day(start) + (f"〜{_day(end)}" if end and end != start else "")


def _timed_end(start: datetime, end) -> str:
    if not isinstance(end, datetime):
        return ""
    if end.date() == start.date():
        return "–" + end.strftime("%H:%M")
    return f" 〜 {_day(end.date())}{end.strftime('%H:%M')}"


def _iso(event: Event) -> str:
    start = event.start
    if event.precision == "year":
        return f"{start.year:04d}"
    if event.precision in {"month", "around"}:
        return f"{start.year:04d}-{start.month:02d}"
    return start.isoformat()


def event_item(event: Event, page: str, directory: Directory) -> dict:
    """One event: when and what, its hosts linked, where, and links to add it when it is to come on a known day."""
    prefectures = directory.prefectures(event)
    addable = event.exact and directory.is_upcoming(event)
    return {
        # Space-separated, so that the filter finds a co-hosted event in each of its hosts' areas.
        "regions": " ".join(dict.fromkeys(p.region.slug for p in prefectures)),
        "prefectures": " ".join(p.slug for p in prefectures),
        "online": int(event.online), "cancelled": event.status == "cancelled",
        "iso": _iso(event), "when": format_when(event), "title": event.title, "url": event.url,
        "hosts": [{"name": b.name.ja, "href": relative(page, brigade_path(b))} for b in directory.hosts(event)],
        "host_ids": " ".join(b.id for b in directory.hosts(event)),
        "host_name": event.host_name, "where": "オンライン" if event.online else (event.place or ""),
        "ics": relative(page, event_ics_path(event)) if addable else None,
        "google": google_calendar_link(event) if addable else None,
    }


# --- lists ------------------------------------------------------------------------------------------------


def group_events(events: Sequence[Event], page: str, directory: Directory, *, by: str = "month") -> list[dict]:
    """Events under a heading per month or per year, in the order given."""
    groups = []
    if by == "month":
        for (year, month), items in groupby(events, key=lambda e: (e.start.year, e.start.month)):
            groups.append({"heading": f"{year}年{month}月", "events": [event_item(e, page, directory) for e in items]})
    else:
        for year, items in groupby(events, key=lambda e: e.start.year):
            groups.append({"heading": f"{year}年", "events": [event_item(e, page, directory) for e in items]})
    return groups


def year_path(year: int) -> str:
    return f"events/{year}/"


def month_path(year: int, month: int, part: int = 1) -> str:
    """A month's page of events, events/2026/03/, and its further parts when it holds too many: events/2026/03/2/."""
    return f"events/{year}/{month:02d}/" + (f"{part}/" if part > 1 else "")


def events_section(upcoming: Sequence[Event], past: Sequence[Event], page: str, directory: Directory,
                   feed: dict, query: str) -> dict:
    """The events part of a brigade, prefecture or region page: its feed's subscribe buttons, what is next, the
    latest past, and links to the rest on the event listings, with the filter (query) that shows only these."""
    years = Counter(e.start.year for e in past)
    return {"feed": feed, "calendars": relative(page, "calendars/"),
            "upcoming": group_events(upcoming[:PAGE_UPCOMING], page, directory),
            "more_upcoming": max(0, len(upcoming) - PAGE_UPCOMING), "more_href": relative(page, "events/") + query,
            "past": group_events(past[:RECENT_PAST], page, directory, by="year"), "past_count": len(past),
            "past_shown": min(len(past), RECENT_PAST),
            "past_years": [{"year": year, "count": count, "href": relative(page, year_path(year)) + query}
                           for year, count in sorted(years.items(), reverse=True)] if len(past) > RECENT_PAST else []}


def events_index(upcoming: Sequence[Event], past_years: Sequence[int], directory: Directory) -> dict:
    """What is to come, as far as one list goes; the months beyond it have pages of their own."""
    later = Counter((e.start.year, e.start.month) for e in upcoming[LIST_LIMIT:])
    return {"title": "イベント", "description": "全国のブリゲードのこれからのイベント",
            "count": len(upcoming), "upcoming": group_events(upcoming[:LIST_LIMIT], "events/", directory),
            "later": [{"label": f"{year}年{month}月", "href": relative("events/", month_path(year, month))}
                      for year, month in sorted(later)],
            "years": sorted(past_years, reverse=True), **_filters()}


def year_page(year: int, events: Sequence[Event], directory: Directory) -> dict:
    """A past year: its events by month, or, when they are too many for one page, its months' pages."""
    page = year_path(year)
    months = Counter(e.start.month for e in events)
    split = len(events) > LIST_LIMIT
    return {"title": f"{year}年のイベント", "description": f"{year}年に全国のブリゲードが開いたイベント",
            "year": year, "count": len(events), "inexact": sum(not e.exact for e in events),
            "groups": [] if split else group_events(events, page, directory),
            "months": [{"label": f"{year}年{month}月", "count": count, "href": relative(page, month_path(year, month))}
                       for month, count in sorted(months.items(), reverse=True)] if split else [],
            **_filters()}


def month_pages(year: int, month: int, events: Sequence[Event], directory: Directory) -> dict[str, dict]:
    """A month's events in order, in parts of at most LIST_LIMIT, each part linking to the others."""
    chunks = [events[i:i + LIST_LIMIT] for i in range(0, len(events), LIST_LIMIT)] or [()]
    found = {}
    for part, chunk in enumerate(chunks, 1):
        page = month_path(year, month, part)
        found[page] = {
            "title": f"{year}年{month}月のイベント" + (f"（{part}/{len(chunks)}）" if len(chunks) > 1 else ""),
            "description": f"{year}年{month}月の全国のブリゲードのイベント", "count": len(events),
            "groups": group_events(chunk, page, directory),
            "parts": [{"part": n, "href": relative(page, month_path(year, month, n)), "current": n == part}
                      for n in range(1, len(chunks) + 1)] if len(chunks) > 1 else [],
            "up": relative(page, year_path(year) if date(year, month, 1) < directory.today.replace(day=1)
                           else "events/"), **_filters()}
    return found


def _filters() -> dict:
    return {"regions": [(r.slug, r.name) for r in japan.regions()],
            "prefectures": [(p.slug, p.name) for p in japan.prefectures()]}


def home_events(upcoming: Sequence[Event], directory: Directory) -> list[dict]:
    """The next few events, for the snippet in docs/index.md."""
    return [event_item(e, "", directory) for e in upcoming[:HOME_EVENTS]]


# --- the calendar page ----------------------------------------------------------------------------------


def subscription(site: Site, path: str, name: str) -> dict:
    """The addresses that subscribe Apple, Google and Outlook to one feed, and the plain one to copy."""
    https = site.absolute(path)
    webcal = "webcal://" + https.split("://", 1)[1]
    return {"name": name, "https": https, "webcal": webcal,
            "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
            "outlook": ("https://outlook.live.com/calendar/0/addfromweb?url=" + quote(https, safe="")
                        + "&name=" + quote(name, safe=""))}


def calendars_page(brigades: Sequence[Brigade], site: Site, directory_limit: int = DIRECTORY_LIMIT) -> dict:
    national = [(feed_path("all"), "Brigade Hub 全国のイベント"),
                (feed_path("online"), "Brigade Hub オンラインのイベント")]
    regions = [(feed_path("regions", r.slug), f"Brigade Hub {r.name}地方") for r in japan.regions()]
    prefectures = [(feed_path("prefectures", p.slug), f"Brigade Hub {p.name}") for p in japan.prefectures()]
    by_region = sorted(brigades, key=lambda b: ((p := prefecture_of(b)) and p.code or 99, b.name.ja))
    own = [(feed_path("brigades", b.id), b.name.ja) for b in by_region]
    groups = [("全国", national), ("地方", regions), ("都道府県", prefectures), ("ブリゲード", own)]
    page = {"title": "カレンダー", "description": "ブリゲードのイベントを、お使いのカレンダーアプリで購読する",
            "past_days": FEED_PAST_DAYS, "groups": [{"title": title, "open": title == "全国",
                        "feeds": [subscription(site, path, name) for path, name in rows]}
                       for title, rows in groups]}
    if len(brigades) > LIST_LIMIT:
        # A kilobyte of buttons for each of thousands of brigades made the page megabytes; each brigade's own
        # page has them, so the long list links there.
        page["groups"][-1]["feeds"] = [{"name": b.name.ja, "page": relative("calendars/", brigade_path(b))}
                                       for b in by_region]
    parts = directory_parts(brigades, directory_limit)
    if parts:
        # Even a link each was 508 KB at 3,000 brigades: past the directory's limit, its parts are linked instead.
        page["groups"][-1] = {"title": "ブリゲード", "open": False, "feeds": [],
                              "parts": part_links(parts, "calendars/", None), "directory": relative("calendars/",
                                                                                                     "brigades/")}
    return page
