"""Tests for contrib/github.py: the Markdown our bots post (tracking issue, pull request, comment), values kept text."""

from __future__ import annotations

import re
from datetime import date

import pytest

from brigadehub.contrib.github import (
    ISSUE_MARKER,
    code,
    escape_markdown,
    render_link_issue,
    render_problems,
    render_pull_request,
)
from brigadehub.contrib.issueform import Submission, commit_message, convert, load_form
from conftest import ROOT

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


# ---- the pull request and the "what to fix" comment: what a submitter wrote stays inert (issue 9, finding 6) ----

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "add-brigade.yml"
EXAMPLE = ROOT / "tests" / "data" / "issues" / "add-code-for-example.md"
# GitHub's closing keywords, followed by the references they act on: #1, GH-1, owner/repo#1 or an issue's URL.
CLOSING = re.compile(r"(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b\s*:?\s+(?:[\w.-]+/[\w.-]+)?(?:#\d|gh-\d|https?://)")
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
REFERENCE = re.compile(r"(?i)#\d|\bgh-\d|https?://|www\.")
# One value of each kind: closing keywords, a mention, HTML, a link, an image, a table cell, backtick runs.
HOSTILE = ("Code for Q fixes #1, closes https://github.com/o/r/issues/2 resolves GH-3 @admin "
           "<img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](https://example.com/i.png) ```` | a | b |")
LINES = "Code for Q\n\n# Heading\n\nfixes #4\n```\n@admin\n<script>alert(1)</script>"


def outside_code(markdown: str) -> str:
    """What GitHub parses as Markdown: each line with its code spans (CommonMark 6.1) blanked out.

    Spans are matched within a line only, so a span across lines counts as text: the check errs towards failing.
    """
    return "\n".join(_blank_spans(line) for line in markdown.split("\n"))


def _blank_spans(line: str) -> str:
    out, start = [], 0
    while (opener := re.compile(r"`+").search(line, start)) is not None:
        closer = re.compile(rf"(?<!`){opener.group()}(?!`)").search(line, opener.end())
        if closer is None:  # a run with no partner of its length is literal backticks
            out.append(line[start:opener.end()])
            start = opener.end()
            continue
        out.append(line[start:opener.start()] + "<code>")
        start = closer.end()
    return "".join(out) + line[start:]


def _assert_inert(markdown: str, ours: set[str]) -> None:
    """Nothing outside code acts: no closing keyword, mention, reference, HTML, link, image, table or stray fence."""
    text = outside_code(markdown)
    acting = [line for line in text.splitlines() if CLOSING.search(line)]
    assert acting == [line for line in ours if CLOSING.search(line)]
    assert not MENTION.search(text)
    assert sorted(set(REFERENCE.findall(text))) == sorted({ref for line in ours for ref in REFERENCE.findall(line)})
    assert text.replace("<code>", "").count("<") == 0 and "](" not in text and "|" not in text and "`" not in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [line for line in ours if line.startswith("#")]


def _form_body(answers: dict[str, str]) -> str:
    """The saved example issue with some answers replaced, as GitHub would render the form."""
    body = EXAMPLE.read_bytes().decode("utf-8").replace("\r\n", "\n")
    titles = load_form(FORM).titles
    for question, value in answers.items():
        label = f"### {titles[question]}\n\n"
        start = body.index(label) + len(label)
        body = body[:start] + value + body[body.index("\n\n###", start):]
    return body


def test_code_spans_hold_any_text_as_one_inert_span():
    assert code("brigades/code-for-example.yml") == "`brigades/code-for-example.yml`"
    assert code("a ``` b") == "````a ``` b````"  # longer than any run inside, so nothing inside can close it
    assert code("`x") == "`` `x ``" and code("") == "`  `" and code(" a ") == "`  a  `"
    assert code("x\n# Heading\r\n```\ny\u2028z\x00") == "```` x # Heading  ``` y z  ````"  # no line break ends it


def test_a_hostile_name_never_reaches_the_pull_request_or_its_commit(tmp_path):
    submission = Submission(date(2026, 11, 26), 12, "example-organiser")
    outcome = convert(_form_body({"name_ja": HOSTILE}), load_form(FORM), submission, tmp_path)
    assert outcome.problems == []  # one line of plain text is a valid name; the file keeps it, in YAML
    assert "fixes #1" in outcome.text
    assert commit_message(outcome, submission) == "Add " + outcome.path.as_posix() + " from issue #12"
    body = render_pull_request("brigades/code-for-example.yml", 12, "example-organiser")
    assert body == (ROOT / "tests" / "data" / "issues" / "add-code-for-example.expected.md").read_text(encoding="utf-8")
    _assert_inert(body, {"Closes #12"})


def test_a_hostile_login_in_the_pull_request_is_code():
    body = render_pull_request("brigades/code-for-example.yml", 12, "x`` fixes #3 @admin\n# h")
    assert "- 提出 / submitted by: ```x`` fixes #3 @admin # h```\n" in body
    _assert_inert(body, {"Closes #12"})


def test_without_an_issue_the_pull_request_closes_nothing():
    body = render_pull_request("brigades/code-for-example.yml")
    assert body.startswith("ブリゲードのファイル `brigades/code-for-example.yml` を追加します。issue のフォーム")
    assert "submitted by" not in body and "Closes" not in body
    _assert_inert(body, set())


def test_every_hostile_answer_is_quoted_in_code_in_the_comment(tmp_path):
    answers = {"name_ja": LINES, "website": HOSTILE, "founded": "closes #2 ``` @admin", "tags": "<b>x</b>",
               "description": LINES, "x": "@admin fixes #5"}
    outcome = convert(_form_body(answers), load_form(FORM), Submission(date(2026, 11, 26), 12), tmp_path)
    comment = render_problems(outcome.problems, load_form(FORM).titles)
    lines = comment.splitlines()
    assert ("- **設立 / Founded**: ````'closes #2 ``` @admin' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD in "
            "quotes, e.g. \"2013-05\"````") in lines
    assert ("- **タグ / Tags**: `'<b>x</b>' is not a tag; write one short word per list item, without spaces or "
            "commas`") in lines
    name = next(line for line in lines if line.startswith("- **ブリゲード名 / Name**: "))
    assert name.startswith("- **ブリゲード名 / Name**: ````'Code for Q\\n\\n# Heading\\n\\nfixes #4\\n```\\n@admin\\n")
    assert [line.split("**")[1] for line in lines if line.startswith("- ")] == [
        "ブリゲード名 / Name", "ウェブサイト / Website", "X (Twitter)", "タグ / Tags", "設立 / Founded"]
    _assert_inert(comment, {"### 直すところがあります / Some answers need fixing"})


def test_a_message_with_raw_line_breaks_and_backticks_stays_one_span():
    comment = render_problems([("name_ja", "bad\n\n# Heading\n```\n@admin fixes #1"), (None, "`")],
                              {"name_ja": "ブリゲード名 / Name"})
    assert comment.splitlines()[-2:] == ["- **ブリゲード名 / Name**: ````bad  # Heading ``` @admin fixes #1````",
                                         "- **(フォーム全体 / the form)**: `` ` ``"]
    _assert_inert(comment, {"### 直すところがあります / Some answers need fixing"})


def test_the_inertness_check_itself_catches_what_acts():
    with pytest.raises(AssertionError):
        _assert_inert("Code for Q fixes #1", set())
    with pytest.raises(AssertionError):
        _assert_inert("`a` @admin", set())
    with pytest.raises(AssertionError):
        _assert_inert("`a`` fixes #1", set())  # a run of two does not close a span opened by one
    _assert_inert("`fixes #1 @admin <b>`", set())
