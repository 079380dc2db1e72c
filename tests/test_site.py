"""Tests of the built site, read as files: every brigade reachable, links whole, output safe and reproducible."""

from __future__ import annotations

import csv
import filecmp
import functools
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
import yaml

from brigadehub.site.edition import ENGLISH, JAPANESE
from conftest import DATA, HOSTILE_PAGES, ROOT, copy_project, mtimes

REAL = sorted(p for p in (ROOT / "brigades").glob("*.yml") if not p.name.startswith("_"))
HOSTILE_STRINGS = ["<script>alert('name')</script>", "\"><img src=x onerror=alert('en')>",
                   "</script><script>alert('json')</script>", "</div><script>alert('city')</script>"]


class Page(HTMLParser):
    """Collects what the safety and link checks need from one built HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[list[str]] = []  # [type, content]
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append([dict(attrs).get("type") or "text/javascript", ""])

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1][1] += data

    def script(self, kind: str) -> str:
        return next(content for type_, content in self.scripts if type_ == kind)


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    """One element of a parsed page: its attributes, its children, and its own stretch of the page's source."""

    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list, repr=False)
    start: int = 0
    end: int = 0
    source: str = field(default="", repr=False)

    @property
    def text(self) -> str:
        """The text a reader sees, character references decoded: what the browser's textContent gives."""
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    @property
    def raw(self) -> str:
        return self.source[self.start:self.end]

    def find_all(self, tag: str, class_: str | None = None, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                classes = (child.attrs.get("class") or "").split()
                if child.tag == tag and (class_ is None or class_ in classes) and \
                        all(child.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items()):
                    found.append(child)
                found += child.find_all(tag, class_, **attrs)
        return found

    def find(self, tag: str, class_: str | None = None, **attrs: str) -> Element:
        """The one element that matches; it fails the test when there is none or more than one."""
        found = self.find_all(tag, class_, **attrs)
        assert len(found) == 1, (tag, class_, attrs, len(found))
        return found[0]


class Tree(HTMLParser):
    """Parses a page into Elements, keeping where each one starts and ends in the source."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.lines = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
        self.root = Element("#document", {}, source=source, end=len(source))
        self.open = [self.root]
        self.feed(source)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        element = Element(tag, dict(attrs), start=start, end=start + len(self.get_starttag_text()),
                          source=self.source)
        self.open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        start = self._offset()
        self.open[-1].children.append(Element(tag, dict(attrs), start=start,
                                              end=start + len(self.get_starttag_text()), source=self.source))

    def handle_endtag(self, tag):
        if tag not in (element.tag for element in self.open[1:]):
            return
        end = self.source.index(">", self._offset()) + 1
        while (element := self.open.pop()).tag != tag:
            element.end = end
        element.end = end

    def handle_data(self, data):
        self.open[-1].children.append(data)


@functools.cache
def document(path: Path) -> Element:
    return Tree(path.read_text(encoding="utf-8")).root


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@functools.cache
def _real_brigades() -> tuple[dict, ...]:
    return tuple(yaml.safe_load(p.read_text(encoding="utf-8")) for p in REAL)


def test_every_real_brigade_has_a_page_and_a_row_in_the_directory(real_site):
    directory = (real_site.path / "brigades" / "index.html").read_text(encoding="utf-8")
    for brigade in _real_brigades():
        assert (real_site.path / "brigades" / brigade["id"] / "index.html").is_file(), brigade["id"]
        assert f'href="../{brigade["id"]}/"' in directory or f'href="{brigade["id"]}/"' in directory, brigade["id"]
    assert directory.count("<tr data-region=") == len(REAL) == 116


def test_every_brigade_with_a_prefecture_is_on_its_prefecture_and_region_pages(real_site):
    from brigadehub.core import japan

    for brigade in _real_brigades():
        prefecture = japan.find_prefecture((brigade.get("location") or {}).get("prefecture", ""))
        if not prefecture:
            continue
        for page in (f"prefectures/{prefecture.slug}", f"regions/{prefecture.region.slug}"):
            html = (real_site.path / page / "index.html").read_text(encoding="utf-8")
            assert f'brigades/{brigade["id"]}/"' in html, (brigade["id"], page)


def test_all_47_prefectures_and_8_regions_have_pages_and_empty_ones_invite(real_site):
    prefectures = sorted(p.name for p in (real_site.path / "prefectures").iterdir() if p.is_dir())
    regions = sorted(p.name for p in (real_site.path / "regions").iterdir() if p.is_dir())
    assert (len(prefectures), len(regions)) == (47, 8)
    # No researched brigade names 高知県 as its prefecture.
    kochi = (real_site.path / "prefectures" / "kochi" / "index.html").read_text(encoding="utf-8")
    assert "高知県にはまだ登録がありません" in kochi and 'href="../../join/#start"' in kochi


def _map_points(site: Path) -> list[dict]:
    """The big map's points as its script reads them: api/map.json's rows, each a dict of its fields."""
    data = json.loads((site / "api" / "map.json").read_text(encoding="utf-8"))
    return [dict(zip(data["fields"], row, strict=True)) for row in data["points"]]


def test_the_map_fetches_a_point_for_every_brigade_with_coordinates(real_site):
    """Issue 11: the map page names its points' file instead of carrying them (508 KB inlined at 1,000 brigades)."""
    page = parse(real_site.path / "map" / "index.html")
    maps = [attrs for tag, attrs in page.elements if "data-bh-map" in attrs]
    assert len(maps) == 1 and "data-points" not in maps[0]
    assert (real_site.path / "map" / maps[0]["data-points-src"]).resolve() == real_site.path / "api" / "map.json"
    points = _map_points(real_site.path)
    with_coordinates = [b for b in _real_brigades() if (b.get("location") or {}).get("coordinates")]
    assert len(points) == len(with_coordinates) == 107
    assert {p["precision"] for p in points} == {"city", "prefecture"}
    assert {p["href"] for p in points} <= {f"brigades/{b['id']}/" for b in with_coordinates}
    assert "地図にないブリゲード" in (real_site.path / "map" / "index.html").read_text(encoding="utf-8")


def test_every_internal_link_and_asset_resolves(real_site):
    missing = []
    for html_path in real_site.path.rglob("*.html"):
        base = real_site.url + html_path.relative_to(real_site.path).as_posix()
        for tag, attrs in parse(html_path).elements:
            target = attrs.get("href") if tag in {"a", "link"} else attrs.get("src") if tag in {"script", "img"} \
                else None
            if not target or target.startswith(("#", "mailto:")):
                continue
            url = urljoin(base, target)
            if not url.startswith(real_site.url):
                continue
            path = real_site.path / unquote(urlsplit(url).path[len(urlsplit(real_site.url).path):])
            if not (path.is_file() or (path / "index.html").is_file()):
                missing.append((html_path.relative_to(real_site.path).as_posix(), target))
    assert missing == []


def test_open_data_has_every_brigade_a_version_and_a_licence(real_site):
    data = json.loads((real_site.path / "api" / "brigades.json").read_text(encoding="utf-8"))
    assert (data["version"], data["count"], len(data["brigades"])) == (1, 116, 116)
    assert data["license"]["name"] == "CC BY 4.0"
    geojson = json.loads((real_site.path / "api" / "brigades.geojson").read_text(encoding="utf-8"))
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 107
    lon, lat = geojson["features"][0]["geometry"]["coordinates"]
    assert 122 < lon < 154.5 and 20 < lat < 46
    raw = (real_site.path / "api" / "brigades.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 116 and rows[0]["id"] and rows[0]["page_url"].startswith(real_site.url)


def test_brigade_pages_carry_organization_json_ld_and_open_graph(real_site):
    page = parse(real_site.path / "brigades" / "code-for-kanazawa" / "index.html")
    ld = json.loads(page.script("application/ld+json"))
    assert ld["@type"] == "Organization" and ld["name"] == "Code for Kanazawa"
    assert ld["address"]["addressRegion"] == "石川県"
    meta = {a.get("property"): a.get("content") for t, a in page.elements if t == "meta" and a.get("property")}
    assert meta["og:title"] == "Code for Kanazawa"
    assert meta["og:url"] == real_site.url + "brigades/code-for-kanazawa/"


def test_unverified_entries_offer_the_edit_link_of_their_file(real_site):
    html = (real_site.path / "brigades" / "code-for-kanazawa" / "index.html").read_text(encoding="utf-8")
    assert "この情報は未確認です" in html
    repo = urlsplit(real_site.url)._replace(path="/repo").geturl()
    assert f'href="{repo}/edit/main/brigades/code-for-kanazawa.yml"' in html


def test_search_is_configured_for_japanese_and_indexes_brigade_pages(real_site):
    index = json.loads((real_site.path / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["ja"]
    locations = {doc["location"] for doc in index["docs"]}
    assert {f"brigades/{b['id']}/" for b in _real_brigades()} <= locations
    import importlib.util

    # jieba would re-split Japanese with a Chinese dictionary (Material's search plugin uses it if present).
    assert importlib.util.find_spec("jieba") is None


@pytest.mark.parametrize("edition", [JAPANESE, ENGLISH], ids=["ja", "en"])
def test_a_brigades_search_entries_hold_its_facts_not_the_pages_buttons_and_sources(real_site, edition):
    """Subscribe buttons, the links to each year, the map's notice and the folded sources matched every brigade
    on words such as "Google", "GitHub" or "2019", and were 1.6 MB of the two indexes at 1,000 brigades."""
    prefix = "en/" if edition is ENGLISH else ""
    index = json.loads((real_site.path / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    harima = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("brigades/code-for-harima/"))
    assert "兵庫県" in harima or "Hyogo" in harima
    for noise in (edition.t.subscribe_lead, edition.t.past_shown.split("{n}")[0], edition.t.map_needs_js,
                  edition.t.sources, edition.t.edit_source.split("（")[0].split(" (")[0], "Outlook"):
        assert noise not in harima, noise


@pytest.mark.parametrize("edition", ["", "en/"])
def test_the_search_index_is_utf8_not_escaped_ascii(real_site, edition):
    """scripts/mkdocs_hooks.py rewrites Material's index, which spends six bytes on each kana, in UTF-8."""
    text = (real_site.path / edition / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u3" not in text  # hiragana, katakana and the CJK punctuation, escaped
    assert "兵庫県" in text and len(json.loads(text)["docs"]) > 200


def test_the_themes_settings_in_each_page_are_utf8_not_escaped_ascii(real_site):
    """scripts/mkdocs_hooks.py sets Jinja's tojson to UTF-8, which Material's __config, parsed by its script, uses."""
    html = (real_site.path / "about" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script id="__config" type="application/json">([^<]*)</script>', html).group(1)
    assert json.loads(found)["translations"]["search.result.none"] == "何も見つかりませんでした"
    assert "\\u" not in found


@pytest.mark.parametrize(("edition", "loaded"), [
    ("", {"lunr/tinyseg.js", "lunr/min/lunr.ja.min.js", "lunr/min/lunr.stemmer.support.min.js"}),
    ("en/", set()),  # English needs no word splitter
])
def test_each_edition_keeps_only_the_scripts_its_visitors_load(real_site, edition, loaded):
    """scripts/mkdocs_hooks.py removes Material's source maps and the search languages the index does not name;
    the browser tests search both editions with what is left."""
    scripts = real_site.path / edition / "assets" / "javascripts"
    assert list((real_site.path / edition / "assets").rglob("*.map")) == []
    assert {path.relative_to(scripts).as_posix() for path in scripts.rglob("lunr/**/*.js")} == loaded
    assert (scripts / "workers").is_dir() and list(scripts.glob("bundle.*.min.js"))


HOSTILE = yaml.safe_load((DATA / "hostile" / "code-for-hostile.yml").read_text(encoding="utf-8"))
NAME, EN = HOSTILE["name"]["ja"], HOSTILE["name"]["en"]
CITY, AREA = HOSTILE["location"]["city"], HOSTILE["location"]["area"]
PLACE_SOURCE = HOSTILE["location"]["coordinates"]["source"]
DESCRIPTIONS = [HOSTILE["description"]["ja"], HOSTILE["description"]["en"]]
LABEL, OTHER_URL = HOSTILE["links"]["other"][0]["label"], HOSTILE["links"]["other"][0]["url"]
WEBSITE, TAGS, NOTES, SOURCES = HOSTILE["links"]["website"], HOSTILE["tags"], HOSTILE["notes"], HOSTILE["sources"]
OWN_PAGE, HREF = "brigades/code-for-hostile", "brigades/code-for-hostile/"


def _texts(elements: list[Element]) -> list[str]:
    return [element.text for element in elements]


def _facts(page: Element) -> dict[str, Element]:
    """The page's fact list: each <dt> label to the <dd> that follows it."""
    children = [child for child in page.find("dl", "bh-facts").children if isinstance(child, Element)]
    return {dt.text: dd for dt, dd in zip(children[::2], children[1::2], strict=True)}


def _one(found: list, what: str):
    assert len(found) == 1, f"{len(found)} of {what}, not one"
    return found[0]


def _paragraph(page: Element, label: str) -> Element:
    return _one([p for p in page.find_all("p") if p.text.startswith(label)], f"paragraphs starting {label!r}")


def _listed(page: Element, prefix: str) -> Element:
    """The list item of the hostile brigade in a prefecture's or region's list of brigades."""
    items = [li for ul in page.find_all("ul", "bh-list") for li in ul.find_all("li")]
    return _one([li for li in items if li.find_all("a", href=prefix + HREF)], "list items")


def _town(page: Element, town: str) -> Element:
    """A town's answer in a prefecture's list of towns."""
    return _one([li for li in page.find("ul", "bh-towns__list").find_all("li")
                 if li.find("span", "bh-towns__name").text == town], f"towns named {town}")


def _directory_row(page: Element) -> Element:
    return _one([tr for tr in page.find_all("tr") if tr.find_all("a", href="code-for-hostile/")], "rows")


def _outlook_name(row: Element) -> str:
    """The calendar name that the Outlook button hands over in its address."""
    href = _one([a for a in row.find_all("a") if a.text == "Outlook"], "Outlook buttons").attrs["href"]
    return parse_qs(urlsplit(href).query)["name"][0]


def _map_point(element: Element, href: str) -> dict:
    """The hostile brigade's point among the map's, found by the address of its page."""
    return _one([point for point in json.loads(element.attrs["data-points"]) if point["href"] == href], "points")


@dataclass(frozen=True)
class Shown:
    """Where a hostile field lands on a page: the element, what a reader sees there, and what it must be."""

    page: str
    where: str
    element: Callable[[Element], Element]
    seen: Callable[[Element], object]
    expected: object
    fields: tuple[str, ...]  # the hostile values whose escaped form the element's source must hold


SHOWN = [
    Shown(OWN_PAGE, "title", lambda d: d.find("title"), lambda e: e.text, f"{NAME} - Brigade Hub", (NAME,)),
    Shown(OWN_PAGE, "h1 name", lambda d: d.find("h1", "bh-title"), lambda e: e.text, NAME, (NAME,)),
    Shown(OWN_PAGE, "English name", lambda d: _facts(d)["英語名"], lambda e: e.text, EN, (EN,)),
    Shown(OWN_PAGE, "city and area", lambda d: _facts(d)["地域"], lambda e: e.text,
          f"中部地方 › 石川県 {CITY} （{AREA}）", (CITY, AREA)),
    Shown(OWN_PAGE, "tags", lambda d: _facts(d)["タグ"], lambda e: _texts(e.find_all("span", "bh-tag")), TAGS,
          tuple(TAGS)),
    Shown(OWN_PAGE, "description", lambda d: d.find("div", "bh-description"), lambda e: _texts(e.find_all("p")),
          DESCRIPTIONS, tuple(DESCRIPTIONS)),
    Shown(OWN_PAGE, "links", lambda d: d.find("ul", "bh-links"),
          lambda e: (_texts(e.find_all("li")), [a.attrs["href"] for a in e.find_all("a")]),
          ([f"ウェブサイト: {WEBSITE.removeprefix('https://')}", f"{LABEL}: {OTHER_URL.removeprefix('https://')}"],
           [WEBSITE, OTHER_URL]), (LABEL, WEBSITE, OTHER_URL)),
    Shown(OWN_PAGE, "sources", lambda d: d.find("ul", "bh-sources"), lambda e: _texts(e.find_all("li")), SOURCES,
          tuple(SOURCES)),
    Shown(OWN_PAGE, "notes", lambda d: _paragraph(d, "補足"), lambda e: e.text, f"補足: {NOTES}", (NOTES,)),
    Shown(OWN_PAGE, "source of the place", lambda d: _paragraph(d, "地図上の位置"), lambda e: e.text,
          f"地図上の位置: 活動拠点の位置（出典: {PLACE_SOURCE}）", (PLACE_SOURCE,)),
    Shown(OWN_PAGE, "map point", lambda d: d.find("div", "bh-map"),
          lambda e: [_map_point(e, "./")[key] for key in ("name", "en", "area")], [NAME, EN, f"石川県 {CITY}"],
          (NAME, EN, CITY)),
    Shown("brigades", "directory row", _directory_row,
          lambda e: [e.find("a").text, e.find("span", "bh-en").text, e.find_all("td")[1].text,
                     _texts(e.find_all("span", "bh-tag"))],
          [NAME, EN, f"石川県 {CITY}", TAGS], (NAME, EN, CITY, *TAGS)),
    Shown("brigades", "directory search words", _directory_row,
          lambda e: [value for value in (NAME, EN, CITY, AREA, *TAGS) if value not in e.attrs["data-search"]], [],
          (NAME, EN, CITY, AREA)),
    *(Shown(page, "list item", lambda d: _listed(d, "../../"),
            lambda e: [e.find("a").text, e.find("span", "bh-en").text, e.find("span", "bh-area").text],
            [NAME, EN, f"石川県 {CITY}"], (NAME, EN, CITY)) for page in ("prefectures/ishikawa", "regions/chubu")),
    *(Shown(page, "map point", lambda d: d.find("div", "bh-map"),
            lambda e, prefix=prefix: [_map_point(e, prefix + HREF)[key] for key in ("name", "en", "area")],
            [NAME, EN, f"石川県 {CITY}"], (NAME, EN, CITY))
      for page, prefix in (("prefectures/ishikawa", "../../"), ("regions/chubu", "../../"))),
    Shown("calendars", "feed row",
          lambda d: _one([tr for tr in d.find_all("tr") if "code-for-hostile.ics" in tr.raw], "feed rows"),
          lambda e: [e.find("th").text, e.find("input").attrs["aria-label"], _outlook_name(e)],
          [NAME, f"{NAME} の URL", NAME], (NAME,)),
    Shown("prefectures/ishikawa", "a town's nearest", lambda d: _town(d, "金沢市"),
          lambda e: [a.text for a in e.find_all("a") if a.attrs["href"] == "../../" + HREF], [NAME], (NAME,)),
    Shown("status", "quiet brigade", lambda d: d.find("a", href="../" + HREF), lambda e: e.text, NAME, (NAME,)),
]


def _escaped(value: str) -> re.Pattern:
    """The value as HTML text: <, > and & escaped; quotes escaped or not, in any spelling of the reference."""
    spellings = {"<": "&lt;|&#60;|&#x3[cC];", ">": "&gt;|&#62;|&#x3[eE];", "&": "&amp;|&#38;|&#x26;",
                 '"': '"|&quot;|&#34;|&#x22;', "'": "'|&#39;|&#x27;|&apos;"}
    return re.compile("".join(f"(?:{spellings[c]})" if c in spellings else re.escape(c) for c in value))


@pytest.mark.parametrize("shown", SHOWN, ids=lambda shown: f"{shown.page}:{shown.where}")
def test_hostile_text_is_shown_as_text_where_it_belongs(fixture_site, shown):
    page = document(fixture_site.path / shown.page / "index.html")
    element = shown.element(page)
    assert shown.seen(element) == shown.expected
    for value in shown.fields:
        assert _escaped(value).search(element.raw), (value, escape(value), element.raw[:300])


def test_each_directory_row_carries_its_tags_as_the_tag_filter_reads_them(fixture_site):
    directory = document(fixture_site.path / "brigades" / "index.html")
    rows = [tr for tr in directory.find_all("tr") if "data-tags" in tr.attrs]
    assert len(rows) == 3
    for row in rows:
        tags = row.attrs["data-tags"]
        assert (tags.split(",") if tags else []) == _texts(row.find_all("span", "bh-tag")), row.find("a").text


# Pages that show the hostile brigade from a JSON file their script fetches, not from their HTML.
FETCHED = {"map"}


def test_the_checks_above_cover_every_page_that_lists_the_hostile_brigade(fixture_site):
    def mentions(path: Path) -> bool:
        # The hostile brigade is the nearest to towns of many prefectures; Ishikawa's town list is checked above.
        return "code-for-hostile" in path.read_text(encoding="utf-8").split('<h2 id="towns">')[0]

    found = {path.parent.relative_to(fixture_site.path).as_posix() for path in fixture_site.path.rglob("*.html")
             if mentions(path)}
    listing = {page for page in found if not page.startswith("en/")}
    assert listing == {shown.page for shown in SHOWN}
    assert listing | FETCHED == set(HOSTILE_PAGES) and not listing & FETCHED
    # The English twins list it too, and only they: test_hostile_text_is_text_on_the_english_pages reads them.
    assert found - listing == {f"en/{page}" for page in listing}


@pytest.mark.parametrize("page", sorted(set(HOSTILE_PAGES) - FETCHED))
def test_hostile_text_is_text_on_the_english_pages(fixture_site, page):
    """The English twin of each page above shows the hostile names as text, the English one first."""
    twin = document(fixture_site.path / "en" / page / "index.html")
    shown = twin.text
    assert EN in shown and _escaped(EN).search(twin.raw)
    if page != "status":  # the status page names a brigade once, by the name its readers read
        assert NAME in shown and _escaped(NAME).search(twin.raw)


def test_the_hostile_brigade_stays_data_in_the_maps_json(fixture_site):
    """The map page's script reads api/map.json, and builds its markers and popups from DOM nodes (test_browser)."""
    point = _one([p for p in _map_points(fixture_site.path) if p["href"] == HREF], "points")
    assert [point[key] for key in ("name", "en", "area")] == [NAME, EN, f"石川県 {CITY}"]
    assert "code-for-hostile" not in (fixture_site.path / "map" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("hostile", HOSTILE_STRINGS)
def test_hostile_text_never_becomes_markup(fixture_site, hostile):
    for html_path in fixture_site.path.rglob("*.html"):
        assert hostile not in html_path.read_text(encoding="utf-8"), html_path


def test_hostile_pages_have_no_injected_elements_handlers_or_links(fixture_site):
    for html_path in fixture_site.path.rglob("*.html"):
        page = parse(html_path)
        for tag, attrs in page.elements:
            assert tag not in {"iframe", "style"} or "evil" not in str(attrs), html_path
            assert not any(name.startswith("on") for name in attrs), (html_path, tag, attrs)
            for name in ("href", "src"):
                assert not (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:")), html_path
        executable = [content for kind, content in page.scripts if "json" not in kind]
        assert not any("alert(" in content for content in executable), html_path


def test_hostile_json_stays_data(fixture_site):
    page = parse(fixture_site.path / "brigades" / "code-for-hostile" / "index.html")
    raw = page.script("application/ld+json")
    assert json.loads(raw)["name"] == "<script>alert('name')</script>"
    assert "</script>" not in raw and "<script>" not in raw
    maps = [a for t, a in page.elements if "data-bh-map" in a]
    assert json.loads(maps[0]["data-points"])[0]["name"] == "<script>alert('name')</script>"


def test_a_rebuild_writes_no_generated_file_and_gives_the_same_bytes(real_site, real_rebuild):
    """One rebuild shows both: generation rewrites nothing (or `serve` would rebuild in a loop), and the site's
    bytes depend on the files alone, not on the folder, the files' times or the process (conftest.SiteBuilds)."""
    stdout = real_rebuild.result().stdout
    assert re.search(r"^generated 0 changed, \d+ unchanged and 0 removed files", stdout, re.M), stdout
    assert mtimes(real_rebuild.project / "docs") == real_rebuild.mtimes_before
    assert _differences(filecmp.dircmp(real_site.path, real_rebuild.site)) == []


def _differences(comparison: filecmp.dircmp) -> list[str]:
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files, shallow=False)
    found = mismatch + errors + comparison.left_only + comparison.right_only
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


def test_an_invalid_brigade_file_stops_the_build_with_its_problem(tmp_path, brigadehub):
    (tmp_path / "brigades").mkdir()
    bad = (DATA / "bad" / "prefecture-near-miss.yml").read_text(encoding="utf-8")
    (tmp_path / "brigades" / "code-for-example.yml").write_text(
        bad.replace("prefecture-near-miss", "code-for-example"), encoding="utf-8")
    project = copy_project(tmp_path / "project")
    result = brigadehub("build", "--brigades", str(tmp_path / "brigades"), "--site", str(tmp_path / "site"),
                        cwd=project)
    assert result.returncode == 1
    assert "location.prefecture: '石川' is not a prefecture; did you mean '石川県'?" in result.stdout
    assert not (tmp_path / "site").exists()


def test_the_take_part_page_cites_only_sources_already_in_the_data(real_site):
    """Issue 12, item 5: every fact on the page links its source, and each source is one our data already records."""
    html = (real_site.path / "take-part" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    hrefs = re.findall(r'<a href="([^"]+)"', article)
    recorded = (ROOT / "data" / "archive" / "events.json").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in REAL)
    sources = [url for url in hrefs if url.startswith("http") and url != "https://github.com/okfn/opendataday"]
    assert len(sources) >= 6
    assert [url for url in sources if url not in recorded] == []
    inside = [href for href in hrefs if href.startswith("../brigades/")]
    assert len(inside) >= 6
    for href in inside:
        assert (real_site.path / "take-part" / href / "index.html").resolve().is_file(), href


# ---- the English edition (issue 13) ----

# Built once at the site's root and shared by both editions, so not pages with twins.
SHARED = ("en", "feeds", "api", "cards", "assets", "search")


def _pages(root: Path, skip: tuple[str, ...] = ()) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")
            if p.relative_to(root).parts[0] not in skip}


def test_every_page_has_its_twin_in_the_other_edition(real_site):
    japanese, english = _pages(real_site.path, SHARED), _pages(real_site.path / "en", SHARED)
    assert len(japanese) > 150
    assert japanese == english


def test_every_marked_list_reached_its_page_and_no_marker_is_left(real_site):
    """scripts/mkdocs_raw_html.py: each block a template marks is back in its page, in both editions; a marker in a
    snippet (which the hook never sees) would be left as a comment, and fails here."""
    pages = sorted(real_site.path.rglob("*.html"))
    assert len(pages) > 300
    assert not [p for p in pages if "<!-- bh:raw" in p.read_text(encoding="utf-8") or
                "<!-- /bh:raw" in p.read_text(encoding="utf-8")]
    for lang in ("", "en/"):
        kanazawa = (real_site.path / lang / "brigades/code-for-kanazawa/index.html").read_text(encoding="utf-8")
        for block in ('<div class="bh-join-card"', '<figure class="bh-spark"', '<div class="bh-events-list"'):
            assert kanazawa.count(block) == 1, (lang, block)
        directory = (real_site.path / lang / "brigades/index.html").read_text(encoding="utf-8")
        assert directory.count('<tr data-') >= 100


def test_each_edition_says_its_language(real_site):
    for path, lang in (("index.html", "ja"), ("en/index.html", "en"), ("brigades/code-for-kanazawa/index.html", "ja"),
                       ("en/brigades/code-for-kanazawa/index.html", "en")):
        html = (real_site.path / path).read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{lang}"', html), path


def test_the_language_switcher_links_every_page_to_its_twin(real_site):
    checked = 0
    for edition in ("", "en/"):
        for page in sorted(_pages(real_site.path / edition, SHARED)):
            links = {a["hreflang"]: a["href"] for tag, a in parse(real_site.path / edition / page).elements
                     if tag == "a" and "md-select__link" in a.get("class", "")}
            address = "" if page == "404.html" else page.removesuffix("index.html")  # no twin: the editions' homes
            assert links == {"ja": real_site.url + address, "en": real_site.url + "en/" + address}, page
            for href in links.values():
                target = real_site.path / urlsplit(href).path[len(urlsplit(real_site.url).path):]
                assert (target / "index.html" if href.endswith("/") else target).is_file(), (page, href)
            checked += 1
    assert checked > 300


def test_english_pages_link_to_the_shared_feeds_and_cards_at_the_root(real_site):
    html = (real_site.path / "en" / "brigades" / "code-for-kanazawa" / "index.html").read_text(encoding="utf-8")
    assert f'content="{real_site.url}cards/brigades/code-for-kanazawa.png"' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert not (real_site.path / "en" / "feeds").exists() and not (real_site.path / "en" / "api").exists()
