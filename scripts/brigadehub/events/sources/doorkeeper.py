"""Read a group's events from the Doorkeeper API (https://www.doorkeeper.jp/developer/api), 25 to a page."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from brigadehub.core.model import Event, web_address
from brigadehub.events.clean import TITLE_LIMIT, clean_text, plain_line
from brigadehub.events.sources import (
    Found,
    Skip,
    SourceError,
    Target,
    Window,
    check_renamed,
    cleaned_id,
    looks_online,
    nothing_readable,
    parse_time,
    problem,
    read_json,
)

BASE_URL = "https://api.doorkeeper.jp"
PAGE_SIZE = 25
MAX_PAGES = 40
REQUIRED = ("id", "title", "starts_at")


def fetch(client, base_url: str, targets: Sequence[Target], window: Window, secret: str) -> dict[str, Found]:
    """Read each target group's events; times come in UTC and are turned into Tokyo times."""
    return {t.key: _fetch_group(client, base_url, t, window, secret) for t in targets}


def _fetch_group(client, base_url: str, target: Target, window: Window, secret: str) -> Found:
    url = f"{base_url.rstrip('/')}/groups/{quote(target.handle, safe='')}/events"
    # since/until filter on the start date, so an event that began before the window is missed (coderdojo.jp #472).
    params = {"since": window.start.date().isoformat(), "until": window.end.date().isoformat(),
              "sort": "starts_at", "locale": "ja"}
    rows, first = _read_pages(client, url, params, {"Authorization": f"Bearer {secret}"})
    found = read_rows(rows, target, window)
    if first is not None:
        client.remember(first)  # after the rows were read: a renamed field must fail again on the next run
    return found


def read_rows(rows: list, target: Target, window: Window) -> Found:
    """The group's events in the window; a row that cannot be read is skipped and named."""
    events = [row.get("event") if isinstance(row, dict) else None for row in rows]
    check_renamed(events, REQUIRED, "doorkeeper events")
    found = Found()
    for i, row in enumerate(events):
        try:
            event = to_event(row, target)
        except ValueError as error:
            found.skipped.append(Skip(_item(row, i), str(error)))
            continue
        if window.holds(event.start):
            found.events.append(event)
    if rows and len(found.skipped) == len(rows):
        raise nothing_readable(found.skipped, "doorkeeper answer")
    return found


def _item(row: object, index: int) -> str:
    known = isinstance(row, dict) and row.get("id") is not None
    return f"doorkeeper event {cleaned_id(row['id'])}" if known else f"doorkeeper events[{index}]"


def _read_pages(client, url: str, params: dict, headers: dict) -> tuple[list, object | None]:
    """Every row, and the first answer when it held them all (its validators describe the whole)."""
    rows: list = []
    for page in range(1, MAX_PAGES + 1):
        answer = client.get(url, params={**params, "page": page}, headers=headers, conditional=page == 1)
        body = read_json(answer)
        if not isinstance(body, list):
            raise SourceError("doorkeeper answer is not a list of {\"event\": …}; the API may have changed")
        rows += body
        if len(body) < PAGE_SIZE:
            return rows, answer if page == 1 else None
    raise SourceError(f"more than {MAX_PAGES} pages; the answer was not read to the end")


def to_event(row: object, target: Target) -> Event:
    """One Doorkeeper event as an Event; raise ValueError, in our words, for one that cannot be read."""
    reason = problem(row, REQUIRED)
    if reason:
        raise ValueError(reason)
    start = parse_time(row["starts_at"], "starts_at")
    end = parse_time(row["ends_at"], "ends_at") if row.get("ends_at") else None
    venue, address = row.get("venue_name"), row.get("address")
    place, address = plain_line(venue) or None, plain_line(address) or None
    return Event(
        uid=f"doorkeeper-{row['id']}", title=plain_line(row["title"], TITLE_LIMIT) or "(無題)",
        start=start, end=end if end and end >= start else None,
        source="doorkeeper", source_id=str(row["id"]), host=target.brigade, host_name=target.host_name,
        place=place, address=address, online=is_online(venue, address),
        url=web_address(row.get("public_url")), description=clean_text(row.get("description")),
        updated=parse_time(row["updated_at"], "updated_at") if row.get("updated_at") else None,
    )


def is_online(venue: object, address: object) -> bool:
    """Doorkeeper has no online field: an event set up as online (オンライン開催) has venue_name and address null.

    Seen in real answers (sue445/regional-rb-calendar spec/fixtures/doorkeeper_mitakarb.json, a Google Meet event);
    the API sends blank fields as null (https://www.doorkeeper.jp/developer/api). A venue named online counts too.
    """
    if venue is None and address is None:
        return True
    return looks_online(*(v for v in (venue, address) if isinstance(v, str)))
