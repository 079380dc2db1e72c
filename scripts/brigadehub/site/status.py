"""Render the site's status page and the link-health tracking issue from the reports (pure text, no I/O)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from brigadehub.core.model import Brigade

ISSUE_MARKER = "<!-- brigadehub:link-health -->"
PROBLEMS = ("dead", "error", "slow")
STATUS_JA = {"dead": "リンク切れ", "error": "エラー", "slow": "応答が遅い", "redirected": "転送", "live": "正常"}


def render_status_markdown(
    brigades: Sequence[Brigade],
    today: date,
    link_report: Mapping | None = None,
    quiet_sources: Iterable[Mapping] | Mapping[str, Mapping] | None = None,
    no_recent_events: Iterable[str] | Mapping[str, object] | None = None,
    brigade_href: str | None = None,
    contributing_href: str | None = None,
) -> str:
    """Return the body of the status page (Markdown, in Japanese).

    Parameters:
        brigades: every valid Brigade; `confirmed_on` older than 12 months, or missing, lists an entry as
            not confirmed.
        today: the build's date in Asia/Tokyo (a parameter, so that a build is reproducible).
        link_report: the parsed data/health/links.json written by `brigadehub linkcheck`, or None.
        quiet_sources: sources that went quiet, from the fetch report: a list of mappings with "brigade" (id),
            "source" (e.g. "connpass:cfk") and optionally "reason" and "since"; or a mapping from the source
            to such a mapping.
        no_recent_events: ids of brigades with no event in 12 months; or a mapping from id to the date of
            the last event (None when there never was one).
        brigade_href: a link pattern for a brigade's page, e.g. "../brigades/{id}/"; None for plain names.
        contributing_href: where the page sends people to fix an entry; None names CONTRIBUTING.md unlinked.
    """
    names = _Names(brigades, brigade_href)
    sections = [
        _links_section(link_report, names),
        _quiet_section(_quiet_items(quiet_sources), names),
        _no_events_section(_last_events(no_recent_events), names),
        _unconfirmed_section(brigades, today, names),
    ]
    intro = [
        "# サイトの状態",
        "",
        "掲載情報が古くなっていないかを、自動で確かめた結果です。直し方は"
        + (f"[ブリゲードの追加・修正]({contributing_href})" if contributing_href else "リポジトリの CONTRIBUTING.md ")
        + "をご覧ください。",
        "",
        _summary_table(link_report, sections),
    ]
    return "\n".join(intro + [text for _, text in sections]).rstrip("\n") + "\n"


class _Names:
    """Show a brigade by its name, linked to its page when the site gives a pattern."""

    def __init__(self, brigades: Sequence[Brigade], href: str | None):
        self.names = {b.id: b.name.ja for b in brigades}
        self.href = href

    def __call__(self, brigade_id: str) -> str:
        name = escape(self.names.get(brigade_id, brigade_id))
        return f"[{name}]({self.href.format(id=brigade_id)})" if self.href and brigade_id in self.names else name


def _summary_table(link_report: Mapping | None, sections: list[tuple[int, str]]) -> str:
    checked = (link_report or {}).get("checked_at")
    labels = ("問題のあるリンク", "静かになったイベント情報源",
              "12か月イベントのないブリゲード", "12か月確認されていない掲載")
    rows = [f"| {label} | {count} |" for label, (count, _) in zip(labels, sections, strict=False)]
    note = f"リンクの最終確認: {checked}" if checked else "リンクはまだ確認していません。"
    return "\n".join(["| 項目 | 件数 |", "|---|---:|", *rows, "", note, ""])


def _links_section(report: Mapping | None, names: _Names) -> tuple[int, str]:
    links = [link for link in (report or {}).get("links", []) if link.get("status") in PROBLEMS]
    lines = ["## 問題のあるリンク", ""]
    if report is None:
        return 0, "\n".join([*lines, "まだ確認していません（brigadehub linkcheck の結果がありません）。", ""])
    if not links:
        return 0, "\n".join([*lines, "問題のあるリンクはありません。", ""])
    lines += ["| ブリゲード | 項目 | URL | 状態 | いつから |", "|---|---|---|---|---|"]
    lines += [f"| {names(link['brigade'])} | {escape(link['field'])} | {_url(link['url'])} | "
              f"{describe(link)} | {escape(str(link.get('since') or ''))[:10]} |" for link in links]
    return len(links), "\n".join([*lines, ""])


def describe(link: Mapping) -> str:
    """Say a link's status in Japanese with its detail: リンク切れ (404), 転送 → https://…"""
    status = link.get("status", "")
    label = STATUS_JA.get(status, escape(status))
    if status == "redirected" and link.get("to"):
        return f"{label} → {_url(link['to'])}"
    if status == "dead" and link.get("code"):
        return f"{label} ({link['code']})"
    return f"{label} ({escape(link['reason'])})" if link.get("reason") else label


def _quiet_items(quiet: Iterable[Mapping] | Mapping[str, Mapping] | None) -> list[Mapping]:
    if isinstance(quiet, Mapping):
        return [{"source": key, **value} for key, value in sorted(quiet.items())]
    return sorted(quiet or [], key=lambda item: (str(item.get("brigade")), str(item.get("source"))))


def _quiet_section(items: list[Mapping], names: _Names) -> tuple[int, str]:
    lines = ["## 静かになったイベント情報源", "",
             "以前はイベントがあったのに、取得できなくなった情報源です。"
             "URL やグループ名が変わったのかもしれません。", ""]
    if not items:
        return 0, "\n".join([*lines, "ありません。", ""])
    for item in items:
        detail = "、".join(escape(str(item[key])) for key in ("reason", "since") if item.get(key))
        lines.append(f"- {names(str(item.get('brigade', '')))}: `{_code(str(item.get('source', '')))}`"
                     + (f"（{detail}）" if detail else ""))
    return len(items), "\n".join([*lines, ""])


def _last_events(no_recent: Iterable[str] | Mapping[str, object] | None) -> dict[str, object]:
    if isinstance(no_recent, Mapping):
        return dict(sorted(no_recent.items()))
    return dict.fromkeys(sorted(no_recent or []))


def _no_events_section(last: dict[str, object], names: _Names) -> tuple[int, str]:
    lines = ["## 12か月イベントのないブリゲード", "",
             "活動を続けている場合は、イベントの情報源（connpass など）を登録してください。", ""]
    if not last:
        return 0, "\n".join([*lines, "ありません。", ""])
    lines += [f"- {names(bid)}（最後のイベント: {escape(str(when)) if when else '記録なし'}）"
              for bid, when in last.items()]
    return len(last), "\n".join([*lines, ""])


def _unconfirmed_section(brigades: Sequence[Brigade], today: date, names: _Names) -> tuple[int, str]:
    limit = _year_before(today).isoformat()
    stale = sorted((b for b in brigades if (b.confirmed_on or "") < limit), key=lambda b: (b.confirmed_on or "", b.id))
    lines = ["## 12か月確認されていない掲載", "",
             "ブリゲードの方が内容を確かめて `confirmed_on` を更新すると、ここから外れます。", ""]
    if not stale:
        return 0, "\n".join([*lines, "ありません。", ""])
    lines += [f"- {names(b.id)}（{'最終確認: ' + b.confirmed_on if b.confirmed_on else '未確認'}）" for b in stale]
    return len(stale), "\n".join([*lines, ""])


def _year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def render_link_issue(report: Mapping, file_href: str | None = None) -> str:
    """Return the body of the one tracking issue for link health (Japanese, then English).

    file_href: a pattern for a brigade file's web address, e.g. "https://github.com/o/r/blob/main/brigades/{id}.yml".
    """
    links = report.get("links", [])
    bad = [link for link in links if link.get("status") in PROBLEMS]
    moved = [link for link in links if link.get("status") == "redirected"]
    lines = [
        ISSUE_MARKER,
        f"リンクの自動確認の結果です（{escape(str(report.get('checked_at', '')))}）。"
        f"{len(links)} 件中、問題 {len(bad)} 件、転送 {len(moved)} 件。",
        f"Automatic link check: {len(bad)} of {len(links)} links have a problem, {len(moved)} redirect. "
        "This issue is updated on every run; fix the brigade file and the row disappears.",
        "",
    ]
    lines += _issue_table("問題のあるリンク / Broken links", bad, file_href) \
        or ["問題のあるリンクはありません。 / No broken links.", ""]
    if moved:
        lines += ["<details><summary>転送されるリンク / Redirected links</summary>", "",
                  *_issue_table("転送先に書き換えられます / The file can point at the target", moved, file_href),
                  "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _issue_table(title: str, links: list[Mapping], file_href: str | None) -> list[str]:
    if not links:
        return []
    rows = ["| brigade | field | URL | status | since |", "|---|---|---|---|---|"]
    for link in links:
        brigade = escape(link["brigade"])
        shown = f"[{brigade}]({file_href.format(id=link['brigade'])})" if file_href else f"`{brigade}`"
        rows.append(f"| {shown} | {escape(link['field'])} | {_url(link['url'])} | {describe(link)} | "
                    f"{escape(str(link.get('since') or ''))[:10]} |")
    return [f"### {title}", "", *rows, ""]


def escape(text: str) -> str:
    """Make text safe inside a Markdown table cell: no HTML, no column breaks, no accidental emphasis."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\|*_\[\]`])", r"\\\1", text)


def _url(url: str) -> str:
    """An autolink, which both GitHub and MkDocs render; URLs were validated, so only '|' needs care in a table."""
    return "<" + url.replace("|", "%7C").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def _code(text: str) -> str:
    return text.replace("`", "'")
