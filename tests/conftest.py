"""Shared fixtures: the repository's root and a way to run the real brigadehub command."""

from __future__ import annotations

import base64
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def run_brigadehub(*args: str, cwd: Path = ROOT, env: dict | None = None, input: str | None = None):
    """Run `python -m brigadehub` as a user would, capturing what it prints."""
    # Outside Actions and inside it alike, a test sees plain output unless it asks for annotations.
    inherited = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    full_env = {**inherited, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "brigadehub", *args],
        cwd=cwd, env=full_env, input=input, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture
def brigadehub():
    return run_brigadehub


# --- built sites, served on loopback -------------------------------------------------------------------------


# A 1×1 grey PNG: map tiles come from the test server, never from OpenStreetMap.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==")
PROJECT_FILES = ("mkdocs.yml", "docs", "overrides", "scripts/mkdocs_hooks.py")
GENERATED_IGNORES = ("brigades", "prefectures", "regions", "map", "api", "generated", "vendor")
TODAY = "2026-11-26"


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".ics": "text/calendar; charset=utf-8", ".geojson": "application/geo+json"}

    def do_GET(self):
        if self.path.startswith("/tiles/"):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(TILE_PNG)))
            self.end_headers()
            self.wfile.write(TILE_PNG)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_server(tmp_path_factory):
    """A static file server on 127.0.0.1 for built sites, with a tile endpoint for the maps."""
    root = tmp_path_factory.mktemp("served")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SiteHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(root=root, url=f"http://127.0.0.1:{server.server_address[1]}/")
    server.shutdown()
    server.server_close()


def copy_project(target: Path) -> Path:
    """Copy the site's hand-written parts, so that a test build never writes into the working tree."""
    for name in PROJECT_FILES:
        source, destination = ROOT / name, target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns(*GENERATED_IGNORES))
        else:
            shutil.copy(source, destination)
    for watched in ("brigades", "data"):  # mkdocs.yml watches them, and MkDocs wants them to exist
        (target / watched).mkdir(exist_ok=True)
    return target



def build_site(project: Path, brigades: Path, site: Path, base_url: str, **extra_env: str):
    tiles = urlsplit(base_url)._replace(path="/tiles/{z}/{x}/{y}.png").geturl()
    # A repository address off GitHub keeps Material from asking api.github.com for stars.
    repo = urlsplit(base_url)._replace(path="/repo").geturl()
    env = {"BRIGADEHUB_SITE_URL": base_url, "BRIGADEHUB_REPO_URL": repo, "BRIGADEHUB_TILES": tiles, **extra_env}
    result = run_brigadehub("build", "--brigades", str(brigades), "--site", str(site), "--today", TODAY,
                            cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def real_site(site_server, tmp_path_factory):
    """The site built from the real brigades/, served at <server>/real/."""
    project = copy_project(tmp_path_factory.mktemp("project-real"))
    build_site(project, ROOT / "brigades", site_server.root / "real", site_server.url + "real/")
    return SimpleNamespace(path=site_server.root / "real", url=site_server.url + "real/", project=project)


@pytest.fixture(scope="session")
def fixture_site(site_server, tmp_path_factory):
    """The site built from fictional brigades, hostile ones included, served at <server>/fixtures/."""
    brigades = tmp_path_factory.mktemp("brigades-fixtures")
    for folder in (DATA / "good", DATA / "hostile"):
        for path in folder.glob("*.yml"):
            shutil.copy(path, brigades / path.name)
    project = copy_project(tmp_path_factory.mktemp("project-fixtures"))
    build_site(project, brigades, site_server.root / "fixtures", site_server.url + "fixtures/")
    return SimpleNamespace(path=site_server.root / "fixtures", url=site_server.url + "fixtures/", project=project)
