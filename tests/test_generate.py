"""Tests for generate.py: files are written only when they change, stale ones go, hand-written ones stay."""

from __future__ import annotations

from datetime import date

from brigadehub.site import generate
from conftest import ROOT


def test_an_unchanged_file_is_not_rewritten(tmp_path):
    first = generate.write_outputs(tmp_path, {"brigades/a.md": b"A", "api/x.json": b"{}"})
    stamp = (tmp_path / "brigades" / "a.md").stat().st_mtime_ns
    second = generate.write_outputs(tmp_path, {"brigades/a.md": b"A", "api/x.json": b"{}"})
    assert (first.changed, second.changed, second.unchanged) == (2, 0, 2)
    assert (tmp_path / "brigades" / "a.md").stat().st_mtime_ns == stamp


def test_stale_generated_files_go_and_hand_written_ones_stay(tmp_path):
    generate.write_outputs(tmp_path, {"brigades/a.md": b"A", "brigades/b.md": b"B"})
    (tmp_path / "join.md").write_text("hand-written", encoding="utf-8")
    written = generate.write_outputs(tmp_path, {"brigades/a.md": b"A"})
    assert written.removed == 1
    assert not (tmp_path / "brigades" / "b.md").exists()
    assert (tmp_path / "join.md").read_text(encoding="utf-8") == "hand-written"


def test_leaflet_comes_from_its_pypi_packages():
    assets = generate.vendor_assets()
    assert assets["assets/vendor/leaflet/leaflet.js"].startswith(b"/* @preserve\n * Leaflet 1.9.3")
    assert b"markerClusterGroup" in assets["assets/vendor/leaflet-markercluster/leaflet.markercluster.js"]


def test_site_settings_come_from_mkdocs_yml_and_its_environment(monkeypatch):
    monkeypatch.delenv("BRIGADEHUB_SITE_URL", raising=False)
    monkeypatch.setenv("BRIGADEHUB_TILES", "https://tiles.example/{z}/{x}/{y}.png")
    site = generate.read_site(ROOT / "mkdocs.yml", date(2026, 11, 26))
    assert site.site_url.startswith("https://")
    assert site.tiles == "https://tiles.example/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in site.attribution
