"""Read events from connpass API v2 (https://connpass.com/about/api/v2/): up to 100 groups per request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

from brigadehub.core.model import Event, web_address
from brigadehub.events.clean import TITLE_LIMIT, clean_text, plain_line, plain_text
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

BASE_URL = "https://connpass.com"
GROUPS_PER_REQUEST = 100  # the API takes up to 100 subdomains in one request
PAGE_SIZE = 100
MAX_PAGES = 30
# v2 renamed v1's series to group, event_id to id and event_url to url (coderdojo.jp PR #1845). The reference
# marks started_at and group nullable: such a row is skipped, and only a field missing from every row fails.
REQUIRED = ("id", "title", "started_at", "group")


def months(window: Window) -> list[str]:
    """The months the window touches, as connpass's `ym` wants them; it has no date range."""
    found, day = [], date(window.start.year, window.start.month, 1)
    while day <= window.end.date():
        found.append(day.strftime("%Y%m"))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found


def fetch(client, base_url: str, targets: Sequence[Target], window: Window, secret: str) -> dict[str, Found]:
    """Ask once for all targets' groups, page by page, and return each target's events in the window."""
    by_group = {t.handle.lower(): t for t in targets}
    if len(by_group) > GROUPS_PER_REQUEST:
        raise ValueError(f"at most {GROUPS_PER_REQUEST} groups per request")
    params = {"subdomain": ",".join(sorted(by_group)), "ym": ",".join(months(window)),
              "count": PAGE_SIZE, "order": 2}
    rows, first = _read_pages(client, f"{base_url.rstrip('/')}/api/v2/events/", params, {"X-API-Key": secret})
    found = read_rows(rows, targets, window)
    if first is not None:
        client.remember(first)  # after the rows were read: a renamed field must fail again on the next run
    return found


def read_rows(rows: list, targets: Sequence[Target], window: Window) -> dict[str, Found]:
    """Each target's events; a row that cannot be read is skipped and named, on its group's report row."""
    check_renamed(rows, REQUIRED, "connpass events")
    by_group = {t.handle.lower(): t for t in targets}
    found = {t.key: Found() for t in targets}
    readable = 0
    for i, row in enumerate(rows):
        target, event, reason = by_group.get(_subdomain(row)), None, _problem(row)
        if reason is None and target is not None:
            try:
                event = to_event(row, target)
            except ValueError as error:
                reason = str(error)
        if reason:
            for owner in [target] if target else _owners(row, by_group, targets):
                found[owner.key].skipped.append(Skip(_item(row, i), reason))
            continue
        readable += 1
        if event is not None and window.holds(event.start):  # None: another group's event, not asked for
            found[target.key].events.append(event)
    skipped = list(dict.fromkeys(s for f in found.values() for s in f.skipped))  # a row without a group is on each
    if rows and not readable and skipped:
        raise nothing_readable(skipped, "connpass answer")
    return found


def _problem(row: object) -> str | None:
    reason = problem(row, REQUIRED)
    group = problem(row["group"], ("subdomain",)) if reason is None else None
    return reason or (f"group {group}" if group else None)


def _item(row: object, index: int) -> str:
    """The row as a report names it: its connpass id, or its place in the answer."""
    known = isinstance(row, dict) and row.get("id") is not None
    return f"connpass event {cleaned_id(row['id'])}" if known else f"connpass events[{index}]"


def _subdomain(row: object) -> str:
    group = row.get("group") if isinstance(row, dict) else None
    return str(group.get("subdomain") or "").lower() if isinstance(group, dict) else ""


def _owners(row: object, by_group: dict[str, Target], targets: Sequence[Target]) -> list[Target]:
    """Whose report names a row without a usable group: the group in its URL (<group>.connpass.com), else all."""
    url = row.get("url") if isinstance(row, dict) else None
    host = urlsplit(url).hostname or "" if isinstance(url, str) else ""
    owner = by_group.get(host.removesuffix(".connpass.com")) if host.endswith(".connpass.com") else None
    return [owner] if owner else list(targets)


def _read_pages(client, url: str, params: dict, headers: dict) -> tuple[list, object | None]:
    """Every row, and the first answer when it held them all (its validators describe the whole)."""
    rows: list = []
    for page in range(MAX_PAGES):
        # Only the first page is asked conditionally: a 304 there means nothing changed.
        answer = client.get(url, params={**params, "start": len(rows) + 1}, headers=headers, conditional=page == 0)
        body = read_json(answer)
        if not isinstance(body, dict) or "events" not in body:
            raise SourceError("connpass answer has no 'events'; the API may have changed")
        if not isinstance(body["events"], list):
            raise SourceError("connpass answer: 'events' is not a list; the API may have changed")
        available = body.get("results_available")
        rows += body["events"]
        if not body["events"] or not isinstance(available, int) or len(rows) >= available:
            return rows, answer if page == 0 else None
    raise SourceError(f"more than {MAX_PAGES * PAGE_SIZE} events; the answer was not read to the end")


def to_event(row: dict, target: Target) -> Event:
    """Turn one v2 event into an Event; its description is HTML and becomes a short plain text, the rest is text."""
    start = parse_time(row["started_at"], "started_at")
    end = parse_time(row["ended_at"], "ended_at") if row.get("ended_at") else None
    place, address = plain_line(row.get("place")) or None, plain_line(row.get("address")) or None
    # catch is a plain-text subtitle; description is HTML.
    summary = "\n".join(t for t in (plain_line(row.get("catch")), clean_text(row.get("description"))) if t)
    return Event(
        uid=f"connpass-{row['id']}", title=plain_line(row["title"], TITLE_LIMIT) or "(無題)",
        start=start, end=end if end and end >= start else None,
        source="connpass", source_id=str(row["id"]), host=target.brigade, host_name=target.host_name,
        place=place, address=address, online=looks_online(place, address),
        url=web_address(row.get("url")), description=plain_text(summary),
        status="cancelled" if row.get("open_status") == "cancelled" else "confirmed",
        updated=parse_time(row["updated_at"], "updated_at") if row.get("updated_at") else None,
    )
