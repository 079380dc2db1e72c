"""Tests for status.py: the status page and the tracking issue say what is stale, in plain Markdown."""

from __future__ import annotations

from datetime import date

from brigadehub.core.model import Brigade
from brigadehub.site.status import ISSUE_MARKER, escape, render_link_issue, render_status_markdown

TODAY = date(2026, 11, 26)
REPORT = {
    "checked_at": "2026-11-26T12:43:00+09:00",
    "counts": {"live": 1, "redirected": 1, "slow": 1, "dead": 1, "error": 1},
    "links": [
        {"brigade": "code-for-example", "field": "links.website", "url": "https://example.org/", "status": "dead",
         "code": 404, "to": None, "reason": None, "since": "2026-10-01T12:43:00+09:00"},
        {"brigade": "code-for-example", "field": "links.x", "url": "https://x.com/example", "status": "live",
         "code": 200, "to": None, "reason": None, "since": "2026-10-01T12:43:00+09:00"},
        {"brigade": "code-for-sample", "field": "links.other[0]", "url": "https://example.com/a|b", "status": "error",
         "code": None, "to": None, "reason": "connection refused", "since": "2026-11-26T12:43:00+09:00"},
        {"brigade": "code-for-sample", "field": "links.other[1]", "url": "https://example.com/slow", "status": "slow",
         "code": None, "to": None, "reason": "no answer within 15 s", "since": "2026-11-26T12:43:00+09:00"},
        {"brigade": "code-for-sample", "field": "links.website", "url": "http://example.com/", "status": "redirected",
         "code": 200, "to": "https://example.com/", "reason": None, "since": "2026-11-26T12:43:00+09:00"},
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
    _brigade("code-for-never", "Code <for> Never"),
]


def test_the_status_page_lists_each_kind_of_staleness():
    page = render_status_markdown(
        BRIGADES, TODAY, REPORT,
        quiet_sources=[{"brigade": "code-for-example", "source": "connpass:codeforexample",
                        "reason": "イベントが0件になった", "since": "2026-11-01"}],
        no_recent_events={"code-for-sample": "2025-06-01", "code-for-never": None},
        brigade_href="../brigades/{id}/",
    )
    assert page.startswith("# サイトの状態\n")
    assert "| 問題のあるリンク | 3 |\n| 静かになったイベント情報源 | 1 |\n| 12か月イベントのないブリゲード | 2 |\n" \
           "| 12か月確認されていない掲載 | 2 |" in page
    assert "リンクの最終確認: 2026-11-26T12:43:00+09:00" in page
    assert ("| [コード・フォー・エグザンプル](../brigades/code-for-example/) | links.website | "
            "<https://example.org/> | "
            "リンク切れ (404) | 2026-10-01 |") in page
    assert "<https://example.com/a%7Cb> | エラー (connection refused) |" in page
    assert "応答が遅い (no answer within 15 s)" in page
    assert "https://x.com/example" not in page  # live links are not news
    assert "- [コード・フォー・エグザンプル](../brigades/code-for-example/): `connpass:codeforexample`" \
           "（イベントが0件になった、2026-11-01）" in page
    assert "- [Code for Sample](../brigades/code-for-sample/)（最後のイベント: 2025-06-01）" in page
    assert "- [Code &lt;for&gt; Never](../brigades/code-for-never/)（最後のイベント: 記録なし）" in page
    unconfirmed = page.split("## 12か月確認されていない掲載")[1]
    assert "Code for Sample](../brigades/code-for-sample/)（最終確認: 2025-11-25）" in unconfirmed
    assert "Never](../brigades/code-for-never/)（未確認）" in unconfirmed
    assert "Border" not in unconfirmed
    assert "エグザンプル" not in unconfirmed


def test_with_no_reports_yet_the_page_still_says_what_it_knows():
    page = render_status_markdown(BRIGADES[:1], TODAY)
    assert "リンクはまだ確認していません。" in page
    assert "まだ確認していません（brigadehub linkcheck の結果がありません）。" in page
    assert page.count("ありません。") == 3  # no quiet source, no brigade without events, none unconfirmed
    assert "12か月確認されていない掲載 | 0 |" in page


def test_quiet_sources_may_come_as_a_mapping_and_the_page_is_deterministic():
    quiet = {"connpass:b": {"brigade": "code-for-sample"}, "connpass:a": {"brigade": "code-for-example"}}
    first = render_status_markdown(BRIGADES, TODAY, REPORT, quiet_sources=quiet, no_recent_events=["code-for-sample"])
    assert first.index("`connpass:a`") < first.index("`connpass:b`")
    assert first == render_status_markdown(list(reversed(BRIGADES)), TODAY, REPORT, quiet_sources=quiet,
                                           no_recent_events=["code-for-sample"])


def test_the_tracking_issue_lists_broken_links_and_folds_redirects():
    body = render_link_issue(REPORT, "https://github.com/o/r/blob/main/brigades/{id}.yml")
    assert body.startswith(ISSUE_MARKER + "\n")
    assert "5 件中、問題 3 件、転送 1 件" in body
    assert ("| [code-for-example](https://github.com/o/r/blob/main/brigades/code-for-example.yml) | links.website | "
            "<https://example.org/> | リンク切れ (404) | 2026-10-01 |") in body
    folded = body.split("<details>")[1]
    assert "転送 → <https://example.com/>" in folded
    assert "https://x.com/example" not in body


def test_a_clean_report_says_so():
    body = render_link_issue({"checked_at": "2026-11-26", "links": [REPORT["links"][1]]})
    assert "問題のあるリンクはありません。 / No broken links." in body
    assert "<details>" not in body


def test_escape_keeps_table_cells_and_html_intact():
    assert escape("a|b <i>*c*</i> [d]") == "a\\|b &lt;i&gt;\\*c\\*&lt;/i&gt; \\[d\\]"
