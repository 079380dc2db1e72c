"""Turn untrusted text from event platforms into safe plain text (addresses: core.model.web_address)."""

# Titles, places and names are plain text (plain_line): they keep every character but control characters and
# bidirectional overrides, and templates escape them on output ('<Vue.js> 勉強会' stays '<Vue.js> 勉強会', issue 10).
# Only fields that hold HTML (descriptions: clean_text) have their tags stripped.

from __future__ import annotations

import html
import re
import unicodedata

import nh3

TITLE_LIMIT = 200
LINE_LIMIT = 200
DESCRIPTION_LIMIT = 300
# Line breaks that HTML writes as tags; without them a description becomes one long line.
BREAK_TAGS = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote)\s*>")
# Bidirectional overrides can make a title read differently from what it says (CVE-2021-42574).
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


def strip_tags(text: str) -> str:
    """Reduce HTML to its text; repeat until unescaping cannot make a new tag (&lt;script&gt;)."""
    text = strip_controls(text)  # nh3 refuses a lone surrogate, and the event that carried one was skipped
    for _ in range(3):
        cleaned = html.unescape(nh3.clean(BREAK_TAGS.sub("\n", text), tags=set()))
        if cleaned == text:
            break
        text = cleaned
    return text


def strip_controls(text: str, keep_newlines: bool = True) -> str:
    """Text with control characters, lone surrogates and bidirectional overrides replaced; nothing else changes.
    A JSON answer can carry a lone surrogate ("\\ud800"), which no UTF-8 file or page can hold."""
    text = unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    allowed = "\n" if keep_newlines else ""
    return "".join(c if c in allowed or unicodedata.category(c) not in ("Cc", "Cs") else " " for c in text)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain_line(value: object, limit: int = LINE_LIMIT) -> str:
    """One line of plain text (a title, a place, a name): no control characters, spaces collapsed, at most limit."""
    if value is None:
        return ""
    text = strip_controls(str(value), keep_newlines=False)
    return truncate(" ".join(text.split()), limit)


def clean_line(value: object, limit: int = LINE_LIMIT) -> str:
    """One line of plain text from a field that may hold HTML: its tags stripped, then as plain_line."""
    return "" if value is None else plain_line(strip_tags(str(value)), limit)


def plain_text(value: object, limit: int = DESCRIPTION_LIMIT) -> str:
    """A few lines of plain text: no control characters, no blank lines, at most limit characters."""
    if value is None:
        return ""
    text = strip_controls(str(value), keep_newlines=True)
    # Blank lines are dropped: HTML's own line breaks beside its tags would otherwise double every break.
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return truncate("\n".join(line for line in lines if line), limit)


def clean_text(value: object, limit: int = DESCRIPTION_LIMIT) -> str:
    """Plain text of a few lines from an HTML description: its tags stripped, then as plain_text."""
    return "" if value is None else plain_text(strip_tags(str(value)), limit)
