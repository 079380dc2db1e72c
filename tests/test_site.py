"""Tests of the built site, read as files: every brigade reachable, links whole, output safe and reproducible."""

from __future__ import annotations

import csv
import filecmp
import io
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from conftest import DATA, ROOT, build_site, copy_project, run_brigadehub_process

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


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _real_brigades() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in REAL]


def test_every_real_brigade_has_a_page_and_a_row_in_the_directory(real_site):
    directory = (real_site.path / "brigades" / "index.html").read_text(encoding="utf-8")
    for brigade in _real_brigades():
        assert (real_site.path / "brigades" / brigade["id"] / "index.html").is_file(), brigade["id"]
        assert f'href="../{brigade["id"]}/"' in directory or f'href="{brigade["id"]}/"' in directory, brigade["id"]
    assert directory.count("<tr data-region=") == len(REAL) == 108


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


def test_the_map_carries_a_point_for_every_brigade_with_coordinates(real_site):
    page = parse(real_site.path / "map" / "index.html")
    maps = [attrs for tag, attrs in page.elements if "data-bh-map" in attrs]
    points = json.loads(maps[0]["data-points"])
    with_coordinates = [b for b in _real_brigades() if (b.get("location") or {}).get("coordinates")]
    assert len(points) == len(with_coordinates) == 88
    assert {p["precision"] for p in points} == {"city", "prefecture"}


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
    assert (data["version"], data["count"], len(data["brigades"])) == (1, 108, 108)
    assert data["license"]["name"] == "CC BY 4.0"
    geojson = json.loads((real_site.path / "api" / "brigades.geojson").read_text(encoding="utf-8"))
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 88
    lon, lat = geojson["features"][0]["geometry"]["coordinates"]
    assert 122 < lon < 154.5 and 20 < lat < 46
    raw = (real_site.path / "api" / "brigades.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 108 and rows[0]["id"] and rows[0]["page_url"].startswith(real_site.url)


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


# The fixture built the real site in this process; the rebuild runs in another, with another hash seed, so that
# an order taken from a set or a dict of strings would show as a difference.
OTHER_HASH_SEED = "1" if os.environ.get("PYTHONHASHSEED") == "0" else "0"


def test_a_rebuild_writes_no_generated_file_and_gives_the_same_bytes(real_site, tmp_path):
    """One rebuild shows both: generation rewrites nothing (or `serve` would rebuild in a loop), and the site's
    bytes depend on the files alone, not on the folder, the files' times or the process."""
    project = tmp_path / "project"
    shutil.copytree(real_site.project, project, copy_function=shutil.copy)  # a new folder, new file times
    before = _mtimes(project / "docs")
    result = build_site(project, ROOT / "brigades", tmp_path / "again", real_site.url, ROOT / "data",
                        runner=run_brigadehub_process, PYTHONHASHSEED=OTHER_HASH_SEED)
    assert re.search(r"^generated 0 changed, \d+ unchanged and 0 removed files", result.stdout, re.M), result.stdout
    assert _mtimes(project / "docs") == before
    assert _differences(filecmp.dircmp(real_site.path, tmp_path / "again")) == []


def _mtimes(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


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
