"""Escape text from brigade files and external feeds for where it lands: HTML, attributes, JSON in a page, CSV."""

from __future__ import annotations

import html
import json
import posixpath
import re
from urllib.parse import urlsplit

SAFE_SCHEMES = {"http", "https"}
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: object) -> str:
    """Escape for HTML text and attribute values alike."""
    return html.escape(CONTROL.sub("", str(value)), quote=True)


def safe_url(url: str | None) -> str | None:
    """Return url only if it is an absolute http(s) address, so that javascript: and data: never reach a page."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc else None


def link(url: str | None, label: str, *, rel_external: bool = True) -> str:
    """An <a> for an external address, or the bare label when the address is not http(s)."""
    safe = safe_url(url)
    if not safe:
        return text(label)
    rel = ' rel="noopener nofollow"' if rel_external else ""
    return f'<a href="{text(safe)}"{rel}>{text(label)}</a>'


def json_for_script(data: object) -> str:
    """JSON that can sit inside <script type="application/json"> or ld+json without ending it early."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        encoded = encoded.replace(char, escape)
    return encoded


def front_matter_value(value: str) -> str:
    """A YAML-safe, HTML-escaped string for page front matter, which Material prints into <head> unescaped."""
    return json.dumps(text(value), ensure_ascii=False)


def csv_cell(value: object) -> str:
    cell = "" if value is None else str(value)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def relative(from_page: str, to: str) -> str:
    """Relative URL between two site paths written as 'brigades/x/' (directory URLs, as MkDocs makes them)."""
    target = posixpath.relpath(to.rstrip("/") or ".", from_page.rstrip("/") or ".")
    return target + "/" if to.endswith("/") or not to else target
