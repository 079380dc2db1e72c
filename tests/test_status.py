"""Tests for site/status.py and its template: the status page says what is stale, and reports stay data."""

from __future__ import annotations

from datetime import date

from brigadehub.core.model import Activity, Brigade
from brigadehub.events import gather
from brigadehub.site.edition import JAPANESE as JA
from brigadehub.site.render import render
from brigadehub.site.status import status_page

TODAY = date(2026, 11, 26)
LINK_REPORT = {
    "checked_at": "2026-11-26T12:43:00+09:00",
    "links": [
        {"brigade": "code-for-example", "field": "links.website", "url": "https://example.org/", "status": "dead",
         "code": 404, "to": None, "reason": None, "since": "2026-10-01T12:43:00+09:00"},
        {"brigade": "code-for-example", "field": "links.x", "url": "https://x.com/example", "status": "live",
         "code": 200, "to": None, "reason": None, "since": "2026-10-01T12:43:00+09:00"},
        {"brigade": "code-for-sample", "field": "links.other[0]", "url": "javascript:alert(1)", "status": "error",
         "code": None, "to": None, "reason": "<img src=x onerror=alert(1)>", "since": "2026-11-26T12:43:00+09:00"},
        {"brigade": "code-for-sample", "field": "links.other[1]", "url": "https://example.com/slow", "status": "slow",
         "code": None, "to": None, "reason": "no answer within 15 s", "since": "2026-11-26T12:43:00+09:00"},
    ],
}
FETCH_REPORT = {
    "fetched_at": "2026-11-26T12:00:00+09:00", "summary": {"ok": 1, "not_modified": 0, "failed": 1, "skipped": 0},
    "sources": [
        {"brigade": "code-for-example", "type": "connpass", "group": "codeforexample", "status": "ok",
         "reason": None, "stored": 3, "went_quiet": True},
        {"brigade": "code-for-gone", "type": "ical", "url": "https://example.org/x.ics", "status": "failed",
         "reason": "HTTP 500\n\n{: onmouseover=alert(1) }", "stored": 2, "went_quiet": False},
    ],
}


def _brigade(brigade_id: str, name: str, confirmed_on: str | None = None) -> Brigade:
    data = {"id": brigade_id, "name": {"ja": name}, "status": "unknown", "sources": ["a test fixture"]}
    if confirmed_on:
        data["confirmed_on"] = confirmed_on
    return Brigade.model_validate(data)


BRIGADES = [
    _brigade("code-for-example", "コード・フォー・エグザンプル", "2026-10-01"),
    _brigade("code-for-sample", "Code for Sample", "2025-11-25"),  # a year and a day ago
    _brigade("code-for-border", "Code for Border", "2025-11-26"),  # exactly a year ago: still confirmed
    _brigade("code-for-never", "Code <for> Never {: onmouseover=alert(document.domain) }"),
]


def _page(link_report=LINK_REPORT, fetch_report=FETCH_REPORT, brigades=BRIGADES) -> str:
    activities = {b.id: gather.activity(b, (), TODAY) for b in brigades}
    return render(JA, "status.md", **status_page(JA, brigades, activities, TODAY, fetch_report, link_report))


def test_the_summary_counts_each_kind_of_staleness():
    page = _page()
    assert ("<tr><th>問題のあるリンク</th><td>3</td></tr>\n<tr><th>静かになったイベント情報源</th><td>1</td></tr>\n"
            "<tr><th>12か月活動の記録がないブリゲード</th><td>4</td></tr>\n"
            "<tr><th>12か月確認されていない掲載</th><td>2</td></tr>") in page
    assert "<p>リンクの最終確認: 2026-11-26T12:43:00+09:00</p>" in page


def test_broken_links_are_listed_with_their_brigade_and_since_and_live_ones_are_not():
    page = _page()
    assert ('<tr><td><a href="../brigades/code-for-example/">コード・フォー・エグザンプル</a></td>'
            '<td>links.website</td><td><a href="https://example.org/" rel="nofollow">https://example.org/</a></td>'
            "<td>リンク切れ (404)</td><td>2026-10-01</td></tr>") in page
    assert "応答が遅い (no answer within 15 s)" in page
    assert "https://x.com/example" not in page


def test_hostile_report_values_and_names_stay_text():
    page = _page()
    assert '<td>javascript:alert(1)</td><td>エラー (&lt;img src=x onerror=alert(1)&gt;)</td>' in page
    assert "失敗（HTTP 500\n\n{: onmouseover=alert(1) }）" in page  # inside our <td>, never Markdown
    assert "Code &lt;for&gt; Never {: onmouseover=alert(document.domain) }</a>（未確認）" in page
    assert "<img" not in page and 'href="javascript' not in page


def test_quiet_sources_unknown_brigades_and_unconfirmed_entries():
    page = _page()
    assert ('<li><a href="../brigades/code-for-example/">コード・フォー・エグザンプル</a>: '
            "<code>connpass:codeforexample</code></li>") in page
    assert "<tr><td>code-for-gone</td><td>ical https://example.org/x.ics</td>" in page  # not in the directory
    unconfirmed = page.split("## 12か月確認されていない掲載")[1].split("##")[0]
    assert 'Code for Sample</a>（最終確認: 2025-11-25）' in unconfirmed
    assert "Border" not in unconfirmed and "エグザンプル" not in unconfirmed


def test_with_no_reports_yet_the_page_still_says_what_it_knows():
    page = _page(None, None, BRIGADES[:1])
    assert "<p>リンクはまだ確認していません。</p>" in page
    assert "<p>まだ確認していません（brigadehub linkcheck の結果がありません）。</p>" in page
    assert "<p>まだ取得していません（brigadehub fetch の結果がありません）。</p>" in page
    assert page.count("<p>ありません。</p>") == 2  # no quiet source, none unconfirmed


def test_damaged_reports_leave_their_part_empty_instead_of_failing():
    page = _page({"links": "not a list"}, {"sources": [1, "x", None], "summary": []})
    assert "<p>問題のあるリンクはありません。</p>" in page and "<tbody>\n</tbody>" in page


def test_a_brigade_with_recent_evidence_is_not_listed_as_silent_and_an_old_record_is_dated():
    minutes = Activity(date="2026-06", finding="定例会の議事録", source="https://example.org/minutes")
    old = Activity(date="2019", finding="ハッカソンの報告", source="https://example.org/report")
    brigades = [BRIGADES[0].model_copy(update={"activity": [minutes]}),
                BRIGADES[1].model_copy(update={"activity": [old]}), BRIGADES[2]]
    silent = _page(brigades=brigades).split("## 12か月活動の記録がないブリゲード")[1].split("##")[0]
    assert "エグザンプル" not in silent
    assert 'Code for Sample</a>（最後の記録: 2019年）' in silent
    assert 'Code for Border</a>（最後の記録: 記録なし）' in silent


PARTIAL_REPORT = {
    "fetched_at": "2026-11-26T12:00:00+09:00", "summary": {"ok": 2, "skipped_items": 2},
    "sources": [
        {"brigade": "code-for-example", "type": "ical", "url": "https://example.org/x.ics", "status": "ok",
         "reason": None, "stored": 5, "went_quiet": False, "skipped_count": 2,
         "skipped_items": [{"item": "event 'a@example.org'", "reason": "has no DTSTART"},
                           {"item": "<script>x</script>", "reason": "could not be read (ValueError)"}]},
        {"brigade": "code-for-sample", "type": "connpass", "group": "codeforsample", "status": "not_modified",
         "reason": None, "stored": 9, "went_quiet": False, "skipped_count": 0, "skipped_items": [],
         "silent": True, "days_since_last_event": 95, "usual_gap_days": 14},
    ],
}


def test_items_a_source_left_out_are_named_on_its_row():
    page = _page(fetch_report=PARTIAL_REPORT)
    assert ("<td>取得<br>読めずに除いた項目 2 件<br><code>event &#x27;a@example.org&#x27;</code>: has no DTSTART"
            "<br><code>&lt;script&gt;x&lt;/script&gt;</code>: could not be read (ValueError)</td>") in page
    assert "<td>変更なし</td>" in page  # nothing left out, nothing said


def test_a_source_silent_for_longer_than_usual_is_listed_as_quiet():
    page = _page(fetch_report=PARTIAL_REPORT)
    assert ('<li><a href="../brigades/code-for-sample/">Code for Sample</a>: <code>connpass:codeforsample</code>'
            "（最後のイベントから 95 日（ふだんは 14 日ごと））</li>") in page
    assert "<tr><th>静かになったイベント情報源</th><td>1</td></tr>" in page


def test_the_english_status_page_says_the_same_in_english():
    from brigadehub.site.edition import ENGLISH as EN

    activities = {b.id: gather.activity(b, (), TODAY) for b in BRIGADES}
    page = render(EN, "status.md", **status_page(EN, BRIGADES, activities, TODAY, FETCH_REPORT, LINK_REPORT))
    assert page.startswith('---\ntitle: "Site status"\n')
    assert "<tr><th>Links with problems</th><td>3</td></tr>" in page
    assert "<td>broken (404)</td>" in page and "<td>slow (no answer within 15 s)</td>" in page
    assert "(fetched 1 · unchanged 0 · failed 1 · skipped 0)" in page
    # A name with no English one, romanised, its Japanese marked for a Japanese voice.
    assert '"><span lang="ja">コード・フォー・エグザンプル</span> (Kodo Fo Eguzanpuru)</a>' in page
    assert "(no record)" in page and "(never confirmed)" in page
    assert "Code &lt;for&gt; Never" in page  # still text
