"""Every string a contributor or a feed supplies, with every kind of payload, is refused or shown as inert text.

For each string field of a brigade file (found in the schema, so a new field is covered the day it is added)
and each payload class, the payload goes into that field alone: the validator either refuses it with a problem
on that very field, or the site is built with it. Fetched events get the payloads in every string field of the
snapshot. Then no page may hold an event handler, a javascript: address or a script that we did not write, and
every accepted payload must be visible as text where its field is shown, so a field that silently vanished
would not pass (issue 9, item 1). The English edition's pages (issue 13) are held to the same, where their fields
are shown.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import icalendar
import pytest
import yaml

from brigadehub.core.model import brigade_schema
from brigadehub.core.validate import check_paths
from brigadehub.events import feeds, gather
from brigadehub.site.edition import ENGLISH, JAPANESE
from conftest import TODAY, _command_env, build_site, copy_project, site_env

# One-line payloads: each may sit in any text field. {m} is a marker unique to the field.
ONE_LINE = {
    "inline-html": "<img src=x onerror=alert(1)>{m}<script>alert(2)</script>",
    "attr-list": "*{m}*{{: onclick=alert(3) }} {{: onmouseover=alert(3) }}",
    "md-links": "[{m}](javascript:alert(4)) ![x](javascript:alert(5)) <javascript:alert(6)>",
    "html-block": '<div markdown="1" onclick="alert(7)">*{m}*</div>',
    "snippet": '--8<-- "mkdocs.yml" {m}',
    "template": "{{{{ config.site_name }}}}{m}{{% include 'base.md' %}}{{{{ 7*7 }}}}",
    # scripts/mkdocs_raw_html.py's markers and placeholder: escaped, they can neither open a block nor fill one.
    "raw-block": "<!-- bh:raw 0 -->{m}<!-- bh:raw --><script>alert(11)</script><!-- /bh:raw -->",
}
# Payloads that need line breaks; only descriptions and notes take them, every other field must refuse them.
MULTI_LINE = {
    "attr-list-lines": "Code {m}\n\n.\n{{: onmouseover=alert(8) style=position:fixed;inset:0 }}\n\n.",
    "snippet-line": '{m}\n--8<-- "mkdocs.yml"\n',
    "html-block-lines": '{m}\n\n<div markdown="1">\n\n[x](javascript:alert(9))\n\n</div>\n\n<script>alert(10)</script>',
    "raw-block-lines": "{m}\n<!-- bh:raw -->\n<script>alert(12)</script>\n<!-- /bh:raw -->\n<!-- bh:raw 0 -->",
}
PAYLOADS = {**ONE_LINE, **MULTI_LINE}
# Where each text field is shown: on the brigade's page, or only in its feed (the place's address, a description).
ON_PAGE = {"name.ja", "name.en", "description.ja", "description.en", "location.city", "location.area",
           "location.coordinates.source", "links.other[0].label", "events[0].title", "events[0].place", "tags[0]",
           "notes", "sources[0]", "activity[0].finding", "activity[0].source"}
IN_FEED = {"events[0].address", "events[0].description"}
# The English page shows the English description and the city in Latin letters in their place.
ON_ENGLISH_PAGE = ON_PAGE - {"description.ja", "location.city"} | {"location.city_en"}
EDITIONS = {"ja": "", "en": "en/"}  # where each edition's pages are in the built site
BASE = {
    "name": {"ja": "Code for Base", "en": "Code for Base in English", "kana": "こーど"},
    "status": "active", "status_since": "2020-04", "scope": "regional",  # unconfirmed: listed on /status/
    "description": {"ja": "説明", "en": "About"},
    "location": {"prefecture": "石川県", "city": "例市", "city_en": "Example City", "area": "例地域",
                 "basis": "evidence",
                 "coordinates": {"lat": 36.56, "lon": 136.65, "precision": "exact", "source": "a test fixture"}},
    "links": {"website": "https://example.org/", "github": "example", "connpass": "example",
              "doorkeeper": "example", "facebook": "example", "x": "example", "meetup": "example",
              "other": [{"label": "ブログ", "url": "https://example.org/blog/"}]},
    "event_sources": [{"type": "ical", "url": "https://example.org/events.ics"}],
    "events": [{"title": "定例会", "start": "2026-12-12T14:00:00+09:00", "end": "2026-12-12T17:00:00+09:00",
                "place": "例市市民活動センター", "address": "例市1-1", "url": "https://example.org/e/1",
                "description": "説明", "status": "confirmed", "co_hosts": [], "rrule": "FREQ=MONTHLY;COUNT=2",
                "same_as": "https://example.org/e/1"}],
    "tags": ["タグ"], "languages": ["ja"], "maintainers": ["example"], "founded": "2015",
    "code_for_japan": {"status": "official", "as_of": "2018-07-30"},
    "activity": [{"date": "2025-12", "finding": "定例会", "source": "a test fixture"}],
    "notes": "補足", "sources": ["a test fixture"],
}
EVENT_TEXT_FIELDS = ("uid", "title", "source_id", "host_name", "place", "address", "url", "description", "evidence")


def string_fields() -> list[str]:
    """Every string leaf of the brigade schema, as a field path: name.ja, events[0].title, tags[0], …"""
    schema = brigade_schema()

    def resolve(node: dict) -> dict:
        return resolve(schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]) if "$ref" in node else node

    def walk(node: dict, path: str) -> list[str]:
        node = resolve(node)
        branches = node.get("anyOf") or node.get("oneOf")
        if branches:
            return list(dict.fromkeys(p for branch in branches for p in walk(branch, path)))
        if node.get("type") == "object":
            return [p for key, child in node.get("properties", {}).items()
                    for p in walk(child, f"{path}.{key}" if path else key)]
        if node.get("type") == "array":
            return walk(node["items"], f"{path}[0]")
        return [path] if node.get("type") == "string" else []

    return walk(schema, "")


def _set(data: dict, path: str, value: str) -> None:
    keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    node = data
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value


def _marker(kind: str, field: str) -> str:
    return "MARK" + re.sub(r"[^A-Za-z0-9]", "", f"{kind}{field}").upper()


def _payload(kind: str, field: str) -> str:
    return PAYLOADS[kind].format(m=_marker(kind, field))


def _brigade_id(kind: str) -> str:
    return f"code-for-hostile-{kind}"


def _write(folder: Path, brigade_id: str, data: dict) -> Path:
    path = folder / f"{brigade_id}.yml"
    path.write_text(yaml.safe_dump({"id": brigade_id, **data}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def _try_each_field(kind: str, folder: Path) -> tuple[dict, dict[str, str]]:
    """Put the payload into each field alone: keep what the validator accepts, note what it refuses and where."""
    accepted, refused = copy.deepcopy(BASE), {}
    for field in string_fields():
        if field in {"id", "events[0].co_hosts[0]"}:
            continue  # an id names a file; the co-host list must name brigades that exist (both pattern-checked)
        trial = copy.deepcopy(BASE)
        _set(trial, field, _payload(kind, field))
        problems = check_paths([_write(folder, "code-for-trial", trial)]).problems
        if problems:
            refused[field] = problems[0].field
        else:
            _set(accepted, field, _payload(kind, field))
    (folder / "code-for-trial.yml").unlink()
    return accepted, refused


def _own_handles(data: dict, n: int) -> dict:
    """Each brigade claims its own handles and feed: two files may not claim the same one."""
    links = {key: f"example{n}" for key in ("github", "connpass", "doorkeeper", "facebook", "x", "meetup")}
    return {**data, "links": {**data["links"], **links},
            "event_sources": [{"type": "ical", "url": f"https://example.org/events{n}.ics"}]}


def _hostile_event(kind: str, brigade_id: str) -> dict:
    event = {name: PAYLOADS[kind].format(m=_marker(kind, f"fetched.{name}")) for name in EVENT_TEXT_FIELDS}
    return {**event, "start": "2026-12-20T10:00:00+09:00", "end": None, "source": "connpass", "host": brigade_id,
            "co_hosts": [], "online": False, "status": "confirmed", "updated": None, "precision": "time",
            "date_basis": "", "feed": "connpass:example"}


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory) -> Path:
    """Where the hostile brigades (brigades/) and their fetched events (data/) are written."""
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def hostile(hostile_root, site_server):
    root = hostile_root
    brigades, data = root / "brigades", root / "data"
    (data / "events").mkdir(parents=True)
    brigades.mkdir()
    outcomes = {}
    for n, kind in enumerate(PAYLOADS):
        accepted, refused = _try_each_field(kind, brigades)
        _write(brigades, _brigade_id(kind), _own_handles(accepted, n))
        outcomes[kind] = (accepted, refused)
        snapshot = {"brigade": _brigade_id(kind), "format": 1, "events": [_hostile_event(kind, _brigade_id(kind))]}
        (data / "events" / f"{_brigade_id(kind)}.json").write_text(json.dumps(snapshot), encoding="utf-8")
    project = copy_project(root / "project")
    build_site(project, brigades, site_server.root / "hostile", site_server.url + "hostile/", data)
    build_english(project, site_server.root / "hostile" / "en", site_server.url + "hostile/en/")
    return site_server.root / "hostile", outcomes


def build_english(project: Path, site: Path, base_url: str) -> None:
    """Build the English pages that `brigadehub build` generated into docs/en/, with the project's English MkDocs
    configuration where `build` did not build them already, or one of the fewest lines that makes it."""
    if (site / "brigades").is_dir():
        return
    config = project / "mkdocs.en.yml"
    if not config.is_file():
        config = project / "mkdocs.en-test.yml"
        config.write_text("INHERIT: mkdocs.yml\ndocs_dir: docs/en\ntheme:\n  language: en\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "--site-dir", str(site)],
                            cwd=project, env=_command_env(site_env(base_url, BRIGADEHUB_GENERATED="1")),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


class Page(HTMLParser):
    """The elements, scripts and visible text of one built page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self.title = ""
        self._script: dict | None = None
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title"
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        self._in_title = False
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif self._script is not None:
            self.scripts[-1] = (self.scripts[-1][0], self.scripts[-1][1] + data)
        else:
            self.text.append(data)

    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def _pages(site: Path) -> list[tuple[Path, Page]]:
    return [(path, Page(path.read_text(encoding="utf-8"))) for path in sorted(site.rglob("*.html"))]


def _brigade_page(site: Path, kind: str, lang: str) -> Page:
    return Page((site / EDITIONS[lang] / "brigades" / _brigade_id(kind) / "index.html").read_text(encoding="utf-8"))


def test_the_english_pages_were_built_and_are_checked_with_the_rest(hostile):
    site, _ = hostile
    english = [path for path, _ in _pages(site) if path.relative_to(site).parts[0] == "en"]
    assert len(english) >= len(PAYLOADS) + 47 + 8


def test_the_property_covers_every_string_field_of_the_schema():
    fields = set(string_fields())
    assert {"name.ja", "description.en", "events[0].description", "links.other[0].label", "sources[0]"} <= fields
    assert len(fields) >= 40


def test_payloads_that_need_line_breaks_are_refused_in_every_one_line_field(hostile):
    _, outcomes = hostile
    for kind in MULTI_LINE:
        accepted, refused = outcomes[kind]
        assert {"name.ja", "name.en", "location.city", "events[0].title", "sources[0]"} <= set(refused), kind
        # A problem names the field, or for a source's type the source it picks.
        assert all(where == field or field.startswith(f"{where}.") for field, where in refused.items()), refused
        assert set(refused).isdisjoint({"description.ja", "notes", "events[0].description"}), kind


def test_no_page_has_an_event_handler_a_script_address_or_a_script_we_did_not_write(hostile):
    site, _ = hostile
    for path, page in _pages(site):
        for tag, attrs in page.elements:
            assert not [name for name in attrs if name.startswith("on")], (path, tag, attrs)
            for name in ("href", "src", "action", "formaction", "xlink:href", "data"):
                value = re.sub(r"\s", "", attrs.get(name) or "").lower()
                assert not value.startswith(("javascript:", "vbscript:", "data:text")), (path, tag, attrs)
            assert tag not in {"iframe", "object", "embed", "base"}, (path, tag)
        for attrs, content in page.scripts:
            if "json" in (attrs.get("type") or ""):
                json.loads(content)  # data, not code
            else:
                assert "alert(" not in content and "MARK" not in content, (path, content[:200])
                assert not attrs.get("src") or not attrs["src"].startswith(("javascript:", "data:")), path


@pytest.mark.parametrize(("lang", "fields"), [("ja", ON_PAGE), ("en", ON_ENGLISH_PAGE)])
def test_every_accepted_payload_is_shown_as_text_on_its_brigade_page(hostile, lang, fields):
    site, outcomes = hostile
    for kind, (_, refused) in outcomes.items():
        shown = _brigade_page(site, kind, lang).visible()
        for field in fields - set(refused):
            assert " ".join(_payload(kind, field).split()) in shown, (kind, field)
        assert "site_name:" not in shown  # the snippet line never pulled mkdocs.yml into the page


@pytest.mark.parametrize(("lang", "field"), [("ja", "name.ja"), ("en", "name.en")])
def test_the_name_is_the_title_of_its_page_as_text(hostile, lang, field):
    site, outcomes = hostile
    for kind in ONE_LINE:
        page = _brigade_page(site, kind, lang)
        assert field not in outcomes[kind][1] and page.title.startswith(_payload(kind, field)), (kind, page.title)


@pytest.mark.parametrize("lang", EDITIONS)
def test_fetched_event_text_is_shown_as_text_and_feeds_carry_it_as_plain_text(hostile, lang):
    site, outcomes = hostile
    for kind in PAYLOADS:
        page = _brigade_page(site, kind, lang)
        assert " ".join(PAYLOADS[kind].format(m=_marker(kind, "fetched.title")).split()) in page.visible(), kind
        feed = icalendar.Calendar.from_ical((site / "feeds" / "brigades" / f"{_brigade_id(kind)}.ics").read_bytes())
        summaries = " ".join(str(e.get("SUMMARY")) for e in feed.events)
        details = " ".join(str(e.get("DESCRIPTION", "")) + str(e.get("LOCATION", "")) for e in feed.events)
        assert _marker(kind, "fetched.title") in summaries
        for field in {"events[0].title"} - set(outcomes[kind][1]):
            assert _marker(kind, field) in summaries, (kind, field)
        for field in IN_FEED - set(outcomes[kind][1]):
            assert _marker(kind, field) in details, (kind, field)
        assert "javascript:" not in " ".join(str(e.get("URL", "")) for e in feed.events)


@pytest.mark.parametrize(("lang", "field"), [("ja", "name.ja"), ("en", "name.en")])
def test_the_status_page_lists_the_hostile_names_as_text(hostile, lang, field):
    site, _ = hostile
    page = Page((site / EDITIONS[lang] / "status" / "index.html").read_text(encoding="utf-8"))
    text = "".join(page.text)
    assert _payload("inline-html", field) in text


def test_the_payloads_reach_the_open_data_as_data(hostile):
    site, _ = hostile
    records = {b["id"]: b for b in json.loads((site / "api" / "brigades.json").read_text(encoding="utf-8"))["brigades"]}
    assert records[_brigade_id("inline-html")]["name"]["ja"] == _payload("inline-html", "name.ja")
    csv_text = (site / "api" / "brigades.csv").read_text(encoding="utf-8-sig")
    assert f"'{_payload('template', 'name.ja')}" not in csv_text  # it does not start with a formula character
    assert _payload("template", "name.ja") in csv_text


@pytest.mark.browser
@pytest.mark.parametrize("edition", [JAPANESE, ENGLISH], ids=["ja", "en"])
def test_the_script_makes_each_events_google_link_as_feeds_py_would_and_runs_nothing(hostile, hostile_root,
                                                                                     site_server, edition):
    """The page carries the link's parts on the .ics link; brigadehub.js must make from them, and from the item's
    title and its link, the very link events/feeds.py: google_calendar_link writes, whatever the text."""
    from test_browser import _chrome, _open, _tripped, _wait

    checked = check_paths(sorted((hostile_root / "brigades").glob("*.yml")))
    events = gather.collect_events(checked.brigades, hostile_root / "data", date.fromisoformat(TODAY))
    expected = {}
    for event in gather.upcoming_events(events, date.fromisoformat(TODAY)):
        if event.exact:
            expected.setdefault(event.host, {})[f"{event.uid}.ics"] = feeds.google_calendar_link(
                event, edition.t.calendar_host, edition.t.online)
    driver = _chrome()
    try:
        for kind in PAYLOADS:
            _open(driver, f"{site_server.url}hostile/{EDITIONS[edition.lang]}brigades/{_brigade_id(kind)}/", kind)
            made = _wait(driver, lambda d: d.execute_script(
                "const links = [...document.querySelectorAll('a[download][data-dates]')];"
                "return links.length && links.every(a => a.bhGoogle) && links.map(a => "
                "[a.getAttribute('href').split('/').pop(), a.bhGoogle.getAttribute('href'), a.bhGoogle.textContent,"
                " a.bhGoogle.rel])"))
            wanted = expected[_brigade_id(kind)]
            assert sorted(unquote(ics) for ics, *_ in made) == sorted(wanted) and len(wanted) > 1, kind
            for ics, href, label, rel in made:
                assert (label, rel) == (edition.t.add_to_google, "nofollow")
                link, want = urlsplit(href), urlsplit(wanted[unquote(ics)])
                assert link[:3] == want[:3] == ("https", "calendar.google.com", "/calendar/render"), kind
                assert parse_qs(link.query) == parse_qs(want.query), (kind, ics)
            assert _tripped(driver) == [], kind
    finally:
        driver.quit()


@pytest.mark.browser
def test_after_an_instant_page_load_the_script_makes_the_google_links_of_the_new_page(hostile, site_server):
    """Material's instant navigation swaps the page without loading it; the links are made again for the new one."""
    from test_browser import _chrome, _open, _tripped, _wait

    driver = _chrome()
    try:
        _open(driver, f"{site_server.url}hostile/brigades/{_brigade_id('template')}/", "instant")
        driver.execute_script("window.bhSamePage = true")
        driver.find_element("css selector", "dl.bh-facts a[href$='prefectures/ishikawa/']").click()
        _wait(driver, lambda d: d.current_url.endswith("/hostile/prefectures/ishikawa/"))
        counts = _wait(driver, lambda d: d.execute_script(
            "const links = [...document.querySelectorAll('a[download][data-dates]')];"
            "return links.length && links.every(a => a.bhGoogle) && [links.length, document.querySelectorAll("
            "'a[href^=\"https://calendar.google.com/calendar/render?action=TEMPLATE\"]').length]"))
        assert driver.execute_script("return window.bhSamePage") is True  # not a full page load
        assert counts[0] == counts[1] > 1
        # Leaflet sets the tiles of the map it removes with the old page to its own blank GIF, a data: address.
        blank = ('element: <img alt="" src="data:image/gif;base64,R0lGODlhAQABAAD/ACwAAAAAAQABAAACADs=" '
                 'class="leaflet-tile')
        assert [found for found in _tripped(driver) if not found.startswith(blank)] == []
    finally:
        driver.quit()
