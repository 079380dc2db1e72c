"""Read events from connpass API v2 (https://connpass.com/about/api/v2/): up to 100 groups per request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from brigadehub.core.model import Event, web_address
from brigadehub.events.clean import TITLE_LIMIT, clean_line, clean_text
from brigadehub.events.sources import SourceError, Target, Window, looks_online, parse_time, read_json, require

BASE_URL = "https://connpass.com"
GROUPS_PER_REQUEST = 100  # the API takes up to 100 subdomains in one request
PAGE_SIZE = 100
MAX_PAGES = 30
# v2 renamed v1's series to group, event_id to id and event_url to url (coderdojo.jp PR #1845).
REQUIRED = ("id", "title", "started_at", "group")


def months(window: Window) -> list[str]:
    """The months the window touches, as connpass's `ym` wants them; it has no date range."""
    found, day = [], date(window.start.year, window.start.month, 1)
    while day <= window.end.date():
        found.append(day.strftime("%Y%m"))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found


def fetch(client, base_url: str, targets: Sequence[Target], window: Window, secret: str) -> dict[str, list[Event]]:
    """Ask once for all targets' groups, page by page, and return each target's events in the window."""
    by_group = {t.handle.lower(): t for t in targets}
    if len(by_group) > GROUPS_PER_REQUEST:
        raise ValueError(f"at most {GROUPS_PER_REQUEST} groups per request")
    params = {"subdomain": ",".join(sorted(by_group)), "ym": ",".join(months(window)),
              "count": PAGE_SIZE, "order": 2}
    rows = _read_pages(client, f"{base_url.rstrip('/')}/api/v2/events/", params, {"X-API-Key": secret})
    found: dict[str, list[Event]] = {t.key: [] for t in targets}
    for i, row in enumerate(rows):
        row = require(row, REQUIRED, f"connpass events[{i}]")
        group = require(row["group"], ("subdomain",), f"connpass events[{i}].group")
        target = by_group.get(str(group["subdomain"]).lower())
        if target:
            event = to_event(row, target)
            if window.holds(event.start):
                found[target.key].append(event)
    return found


def _read_pages(client, url: str, params: dict, headers: dict) -> list:
    rows: list = []
    for page in range(MAX_PAGES):
        # Only the first page is asked conditionally: a 304 there means nothing changed.
        answer = client.get(url, params={**params, "start": len(rows) + 1}, headers=headers, conditional=page == 0)
        body = require(read_json(answer), ("events",), "connpass answer")
        if not isinstance(body["events"], list):
            raise SourceError("connpass answer: 'events' is not a list; the API may have changed")
        available = body.get("results_available")
        rows += body["events"]
        if not body["events"] or not isinstance(available, int) or len(rows) >= available:
            if page == 0:
                client.remember(answer)  # one page held everything, so its validators describe it all
            return rows
    raise SourceError(f"more than {MAX_PAGES * PAGE_SIZE} events; the answer was not read to the end")


def to_event(row: dict, target: Target) -> Event:
    """Turn one v2 event into an Event; its description is HTML and becomes a short plain text."""
    start = parse_time(row["started_at"], "started_at")
    end = parse_time(row["ended_at"], "ended_at") if row.get("ended_at") else None
    place, address = clean_line(row.get("place")) or None, clean_line(row.get("address")) or None
    summary = "\n".join(t for t in (clean_text(row.get("catch")), clean_text(row.get("description"))) if t)
    return Event(
        uid=f"connpass-{row['id']}", title=clean_line(row["title"], TITLE_LIMIT) or "(無題)",
        start=start, end=end if end and end >= start else None,
        source="connpass", source_id=str(row["id"]), host=target.brigade, host_name=target.host_name,
        place=place, address=address, online=looks_online(place, address),
        url=web_address(row.get("url")), description=clean_text(summary),
        status="cancelled" if row.get("open_status") == "cancelled" else "confirmed",
        updated=parse_time(row["updated_at"], "updated_at") if row.get("updated_at") else None,
    )
