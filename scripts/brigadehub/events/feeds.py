"""Render events as iCalendar feeds, single-event downloads and Google Calendar links; pure, bytes in and out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from urllib.parse import quote, urlencode

import icalendar

from brigadehub.core.model import TOKYO, Event, web_address
from brigadehub.events.clean import clean_line, clean_text
from brigadehub.events.snapshot import sort_key, start_key

PRODID = "-//Brigade Hub//Brigade Hub events//JA"
UID_DOMAIN = "brigadehub"
REFRESH = timedelta(hours=6)
CANCELLED_MARK = "【中止】"
FEED_PAST_DAYS = 180  # every feed holds what is to come and the last half year: the calendars page says so
OPEN_END_LENGTH = timedelta(hours=2)  # a typical meeting, for events whose source gives no end
OPEN_END_NOTE = "終了時刻は未定です（カレンダーには 2 時間で表示しています）。"
MAX_FEED_BYTES = 1_000_000  # Google Calendar silently drops subscribed feeds much larger than this
GOOGLE_URL = "https://calendar.google.com/calendar/render"
NON_ASCII = re.compile(r"([^\x00-\x7f]+)")
# VTIMEZONE blocks cover this span; Japan has kept +09:00 without daylight saving since 1951.
ZONE_SPAN = (date(1970, 1, 1), date(2100, 1, 1))


def feed_uid(event: Event) -> str:
    """The UID an event has in every feed that carries it."""
    return f"{event.uid}@{UID_DOMAIN}"


def _summary(event: Event) -> str:
    title = clean_line(event.title) or "(無題)"
    return f"{CANCELLED_MARK}{title}" if event.status == "cancelled" else title


def _location(event: Event, online: str = "オンライン") -> str:
    parts = [clean_line(p) for p in (event.place, event.address) if p]
    parts = [p for i, p in enumerate(parts) if p and p not in parts[:i]]
    return " / ".join(parts) or (online if event.online else "")


def _details(event: Event) -> str:
    """What a reader needs beside the title: what it is, who hosts it, where, whether the end is known, the link.

    The archive's evidence stays on the site's data: quoted sources are for checking, not for a calendar.
    """
    parts = [clean_text(event.description, 2000),
             f"主催: {clean_line(event.host_name)}" if event.host_name else "",
             f"会場: {_location(event)}" if _location(event) else "",
             OPEN_END_NOTE if _open_ended(event) else "",
             web_address(event.url) or ""]
    return "\n\n".join(p for p in parts if p)


def _open_ended(event: Event) -> bool:
    return not event.all_day and not (isinstance(event.end, datetime) and event.end >= event.start)


def _stamp(event: Event) -> datetime:
    """DTSTAMP: the source's updated time, else the start; never now(), so the same data gives the same bytes."""
    moment = event.updated or start_key(event)
    return moment.astimezone(UTC)


def _end(event: Event) -> date | datetime:
    if event.all_day:
        # DTEND of a whole-day event is exclusive: a one-day event on the 3rd ends on the 4th (RFC 5545 §3.6.1).
        return (event.end or event.start) + timedelta(days=1)
    # Without an end, calendars draw a line of no height that is easy to miss; the description says it is a guess.
    return event.start + OPEN_END_LENGTH if _open_ended(event) else event.end


def to_vevent(event: Event) -> icalendar.Event:
    component = icalendar.Event()
    component.add("UID", feed_uid(event))
    component.add("DTSTAMP", _stamp(event))
    component.add("DTSTART", event.start.astimezone(TOKYO) if isinstance(event.start, datetime) else event.start)
    component.add("DTEND", _end(event))
    component.add("SUMMARY", _summary(event))
    component.add("STATUS", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    texts = (("LOCATION", _location(event)), ("DESCRIPTION", _details(event)), ("URL", web_address(event.url)))
    for name, value in texts:
        if value:
            component.add(name, value)
    if event.host_name:
        component.add("CATEGORIES", [clean_line(event.host_name)])
    if event.updated:
        component.add("LAST-MODIFIED", event.updated.astimezone(UTC))
    return component


class FeedWriter:
    """Write calendars, rendering each event's VEVENT once: one event sits in four feeds or more.

    A feed is its header (the calendar's own properties), a VTIMEZONE when any time is zoned, the events'
    VEVENTs, and its end: the bytes icalendar's Calendar.to_ical() gives for the same calendar.
    """

    def __init__(self, today: date | None = None) -> None:
        self.today = today
        self.vevents: dict[Event, bytes] = {}

    def vevent(self, event: Event) -> bytes:
        if event not in self.vevents:
            self.vevents[event] = to_vevent(event).to_ical()
        return self.vevents[event]

    def calendar(self, name: str, description: str, events: Iterable[Event], url: str | None = None,
                 max_bytes: int | None = None) -> bytes:
        """An RFC 5545 calendar of the events whose day is known, sorted; with max_bytes, the events nearest
        to today that fit (Google Calendar drops feeds much over 1 MB)."""
        head = _head(name, description, url)
        exact = [e for e in events if e.exact]
        zone = _timezone("Asia/Tokyo").to_ical() if any(isinstance(e.start, datetime) for e in exact) else b""
        if max_bytes is not None:
            exact = self._nearest(exact, max_bytes - len(head) - len(zone) - len(END))
        return head + zone + b"".join(self.vevent(e) for e in sorted(exact, key=sort_key)) + END

    def _nearest(self, events: list[Event], room: int) -> list[Event]:
        """What is to come, soonest first, then the past, latest first, for as long as they fit in room bytes."""
        ahead = sorted((e for e in events if _last_day(e) >= self.today), key=sort_key)
        behind = sorted((e for e in events if _last_day(e) < self.today), key=sort_key, reverse=True)
        kept, used = [], 0
        for event in ahead + behind:
            used += len(self.vevent(event))
            if used > room:
                break
            kept.append(event)
        return kept


END = b"END:VCALENDAR\r\n"


def _head(name: str, description: str, url: str | None) -> bytes:
    """The calendar's properties, as icalendar writes them, up to where its components begin."""
    calendar = icalendar.Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", PRODID)
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.calendar_name = clean_line(name)  # NAME and X-WR-CALNAME
    if description:
        calendar.description = clean_line(description, 500)  # DESCRIPTION and X-WR-CALDESC
    if web_address(url):
        calendar.add("URL", web_address(url))
    # icalendar's refresh_interval setter leaves out VALUE=DURATION, which RFC 7986's grammar asks for.
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT6H")  # Outlook reads this one; same span as REFRESH
    calendar.add("X-WR-TIMEZONE", "Asia/Tokyo")
    return calendar.to_ical().removesuffix(END)


def render_calendar(name: str, description: str, events: Iterable[Event], url: str | None = None) -> bytes:
    """An RFC 5545 calendar of the events whose day is known, sorted, with a VTIMEZONE for Asia/Tokyo."""
    return FeedWriter().calendar(name, description, events, url)


@cache
def _timezone(tzid: str) -> icalendar.Timezone:
    """A VTIMEZONE, made once: icalendar takes about 30 ms to derive one."""
    return icalendar.Timezone.from_tzid(tzid, first_date=ZONE_SPAN[0], last_date=ZONE_SPAN[1])


def render_event_ics(event: Event, writer: FeedWriter | None = None) -> bytes:
    """A one-event calendar to download and open in any calendar application."""
    return (writer or FeedWriter()).calendar(event.title, "", [event], event.url)


def window_events(events: Iterable[Event], today: date, past_days: int = FEED_PAST_DAYS) -> tuple[Event, ...]:
    """The events a feed keeps: every future one, and past ones that ended at most past_days ago."""
    since = today - timedelta(days=past_days)
    return tuple(e for e in events if _last_day(e) >= since)


def _last_day(event: Event) -> date:
    end = event.end or event.start
    return end.astimezone(TOKYO).date() if isinstance(end, datetime) else end


def _google_dates(event: Event) -> str:
    if event.all_day:
        return f"{event.start:%Y%m%d}/{_end(event):%Y%m%d}"
    return f"{event.start.astimezone(TOKYO):%Y%m%dT%H%M%S}/{_end(event).astimezone(TOKYO):%Y%m%dT%H%M%S}"


def google_calendar_fields(event: Event, online: str = "オンライン") -> dict[str, str | None]:
    """What a page's item carries for brigadehub.js to make its 'add to Google Calendar' link from: the dates, the
    host (None: no host line), the place ("" when none) and the title when it is not the item's own text (None).
    The link itself is google_calendar_link's; the script reads the event's address off the item's title link."""
    text = _summary(event)
    shown = f"{CANCELLED_MARK if event.status == 'cancelled' else ''}{event.title}"
    return {"dates": _google_dates(event), "host": clean_line(event.host_name) if event.host_name else None,
            "location": _location(event, online), "text": None if text == shown else text}


def google_calendar_link(event: Event, host: str = "主催", online: str = "オンライン") -> str:
    """An 'add to Google Calendar' link; times are written in Tokyo time and ctz says so. host and online: the
    words for the host's line and an online event's place, in the language of the page the link is on. Pages
    carry its parts (google_calendar_fields) and brigadehub.js makes it; this is the link the script must make."""
    # Details: the host and the link only. The description, percent-encoded, was two thirds of a list's bytes;
    # the link and the .ics beside it carry it.
    details = "\n\n".join(p for p in (f"{host}: {clean_line(event.host_name)}" if event.host_name else "",
                                      web_address(event.url) or "") if p)
    params = {"action": "TEMPLATE", "text": _summary(event), "dates": _google_dates(event), "ctz": "Asia/Tokyo",
              "details": details, "location": _location(event, online)}
    query = urlencode({k: v for k, v in params.items() if v}, quote_via=_quote_ascii, safe="/")
    return f"{GOOGLE_URL}?{query}"


def _quote_ascii(text: str, safe: str, encoding: str | None = None, errors: str | None = None) -> str:
    """quote(), but printable characters beyond ASCII stay as they are: a valid URL in an HTML attribute (the
    browser sends them percent-encoded in UTF-8), at a third of the bytes. Japanese titles and places written as
    %E5%AE%9A… were 9.8 MB of the 1,000-brigade site. A run with a separator, a control or a format character in
    it (U+3000, U+2028, U+202E; what str.isprintable() refuses) is encoded."""
    return "".join(part if index % 2 and part.isprintable() else quote(part, safe=safe)
                   for index, part in enumerate(NON_ASCII.split(text)))
