"""Read a group's events from the Doorkeeper API (https://www.doorkeeper.jp/developer/api), 25 to a page."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from brigadehub.core.model import Event, web_address
from brigadehub.events.clean import TITLE_LIMIT, clean_line, clean_text
from brigadehub.events.sources import SourceError, Target, Window, looks_online, parse_time, read_json, require

BASE_URL = "https://api.doorkeeper.jp"
PAGE_SIZE = 25
MAX_PAGES = 40
REQUIRED = ("id", "title", "starts_at")


def fetch(client, base_url: str, targets: Sequence[Target], window: Window, secret: str) -> dict[str, list[Event]]:
    """Read each target group's events; times come in UTC and are turned into Tokyo times."""
    return {t.key: _fetch_group(client, base_url, t, window, secret) for t in targets}


def _fetch_group(client, base_url: str, target: Target, window: Window, secret: str) -> list[Event]:
    url = f"{base_url.rstrip('/')}/groups/{quote(target.handle, safe='')}/events"
    # since/until filter on the start date, so an event that began before the window is missed (coderdojo.jp #472).
    params = {"since": window.start.date().isoformat(), "until": window.end.date().isoformat(),
              "sort": "starts_at", "locale": "ja"}
    rows = _read_pages(client, url, params, {"Authorization": f"Bearer {secret}"})
    events = [to_event(require(row, ("event",), f"doorkeeper [{i}]")["event"], target, i) for i, row in enumerate(rows)]
    return [e for e in events if window.holds(e.start)]


def _read_pages(client, url: str, params: dict, headers: dict) -> list:
    rows: list = []
    for page in range(1, MAX_PAGES + 1):
        answer = client.get(url, params={**params, "page": page}, headers=headers, conditional=page == 1)
        body = read_json(answer)
        if not isinstance(body, list):
            raise SourceError("doorkeeper answer is not a list of {\"event\": …}; the API may have changed")
        rows += body
        if len(body) < PAGE_SIZE:
            if page == 1:
                client.remember(answer)
            return rows
    raise SourceError(f"more than {MAX_PAGES} pages; the answer was not read to the end")


def to_event(row: object, target: Target, index: int) -> Event:
    row = require(row, REQUIRED, f"doorkeeper [{index}].event")
    start = parse_time(row["starts_at"], "starts_at")
    end = parse_time(row["ends_at"], "ends_at") if row.get("ends_at") else None
    place, address = clean_line(row.get("venue_name")) or None, clean_line(row.get("address")) or None
    return Event(
        uid=f"doorkeeper-{row['id']}", title=clean_line(row["title"], TITLE_LIMIT) or "(無題)",
        start=start, end=end if end and end >= start else None,
        source="doorkeeper", source_id=str(row["id"]), host=target.brigade, host_name=target.host_name,
        place=place, address=address, online=looks_online(place, address),
        url=web_address(row.get("public_url")), description=clean_text(row.get("description")),
        updated=parse_time(row["updated_at"], "updated_at") if row.get("updated_at") else None,
    )
