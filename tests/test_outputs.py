"""Tests for site/outputs.py: every generated file is listed, and Leaflet comes from its PyPI packages."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import yaml

from brigadehub.core import japan
from brigadehub.core.model import RESERVED_IDS, TOKYO, Brigade, Event
from brigadehub.site.config import Site
from brigadehub.site.edition import ENGLISH, JAPANESE
from brigadehub.site.event_pages import AREA_UPCOMING, LIST_LIMIT, PAGE_UPCOMING, RECENT_PAST
from brigadehub.site.outputs import ENGLISH_ALREADY, SITE_ASSETS, render_outputs, vendor_assets
from brigadehub.site.pages import DIRECTORY_LIMIT, DIRECTORY_PART_NAMES
from conftest import DATA, ROOT

DOCS = ROOT / "docs"

SITE = Site(site_url="https://example.org/hub/", repo_url="https://example.org/repo", tiles="https://t/{z}.png",
            attribution="tiles", today=date(2026, 11, 26))


def _brigades() -> list[Brigade]:
    return [Brigade.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in sorted((DATA / "good").glob("*.yml"))]


def test_leaflet_comes_from_its_pypi_packages():
    assets = vendor_assets()
    assert assets["assets/vendor/leaflet/leaflet.js"].startswith(b"/* @preserve\n * Leaflet 1.9.3")
    assert b"markerClusterGroup" in assets["assets/vendor/leaflet-markercluster/leaflet.markercluster.js"]


def test_every_page_kind_and_feed_is_generated_once_for_each_brigade_and_place():
    outputs = render_outputs(_brigades(), SITE, docs=DOCS)
    pages = [p for p in outputs if p.endswith(".md")]
    assert {"brigades/code-for-example/index.md", "brigades/code-for-sample/index.md", "brigades/index.md",
            "map/index.md", "prefectures/index.md", "events/index.md", "calendars/index.md",
            "status/index.md"} <= set(pages)
    assert sum(p.startswith("prefectures/") for p in pages) == 47 + 1
    assert sum(p.startswith("regions/") for p in pages) == 8
    assert {"feeds/all.ics", "feeds/brigades/code-for-example.ics", "feeds/prefectures/ishikawa.ics",
            "api/brigades.json", "api/brigades.csv", "api/map.json"} <= set(outputs)
    assert all(content.startswith(b"---\n") for path, content in outputs.items()
               if path.endswith(".md") and not path.removeprefix("en/").startswith("generated/")
               and path.removeprefix("en/") not in ENGLISH_ALREADY)


def test_rendering_on_two_cores_gives_the_same_files_in_the_same_order():
    events = _many(400, datetime(2026, 11, 27, 10, tzinfo=TOKYO), timedelta(hours=6), "ahead")
    serial = render_outputs(_brigades(), SITE, events, docs=DOCS)
    parallel = render_outputs(_brigades(), SITE, events, docs=DOCS, parallel=True)
    assert list(parallel.items()) == list(serial.items())
    assert any(p.startswith("en/brigades/") for p in parallel) and any(p.startswith("feeds/events/") for p in parallel)


def test_the_two_editions_rendered_apart_are_the_whole_site_between_them():
    """`make serve` renders the Japanese pages first, and the English pages and the shared files after (issue 11)."""
    events = _many(40, datetime(2026, 11, 27, 10, tzinfo=TOKYO), timedelta(days=3), "ahead")
    whole = render_outputs(_brigades(), SITE, events, docs=DOCS)
    japanese = render_outputs(_brigades(), SITE, events, docs=DOCS, editions=(JAPANESE,), shared=False)
    rest = render_outputs(_brigades(), SITE, events, docs=DOCS, editions=(ENGLISH,))
    assert not set(japanese) & set(rest)
    assert {**japanese, **rest} == whole
    assert all(path.endswith(".md") and not path.startswith("en/") for path in japanese)
    assert {"feeds/all.ics", "api/brigades.json", "en/assets/javascripts/brigadehub.js"} <= set(rest)
    english_alone = render_outputs(_brigades(), SITE, events, docs=DOCS, editions=(ENGLISH,), shared=False)
    assert all(path.startswith("en/") for path in english_alone) and "en/brigades/index.md" in english_alone


def test_every_name_the_site_takes_beside_the_brigade_pages_is_a_reserved_id():
    """The directory's parts, past its limit, take brigades/<region>/ and brigades/elsewhere/: reserved at every size,
    so that a brigade file valid today stays valid as the directory grows."""
    brigades = _brigades()
    own = {f"brigades/{b.id}/index.md" for b in brigades}
    for limit in (DIRECTORY_LIMIT, 1):
        outputs = render_outputs(brigades, SITE, docs=DOCS, directory_limit=limit)
        beside = {path.removeprefix("brigades/").split("/")[0].removesuffix(".md")
                  for path in outputs if path.startswith("brigades/") and path not in own}
        assert beside == ({"index"} if limit > 1 else {"index", "chubu", "elsewhere"})
    assert set(RESERVED_IDS) == {"index"} | DIRECTORY_PART_NAMES
    assert DIRECTORY_PART_NAMES == {"elsewhere", *(r.slug for r in japan.regions())}


def test_past_the_limit_the_directory_is_an_index_its_parts_and_the_data_its_search_reads():
    brigades = _brigades()  # Code for Example in 石川県, Code for Sample with no area
    whole = render_outputs(brigades, SITE, docs=DOCS)
    assert "api/directory.json" not in whole and whole["brigades/index.md"].count(b"<tr data-region=") == 2
    split = render_outputs(brigades, SITE, docs=DOCS, directory_limit=1)
    parts = {path: text.decode() for path, text in split.items()
             if path.startswith(("brigades/chubu/", "brigades/elsewhere/"))}
    assert sorted(parts) == ["brigades/chubu/index.md", "brigades/elsewhere/index.md"]
    assert [text.count("<tr data-region=") for text in parts.values()] == [1, 1]
    assert "<tr" not in split["brigades/index.md"].decode()
    assert '<a href="chubu/">中部地方</a> 1 件' in split["brigades/index.md"].decode()
    data = json.loads(split["api/directory.json"])
    assert [row[3] for row in data["brigades"]] == ["brigades/code-for-example/", "brigades/code-for-sample/"]
    assert '<a href="../brigades/chubu/">中部地方</a> 1 件' in split["calendars/index.md"].decode()
    changed = tuple(f"{edition}{path}" for edition in ("", "en/") for path in (
        "brigades/index.md", "brigades/chubu/", "brigades/elsewhere/", "api/directory.json", "calendars/index.md"))
    assert {k: v for k, v in whole.items() if not k.startswith(changed)} == {
        k: v for k, v in split.items() if not k.startswith(changed)}


def _many(count: int, first: datetime, step: timedelta, prefix: str) -> list[Event]:
    return [Event(uid=f"{prefix}-{i}", title=f"会 {i}", start=first + i * step, end=None, source="connpass",
                  source_id=str(i), host="code-for-example", host_name="Code for Example") for i in range(count)]


def test_long_lists_are_split_by_month_and_in_parts_and_no_page_lists_more_than_its_limit():
    """Issue 11: no page lists thousands of events; brigade and area pages show the next and the latest."""
    past = _many(700, datetime(2020, 3, 1, 10, tzinfo=TOKYO), timedelta(hours=1), "past")  # all in March 2020
    ahead = _many(400, datetime(2026, 11, 27, 10, tzinfo=TOKYO), timedelta(hours=6), "ahead")  # to February
    events = tuple(sorted(past + ahead, key=lambda e: e.start))
    outputs = {path: content.decode() for path, content in render_outputs(_brigades(), SITE, events, docs=DOCS).items()
               if path.endswith(".md")}
    item = re.compile(r'<li[^>]*><time datetime="[^"]*">[^<]*</time> <(?:b>|strong )')  # an event, not a record
    listed = {path: len(item.findall(text)) for path, text in outputs.items()}
    assert max(listed.values()) == LIST_LIMIT
    year = outputs["events/2020/index.md"]
    assert listed["events/2020/index.md"] == 0 and '<a href="03/">2020年3月</a> 700 件' in year
    assert [listed[f"events/2020/03/{part}index.md"] for part in ("", "2/", "3/")] == [300, 300, 100]
    assert '<strong>2</strong> ・ <a href="../3/">3</a>' in outputs["events/2020/03/2/index.md"]
    assert listed["events/index.md"] == 300 and "この先の月:" in outputs["events/index.md"]
    months = " ".join(text for path, text in outputs.items() if path.startswith("events/2027/"))
    assert all(f"<b>会 {i}</b>" in months for i in range(LIST_LIMIT, 400))  # the rest, on their months' pages
    brigade = outputs["brigades/code-for-example/index.md"]
    assert listed["brigades/code-for-example/index.md"] == PAGE_UPCOMING + RECENT_PAST
    assert "この先のイベントをさらに 300 件見る" in brigade and "?brigade=code-for-example" in brigade
    assert listed["prefectures/ishikawa/index.md"] == AREA_UPCOMING + RECENT_PAST < PAGE_UPCOMING
    assert "この先のイベントをさらに 380 件見る" in outputs["prefectures/ishikawa/index.md"]
    assert "../../events/?prefecture=ishikawa" in outputs["prefectures/ishikawa/index.md"]
    assert "../../events/2020/?prefecture=ishikawa" in outputs["prefectures/ishikawa/index.md"]


def test_every_japanese_page_and_snippet_has_its_english_twin_at_en_and_the_same_path():
    """Issue 13: the English build must have every page the Japanese one has, at the same path under en/."""
    outputs = render_outputs(_brigades(), SITE, docs=DOCS)
    japanese = {path for path in outputs if path.endswith(".md") and not path.startswith("en/")}
    english = {path.removeprefix("en/") for path in outputs if path.endswith(".md") and path.startswith("en/")}
    # 48 pages under prefectures/, 8 regions, 3 under brigades/, 4 snippets, and 5 more
    assert len(japanese) == 68 and english == japanese | set(ENGLISH_ALREADY)
    # the developers' notes, written in English, are their own twins
    assert all(outputs[f"en/{path}"] == (DOCS / path).read_bytes() for path in ENGLISH_ALREADY)


def test_shared_files_are_built_once_at_the_root_and_the_english_folder_gets_the_site_assets():
    outputs = render_outputs(_brigades(), SITE, docs=DOCS)
    assert not [path for path in outputs if path.startswith("en/") and path.split("/")[1] in {"feeds", "api", "cards"}]
    copies = {path.removeprefix("en/") for path in outputs if path.startswith("en/assets/")}
    assert copies == set(SITE_ASSETS) | set(vendor_assets())  # and the two notes, which are pages, not assets
    assert outputs["en/assets/javascripts/brigadehub.js"] == (DOCS / "assets/javascripts/brigadehub.js").read_bytes()


def test_english_pages_link_to_the_shared_feeds_one_level_further_up():
    events = tuple(_many(1, datetime(2026, 12, 1, 10, tzinfo=TOKYO), timedelta(hours=1), "soon"))
    outputs = render_outputs(_brigades(), SITE, events, docs=DOCS)
    japanese = outputs["brigades/code-for-example/index.md"].decode()
    english = outputs["en/brigades/code-for-example/index.md"].decode()
    assert 'href="../../feeds/events/soon-0.ics"' in japanese
    assert 'href="../../../feeds/events/soon-0.ics"' in english
    # Subscriptions are absolute, to the one feed at the root.
    assert "https://example.org/hub/feeds/brigades/code-for-example.ics" in english
    assert 'data-towns="../api/towns.json"' in outputs["en/generated/home-finder.md"].decode()
    assert 'data-towns="api/towns.json"' in outputs["generated/home-finder.md"].decode()
