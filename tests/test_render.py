"""Tests for site/render.py: every template value is escaped on its way out, and each named filter holds."""

from __future__ import annotations

import json

import jinja2
import pytest

from brigadehub.site import render as render_module
from brigadehub.site.render import escape_html, front_matter, json_for_script


def _template(source: str) -> jinja2.Template:
    """A template from a string, in the very environment the site's templates use."""
    return render_module.environment().from_string(source)


def test_escape_html_escapes_markup_quotes_and_drops_control_characters():
    assert escape_html("<a href='x'>\"&\x00") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;"


def test_a_template_cannot_forget_to_escape_a_value():
    hostile = "\"><script>alert('x')</script>\x07"
    template = _template('<p title="{{ v }}">{{ v }}</p>{{ d.k }}{{ l[0] }}')
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
        '<a href="https://example.org/?a=1&amp;b=2" rel="noopener nofollow">&lt;b&gt;x&lt;/b&gt;</a>')


def test_json_for_script_cannot_close_its_script_element():
    encoded = json_for_script({"name": "</script><script>alert(1)</script>", "line": "\u2028"})
    assert "<" not in encoded and ">" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded)["name"] == "</script><script>alert(1)</script>"


def test_front_matter_values_are_yaml_strings_of_escaped_html():
    assert front_matter('a "b" <c>\nd') == '"a &quot;b&quot; &lt;c&gt;\\nd"'
