"""Render the Markdown our bots post on GitHub, from templates in contrib/templates/ that escape every value.

GitHub renders an issue body as Markdown with some HTML, so a brigade id, a field or a failure reason could
otherwise open a link, a table cell or a tag. Every `{{ value }}` is escaped for Markdown on its way out; a URL
is written only through the `autolink` and `target` filters, which keep it one unbroken address. What a
submitter wrote goes through the `code` filter instead: inside a code span GitHub links no `#123`, `GH-1` or
URL, mentions nobody and parses no Markdown, so "fixes #1" or "@someone" stays text (issue 9, finding 6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

import jinja2
from markupsafe import Markup

ISSUE_MARKER = "<!-- brigadehub:link-health -->"
PROBLEMS = ("dead", "error", "slow")
STATUS_JA = {"dead": "リンク切れ", "error": "エラー", "slow": "応答が遅い", "redirected": "転送", "live": "正常"}
MARKDOWN_SPECIALS = re.compile(r"([\\|*_\[\]`])")
# What would end an autolink or break a table row; a link target also ends at a parenthesis.
URL_ESCAPES = (("|", "%7C"), (" ", "%20"), ("<", "%3C"), (">", "%3E"))
TARGET_ESCAPES = (("(", "%28"), (")", "%29"))
# A line break would let the next line start a Markdown block (a heading, a fence) and end the code span with
# it; control characters have no business in a comment. Both become spaces.
LINE_BREAKS = re.compile(r"[\r\n\x00-\x1f\x7f-\x9f\u2028\u2029]")
BACKTICK_RUNS = re.compile(r"`+")
FORM_AS_A_WHOLE = "(フォーム全体 / the form)"


def escape_markdown(text: object) -> str:
    """Text that stays text inside a Markdown table cell: no HTML, no column breaks, no emphasis or links."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _finalize(value: object) -> object:
    if value is None:
        return ""
    return value if isinstance(value, Markup) else escape_markdown(value)


def _encode(url: object, escapes: tuple[tuple[str, str], ...]) -> str:
    text = str(url)
    for char, code in escapes:
        text = text.replace(char, code)
    return text


def target(url: object) -> Markup:
    """A URL as a Markdown link target, [text](target): the characters that would end it are percent-encoded."""
    return Markup(_encode(url, URL_ESCAPES + TARGET_ESCAPES))


def autolink(url: object) -> Markup:
    """An autolink, which GitHub and MkDocs both render as a link to exactly this address."""
    return Markup(f"<{_encode(url, URL_ESCAPES)}>")


def code(text: object) -> Markup:
    """Any text as one inline code span, which no backtick run inside it can close and no line break can end."""
    text = LINE_BREAKS.sub(" ", str(text))
    fence = "`" * (max((len(run) for run in BACKTICK_RUNS.findall(text)), default=0) + 1)
    # CommonMark strips one space from each end of a span, so that a span may start or end with a backtick;
    # padding then keeps a value's own spaces, and an empty value is a span, not a run of backticks.
    pad = " " if not text or text[0] in "` " or text[-1] in "` " else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


@cache
def environment() -> jinja2.Environment:
    # autoescape is for HTML; here _finalize escapes for Markdown instead, and Markup marks what is done.
    env = jinja2.Environment(loader=jinja2.PackageLoader("brigadehub.contrib", "templates"), autoescape=False,
                             finalize=_finalize, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(autolink=autolink, target=target, code=code)
    return env


def render_link_issue(report: Mapping, file_href: str | None = None) -> str:
    """Return the body of the one tracking issue for link health (Japanese, then English).

    file_href: a pattern for a brigade file's web address, e.g. "https://github.com/o/r/blob/main/brigades/{id}.yml".
    """
    links = [_link(link, file_href) for link in report.get("links", [])]
    return _render("link-issue.md", marker=Markup(ISSUE_MARKER), checked_at=str(report.get("checked_at", "")),
                   total=len(links), broken=[link for link in links if link["status"] in PROBLEMS],
                   moved=[link for link in links if link["status"] == "redirected"])


def _link(link: Mapping, file_href: str | None) -> dict:
    status = str(link.get("status", ""))
    return {**link, "status": status, "label": STATUS_JA.get(status, status),
            "href": file_href.format(id=link["brigade"]) if file_href else None,
            "since": str(link.get("since") or "")[:10]}


def render_pull_request(path: str, issue: int | None = None, author: str | None = None) -> str:
    """Return the body of the pull request that adds the brigade file at path, made from the form in issue.

    It names nothing the submitter wrote beyond their login, in code: the file is in the diff, and a squash merge
    may copy this body into a commit message on main, where GitHub reads closing keywords in plain text.
    """
    return _render("pull-request.md", path=path, issue=issue, author=author)


def render_problems(problems: Iterable[tuple[str | None, str]], titles: Mapping[str, str]) -> str:
    """Return the comment that says which answers of the form to fix; each message is shown in code.

    titles: the form's question ids and their labels, e.g. {"name_ja": "ブリゲード名 / Name"}.
    """
    items = [(titles.get(question or "", FORM_AS_A_WHOLE), message) for question, message in problems]
    return _render("answers-to-fix.md", problems=items)


def _render(template: str, **values: object) -> str:
    return environment().get_template(template).render(**values).rstrip("\n") + "\n"
