"""Zensical, the alternative builder (`brigadehub build --builder zensical`), makes the site MkDocs makes: the same
pages, no broken link, the same search entries, and the feeds and open data byte for byte."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from urllib.parse import urlsplit

import pytest

from conftest import DATA, ROOT, TODAY, run_brigadehub, site_env

pytestmark = pytest.mark.skipif(importlib.util.find_spec("zensical") is None, reason="Zensical is not installed")


@pytest.fixture(scope="module")
def benchmark():
    """scripts/benchmark.py compares the two builders' sites at every size; the test uses the same comparison."""
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules["benchmark"]


def test_zensical_builds_the_fixture_site_with_the_same_pages_links_search_and_feeds(fixture_site, benchmark,
                                                                                     tmp_path):
    project = tmp_path / "project"
    shutil.copytree(fixture_site.project, project, ignore=shutil.ignore_patterns("site"))
    brigades = tmp_path / "brigades"
    brigades.mkdir()
    for folder in (DATA / "good", DATA / "hostile"):  # as the fixture site was built
        for path in folder.glob("*.yml"):
            shutil.copy(path, brigades / path.name)
    site = tmp_path / "zensical-site"
    result = run_brigadehub("build", "--builder", "zensical", "--brigades", str(brigades), "--data",
                            str(project / "data"), "--site", str(site), "--today", TODAY, cwd=project,
                            env=site_env(fixture_site.url))
    assert result.returncode == 0, result.stdout + result.stderr
    found = benchmark.compare_sites(fixture_site.path, site, urlsplit(fixture_site.url).path)
    assert (found["missing_pages"], found["extra_pages"], found["data_differing"]) == ([], [], [])
    # take-part.md links six real brigades that the fixture data lacks, and so does its English twin: both builders
    # leave those twelve, no more.
    assert found["data_files"] > 10 and found["broken_links"]["counts"] == [12, 12], found["broken_links"]
    assert all(link.startswith(("take-part/", "en/take-part/")) for side in ("mkdocs", "zensical")
               for link in found["broken_links"][side])
    assert found["search_entries"]["zensical"] == found["search_entries"]["mkdocs"] > 0
    # The English edition has its own nav, in English (through INHERIT, Zensical 0.0.73 kept the Japanese one).
    english = (site / "en" / "brigades" / "code-for-example" / "index.html").read_text(encoding="utf-8")
    assert "Statistics" in english and "統計" not in english
