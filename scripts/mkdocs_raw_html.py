"""Carry the generated pages' long HTML lists past Markdown and the search plugin, into the page as written.

A generated page marks the HTML it wants left alone with `<!-- bh:raw -->` and `<!-- /bh:raw -->` (the event
lists, the directory's table, the towns and the calendars). Each such block is taken out of the Markdown before
Python-Markdown reads it, and put back into the finished page: at 1,000 brigades, Python's HTML parser reading
these lists three times over (Python-Markdown's raw-HTML block finder, MkDocs' anchor scan, Material's search
plugin) was three quarters of each MkDocs build. Every marked block is one the search already leaves out
(`data-search-exclude`), so the search index is what it was, and the HTML is the bytes the template wrote:
contributor and fetched text in it is never read as Markdown. A placeholder is an HTML comment, which no
escaped text can make: the templates escape every `<` of the data.

Only generated pages are read for markers: a hand-written page may show the markers in a code example, which
must stay code. Used by both editions (mkdocs.yml and mkdocs.en.yml). Without it (Zensical runs no hooks) the
markers are plain comments and the page is the same.
"""

import re

from brigadehub.site.write import GENERATED_DIRS

MARKED = re.compile(r"^<!-- bh:raw -->\n(.*?)\n<!-- /bh:raw -->$", re.S | re.M)
# The blocks taken out of each page, by its source path, until the page is written: MkDocs converts every
# page's Markdown before it renders any page into the theme.
kept: dict[str, list[str]] = {}


def placeholder(number: int) -> str:
    return f"<!-- bh:raw {number} -->"


def on_page_markdown(markdown, page, **kwargs):
    kept.pop(page.file.src_uri, None)
    if page.file.src_uri.split("/")[0] not in GENERATED_DIRS:  # the same folders under docs/en/
        return markdown
    blocks: list[str] = []

    def take(match: re.Match) -> str:
        blocks.append(match.group(1))
        return placeholder(len(blocks) - 1)

    markdown = MARKED.sub(take, markdown)
    if blocks:
        kept[page.file.src_uri] = blocks
    return markdown


def on_post_page(output, page, **kwargs):
    for number, block in enumerate(kept.pop(page.file.src_uri, ())):
        output = output.replace(placeholder(number), block, 1)
    return output
