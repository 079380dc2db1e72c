"""Render page data through the Jinja2 templates in site/templates/, escaping every value on its way out.

Every `{{ value }}` passes through `_finalize`: HTML-escaped, quotes included, with control characters dropped,
so a template cannot forget to escape. The only ways to print text unescaped are the named filters below,
each of which makes its own output safe for the one place it is used.

Each edition has an environment of its own, whose templates read the edition's words as `t` (site/words.py):
`|fill` puts values into a phrase, escaping them, and `|ja` marks the Japanese in a text for an English page.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache, partial
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from brigadehub.core.model import web_address
from brigadehub.site import english
from brigadehub.site.words import choose

if TYPE_CHECKING:
    from brigadehub.site.edition import Edition

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What escape_html changes; most values hold none of it, and one search costs less than six passes of replacing.
NEEDS_ESCAPE = re.compile(r"[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# JSON inside <script> must not be able to end the element or a line of JavaScript.
SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                  ("\u2029", "\\u2029"))


def escape_html(value: object) -> str:
    """Escape for HTML text and attribute values alike; control characters have no place in either."""
    text = str(value)
    return text if NEEDS_ESCAPE.search(text) is None else html.escape(CONTROL.sub("", text), quote=True)


def _finalize(value: object) -> object:
    if value is None or isinstance(value, Markup):
        return "" if value is None else value
    return Markup(escape_html(value))


def to_json(data: object) -> str:
    """JSON as text; the template escapes it like any other value (for a data-* attribute)."""
    return json.dumps(data, ensure_ascii=False)


def json_for_script(data: object) -> str:
    """JSON that can sit inside <script type="application/json"> or ld+json without ending it early."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in SCRIPT_ESCAPES:
        encoded = encoded.replace(char, escape)
    return encoded


def front_matter(value: object) -> Markup:
    """A YAML string of HTML-escaped text: Material prints front matter into <head> without escaping it."""
    return Markup(json.dumps(escape_html(value), ensure_ascii=False))


def front_matter_json_ld(data: dict) -> Markup:
    """schema.org data for the page's <head>, as a YAML string that overrides/main.html prints in a script."""
    return Markup(json.dumps(json_for_script(data), ensure_ascii=False))


def fill(word: object, n: object = None, **values: object) -> Markup:
    """A phrase with its values in: the phrase escaped unless it is one of our HTML words, each value escaped
    unless it is already Markup (a text that |ja marked)."""
    word = choose(word, n)
    pattern = str(word) if isinstance(word, Markup) else escape_html(word)
    escaped = {name: value if isinstance(value, Markup) else escape_html(value) for name, value in values.items()}
    return Markup(pattern.format(n=escape_html(n), **escaped))


def mark_japanese(page_lang: str, value: object) -> Markup:
    """Text from a file or a feed, escaped; on a page that is not Japanese, its Japanese part in <span lang="ja">, so
    that a screen reader reads it in a Japanese voice ('Code for <span lang="ja">中野</span> (Code for Nakano)')."""
    if value is None or isinstance(value, Markup):
        return value if value is not None else Markup("")
    text = str(value)
    span = english.japanese_span(text) if page_lang != "ja" else None
    if not span:
        return Markup(escape_html(text))
    start, end = span
    return Markup(f'{escape_html(text[:start])}<span lang="ja">{escape_html(text[start:end])}</span>'
                  f"{escape_html(text[end:])}")


def lang_attribute(page_lang: str, value: object) -> Markup:
    """ lang="ja" for an element that holds only text from the data (an <option>, which holds no <span>), where that
    text is Japanese on a page that is not."""
    return Markup(' lang="ja"' if page_lang != "ja" and english.has_japanese(str(value or "")) else "")


class _Environment(jinja2.Environment):
    """Jinja's `a.b` tries getattr(a, "b") before a["b"]. The pages' data are dicts, so each lookup raised and
    caught an AttributeError first: 1.8 million lookups in the Japanese pages at 1,000 brigades. Here a dict's
    key comes first; no template calls a dict's methods, which a key of the same name would hide."""

    def getattr(self, obj: object, attribute: str) -> object:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@cache
def environment(edition: Edition) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.PackageLoader("brigadehub.site", "templates"),
        autoescape=True, finalize=_finalize, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(safe_url=web_address, to_json=to_json, front_matter=front_matter,
                       json_ld=front_matter_json_ld, fill=fill, ja=partial(mark_japanese, edition.lang),
                       lang_attr=partial(lang_attribute, edition.lang))
    env.globals.update(t=edition.t, lang=edition.lang)
    return env


def render(edition: Edition, template: str, **data: object) -> str:
    """Render one template of site/templates/ with plain data, in the words of one edition."""
    return environment(edition).get_template(template).render(**data)
