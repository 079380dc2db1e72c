"""Tests for site/render.py: every template value is escaped on its way out, and each named filter holds."""

from __future__ import annotations

import html
import json

import jinja2
import pytest
from markupsafe import Markup

from brigadehub.site import render as render_module
from brigadehub.site.edition import EDITIONS, ENGLISH, JAPANESE
from brigadehub.site.render import escape_html, fill, front_matter, json_for_script


def _template(source: str, edition=JAPANESE) -> jinja2.Template:
    """A template from a string, in the very environment the site's templates use."""
    return render_module.environment(edition).from_string(source)


def test_escape_html_escapes_markup_quotes_and_drops_control_characters():
    assert escape_html("<a href='x'>\"&\x00") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;"


@pytest.mark.parametrize("char", [*"&<>\"'", *map(chr, [*range(0, 9), 11, 12, *range(14, 32), 127])])
def test_the_quick_path_of_escape_html_skips_no_character_that_needs_escaping(char):
    """escape_html returns plain text as it is; every character the full escape changes must take the full path."""
    text = f"a{char}b"
    assert escape_html(text) == html.escape(render_module.CONTROL.sub("", text), quote=True) != text


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.lang)
def test_a_template_cannot_forget_to_escape_a_value(edition):
    hostile = "\"><script>alert('x')</script>\x07"
    template = _template('<p title="{{ v }}">{{ v }}</p>{{ d.k }}{{ l[0] }}', edition)
    out = template.render(v=hostile, d={"k": hostile}, l=[hostile])
    escaped = "&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert out == f'<p title="{escaped}">{escaped}</p>{escaped}{escaped}'


def test_a_value_is_never_parsed_as_a_template():
    assert _template("{{ v }}").render(v="{{ 7*7 }}{% if 1 %}x{% endif %}") == "{{ 7*7 }}{% if 1 %}x{% endif %}"


def test_a_missing_value_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        _template("{{ nothing }}").render()


def test_the_link_partial_drops_addresses_that_are_not_http():
    template = _template('{% from "partials/link.html" import render_link %}{{ render_link(u, "<b>x</b>") }}')
    assert template.render(u="javascript:alert(1)") == "&lt;b&gt;x&lt;/b&gt;"
    assert template.render(u="https://example.org/?a=1&b=2") == (
        '<a href="https://example.org/?a=1&amp;b=2" rel="nofollow">&lt;b&gt;x&lt;/b&gt;</a>')


def test_json_for_script_cannot_close_its_script_element():
    encoded = json_for_script({"name": "</script><script>alert(1)</script>", "line": "\u2028"})
    assert "<" not in encoded and ">" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded)["name"] == "</script><script>alert(1)</script>"


def test_front_matter_values_are_yaml_strings_of_escaped_html():
    assert front_matter('a "b" <c>\nd') == '"a &quot;b&quot; &lt;c&gt;\\nd"'


def test_fill_escapes_the_values_it_puts_into_a_phrase_and_keeps_our_own_html():
    assert fill("{name} の URL", name="<b>&") == "&lt;b&gt;&amp; の URL"
    assert fill(Markup('<a href="{href}">{n}</a>'), n=2, href='"x') == '<a href="&quot;x">2</a>'
    assert fill("{a}", a=Markup("<span>ok</span>")) == "<span>ok</span>"  # already marked by |ja


def test_fill_chooses_the_english_form_by_n():
    phrase = ("{n} event", "{n} events")
    assert [fill(phrase, n=n) for n in (0, 1, 2)] == ["0 events", "1 event", "2 events"]


def test_the_japanese_in_a_text_is_marked_on_an_english_page_only():
    hostile = "Code for 例<script>"
    assert _template("{{ v|ja }}", ENGLISH).render(v=hostile) == 'Code for <span lang="ja">例</span>&lt;script&gt;'
    assert _template("{{ v|ja }}", JAPANESE).render(v=hostile) == "Code for 例&lt;script&gt;"
    assert _template("{{ v|ja }}", ENGLISH).render(v="Code for Example") == "Code for Example"
    assert _template("{{ v|ja }}", ENGLISH).render(v=None) == ""
    option = '<option{{ v|lang_attr }}>{{ v }}</option>'
    assert _template(option, ENGLISH).render(v="防災") == '<option lang="ja">防災</option>'
    assert _template(option, JAPANESE).render(v="防災") == "<option>防災</option>"
    assert _template(option, ENGLISH).render(v="civic tech") == "<option>civic tech</option>"


def test_each_edition_reads_its_own_words():
    assert _template("{{ t.events }}", JAPANESE).render() == "イベント"
    assert _template("{{ t.events }}", ENGLISH).render() == "Events"
    with pytest.raises(jinja2.UndefinedError):
        _template("{{ t.no_such_word }}", ENGLISH).render()


def test_a_dict_s_key_is_read_first_and_a_missing_one_still_fails_loudly():
    """render._Environment reads `d.k` as d["k"] before trying an attribute (a speed-up for the pages' dicts):
    what a value is, and that a typo in a template stops the build, must not change."""
    template = _template("{{ d.k }}|{{ d.title }}|{{ s.upper() }}")
    assert template.render(d={"k": 1, "title": "<t>"}, s="a") == "1|&lt;t&gt;|A"
    with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'missing'"):
        _template("{{ d.missing }}").render(d={"k": 1})
