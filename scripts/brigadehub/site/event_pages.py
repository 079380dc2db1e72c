"""Render event listings and the calendar page: pure functions from Event records to Markdown and HTML text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from urllib.parse import quote

from brigadehub.core import japan
from brigadehub.core.model import Brigade, Event
from brigadehub.events.feeds import google_calendar_link
from brigadehub.site.markup import link, relative, text
from brigadehub.site.pages import Site, brigade_path, front_matter, prefecture_of

WEEKDAYS = "月火水木金土日"
PRECISION_NOTES = {"around": "ごろ", "month": "", "year": ""}
HOME_EVENTS = 6
NO_EVENTS = '<p class="bh-muted">予定されたイベントはまだありません。</p>\n'


@dataclass(frozen=True)
class Directory:
    """The brigades by id, so that an event can name and link its hosts and place them on the map of Japan."""

    brigades: dict[str, Brigade]

    @classmethod
    def of(cls, brigades: Iterable[Brigade]) -> Directory:
        return cls({b.id: b for b in brigades})

    def prefecture(self, event: Event) -> japan.Prefecture | None:
        host = self.brigades.get(event.host or "")
        return prefecture_of(host) if host else None


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


def _hosts(event: Event, directory: Directory, page: str) -> str:
    names = []
    for brigade_id in (event.host, *event.co_hosts):
        brigade = directory.brigades.get(brigade_id or "")
        if brigade:
            names.append(f'<a href="{relative(page, brigade_path(brigade))}">{text(brigade.name.ja)}</a>')
    if not names:
        return text(event.host_name)
    return "・".join(names) + (" 共催" if len(names) > 1 else "")


def event_item(event: Event, page: str, directory: Directory) -> str:
    """One event as a list item, with its data for the filters and, when the day is known, calendar links."""
    prefecture = directory.prefecture(event)
    cancelled = event.status == "cancelled"
    attributes = (f'data-region="{prefecture.region.slug if prefecture else ""}" '
                  f'data-prefecture="{prefecture.slug if prefecture else ""}" data-online="{int(event.online)}"')
    classes = "bh-event" + (" bh-event--cancelled" if cancelled else "")
    title = link(event.url, event.title) if event.url else text(event.title)
    where = "オンライン" if event.online else (event.place or "")
    parts = [
        f'<time datetime="{text(_iso(event))}">{text(format_when(event))}</time>',
        ('<strong class="bh-cancelled">中止</strong> ' if cancelled else "")
        + f'<span class="bh-event__title">{title}</span>',
        f'<span class="bh-event__host">{_hosts(event, directory, page)}</span>',
        f'<span class="bh-event__place">{text(where)}</span>' if where else "",
        _calendar_links(event, page) if event.exact else "",
    ]
    return f'<li class="{classes}" {attributes}>' + " ".join(p for p in parts if p) + "</li>"


def _iso(event: Event) -> str:
    start = event.start
    if event.precision == "year":
        return f"{start.year:04d}"
    if event.precision in {"month", "around"}:
        return f"{start.year:04d}-{start.month:02d}"
    return start.isoformat()


def _calendar_links(event: Event, page: str) -> str:
    ics = relative(page, event_ics_path(event))
    return (f'<span class="bh-event__add"><a href="{text(ics)}" download>.ics</a> ・ '
            f'{link(google_calendar_link(event), "Google カレンダーに追加")}</span>')


# --- lists ------------------------------------------------------------------------------------------------


def _month_key(event: Event) -> tuple[int, int]:
    return (event.start.year, event.start.month)


def render_event_list(events: Sequence[Event], page: str, directory: Directory, *, by: str = "month") -> str:
    """Events under a heading per month or per year, in the order given."""
    if not events:
        return ""
    key = _month_key if by == "month" else (lambda e: (e.start.year,))
    sections = []
    for group, items in groupby(events, key=key):
        heading = f"{group[0]}年{group[1]}月" if by == "month" else f"{group[0]}年"
        body = "\n".join(event_item(e, page, directory) for e in items)
        sections.append(f'<h3 class="bh-events__heading">{heading}</h3>\n<ul class="bh-events">\n{body}\n</ul>')
    return '<div class="bh-events-list" data-search-exclude>\n' + "\n".join(sections) + "\n</div>\n"


def events_section(upcoming: Sequence[Event], past: Sequence[Event], page: str, directory: Directory,
                   feed: str, last_held: date | None = None, quiet: bool = False) -> str:
    """The events part of a brigade, prefecture or region page: what is next, then the past by year."""
    parts = [_feed_line(page, feed)]
    if last_held:
        parts.append(f'<p class="bh-last">最後のイベント: {last_held.year}年{last_held.month}月</p>')
    if quiet:
        parts.append('<p class="bh-quiet"><span class="bh-status bh-status--quiet">静か</span> '
                     "直近 12 か月のイベントの記録がなく、予定も届いていません。"
                     "活動していても、ここに届いていないだけかもしれません。</p>")
    parts.append("<h3>これから</h3>\n" + (render_event_list(upcoming, page, directory) or NO_EVENTS))
    if past:
        parts.append(f"<h3>これまで（{len(past)} 件）</h3>\n" + render_event_list(past, page, directory, by="year"))
    return "\n".join(parts) + "\n"


def _feed_line(page: str, feed: str) -> str:
    calendars = relative(page, "calendars/")
    return (f'<p class="bh-feed">カレンダーに登録: <a href="{text(relative(page, feed))}">iCal フィード</a> '
            f'（<a href="{calendars}">登録のしかた</a>）</p>')


def _filter_form() -> str:
    regions = "".join(f'<option value="{r.slug}">{text(r.name)}</option>' for r in japan.regions())
    prefectures = "".join(f'<option value="{p.slug}">{text(p.name)}</option>' for p in japan.prefectures())
    return (
        '<form class="bh-filter" data-bh-event-filter data-search-exclude hidden>\n'
        f'<label>地方 <select name="region"><option value="">すべて</option>{regions}</select></label>\n'
        f'<label>都道府県 <select name="prefecture"><option value="">すべて</option>{prefectures}</select></label>\n'
        '<label>オンライン <select name="online"><option value="">すべて</option><option value="1">オンラインのみ'
        '</option><option value="0">会場のみ</option></select></label>\n'
        '<output name="count" aria-live="polite"></output>\n</form>\n'
    )


def render_events_index(upcoming: Sequence[Event], past_years: Sequence[int], directory: Directory) -> str:
    page = "events/"
    years = " ・ ".join(f'<a href="{y}/">{y}年</a>' for y in sorted(past_years, reverse=True))
    return "\n".join([
        front_matter("イベント", "全国のブリゲードのこれからのイベント"),
        "# イベント\n",
        f"全国のブリゲードのこれからのイベントです（{len(upcoming)} 件）。"
        f'カレンダーアプリで購読するには[カレンダー](../calendars/)のページへ。\n',
        _filter_form(),
        render_event_list(upcoming, page, directory) or NO_EVENTS,
        '<p class="bh-muted" data-bh-empty hidden>条件に合うイベントはありません。</p>\n',
        f'<h2 id="past">これまでのイベント</h2>\n<p>{years}</p>\n' if past_years else "",
    ])


def render_year_page(year: int, events: Sequence[Event], directory: Directory) -> str:
    page = f"events/{year}/"
    inexact = sum(not e.exact for e in events)
    note = (f"<p>日付が資料にない {inexact} 件は「3月ごろ」のように、わかる範囲で示しています。</p>\n"
            if inexact else "")
    return "\n".join([
        front_matter(f"{year}年のイベント", f"{year}年に全国のブリゲードが開いたイベント"),
        f"# {year}年のイベント\n",
        f'<p>{len(events)} 件。<a href="../">これからのイベント</a></p>\n{note}',
        _filter_form(),
        render_event_list(events, page, directory),
        '<p class="bh-muted" data-bh-empty hidden>条件に合うイベントはありません。</p>\n',
    ])


def render_home_events(upcoming: Sequence[Event], directory: Directory) -> str:
    """A snippet for docs/index.md: the next few events."""
    if not upcoming:
        return '<p class="bh-muted">予定されたイベントはまだ届いていません。</p>\n'
    items = "\n".join(event_item(e, "", directory) for e in upcoming[:HOME_EVENTS])
    return f'<ul class="bh-events" data-search-exclude>\n{items}\n</ul>\n'


# --- the calendar page ----------------------------------------------------------------------------------


def subscribe_links(site: Site, path: str, name: str) -> str:
    """Buttons for Apple, Google and Outlook, and the address to copy, for one feed."""
    https = site.site_url.rstrip("/") + "/" + path
    webcal = "webcal://" + https.split("://", 1)[1]
    google = "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe="")
    outlook = ("https://outlook.live.com/calendar/0/addfromweb?url=" + quote(https, safe="")
               + "&name=" + quote(name, safe=""))
    return (
        f'<a class="md-button" href="{text(webcal)}">Apple</a> '
        f'<a class="md-button" href="{text(google)}" rel="nofollow">Google</a> '
        f'<a class="md-button" href="{text(outlook)}" rel="nofollow">Outlook</a> '
        f'<input class="bh-feed-url" type="text" readonly value="{text(https)}" aria-label="{text(name)} の URL"> '
        f'<button class="md-button bh-copy" type="button" data-bh-copy hidden>URL をコピー</button>'
    )


def _feed_row(site: Site, path: str, name: str) -> str:
    return f"<tr><th>{text(name)}</th><td>{subscribe_links(site, path, name)}</td></tr>"


def render_calendars_page(brigades: Sequence[Brigade], site: Site) -> str:
    national = [(feed_path("all"), "Brigade Hub 全国のイベント"),
                (feed_path("online"), "Brigade Hub オンラインのイベント")]
    regions = [(feed_path("regions", r.slug), f"Brigade Hub {r.name}地方") for r in japan.regions()]
    prefectures = [(feed_path("prefectures", p.slug), f"Brigade Hub {p.name}") for p in japan.prefectures()]
    groups = [("全国", national), ("地方", regions), ("都道府県", prefectures)]
    by_region = sorted(brigades, key=lambda b: ((p := prefecture_of(b)) and p.code or 99, b.name.ja))
    groups.append(("ブリゲード", [(feed_path("brigades", b.id), b.name.ja) for b in by_region]))
    tables = "\n".join(
        f'<h2>{title}</h2>\n<details{" open" if title == "全国" else ""}><summary>{len(rows)} のカレンダー</summary>\n'
        f'<table class="bh-feeds">\n' + "\n".join(_feed_row(site, p, n) for p, n in rows) + "\n</table>\n</details>"
        for title, rows in groups)
    return "\n".join([
        front_matter("カレンダー", "ブリゲードのイベントを、お使いのカレンダーアプリで購読する"),
        "# カレンダー\n",
        "ブリゲードのイベントを、Google カレンダー・Apple のカレンダー・Outlook・Thunderbird などで"
        "購読できます。一度登録すれば、新しいイベントが自動で追加されます"
        "（アプリによって、反映まで数時間から 1 日ほどかかります）。\n",
        '<div class="admonition tip" data-search-exclude>'
        '<p class="admonition-title">どれか 1 つだけ登録してください</p>'
        "<p>同じイベントは全国・地方・都道府県・ブリゲードのどのカレンダーにも入っています。"
        "いくつも登録すると、同じ予定が重なって表示されることがあります。</p></div>\n",
        "- **Apple**: Mac・iPhone のカレンダーで開きます。\n"
        "- **Google**: Google カレンダーの「URL で追加」画面が開きます。\n"
        "- **Outlook**: Outlook.com の「Web から購読」画面が開きます。\n"
        "- **Thunderbird など**: URL をコピーして、「ネットワーク上のカレンダー」として追加します。\n",
        f'<div data-search-exclude>\n{tables}\n</div>\n',
    ])



# --- the fetch report -------------------------------------------------------------------------------------

SOURCE_STATUS = {"ok": "取得", "not_modified": "変更なし", "failed": "失敗", "skipped": "スキップ"}


def render_source_report(report: dict | None, directory: Directory, page: str) -> str:
    """Every event source and what its last fetch did, for the status page."""
    if not report:
        return "## イベント情報源\n\nまだ取得していません（brigadehub fetch の結果がありません）。\n"
    summary = report.get("summary", {})
    counts = " ・ ".join(f"{label} {summary.get(key, 0)}" for key, label in SOURCE_STATUS.items())
    rows = "\n".join(_source_row(row, directory, page) for row in report.get("sources", []))
    return (f"## イベント情報源\n\n最後の取得: {text(report.get('fetched_at', ''))}（{counts}）\n\n"
            '<table class="bh-sources-report" data-search-exclude>\n<thead><tr><th>ブリゲード</th><th>情報源</th>'
            f"<th>結果</th><th>保存しているイベント</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n")


def _source_row(row: dict, directory: Directory, page: str) -> str:
    brigade = directory.brigades.get(row.get("brigade", ""))
    name = (f'<a href="{relative(page, brigade_path(brigade))}">{text(brigade.name.ja)}</a>' if brigade
            else text(row.get("brigade", "")))
    status = SOURCE_STATUS.get(row.get("status"), text(row.get("status", "")))
    reason = f"（{text(row['reason'])}）" if row.get("reason") else ""
    quiet = " <strong>予定が消えました</strong>" if row.get("went_quiet") else ""
    where = text(f"{row.get('type')} {row.get('group') or row.get('url') or ''}")
    return f"<tr><td>{name}</td><td>{where}</td><td>{status}{reason}{quiet}</td><td>{row.get('stored', 0)}</td></tr>"
