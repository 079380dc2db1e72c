"""Tests for contrib/github.py: the link-health tracking issue, in Markdown where every value stays text."""

from __future__ import annotations

from brigadehub.contrib.github import ISSUE_MARKER, escape_markdown, render_link_issue

DEAD = {"brigade": "code-for-example", "field": "links.website", "url": "https://example.org/", "status": "dead",
        "code": 404, "to": None, "reason": None, "since": "2026-10-01T12:43:00+09:00"}
REPORT = {
    "checked_at": "2026-11-26T12:43:00+09:00",
    "links": [
        DEAD,
        {**DEAD, "field": "links.x", "url": "https://x.com/example", "status": "live", "code": 200},
        {**DEAD, "brigade": "code-for-sample", "field": "links.other[0]", "url": "https://example.com/a|b",
         "status": "error", "code": None, "reason": "connection refused"},
        {**DEAD, "brigade": "code-for-sample", "field": "links.other[1]", "url": "https://example.com/slow",
         "status": "slow", "code": None, "reason": "no answer within 15 s"},
        {**DEAD, "brigade": "code-for-sample", "url": "http://example.com/", "status": "redirected", "code": 200,
         "to": "https://example.com/"},
    ],
}


def test_the_tracking_issue_lists_broken_links_and_folds_redirects():
    body = render_link_issue(REPORT, "https://github.com/o/r/blob/main/brigades/{id}.yml")
    assert body.startswith(ISSUE_MARKER + "\n")
    assert "5 件中、問題 3 件、転送 1 件" in body
    assert ("| [code-for-example](https://github.com/o/r/blob/main/brigades/code-for-example.yml) | links.website | "
            "<https://example.org/> | リンク切れ (404) | 2026-10-01 |") in body
    assert "| links.other\\[0\\] | <https://example.com/a%7Cb> | エラー (connection refused) |" in body
    folded = body.split("<details>")[1]
    assert "転送 → <https://example.com/>" in folded and folded.rstrip().endswith("</details>")
    assert "https://x.com/example" not in body


def test_without_a_file_pattern_the_brigade_is_named_in_code():
    assert "| `code-for-example` | links.website |" in render_link_issue(REPORT)


def test_a_clean_report_says_so():
    body = render_link_issue({"checked_at": "2026-11-26", "links": [REPORT["links"][1]]})
    assert "問題のあるリンクはありません。 / No broken links." in body
    assert "<details>" not in body
    assert body.endswith("row disappears.\n\n問題のあるリンクはありません。 / No broken links.\n")


def test_hostile_values_cannot_break_the_table_or_open_a_link():
    hostile = {**DEAD, "brigade": "x|y", "field": "[a](javascript:1)", "status": "error", "code": None,
               "reason": "<img src=x onerror=alert(1)> *b* `c` @someone"}
    body = render_link_issue({"checked_at": "<b>", "links": [hostile]}, "https://github.com/o/r/{id}")
    row = next(line for line in body.splitlines() if "javascript" in line)
    assert row.count(" | ") == 4  # five cells, however many pipes the values hold
    assert "\\[a\\](javascript:1)" in row and "&lt;img src=x onerror=alert(1)&gt; \\*b\\* \\`c\\`" in row
    assert "（&lt;b&gt;）" in body and "(https://github.com/o/r/x%7Cy)" in row


def test_escape_keeps_table_cells_and_html_intact():
    assert escape_markdown("a|b <i>*c*</i> [d]") == "a\\|b &lt;i&gt;\\*c\\*&lt;/i&gt; \\[d\\]"
