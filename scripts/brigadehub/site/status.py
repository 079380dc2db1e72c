"""Gather what the status page shows: broken links, quiet sources, brigades without events, stale entries, fetches.

Its inputs are the reports that `brigadehub linkcheck` and `brigadehub fetch` committed, read as untrusted data:
every value reaches the page through the template, escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from brigadehub.core.model import Brigade
from brigadehub.events import gather
from brigadehub.site.edition import Edition, relative

PAGE = "status/"
PROBLEMS = ("dead", "error", "slow")
SOURCE_STATUSES = ("ok", "not_modified", "failed", "skipped")  # the report's summary, in this order


def status_page(edition: Edition, brigades: Sequence[Brigade], activities: Mapping[str, gather.Activity], today: date,
                fetch_report: Mapping | None, link_report: Mapping | None) -> dict:
    """Every part of the status page, as plain data; a missing report leaves its part saying so.

    The reports' own text (reasons, items, addresses) is shown as the tools wrote it, in English."""
    names = {b.id: edition.name(b) for b in brigades}
    t = edition.t
    return {
        "title": t.status_title, "description": t.status_description,
        "links": link_report is not None,
        "checked_at": str((link_report or {}).get("checked_at") or ""),
        "broken": [_broken_link(edition, link, names) for link in _rows(link_report, "links")
                   if link.get("status") in PROBLEMS],
        "quiet_sources": _quiet_sources(edition, fetch_report, names),
        "no_events": [{"brigade": _brigade(b.id, names), "last": edition.partial_date(activities[b.id].last)
                       if activities[b.id].last else None} for b in sorted(brigades, key=lambda b: b.id)
                      if activities[b.id].label != "active"],
        "unconfirmed": _unconfirmed(brigades, today, names),
        "fetch": _fetch(edition, fetch_report, names),
    }


def _rows(report: Mapping | None, key: str) -> list[Mapping]:
    rows = (report or {}).get(key)
    return [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []


def _brigade(brigade_id: object, names: Mapping[str, str]) -> dict:
    """A brigade named and linked when it is in the directory; an unknown id is shown as it is."""
    brigade_id = str(brigade_id or "")
    if brigade_id not in names:
        return {"name": brigade_id, "href": None}
    return {"name": names[brigade_id], "href": relative(PAGE, f"brigades/{brigade_id}/")}


def _broken_link(edition: Edition, link: Mapping, names: Mapping[str, str]) -> dict:
    status = str(link.get("status", ""))
    detail = str(link.get("code") or "") if status == "dead" else str(link.get("reason") or "")
    return {"brigade": _brigade(link.get("brigade"), names), "field": str(link.get("field", "")),
            "url": str(link.get("url", "")), "status": edition.t.link_statuses.get(status, status), "detail": detail,
            "since": str(link.get("since") or "")[:10]}


def _quiet_sources(edition: Edition, report: Mapping | None, names: Mapping[str, str]) -> list[dict]:
    """Sources whose upcoming events vanished (went_quiet), or that have been silent longer than usual (silent)."""
    rows = [row for row in _rows(report, "sources") if row.get("went_quiet") or row.get("silent")]
    rows.sort(key=lambda row: (str(row.get("brigade")), _source(row)))
    return [{"brigade": _brigade(row.get("brigade"), names), "source": _source(row),
             "reason": str(row.get("reason") or ""), "silence": _silence(edition, row)} for row in rows]


def _silence(edition: Edition, row: Mapping) -> str:
    days, usual = row.get("days_since_last_event"), row.get("usual_gap_days")
    if not row.get("silent") or not isinstance(days, int) or not isinstance(usual, int):
        return ""
    return edition.t.say("silence", days=days, usual=usual)


def _skipped(row: Mapping) -> list[dict]:
    """The items a source left out, as the report names them (at most 20; skipped_count has them all)."""
    items = row.get("skipped_items")
    return [{"item": str(s.get("item", ""))[:100], "reason": str(s.get("reason", ""))[:300]}
            for s in items if isinstance(s, Mapping)] if isinstance(items, list) else []


def _source(row: Mapping) -> str:
    return f"{row.get('type')}:{row.get('group') or row.get('url')}"


def _unconfirmed(brigades: Sequence[Brigade], today: date, names: Mapping[str, str]) -> list[dict]:
    """Entries whose brigade has not confirmed them in the last 12 months, or ever."""
    limit = _year_before(today).isoformat()
    stale = sorted((b for b in brigades if (b.confirmed_on or "") < limit), key=lambda b: (b.confirmed_on or "", b.id))
    return [{"brigade": _brigade(b.id, names), "confirmed_on": b.confirmed_on} for b in stale]


def _year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _fetch(edition: Edition, report: Mapping | None, names: Mapping[str, str]) -> dict | None:
    """Every event source and what its last fetch did."""
    if not report:
        return None
    summary = report.get("summary") if isinstance(report.get("summary"), Mapping) else {}
    return {
        "fetched_at": str(report.get("fetched_at", "")),
        "counts": [(edition.t.source_statuses[key], summary.get(key, 0)) for key in SOURCE_STATUSES],
        "sources": [{"brigade": _brigade(row.get("brigade"), names),
                     "source": f"{row.get('type')} {row.get('group') or row.get('url') or ''}",
                     "status": edition.t.source_statuses.get(row.get("status"), str(row.get("status", ""))),
                     "reason": str(row.get("reason") or ""), "went_quiet": bool(row.get("went_quiet")),
                     "stored": row.get("stored", 0), "skipped_count": _count(row.get("skipped_count")),
                     "skipped": _skipped(row)} for row in _rows(report, "sources")],
    }


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
