"""Tests for site/config.py: the addresses and tiles come from mkdocs.yml, with MkDocs' own !ENV tag."""

from __future__ import annotations

from datetime import date

from brigadehub.site.config import read_site
from conftest import ROOT

TODAY = date(2026, 11, 26)


def test_site_settings_come_from_mkdocs_yml_and_its_environment(monkeypatch):
    monkeypatch.delenv("BRIGADEHUB_SITE_URL", raising=False)
    monkeypatch.setenv("BRIGADEHUB_TILES", "https://tiles.example/{z}/{x}/{y}.png")
    site = read_site(ROOT / "mkdocs.yml", TODAY)
    assert site.site_url == "https://brigade-hub.github.io/brigade-hub/"
    assert site.tiles == "https://tiles.example/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in site.attribution and site.today == TODAY


def test_env_takes_the_first_variable_that_is_set(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_url: !ENV [NOPE_UNSET, HUB_URL, 'https://default.example/']\n"
                      "repo_url: !ENV HUB_REPO\nextra: {map: {tiles: t, attribution: a}}\n", encoding="utf-8")
    monkeypatch.delenv("NOPE_UNSET", raising=False)
    monkeypatch.setenv("HUB_URL", "https://hub.example/")
    monkeypatch.delenv("HUB_REPO", raising=False)
    site = read_site(config, TODAY)
    assert (site.site_url, site.repo_url) == ("https://hub.example/", None)
