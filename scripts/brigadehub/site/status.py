"""Gather what the status page shows: broken links, quiet sources, brigades without events, stale entries, fetches.

Its inputs are the reports that `brigadehub linkcheck` and `brigadehub fetch` committed, read as untrusted data:
every value reaches the page through the template, escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from brigadehub.core.model import Brigade
from brigadehub.events import gather
from brigadehub.site.pages import day_text, relative

PAGE = "status/"
PROBLEMS = ("dead", "error", "slow")
LINK_STATUS = {"dead": "リンク切れ", "error": "エラー", "slow": "応答が遅い", "redirected": "転送", "live": "正常"}
SOURCE_STATUS = {"ok": "取得", "not_modified": "変更なし", "failed": "失敗", "skipped": "スキップ"}


def status_page(brigades: Sequence[Brigade], activities: Mapping[str, gather.Activity], today: date,
                fetch_report: Mapping | None, link_report: Mapping | None) -> dict:
    """Every part of the status page, as plain data; a missing report leaves its part saying so."""
    names = {b.id: b.name.ja for b in brigades}
    return {
        "title": "サイトの状態", "description": "掲載情報とイベント情報源の自動チェックの結果",
        "links": link_report is not None,
        "checked_at": str((link_report or {}).get("checked_at") or ""),
        "broken": [_broken_link(link, names) for link in _rows(link_report, "links")
                   if link.get("status") in PROBLEMS],
        "quiet_sources": _quiet_sources(fetch_report, names),
        "no_events": [{"brigade": _brigade(b.id, names), "last": day_text(activities[b.id].last)
                       if activities[b.id].last else None} for b in sorted(brigades, key=lambda b: b.id)
                      if activities[b.id].label != "active"],
        "unconfirmed": _unconfirmed(brigades, today, names),
        "fetch": _fetch(fetch_report, names),
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


def _broken_link(link: Mapping, names: Mapping[str, str]) -> dict:
    status = str(link.get("status", ""))
    detail = str(link.get("code") or "") if status == "dead" else str(link.get("reason") or "")
    return {"brigade": _brigade(link.get("brigade"), names), "field": str(link.get("field", "")),
            "url": str(link.get("url", "")), "status": LINK_STATUS.get(status, status), "detail": detail,
            "since": str(link.get("since") or "")[:10]}


def _quiet_sources(report: Mapping | None, names: Mapping[str, str]) -> list[dict]:
    """Sources whose upcoming events vanished (went_quiet), or that have been silent longer than usual (silent)."""
    rows = [row for row in _rows(report, "sources") if row.get("went_quiet") or row.get("silent")]
    rows.sort(key=lambda row: (str(row.get("brigade")), _source(row)))
    return [{"brigade": _brigade(row.get("brigade"), names), "source": _source(row),
             "reason": str(row.get("reason") or ""), "silence": _silence(row)} for row in rows]


def _silence(row: Mapping) -> str:
    days, usual = row.get("days_since_last_event"), row.get("usual_gap_days")
    if not row.get("silent") or not isinstance(days, int) or not isinstance(usual, int):
        return ""
    return f"最後のイベントから {days} 日（ふだんは {usual} 日ごと）"


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


def _fetch(report: Mapping | None, names: Mapping[str, str]) -> dict | None:
    """Every event source and what its last fetch did."""
    if not report:
        return None
    summary = report.get("summary") if isinstance(report.get("summary"), Mapping) else {}
    return {
        "fetched_at": str(report.get("fetched_at", "")),
        "counts": [(label, summary.get(key, 0)) for key, label in SOURCE_STATUS.items()],
        "sources": [{"brigade": _brigade(row.get("brigade"), names),
                     "source": f"{row.get('type')} {row.get('group') or row.get('url') or ''}",
                     "status": SOURCE_STATUS.get(row.get("status"), str(row.get("status", ""))),
                     "reason": str(row.get("reason") or ""), "went_quiet": bool(row.get("went_quiet")),
                     "stored": row.get("stored", 0), "skipped_count": _count(row.get("skipped_count")),
                     "skipped": _skipped(row)} for row in _rows(report, "sources")],
    }


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
