"""Shared fixtures: the repository's root, ways to run the brigadehub command, built sites and a local event server."""

from __future__ import annotations

import base64
import functools
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from brigadehub import cli
from brigadehub.core.model import TOKYO
from brigadehub.core.validate import check_paths
from brigadehub.events.fetch import Settings, fetch_all
from brigadehub.events.http import LOOPBACK_ENV, SYSTEM_CLOCK, Policy
from brigadehub.events.snapshot import write_fetched
from brigadehub.site import write
from brigadehub.site.config import read_site
from brigadehub.site.outputs import render_outputs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def run_brigadehub(*args: str, cwd: Path = ROOT, env: dict | None = None,
                   input: str | None = None) -> subprocess.CompletedProcess:
    """Run the brigadehub command in this process, as `python -m brigadehub` would run it, capturing what it prints.

    The command sees the cwd, environment and standard input it would see as a process, and the result has a
    process's shape: the exit code, and everything written to file descriptors 1 and 2, so that the output of
    the programs it starts (mkdocs, git) is captured too. Starting Python for each call costs about a second,
    and the suite makes over a hundred; run_brigadehub_process runs the real command where that matters.
    """
    saved_cwd, saved_env, saved_argv = os.getcwd(), dict(os.environ), sys.argv
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            open(1, "w", buffering=1, encoding="utf-8", closefd=False) as stdout, \
            open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False) as stderr:
        for stream in saved_streams[1:]:
            stream.flush()
        saved_fds = os.dup(1), os.dup(2)
        try:
            _set_environ(_command_env(env))
            os.chdir(cwd)
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.argv = ["brigadehub", *args]
            sys.stdin, sys.stdout, sys.stderr = io.StringIO(input or ""), stdout, stderr
            returncode = _exit_code(args)
        finally:
            stdout.flush()
            stderr.flush()
            sys.stdin, sys.stdout, sys.stderr = saved_streams
            sys.argv = saved_argv
            for fd, saved in zip((1, 2), saved_fds, strict=True):
                os.dup2(saved, fd)
                os.close(saved)
            os.chdir(saved_cwd)
            _set_environ(saved_env)
        return subprocess.CompletedProcess(["brigadehub", *args], returncode, _read_text(out), _read_text(err))


def run_brigadehub_process(*args: str, cwd: Path = ROOT, env: dict | None = None, input: str | None = None,
                           command: tuple[str, ...] = (sys.executable, "-m", "brigadehub")):
    """Run the real command as a user would, in a process of its own (by default `python -m brigadehub`)."""
    return subprocess.run([*command, *args], cwd=cwd, env=_command_env(env), input=input, capture_output=True,
                          text=True, timeout=300)


def _command_env(env: dict | None) -> dict:
    # Outside Actions and inside it alike, a test sees plain output unless it asks for annotations.
    inherited = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return {**inherited, **(env or {})}


def _set_environ(values: dict) -> None:
    zone = os.environ.get("TZ")
    os.environ.clear()
    os.environ.update(values)
    if os.environ.get("TZ") != zone:
        time.tzset()


def _exit_code(args: tuple[str, ...]) -> int:
    """Call main and turn what ends it into an exit code, as the interpreter does for `python -m brigadehub`."""
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:  # argparse's usage errors and --help
        code = exit_.code
    except Exception:
        traceback.print_exc()
        return 1
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)
    return 1


def _read_text(file) -> str:
    # As subprocess.run(text=True) reads a pipe: UTF-8 with universal newlines.
    file.seek(0)
    return file.read().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture
def brigadehub():
    return run_brigadehub


# --- built sites, served on loopback -------------------------------------------------------------------------


# A 1×1 grey PNG: map tiles come from the test server, never from OpenStreetMap.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==")
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
    write.copy_project(ROOT, target)
    for watched in ("brigades", "data"):  # mkdocs.yml watches them, and MkDocs wants them to exist
        (target / watched).mkdir(exist_ok=True)
    return target



# Both editions with MkDocs, as `brigadehub build` runs them once the pages are generated; called with
# "--site-dir DIR", as `mkdocs build` would be.
BUILD_EDITIONS = (sys.executable, "-c", "import os, sys, pathlib; from brigadehub import cli; "
                  "sys.exit(cli.build_editions(pathlib.Path(sys.argv[2]), dict(os.environ)))")


def site_env(base_url: str, **extra_env: str) -> dict[str, str]:
    """What a test build needs to point its links and map tiles at base_url's server."""
    tiles = urlsplit(base_url)._replace(path="/tiles/{z}/{x}/{y}.png").geturl()
    # A repository address off GitHub keeps Material from asking api.github.com for stars.
    repo = urlsplit(base_url)._replace(path="/repo").geturl()
    return {"BRIGADEHUB_SITE_URL": base_url, "BRIGADEHUB_REPO_URL": repo, "BRIGADEHUB_TILES": tiles,
            **cli.edition_urls(base_url), **extra_env}


def build_args(brigades: Path, data: Path, site: Path) -> tuple[str, ...]:
    return "build", "--brigades", str(brigades), "--data", str(data), "--site", str(site), "--today", TODAY


def build_site(project: Path, brigades: Path, site: Path, base_url: str, data: Path | None = None, **extra_env: str):
    """Build a site now with `brigadehub build`, called in this process (MkDocs still runs as a process)."""
    result = run_brigadehub(*build_args(brigades, data or project / "data", site), cwd=project,
                            env=site_env(base_url, **extra_env))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


class Build:
    """`brigadehub build` run as a user runs it, in a process of its own: started now, waited for when needed.

    The suite's sites take MkDocs 5 to 15 s each; started at the session's start, they build while other tests run.
    """

    def __init__(self, project: Path, brigades: Path, site: Path, base_url: str, data: Path,
                 command: tuple[str, ...] = (sys.executable, "-m", "brigadehub"), **extra_env: str):
        self.project, self.site, self.url = project, site, base_url
        self._out, self._err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        arguments = build_args(brigades, data, site) if command[-1] == "brigadehub" else ("--site-dir", str(site))
        self.process = subprocess.Popen([*command, *arguments], cwd=project,
                                        env=_command_env(site_env(base_url, **extra_env)),
                                        stdout=self._out, stderr=self._err)
        self._result: subprocess.CompletedProcess | None = None
        self.mtimes_before: dict[Path, int] | None = None  # of a rebuild's generated files, before it started

    def result(self) -> subprocess.CompletedProcess:
        """Wait for the build; fail the test that needs it if the build failed."""
        if self._result is None:
            self.process.wait(timeout=300)
            self._result = subprocess.CompletedProcess(self.process.args, self.process.returncode,
                                                       _read_text(self._out), _read_text(self._err))
            self._out.close()
            self._err.close()
        assert self._result.returncode == 0, self._result.stdout + self._result.stderr
        return self._result

    def stop(self) -> None:
        if self.process.poll() is None:  # the session ended early
            self.process.kill()
            self.process.wait()


def mtimes(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


# The fixture built the real site in one process; the rebuild runs in another, with another hash seed, so that an
# order taken from a set or a dict of strings would show as a difference.
OTHER_HASH_SEED = "1" if os.environ.get("PYTHONHASHSEED") == "0" else "0"
SITE_FIXTURES = {"real_site", "fixture_site", "real_rebuild", "split_site"}


def pytest_collection_modifyitems(items):
    """Run the modules that read a built site last, so that the sites build in the background meanwhile."""
    late = {item.path for item in items if SITE_FIXTURES & set(item.fixturenames)}
    items.sort(key=lambda item: item.path in late)  # a stable sort: each group keeps its order


class SiteBuilds:
    """The suite's site builds, each started once, as early as its tests are known to be selected."""

    def __init__(self, server: SimpleNamespace, tmp_path_factory: pytest.TempPathFactory, wanted: set[str]):
        self.server, self.tmp, self.wanted, self.builds = server, tmp_path_factory, wanted, {}
        self.starters = {"real": self._start_real, "fixtures": self._start_fixtures, "rebuild": self._start_rebuild,
                         "split": self._start_split}

    def start(self, name: str) -> Build:
        if name not in self.builds:
            self.builds[name] = self.starters[name]()
        return self.builds[name]

    def wait(self, name: str) -> Build:
        build = self.start(name)
        build.result()
        return build

    def _start_real(self) -> Build:
        project = copy_project(self.tmp.mktemp("project-real"))
        return Build(project, ROOT / "brigades", self.server.root / "real", self.server.url + "real/", ROOT / "data")

    def _start_fixtures(self) -> Build:
        brigades = self.tmp.mktemp("brigades-fixtures")
        for folder in (DATA / "good", DATA / "hostile"):
            for path in folder.glob("*.yml"):
                shutil.copy(path, brigades / path.name)
        project = copy_project(self.tmp.mktemp("project-fixtures"))
        return Build(project, brigades, self.server.root / "fixtures", self.server.url + "fixtures/",
                     project / "data")

    def _start_rebuild(self) -> Build:
        """The real site again, from a copy of its generated project: a new folder, new file times."""
        real = self.wait("real")
        project = self.tmp.mktemp("project-rebuild") / "project"
        shutil.copytree(real.project, project, copy_function=shutil.copy)
        before = mtimes(project / "docs")
        build = Build(project, ROOT / "brigades", self.tmp.mktemp("rebuilt") / "site", real.url, ROOT / "data",
                      PYTHONHASHSEED=OTHER_HASH_SEED)
        build.mtimes_before = before
        return build

    def _start_split(self) -> Build:
        """Fictional brigades past a lowered directory limit (issue 11): generated here, then built by MkDocs."""
        project = copy_project(self.tmp.mktemp("project-split"))
        brigades = write_split_brigades(self.tmp.mktemp("brigades-split"))
        url, site = self.server.url + "split/", self.server.root / "split"
        with pytest.MonkeyPatch.context() as patch:  # mkdocs.yml reads the site's address from the environment
            for name, value in site_env(url).items():
                patch.setenv(name, value)
            config = read_site(project / "mkdocs.yml", date.fromisoformat(TODAY))
        checked = check_paths(sorted(brigades.glob("*.yml")))
        assert not checked.problems, checked.problems
        files = render_outputs(checked.brigades, config, docs=project / "docs", directory_limit=SPLIT_LIMIT,
                               map_limit=SPLIT_MAP_LIMIT)
        write.write_outputs(project / "docs", files)
        # The pages were generated above, with the lowered limit: the hook must not generate them again.
        return Build(project, brigades, site, url, project / "data", command=BUILD_EDITIONS, BRIGADEHUB_GENERATED="1",
                     NO_MKDOCS_2_WARNING="1")

    def stop(self) -> None:
        for build in self.builds.values():
            build.stop()


@pytest.fixture(scope="session", autouse=True)
def site_builds(request, site_server, tmp_path_factory):
    """Start the builds that the selected tests need before the first test runs."""
    builds = SiteBuilds(site_server, tmp_path_factory,
                        {name for item in request.session.items for name in item.fixturenames})
    for fixture, build in (("real_site", "real"), ("fixture_site", "fixtures"), ("split_site", "split")):
        if fixture in builds.wanted:
            builds.start(build)
    yield builds
    builds.stop()


@pytest.fixture(scope="session")
def real_site(site_builds):
    """The site built from the real brigades/, served at <server>/real/."""
    build = site_builds.wait("real")
    if "real_rebuild" in site_builds.wanted:  # it needs this site's project, and can build while tests read this one
        site_builds.start("rebuild")
    return SimpleNamespace(path=build.site, url=build.url, project=build.project)


@pytest.fixture(scope="session")
def real_rebuild(real_site, site_builds) -> Build:
    """The real site built a second time from its generated project, by another process (OTHER_HASH_SEED)."""
    return site_builds.wait("rebuild")


# Every page of the fixture site that shows tests/data/hostile/code-for-hostile.yml; test_site.py checks that the
# list is whole, and both it and test_browser.py check each page.
HOSTILE_PAGES = ("brigades/code-for-hostile", "brigades", "prefectures/ishikawa", "regions/chubu", "map", "calendars",
                 "status")
HOSTILE_PAGES_EN = tuple(f"en/{page}" for page in HOSTILE_PAGES)  # their twins, where the English name leads


# The split site's directory lists at most this many brigades a page; SPLIT_BRIGADES fill five parts with it. An
# area's map there carries one point inline at most, and reads more from api/map.json.
SPLIT_LIMIT = 2
SPLIT_MAP_LIMIT = 1
SPLIT_BRIGADES = (  # (id, name, prefecture, city, lat, lon): plainly fictional brigades in real towns
    ("code-for-example-north", "Code for Example North", "北海道", "札幌市", 43.06, 141.35),
    ("code-for-example-east-1", "Code for Example East 1", "東京都", "千代田区", 35.69, 139.75),
    ("code-for-example-east-2", "Code for Example East 2", "東京都", "八王子市", 35.67, 139.32),
    ("code-for-example-east-3", "Code for Example East 3", "神奈川県", "鎌倉市", 35.32, 139.55),
    ("code-for-example-west", "Code for Example West", "石川県", "金沢市", 36.56, 136.66),
    ("code-for-example-anywhere", "Code for Example Anywhere", None, None, None, None),
)


def write_split_brigades(folder: Path) -> Path:
    for brigade_id, name, prefecture, city, lat, lon in SPLIT_BRIGADES:
        point = f"coordinates: {{lat: {lat}, lon: {lon}, precision: city, source: a test fixture}}"
        place = f"location: {{prefecture: {prefecture}, city: {city}, {point}}}\n" if prefecture \
            else "scope: thematic\n"
        (folder / f"{brigade_id}.yml").write_text(
            f"id: {brigade_id}\nname: {{ja: {name}}}\nstatus: unknown\n{place}sources: [a test fixture]\n",
            encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def split_site(site_builds):
    """The site of SPLIT_BRIGADES, whose directory is split into parts (SPLIT_LIMIT), served at <server>/split/."""
    build = site_builds.wait("split")
    return SimpleNamespace(path=build.site, url=build.url, project=build.project)


@pytest.fixture(scope="session")
def fixture_site(site_builds):
    """The site built from fictional brigades, hostile ones included, served at <server>/fixtures/."""
    build = site_builds.wait("fixtures")
    return SimpleNamespace(path=build.site, url=build.url, project=build.project)


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


def saved_response(name: str) -> Response:
    """A saved HTTP answer of tests/data/sources/: a status line, headers, a blank line and the body."""
    head, _, body = (SOURCES / name).read_bytes().partition(b"\n\n")
    status, *lines = head.decode("utf-8").splitlines()
    return Response(body, status=int(status.split()[1]), headers=[tuple(line.split(": ", 1)) for line in lines])


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
