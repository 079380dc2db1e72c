"""Finish every page: the generated pages' long HTML lists carried past Markdown and the search plugin, as written,
and the theme's blank lines and indentation taken out.

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

The finished page also loses the indentation and blank lines that the theme's templates leave between its tags
(`squeeze`): a tenth of every page, 11.6 MB of the 1,000-brigade site. A run of whitespace with a line break
in it still ends in a line break, which HTML shows as the one space it showed before. A page with a `<pre>` or a
`<textarea>`, where whitespace is content, is left as it is; only hand-written pages have them.
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


def squeeze(html: str) -> str:
    """The page without blank lines, and without the spaces and tabs at either end of a line."""
    if "<pre" in html or "<textarea" in html:
        return html
    # str.split and str.strip, not a regex: 0.10 s of CPU per 15.7 MB of pages against 0.45 s for `\n[ \t\n]+`,
    # about 1 s over a 1,000-brigade site. Spaces and tabs only: U+3000 and the like at a line's start can be text.
    return "\n".join(filter(None, [line.strip(" \t") for line in html.split("\n")]))


def on_post_page(output, page, **kwargs):
    for number, block in enumerate(kept.pop(page.file.src_uri, ())):
        output = output.replace(placeholder(number), block, 1)
    return squeeze(output)
