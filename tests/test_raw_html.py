"""Tests for scripts/mkdocs_raw_html.py: a marked block reaches the page as written, read by neither Markdown nor
the search plugin, in a real MkDocs build with Material."""

from __future__ import annotations

import json

from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import ROOT
from mkdocs_raw_html import squeeze

BLOCK = ('<div class="bh-events-list" data-search-exclude>\n<h3>*not emphasis* [not a link](x.md)</h3>\n'
         '<ul>\n\n<li>  two  spaces,\n\n\n\nblank lines &amp; an entity</li>\n</ul>\n</div>')
PAGE = f"""# Example

Some *Markdown* text.

<!-- bh:raw -->
{BLOCK}
<!-- /bh:raw -->

<!-- bh:raw -->
<p>second block</p>
<!-- /bh:raw -->

## After
"""
# A page without markers keeps a comment that looks like a placeholder: only a page's own blocks fill it.
OTHER = "# Other\n\n<!-- bh:raw 0 -->\n\nText.\n"
# A hand-written page (outside the generated folders) showing the markers in a code example keeps it as code.
EXAMPLE = "# Example\n\n```html\n<!-- bh:raw -->\n<b>bold</b>\n<!-- /bh:raw -->\n```\n"


def _build(tmp_path, hooks: list[str]):
    docs = tmp_path / "docs"
    (docs / "brigades" / "x").mkdir(parents=True)
    (docs / "brigades" / "x" / "index.md").write_text(PAGE, encoding="utf-8")
    (docs / "brigades" / "other.md").write_text(OTHER, encoding="utf-8")
    (docs / "index.md").write_text(EXAMPLE, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(json.dumps({
        "site_name": "Code for Example", "site_url": "http://127.0.0.1/", "docs_dir": str(docs),
        "site_dir": str(tmp_path / "site"), "theme": {"name": "material"}, "plugins": ["search"],
        "markdown_extensions": ["toc"], "hooks": hooks}), encoding="utf-8")
    build(load_config(str(config)))
    site = tmp_path / "site"
    return (site / "brigades/x/index.html").read_text(encoding="utf-8"), (site / "brigades/other/index.html").read_text(
        encoding="utf-8"), json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_a_hand_written_page_keeps_the_markers_of_its_code_example_as_code(tmp_path):
    _build(tmp_path, [str(ROOT / "scripts" / "mkdocs_raw_html.py")])
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_a_marked_block_is_the_page_as_written_and_the_rest_is_markdown(tmp_path):
    page, other, index = _build(tmp_path, [str(ROOT / "scripts" / "mkdocs_raw_html.py")])
    # As written, but for its blank lines (squeeze): the spaces inside a line are the template's.
    block = ('<div class="bh-events-list" data-search-exclude>\n<h3>*not emphasis* [not a link](x.md)</h3>\n'
             '<ul>\n<li>  two  spaces,\nblank lines &amp; an entity</li>\n</ul>\n</div>')
    assert block in page and "<p>second block</p>" in page
    assert page.index(block) < page.index("<p>second block</p>") < page.index('id="after"')
    assert "bh:raw" not in page and "<em>Markdown</em>" in page
    assert "<!-- bh:raw 0 -->" in other
    assert not any("two" in doc["text"] or "second" in doc["text"] for doc in index["docs"])


def test_the_page_is_what_markdown_alone_made_of_it(tmp_path):
    """Without the hook Python-Markdown passes the blocks through as raw HTML; with it, the same bytes come out,
    less the blank lines and the indentation."""
    with_hook, _, _ = _build(tmp_path / "a", [str(ROOT / "scripts" / "mkdocs_raw_html.py")])
    without, _, _ = _build(tmp_path / "b", [])
    markers = ("<!-- bh:raw -->\n", "\n<!-- /bh:raw -->")
    for marker in markers:
        without = without.replace(marker, "")
    assert with_hook == squeeze(without) and len(with_hook) < 0.9 * len(without)


def test_squeezing_a_page_keeps_every_gap_between_words_and_the_whitespace_that_is_content():
    """A break with spaces around it stays a break (which HTML shows as one space); a blank line goes."""
    page = "<p>Code for\n    <a href=x>Example</a>   \n\n\t and\u3000more</p>\n  \u3000全角で始まる行\n\n"
    assert squeeze(page) == "<p>Code for\n<a href=x>Example</a>\nand\u3000more</p>\n\u3000全角で始まる行"
    for kept in ("<pre>  indented\n\n    code</pre>\n\n", "<textarea>\n  typed\n\n</textarea>  \n"):
        assert squeeze(f"<p>\n  a\n</p>\n{kept}") == f"<p>\n  a\n</p>\n{kept}"
