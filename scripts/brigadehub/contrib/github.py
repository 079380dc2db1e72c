"""Render the Markdown our bots post on GitHub, from templates in contrib/templates/ that escape every value.

GitHub renders an issue body as Markdown with some HTML, so a brigade id, a field or a failure reason could
otherwise open a link, a table cell or a tag. Every `{{ value }}` is escaped for Markdown on its way out; a URL
is written only through the `autolink` and `target` filters, which keep it one unbroken address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


@cache
def environment() -> jinja2.Environment:
    # autoescape is for HTML; here _finalize escapes for Markdown instead, and Markup marks what is done.
    env = jinja2.Environment(loader=jinja2.PackageLoader("brigadehub.contrib", "templates"), autoescape=False,
                             finalize=_finalize, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(autolink=autolink, target=target)
    return env


def render_link_issue(report: Mapping, file_href: str | None = None) -> str:
    """Return the body of the one tracking issue for link health (Japanese, then English).

    file_href: a pattern for a brigade file's web address, e.g. "https://github.com/o/r/blob/main/brigades/{id}.yml".
    """
    links = [_link(link, file_href) for link in report.get("links", [])]
    text = environment().get_template("link-issue.md").render(
        marker=Markup(ISSUE_MARKER), checked_at=str(report.get("checked_at", "")), total=len(links),
        broken=[link for link in links if link["status"] in PROBLEMS],
        moved=[link for link in links if link["status"] == "redirected"])
    return text.rstrip("\n") + "\n"


def _link(link: Mapping, file_href: str | None) -> dict:
    status = str(link.get("status", ""))
    return {**link, "status": status, "label": STATUS_JA.get(status, status),
            "href": file_href.format(id=link["brigade"]) if file_href else None,
            "since": str(link.get("since") or "")[:10]}
