"""Tests for site/outputs.py: every generated file is listed, and Leaflet comes from its PyPI packages."""

from __future__ import annotations

from datetime import date

import yaml

from brigadehub.core.model import RESERVED_IDS, Brigade
from brigadehub.site.config import Site
from brigadehub.site.outputs import render_outputs, vendor_assets
from conftest import DATA

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
    outputs = render_outputs(_brigades(), SITE)
    pages = [p for p in outputs if p.endswith(".md")]
    assert {"brigades/code-for-example.md", "brigades/code-for-sample.md", "brigades/index.md", "map/index.md",
            "prefectures/index.md", "events/index.md", "calendars/index.md", "status/index.md"} <= set(pages)
    assert sum(p.startswith("prefectures/") for p in pages) == 47 + 1
    assert sum(p.startswith("regions/") for p in pages) == 8
    assert {"feeds/all.ics", "feeds/brigades/code-for-example.ics", "feeds/prefectures/ishikawa.ics",
            "api/brigades.json", "api/brigades.csv"} <= set(outputs)
    assert all(content.startswith(b"---\n") for path, content in outputs.items()
               if path.endswith(".md") and not path.startswith("generated/"))


def test_every_name_the_site_takes_beside_the_brigade_pages_is_a_reserved_id():
    brigades = _brigades()
    outputs = render_outputs(brigades, SITE)
    own = {f"brigades/{b.id}.md" for b in brigades}
    beside = {path.removeprefix("brigades/").split("/")[0].removesuffix(".md")
              for path in outputs if path.startswith("brigades/") and path not in own}
    assert beside == set(RESERVED_IDS) == {"index"}
