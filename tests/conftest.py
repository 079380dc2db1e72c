"""Shared fixtures: the repository's root, a way to run the real brigadehub command, and a local event server."""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from brigadehub.core.model import TOKYO
from brigadehub.core.validate import check_paths
from brigadehub.events.fetch import Settings, fetch_all
from brigadehub.events.http import LOOPBACK_ENV, SYSTEM_CLOCK, Policy
from brigadehub.events.snapshot import write_fetched

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



def build_site(project: Path, brigades: Path, site: Path, base_url: str, data: Path | None = None, **extra_env: str):
    tiles = urlsplit(base_url)._replace(path="/tiles/{z}/{x}/{y}.png").geturl()
    # A repository address off GitHub keeps Material from asking api.github.com for stars.
    repo = urlsplit(base_url)._replace(path="/repo").geturl()
    env = {"BRIGADEHUB_SITE_URL": base_url, "BRIGADEHUB_REPO_URL": repo, "BRIGADEHUB_TILES": tiles, **extra_env}
    result = run_brigadehub("build", "--brigades", str(brigades), "--data", str(data or project / "data"),
                            "--site", str(site), "--today", TODAY, cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def real_site(site_server, tmp_path_factory):
    """The site built from the real brigades/, served at <server>/real/."""
    project = copy_project(tmp_path_factory.mktemp("project-real"))
    build_site(project, ROOT / "brigades", site_server.root / "real", site_server.url + "real/", ROOT / "data")
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
# ---- the local test server and the fictional brigades' event sources (issue 4) ----

SOURCES = DATA / "sources"
FETCH_BRIGADES = DATA / "fetch"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=TOKYO)
JSON_TYPE = "application/json; charset=utf-8"
ICAL_TYPE = "text/calendar; charset=UTF-8"
# The test servers listen on 127.0.0.1, which the network policy refuses unless told otherwise.
LOOPBACK = Policy(allow_loopback_for_tests=True)
LOOPBACK_ENV_VARS = {LOOPBACK_ENV: "1"}


class FakeClock:
    """A clock that only pretends: sleep() records the pause and moves now() on at once, so no test waits.

    With a tick, every reading moves time on by it too, as the work between two readings would: a deadline then
    passes after a known number of readings, however fast or busy the machine is.
    """

    def __init__(self, tick: float = 0.0):
        self.time, self.tick, self.sleeps, self.lock = 1000.0, tick, [], threading.Lock()

    def now(self) -> float:
        with self.lock:
            self.time += self.tick
            return self.time

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.time += seconds

    def advance(self, seconds: float) -> None:
        """Let time pass as a slow request would, without a pause of ours."""
        with self.lock:
            self.time += seconds


@pytest.fixture(scope="session")
def make_httpserver():
    """Every test server listens on 127.0.0.1 alone, threaded so that one slow answer holds up no other."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def connpass_answer(request: Request) -> Response:
    """Answer like connpass v2: results_available, results_start and one page of events per `start`."""
    page = "connpass_events_page2.json" if request.args.get("start") == "4" else "connpass_events_page1.json"
    return Response((SOURCES / page).read_bytes(), content_type=JSON_TYPE)


def many_events(count: int) -> bytes:
    """A Google Calendar export of count whole-day events: google_export.ics's third, each with a UID of its own."""
    text = (SOURCES / "google_export.ics").read_text(encoding="utf-8")
    head, rest = text.split("BEGIN:VEVENT\n", 1)
    event = "BEGIN:VEVENT\n" + rest.split("BEGIN:VEVENT\n")[2].split("END:VEVENT\n", 1)[0] + "END:VEVENT\n"
    events = "".join(event.replace("example03@", f"flood{n}@") for n in range(count))
    return (head + events + "END:VCALENDAR\n").encode()


def conditional(body: bytes, content_type: str, etag: str):
    """A handler that answers 304 when the client already has this ETag."""
    def answer(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, content_type=content_type, headers={"ETag": etag})
    return answer


class FetchSite:
    """The fictional brigades of tests/data/fetch/, their sources served from tests/data/sources/ on 127.0.0.1."""

    ROUTES = {
        "connpass": "/api/v2/events/",
        "doorkeeper": "/groups/codeforexample/events",
        "example.ics": "/calendars/example.ics",
        "sample.ics": "/calendars/sample.ics",
        "meetup": "/code-for-sample-meetup/events/ical/",
    }

    def __init__(self, server: HTTPServer, root: Path):
        self.server, self.brigades_dir, self.data = server, root / "brigades", root / "data"
        self.brigades_dir.mkdir()
        port = str(server.port)
        for template in sorted(FETCH_BRIGADES.glob("*.yml")):
            text = template.read_text(encoding="utf-8").replace("PORT", port)
            (self.brigades_dir / template.name).write_text(text, encoding="utf-8")

    def url(self, name: str) -> str:
        return self.server.url_for(self.ROUTES[name])

    def serve(self, skip: tuple[str, ...] = ()) -> None:
        """Answer every route well, except those in skip (a test registers its fault there)."""
        server, answers = self.server, {
            "connpass": lambda r: r.respond_with_handler(connpass_answer),
            "doorkeeper": lambda r: r.respond_with_data(
                (SOURCES / "doorkeeper_codeforexample.json").read_bytes(), content_type=JSON_TYPE),
            "example.ics": lambda r: r.respond_with_handler(
                conditional((SOURCES / "google_export.ics").read_bytes(), ICAL_TYPE, 'W/"example-1"')),
            "sample.ics": lambda r: r.respond_with_data(
                (SOURCES / "floating_no_timezone.ics").read_bytes(), content_type=ICAL_TYPE),
            "meetup": lambda r: r.respond_with_data(
                (SOURCES / "meetup_code-for-sample-meetup.ics").read_bytes(), content_type=ICAL_TYPE),
        }
        for name, answer in answers.items():
            if name not in skip:
                answer(server.expect_request(self.ROUTES[name], method="GET"))

    def settings(self, **overrides) -> Settings:
        root = self.server.url_for("/").rstrip("/")
        values = dict(connpass_url=root, doorkeeper_url=root, meetup_url=root, connpass_key="test-connpass-key",
                      doorkeeper_token="test-doorkeeper-token", connect_timeout=1.0, read_timeout=1.0,
                      source_deadline=10.0, max_bytes=64 * 1024, retries=1, backoff=0.01, max_retry_after=2.0,
                      connpass_interval=0.0, doorkeeper_interval=0.0, other_interval=0.0, policy=LOOPBACK)
        return Settings(**{**values, **overrides})

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a `brigadehub fetch` against this server, as a subprocess reads it."""
        root = self.server.url_for("/").rstrip("/")
        return {"CONNPASS_API_KEY": "test-key", "DOORKEEPER_TOKEN": "test-token", "BRIGADEHUB_CONNPASS_URL": root,
                "BRIGADEHUB_DOORKEEPER_URL": root, "BRIGADEHUB_MEETUP_URL": root, **LOOPBACK_ENV_VARS, **extra}

    def brigades(self):
        checked = check_paths(sorted(self.brigades_dir.glob("*.yml")))
        assert not checked.problems, checked.problems
        return checked.brigades

    def fetch(self, now: datetime = NOW, clock=SYSTEM_CLOCK, **overrides):
        """Run a real fetch against the local server and write its files, as `brigadehub fetch` does."""
        fetched = fetch_all(self.brigades(), self.data, self.settings(**overrides), now, clock)
        write_fetched(self.data, fetched)
        return fetched

    def snapshot(self, brigade: str) -> dict:
        return json.loads((self.data / "events" / f"{brigade}.json").read_text(encoding="utf-8"))

    def report(self) -> dict:
        return json.loads((self.data / "events" / "_report.json").read_text(encoding="utf-8"))

    def row(self, brigade: str, kind: str) -> dict:
        return next(r for r in self.report()["sources"] if r["brigade"] == brigade and r["type"] == kind)


@pytest.fixture
def site(httpserver, tmp_path) -> FetchSite:
    return FetchSite(httpserver, tmp_path)
