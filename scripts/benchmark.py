"""Time each stage of the build at three sizes of data, measure the site it makes, and write docs/benchmarks.md.

    make benchmark                                      # every size, results into docs/benchmarks.md
    .venv/bin/python scripts/benchmark.py --size real   # one size, printed only
    .venv/bin/python scripts/benchmark.py --size all --write docs/benchmarks.md --label after

Sizes: `real` is brigades/ and data/ as committed; `1k` is 1,000 brigades with 50,000 events and `3k` is 3,000
brigades with 200,000 events, made here in a temporary folder from copies of the real brigade files (fictional
ids and handles) with seeded events in the snapshot format. Every build runs in that folder, never in docs/.

Speed targets live here, not in timed tests: this machine is shared, so read medians, not single runs.
"""

from __future__ import annotations

import argparse
import copy
import http.server
import json
import os
import platform
import random
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from brigadehub import cli  # noqa: E402
from brigadehub.cli import serve_command  # noqa: E402
from brigadehub.core.model import TOKYO, Event  # noqa: E402
from brigadehub.core.validate import check_paths  # noqa: E402
from brigadehub.events import fetch, gather, snapshot  # noqa: E402
from brigadehub.events import http as http_client  # noqa: E402
from brigadehub.events.sources import Target, Window  # noqa: E402
from brigadehub.pipeline import brigade_files  # noqa: E402
from brigadehub.site import outputs, write  # noqa: E402
from brigadehub.site.config import read_site  # noqa: E402

TODAY = date(2026, 11, 26)
SEED = 11  # issue 11: the same data on every machine and every run
FIRST_DAY, LAST_DAY = date(2013, 1, 1), date(2027, 12, 31)
STAGES = ("validate", "gather", "render", "write")
SIZES = {"real": (None, None), "1k": (1000, 50_000), "3k": (3000, 200_000)}
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "BRIGADEHUB_GENERATED": "1"}
PAGE_LIMIT, FEED_LIMIT = 500_000, 1_000_000
# Past events: mostly timed, as the platforms give them, plus the coarser dates the archive has.
PAST_PRECISIONS = (("time", 75), ("day", 12), ("month", 6), ("around", 4), ("year", 3))
UPCOMING_PRECISIONS = (("time", 85), ("day", 15))
SOURCES = ("connpass", "doorkeeper", "ical")
KINDS = ("定例会", "もくもく会", "アイデアソン", "ハッカソン", "オープンデータ勉強会", "まちあるき", "Civic Tech Night",
         "International Open Data Day", "防災ワークショップ", "子ども向けプログラミング教室")
PLACES = ("市民活動センター 会議室A", "市役所 本庁舎 3階", "コワーキングスペース", "図書館 多目的室",
          "大学 サテライトキャンパス")
SENTENCES = ("地域の課題を、市民・エンジニア・行政職員がいっしょに考えます。", "はじめての方も歓迎です。",
             "オープンデータを使って、暮らしに役立つアプリを作ります。", "当日はノートパソコンをお持ちください。",
             "前半は事例紹介、後半はグループに分かれて作業します。")


# ---- the data sets ----------------------------------------------------------------------------------------


def make_project(folder: Path) -> Path:
    """Copy the site's hand-written parts into folder, so that no build writes into the working tree."""
    return write.copy_project(ROOT, folder)


def make_dataset(size: str, counts: tuple[int | None, int | None], project: Path) -> None:
    """Write project/brigades and project/data: the real ones, or copies of the real brigades with events."""
    brigades, events = counts
    if brigades is None:
        shutil.copytree(ROOT / "brigades", project / "brigades")
        shutil.copytree(ROOT / "data", project / "data")
        return
    ids = copy_brigades(brigades, project / "brigades")
    share = (LAST_DAY - TODAY).days / (LAST_DAY - FIRST_DAY).days
    upcoming = round(events * share)
    write_snapshots(ids, events - upcoming, upcoming, project / "data", random.Random(f"{SEED}-{size}"))


def copy_brigades(count: int, folder: Path) -> list[str]:
    """Write count copies of the real brigade files, every handle and group made unique."""
    yaml = YAML()  # round trip, YAML 1.2 as core/load.py reads it; comments stay
    originals = [yaml.load(path.read_text(encoding="utf-8")) for path in brigade_files(ROOT / "brigades")]
    folder.mkdir(parents=True)
    ids = []
    for n in range(count):
        number, index = divmod(n, len(originals))
        data = copy.deepcopy(originals[index])
        rename(data, number + 1, index)
        with (folder / f"{data['id']}.yml").open("w", encoding="utf-8") as out:
            yaml.dump(data, out)
        ids.append(data["id"])
    return ids


def rename(data, number: int, index: int) -> None:
    """Give one copy its own id, a name that says it is a copy, and handles no other file claims."""
    # The first copy keeps its id, so that the hand-written pages' links to real brigades resolve at every size
    # (MkDocs checks them with --strict); its name and handles still say it is a copy.
    if number > 1:
        data["id"] = f"{data['id']}-copy{number}"
    data["name"]["ja"] = f"{data['name']['ja']}（複製 {number}）"
    if data["name"].get("en"):
        data["name"]["en"] = f"{data['name']['en']} (copy {number})"
    handles: dict[str, str] = {}

    def unique(handle: str) -> str:
        # Short enough for an X handle (15 characters); the same handle twice in one file stays one claim.
        return handles.setdefault(handle.lower(), f"c{number}b{index}h{len(handles)}")

    links = data.get("links") or {}
    for platform_name in ("github", "connpass", "doorkeeper", "meetup", "facebook", "x"):
        if links.get(platform_name):
            links[platform_name] = unique(links[platform_name])
    for source in data.get("event_sources") or []:
        if "group" in source:
            source["group"] = unique(source["group"])
        else:
            source["url"] = f"{source['url']}{'&' if '?' in source['url'] else '?'}copy={number}"


def write_snapshots(ids: list[str], past: int, upcoming: int, data: Path, rng: random.Random) -> None:
    """Spread past and upcoming events over the brigades, each brigade's in data/events/<id>.json."""
    folder = data / snapshot.EVENTS_DIR
    folder.mkdir(parents=True)
    serial = 0
    for i, brigade_id in enumerate(ids):
        mine = (share(past, len(ids), i), share(upcoming, len(ids), i))
        source = SOURCES[i % len(SOURCES)]
        events = make_events(brigade_id, source, mine, serial, ids, rng)
        serial += len(events)
        text = snapshot.render_snapshot(brigade_id, {f"{source}:{brigade_id}": events})
        (folder / f"{brigade_id}.json").write_text(text, encoding="utf-8")


def share(total: int, parts: int, i: int) -> int:
    return total // parts + (1 if i < total % parts else 0)


def make_events(brigade_id: str, source: str, counts: tuple[int, int], serial: int, ids: list[str],
                rng: random.Random) -> list[Event]:
    """One brigade's events, each on a day of its own, so that none is taken for another's duplicate."""
    past_days = (TODAY - FIRST_DAY).days
    days = rng.sample(range(past_days), counts[0])
    days += rng.sample(range(past_days + 1, (LAST_DAY - FIRST_DAY).days + 1), counts[1])
    events = []
    for n, day in enumerate(days):
        precisions = PAST_PRECISIONS if n < counts[0] else UPCOMING_PRECISIONS
        precision = rng.choices([p for p, _ in precisions], [w for _, w in precisions])[0]
        co_host = rng.choice(ids) if rng.random() < 0.03 else brigade_id
        events.append(make_event(brigade_id, source, serial + n, FIRST_DAY + timedelta(days=day), precision,
                                 tuple(h for h in (co_host,) if h != brigade_id), rng))
    return events


def make_event(host: str, source: str, serial: int, day: date, precision: str, co_hosts: tuple[str, ...],
               rng: random.Random) -> Event:
    start, end = event_times(day, precision, rng)
    online = rng.random() < 0.15
    return Event(
        uid=f"{source}-{serial}", title=f"{rng.choice(KINDS)} 第{serial % 200 + 1}回", start=start, end=end,
        source=source, source_id=str(serial), host=host, host_name=host, co_hosts=co_hosts,
        place="オンライン" if online else rng.choice(PLACES + (None,)), online=online,
        url=f"https://example.com/events/{serial}", description="".join(rng.choices(SENTENCES, k=rng.randint(0, 4))),
        status="cancelled" if rng.random() < 0.02 else "confirmed", precision=precision,
        updated=datetime.combine(min(day, TODAY) - timedelta(days=14), datetime.min.time(), TOKYO)
        if precision in {"time", "day"} else None,
    )


def event_times(day: date, precision: str, rng: random.Random) -> tuple[date | datetime, date | datetime | None]:
    """A start and an end as precise as the precision says: a month or a year starts on its first day."""
    if precision == "time":
        start = datetime(day.year, day.month, day.day, rng.choice((10, 13, 14, 19)), tzinfo=TOKYO)
        return start, start + timedelta(hours=rng.choice((2, 3)))
    if precision == "month":
        return day.replace(day=1), None
    if precision == "year":
        return day.replace(month=1, day=1), None
    return day, None


# ---- one build, stage by stage ----------------------------------------------------------------------------


@dataclass
class Child:
    """A process that ran: wall and CPU time, its peak resident memory, how it ended and what it printed."""

    seconds: float
    cpu_seconds: float  # user + system: less swayed than wall time by the others sharing the machine
    peak_mb: float
    returncode: int | None  # None: stopped at the timeout
    stdout: str = ""
    stderr: str = ""


def run_child(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Child:
    """Run command and measure it; os.wait4 gives this child's own peak memory, which getrusage cannot."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=err)
        returncode, usage = None, None
        while returncode is None:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                returncode = os.waitstatus_to_exitcode(status)
            elif time.perf_counter() - start > timeout:
                process.kill()
                _, _, usage = os.wait4(process.pid, 0)
                break
            else:
                time.sleep(0.02)
        process.returncode = -9 if returncode is None else returncode  # reaped here; Popen must not wait again
        seconds = time.perf_counter() - start
        out.seek(0), err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return Child(seconds, cpu, usage.ru_maxrss / 1024, returncode, out.read(), err.read())


def build_env(project: Path) -> dict[str, str]:
    """What `brigadehub build` gives MkDocs: the folders, the day, and the sitemap's date from that day."""
    epoch = int(datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=TOKYO).timestamp())
    return {**MKDOCS_ENV, "BRIGADEHUB_BRIGADES": str(project / "brigades"), "BRIGADEHUB_DATA": str(project / "data"),
            "BRIGADEHUB_TODAY": TODAY.isoformat(), "SOURCE_DATE_EPOCH": str(epoch)}


def run_stages(project: Path) -> dict:
    """The pipeline's public stages, as pipeline.generate_site runs them, each timed (runs in a child process)."""
    timings, cpu, started = {}, {}, time.perf_counter()

    def stage(name, action):
        print(f"{time.perf_counter() - started:8.1f} s  {name}", file=sys.stderr, flush=True)
        begin, begin_cpu = time.perf_counter(), cpu_time()
        result = action()
        timings[name], cpu[name] = time.perf_counter() - begin, cpu_time() - begin_cpu
        return result

    checked = stage("validate", lambda: check_paths(brigade_files(project / "brigades")))
    events = stage("gather", lambda: gather.collect_events(checked.brigades, project / "data", TODAY))
    site = read_site(project / "mkdocs.yml", TODAY)
    # On two cores, as `brigadehub build` renders (cli.generate_pages).
    files = stage("render", lambda: outputs.render_outputs(checked.brigades, site, events, docs=project / "docs",
                                                                 parallel=True))
    stage("write", lambda: write.write_outputs(project / "docs", files))
    upcoming = sum(1 for e in events if snapshot.start_key(e).date() >= TODAY)
    return {"timings": timings, "cpu_timings": cpu, "brigades": len(checked.brigades),
            "problems": [str(p) for p in checked.problems[:5]],
            "events": len(events), "upcoming": upcoming, "generated": len(files)}


def cpu_time() -> float:
    """CPU time of this process and of the children it has waited for: the render stage forks one."""
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


def reset_build(project: Path, site: Path) -> None:
    """Remove what the last run generated and built, so that every run starts from a fresh clone's state."""
    for name in write.GENERATED_DIRS + write.ENGLISH_DIRS:
        shutil.rmtree(project / "docs" / name, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)


def build_once(project: Path, site: Path, timeout: float, profile: Path | None) -> dict:
    """Generate with the pipeline, then `mkdocs build --strict`, as `brigadehub build` does; time both."""
    reset_build(project, site)
    prefix = [sys.executable] + (["-m", "cProfile", "-o", str(profile / "stages.prof")] if profile else [])
    stages = run_child([*prefix, __file__, "--stages-of", str(project)], project, {}, timeout)
    run = {"stages": stages}
    if stages.returncode != 0:
        return run
    found = json.loads(stages.stdout)
    run.update(found)
    if found["problems"]:
        raise SystemExit("the generated brigade files do not validate:\n" + "\n".join(found["problems"]))
    # Both editions, side by side, as `brigadehub build` runs them (cli.build_editions); the child's figures
    # include its two MkDocs processes (wait4 counts the children a process waited for).
    command = [sys.executable, __file__, "--editions-of", str(site)]
    run["mkdocs"] = run_child(command, project, build_env(project), max(timeout - stages.seconds, 1))
    return run


# ---- what the site came out as ----------------------------------------------------------------------------


def site_figures(site: Path) -> dict:
    """Count and weigh the built site: every file, the largest page, the largest feed of each kind."""
    files = [(p.relative_to(site).as_posix(), p.stat().st_size) for p in site.rglob("*") if p.is_file()]
    pages = [(path, size) for path, size in files if path.endswith(".html")]
    feeds = [(path, size) for path, size in files if path.endswith(".ics")]
    area = [(path, size) for path, size in feeds if feed_kind(path) in {"all", "online", "regions", "prefectures"}]
    search = next((site / n for n in ("search/search_index.json", "search.json") if (site / n).is_file()), site)
    return {
        "files": len(files), "bytes": sum(size for _, size in files),
        "feed_files": len(feeds), "feed_bytes": sum(size for _, size in feeds),
        "largest_page": max(pages, key=lambda f: f[1]), "pages": len(pages),
        "pages_over": sum(1 for _, size in pages if size > PAGE_LIMIT),
        "largest_feed": max(feeds, key=lambda f: f[1], default=("", 0)),
        "largest_area_feed": max(area, key=lambda f: f[1], default=("", 0)),
        "area_feeds_over": sum(1 for _, size in area if size > FEED_LIMIT),
        "search_bytes": search.stat().st_size if search.is_file() else 0,
    }


def feed_kind(path: str) -> str:
    """all, online, regions, prefectures, brigades or events: what a feed under feeds/ covers."""
    parts = path.split("/")
    return parts[1].removesuffix(".ics") if len(parts) > 1 else ""


# ---- rebuilding while serving ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch_page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - our own server on 127.0.0.1
            return answer.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, timeout: float) -> float | None:
    """Seconds until the page at url says text, or None if it never did within timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in fetch_page(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def serve_rebuild(project: Path, runs: int) -> tuple[list[float | None], list[float | None], list[float | None]]:
    """Run `mkdocs serve` as `brigadehub serve` does, save one brigade file, and time until its page shows it, the
    server's CPU time meanwhile, and the time until its English twin, built in the background, shows it too."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**build_env(project), "BRIGADEHUB_SITE_URL": base, **cli.edition_urls(base)}
    del env["BRIGADEHUB_GENERATED"]  # the hook regenerates on every edit, as in `make serve`
    # A session of its own: the server starts the English edition's build in the background, which is stopped with it.
    server = subprocess.Popen(serve_command(f"127.0.0.1:{port}"), cwd=project, env={**os.environ, **env},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    path = brigade_files(project / "brigades")[0]
    original = path.read_text(encoding="utf-8")
    try:
        if wait_for(base, "Brigade Hub", 300) is None:
            return [None] * runs, [None] * runs, [None] * runs
        wait_idle(base)
        found = [edit_and_wait(path, f"{base}brigades/{path.stem}/", f"benchmark-edit-{n}", server.pid,
                               f"{base}en/brigades/{path.stem}/") for n in range(runs)]
        return [wall for wall, _, _ in found], [cpu for _, cpu, _ in found], [en for _, _, en in found]
    finally:
        path.write_text(original, encoding="utf-8")
        stop_group(server)


def stop_group(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process and every process of its group, and wait until they are gone: the served site's background
    English build outlived the server it was started by, wrote into docs/ while the temporary folder was being
    removed, and the removal failed (a run of 2 December 2026). What ignores SIGTERM for `timeout` gets SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process.poll()  # reap the server: until then, it counts in its group
            try:
                os.killpg(process.pid, 0)  # any left of the group?
            except ProcessLookupError:
                return
            time.sleep(0.1)
    process.wait(timeout=timeout)


def edit_and_wait(path: Path, url: str, marker: str, pid: int, english_url: str | None = None
                  ) -> tuple[float | None, float | None, float | None]:
    """Save the file with a marker in its Japanese name: the wall time until its page shows it, the server's CPU
    time, and the wall time from the save until the English page (which shows the Japanese name too) shows it."""
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["name"]["ja"] = f"{data['name']['ja']} {marker}"
    before = process_cpu(pid)
    saved = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    seconds = wait_for(url, marker, 120)
    after = process_cpu(pid)
    english = None
    if english_url and seconds is not None and wait_for(english_url, marker, 120) is not None:
        english = time.perf_counter() - saved
    wait_idle(url)
    if english_url:
        wait_idle(english_url)
    return seconds, (after - before if None not in (before, after, seconds) else None), english


def process_cpu(pid: int) -> float | None:
    """User and system time a running process has used so far (Linux' /proc), or None where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(url: str, timeout: float = 300) -> None:
    """Wait until MkDocs builds no more: it holds every request while it builds, so a quick answer means idle.

    The hook's writes into docs/ start a second build after the first; the next save must not land in it.
    """
    start, quick = time.perf_counter(), 0
    while quick < 3 and time.perf_counter() - start < timeout:
        time.sleep(0.5)
        begin = time.perf_counter()
        fetch_page(url)
        quick = quick + 1 if time.perf_counter() - begin < 0.3 else 0


# ---- does the file count follow the archive? --------------------------------------------------------------


def files_per_past_events(steps: tuple[int, ...] = (20, 80, 160), upcoming_each: int = 3) -> dict[str, float]:
    """Generated files added per 1,000 more past events, the brigades and upcoming events staying the same.

    108 brigades with 20, 80 and 160 past events each, over the 14 years of the archive: from 20 to 80 every
    year passes 300 past events (at 40 some still had not), and its listing splits into month pages (at most 12
    a year: they follow the archive's span, not its size); from 80 to 160 only a month of more than 300 would add
    a part. Both steps are reported; the target reads the second.
    """
    counts = []
    for past in steps:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            ids = copy_brigades(108, folder / "brigades")
            rng = random.Random(f"{SEED}-probe")
            write_snapshots(ids, past * len(ids), upcoming_each * len(ids), folder / "data", rng)
            checked = check_paths(brigade_files(folder / "brigades"))
            events = gather.collect_events(checked.brigades, folder / "data", TODAY)
            site = read_site(ROOT / "mkdocs.yml", TODAY)
            counts.append(len(outputs.render_outputs(checked.brigades, site, events, docs=ROOT / "docs")))
    per = [(counts[i + 1] - counts[i]) / ((steps[i + 1] - steps[i]) * 108) * 1000 for i in range(len(steps) - 1)]
    return {"splitting": per[0], "beyond": per[-1], "steps": list(steps), "files": counts}


# ---- the fetch: many slow sources on loopback servers -----------------------------------------------------


class SlowFeed(http.server.BaseHTTPRequestHandler):
    """Answer every request after the delay with a one-event iCal feed, as a slow but healthy source does."""

    delay = 1.0
    body = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//benchmark//EN\r\nBEGIN:VEVENT\r\nUID:bench@example.org\r\n"
            b"DTSTAMP:20261101T000000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T120000Z\r\n"
            b"SUMMARY:meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass  # 500 lines of access log say nothing


def measure_fetch(sources: int = 500, hosts: int = 20, delay: float = 1.0) -> dict:
    """Fetch sources iCal feeds spread over hosts loopback servers, each answering after delay, as fetch.py runs.

    Each server's port is a host of its own to the throttle, which lets one request at a time go to a host.
    """
    handler = type("Slow", (SlowFeed,), {"delay": delay})
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) for _ in range(hosts)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        # Round robin over the hosts, as the brigades' feeds are spread over their own sites.
        targets = [Target("ical", f"http://127.0.0.1:{servers[n % hosts].server_port}/feed-{n}.ics",
                          f"brigade-{n:04d}", f"Brigade {n}") for n in range(sources)]
        settings = fetch.Settings(policy=http_client.Policy(allow_loopback_for_tests=True))
        jobs, _ = fetch.plan(targets, settings)
        now = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=TOKYO)
        window = Window(now - timedelta(days=settings.past_days), now + timedelta(days=settings.future_days))
        begin, begin_cpu = time.perf_counter(), time.process_time()
        outcomes = [o for job in fetch.run_jobs(jobs, settings, fetch.new_shared(settings), window)
                    for o in job.outcomes]
        seconds, cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    per_host = -(-sources // hosts) * (delay + settings.other_interval)
    return {"sources": sources, "hosts": hosts, "delay": delay, "workers": settings.workers,
            "interval": settings.other_interval, "seconds": seconds, "cpu": cpu,
            "ok": sum(o.status == "ok" for o in outcomes),
            # The least time the rules allow: the workers each taking one source at a time, or the busiest host
            # taking its sources one after another with the pause between them.
            "bound": max(-(-sources // settings.workers) * delay, per_host), "sum": sources * delay}


# ---- Zensical, side by side -------------------------------------------------------------------------------


def zensical_build(binary: str, project: Path, timeout: float) -> tuple[Child, Path]:
    """Build the generated docs/ with Zensical from a cold cache; it writes to mkdocs.yml's site_dir, site/."""
    shutil.rmtree(project / "site", ignore_errors=True)
    binary = shutil.which(binary) or str(Path(binary).resolve())  # it runs in the project's folder
    # Both editions, one after the other, as `brigadehub build --builder zensical` does: site/en is in site/.
    english = cli.zensical_config(project / "mkdocs.en.yml", {**build_env(project), **cli.edition_urls(
        read_site(project / "mkdocs.yml", TODAY).site_url)})
    both = " && ".join(f"{shlex.quote(binary)} build --clean --config-file {shlex.quote(config)}"
                       for config in ("mkdocs.yml", english.name))
    child = run_child(["sh", "-c", both], project, build_env(project), timeout)
    return child, project / "site"


HREF = re.compile(r'(?:href|src)="([^"#?]*)[^"]*"')


def broken_links(site: Path, base: str = "/") -> list[str]:
    """Links inside the site, from every page, that lead to no file; external and page-local ones are skipped.

    base is the path the site is published under (site_url's), which absolute links, as in 404.html, start with.
    """
    broken = []
    for page in site.rglob("*.html"):
        for link in set(HREF.findall(page.read_text(encoding="utf-8", errors="replace"))):
            if not link or re.match(r"^[a-z][a-z0-9+.-]*:|^//", link):
                continue
            absolute = link.startswith("/")
            target = site / link.removeprefix(base).lstrip("/") if absolute else page.parent / link
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)} → {link}")
    return sorted(broken)


def search_entries(site: Path) -> int:
    """Entries in the search index: MkDocs writes search/search_index.json, Zensical search.json."""
    for name, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        if (site / name).is_file():
            return len(json.loads((site / name).read_text(encoding="utf-8"))[key])
    return 0


def compare_sites(reference: Path, other: Path, base: str = "/") -> dict:
    """What a second builder made differently: pages, feeds and open data, links, the search index."""
    def listing(site: Path, suffix: str = "") -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob(f"*{suffix}") if p.is_file()}
    pages, others = listing(reference, ".html"), listing(other, ".html")
    data = {p for p in listing(reference) if p.split("/")[0] in {"feeds", "api"}}
    return {
        "missing_pages": sorted(pages - others), "extra_pages": sorted(others - pages),
        "data_files": len(data),
        "data_differing": sorted(p for p in data if not (other / p).is_file()
                                 or (other / p).read_bytes() != (reference / p).read_bytes()),
        "broken_links": {"mkdocs": broken_links(reference, base)[:20], "zensical": broken_links(other, base)[:20],
                         "counts": [len(broken_links(site, base)) for site in (reference, other)]},
        "search_entries": {"mkdocs": search_entries(reference), "zensical": search_entries(other)},
    }


# ---- one size, several runs -------------------------------------------------------------------------------


@dataclass
class Options:
    runs: int
    timeout: float
    serve_runs: int = 0
    zensical: str | None = None
    profile: Path | None = None
    keep: Path | None = None
    notes: list[str] = field(default_factory=list)


def measure_size(size: str, counts: tuple[int | None, int | None], options: Options) -> dict:
    """Make the data set, build it options.runs times, and measure the last site (and Zensical's, if asked)."""
    with tempfile.TemporaryDirectory(prefix=f"benchmark-{size}-") as tmp:
        folder = options.keep or Path(tmp)
        project = make_project(folder / "project")
        begin = time.perf_counter()
        make_dataset(size, counts, project)
        result = {"size": size, "made_in": time.perf_counter() - begin, "runs": [],
                  "when": f"{time.strftime('%Y-%m-%d %H:%M')}, load {os.getloadavg()[0]:.1f}, {git_commit()}"}
        site = folder / "site"
        for n in range(options.runs):
            say(f"{size}: build {n + 1} of {options.runs}")
            run = build_once(project, site, options.timeout, options.profile)
            result["runs"].append(summarise_run(run))
            if not run_finished(run):
                return result
        result["site"] = site_figures(site)
        if options.zensical:
            result["zensical"] = measure_zensical(options.zensical, project, site, options.timeout)
        if options.serve_runs:
            say(f"{size}: rebuilds while serving")
            result["serve"], result["serve_cpu"], result["serve_en"] = serve_rebuild(project, options.serve_runs)
        return result


def run_finished(run: dict) -> bool:
    return "mkdocs" in run and run["mkdocs"].returncode == 0


def summarise_run(run: dict) -> dict:
    """The figures of one run, without what the children printed; where it stopped, if it did not finish."""
    stages: Child = run["stages"]
    summary = {key: run[key] for key in ("timings", "cpu_timings", "brigades", "events", "upcoming", "generated")
               if key in run}
    summary.update(stages_seconds=stages.seconds, stages_cpu=stages.cpu_seconds, stages_peak_mb=stages.peak_mb)
    if "mkdocs" in run:
        mkdocs: Child = run["mkdocs"]
        summary.update(mkdocs_seconds=mkdocs.seconds, mkdocs_cpu=mkdocs.cpu_seconds, mkdocs_peak_mb=mkdocs.peak_mb)
        if mkdocs.returncode != 0:
            summary["failed"] = f"mkdocs build: {failure(mkdocs)}"
    elif stages.returncode != 0:
        summary["failed"] = f"generating: {failure(stages)}"
    return summary


def failure(child: Child) -> str:
    last = (child.stderr.strip().splitlines() or ["(nothing printed)"])[-1].strip()
    if child.returncode is None:
        # The stages child prints "<seconds> s  <stage>" as each stage begins.
        began, _, stage = last.partition(" s  ")
        where = f"in the {stage} stage, which began {float(began) / 60:.1f} min in" if stage else f"at: {last}"
        return f"stopped after {child.seconds / 60:.0f} min ({child.cpu_seconds / 60:.0f} min CPU), {where}"
    return f"exit {child.returncode}: {last}"


def measure_zensical(binary: str, project: Path, site: Path, timeout: float) -> dict:
    say("zensical build")
    child, zensical_site = zensical_build(binary, project, timeout)
    found = {"seconds": child.seconds, "cpu": child.cpu_seconds, "peak_mb": child.peak_mb,
             "returncode": child.returncode}
    if child.returncode == 0:
        base = urllib.parse.urlsplit(read_site(project / "mkdocs.yml", TODAY).site_url).path
        found.update(compare_sites(site, zensical_site, base), bytes=site_figures(zensical_site)["bytes"])
        found["version"] = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    else:
        found["failed"] = failure(child)
    return found


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# ---- the report -------------------------------------------------------------------------------------------


def median(runs: list[dict], key: str, stage: str | None = None) -> float | None:
    """The median of a figure over the runs that have it; with stage, of that stage's entry in runs' key."""
    values = [(r[key][stage] if stage else r[key]) for r in runs
              if "failed" not in r and (stage in r.get(key, {}) if stage else key in r)]
    return statistics.median(values) if values else None


def totals(result: dict) -> dict:
    """Medians of the runs: each stage, ours in all, MkDocs, the whole build, and our share of it."""
    runs = [r for r in result["runs"] if "failed" not in r]
    if not runs:
        return {}
    whole = [r["stages_seconds"] + r["mkdocs_seconds"] for r in runs]
    # Ours: the whole generating process, Python's start-up and our imports included.
    ours = [r["stages_seconds"] for r in runs]
    return {
        "stages": {s: (median(runs, "timings", s), median(runs, "cpu_timings", s)) for s in STAGES},
        "ours": statistics.median(ours), "mkdocs": median(runs, "mkdocs_seconds"),
        "whole": statistics.median(whole),
        "cpu": {key: median(runs, f"{key}_cpu") for key in ("stages", "mkdocs")},
        "whole_cpu": statistics.median(r["stages_cpu"] + r["mkdocs_cpu"] for r in runs) if all(
            "stages_cpu" in r and "mkdocs_cpu" in r for r in runs) else None,
        "share": statistics.median(o / w for o, w in zip(ours, whole, strict=True)),
        "peak_mb": max(max(r["stages_peak_mb"], r["mkdocs_peak_mb"]) for r in runs),
        "runs": len(runs),
    }


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


def megabytes(value: float) -> str:
    return f"{value / 1e6:.1f} MB" if value >= 1e6 else f"{value / 1e3:.0f} KB"


def size_row(result: dict) -> dict[str, str]:
    """One column of the report's table: every figure of one size, as text."""
    t, last = totals(result), result["runs"][-1] if result["runs"] else {}
    if not t or "site" not in result:  # a run that failed ends the size, after the first run or later
        return {"status": f"did not finish: {last.get('failed', 'no run')}"}
    site = result["site"]
    row = {
        "brigades / events (upcoming)": f"{last['brigades']:,} / {last['events']:,} ({last['upcoming']:,})",
        "measured (load average at the start, commit)": result.get("when", "–"),
        "runs (median of)": str(t["runs"]),
        **{f"{name} (CPU)": f"{seconds(wall)} ({seconds(cpu)})" for name, (wall, cpu) in t["stages"].items()},
        "generating, start-up included": seconds(t["ours"]),
        "`mkdocs build --strict`": seconds(t["mkdocs"]),
        "**whole build**": f"**{seconds(t['whole'])}**",
        "our share of it": f"{t['share']:.0%}",
        "CPU time: generating / MkDocs": " / ".join(seconds(t["cpu"][key]) for key in ("stages", "mkdocs")),
        "peak memory (largest process)": megabytes(t["peak_mb"] * 1e6),
        "generated files / files in `site/`": f"{last['generated']:,} / {site['files']:,}",
        "size of `site/` (feeds)": f"{megabytes(site['bytes'])} ({megabytes(site['feed_bytes'])} in "
                                   f"{site['feed_files']:,} .ics)",
        "largest page": f"`{site['largest_page'][0]}` {megabytes(site['largest_page'][1])}",
        "HTML pages (over 500 KB)": f"{site['pages']:,} ({site['pages_over']:,})",
        "largest feed": f"`{site['largest_feed'][0]}` {megabytes(site['largest_feed'][1])}",
        "largest area feed (over 1 MB)": f"`{site['largest_area_feed'][0]}` "
                                         f"{megabytes(site['largest_area_feed'][1])} ({site['area_feeds_over']})",
        "`search_index.json`": megabytes(site["search_bytes"]),
    }
    row.update(zensical_row(result.get("zensical")))
    if result.get("serve"):
        row["rebuild after saving a brigade file, serving"] = serve_text(result["serve"], result.get("serve_cpu"))
    if result.get("serve_en"):
        row["the same change on its English twin, from the save"] = serve_text(result["serve_en"])
    return row


def serve_text(timings: list[float | None], cpu: list[float | None] | None = None) -> str:
    done, spent = [t for t in timings if t is not None], [c for c in cpu or [] if c is not None]
    text = f"{seconds(statistics.median(done))} (median of {len(done)}" if done else "never showed"
    text += f"; server CPU {seconds(statistics.median(spent))})" if done and spent else ")" if done else ""
    return text + (f", {len(timings) - len(done)} never showed" if done and len(done) < len(timings) else "")


def zensical_row(found: dict | None) -> dict[str, str]:
    if not found:
        return {}
    if found.get("failed"):
        return {"Zensical build": f"failed: {found['failed']}"}
    same = not (found["missing_pages"] or found["extra_pages"] or found["data_differing"])
    return {
        f"Zensical {found['version'].split()[-1]} build, cold (CPU time)":
            f"{seconds(found['seconds'])} ({seconds(found.get('cpu'))})",
        "Zensical peak memory / `site/`": f"{megabytes(found['peak_mb'] * 1e6)} / {megabytes(found['bytes'])}",
        "Zensical: same pages, feeds and api files": "yes" if same else
        f"no: {len(found['missing_pages'])} pages missing, {len(found['extra_pages'])} extra, "
        f"{len(found['data_differing'])} of {found['data_files']} feed/api files differ",
        "broken internal links (MkDocs / Zensical)": "{:,} / {:,}".format(*found["broken_links"]["counts"]),
        "search entries (MkDocs / Zensical)": "{mkdocs:,} / {zensical:,}".format(**found["search_entries"]),
    }


def target_rows(results: dict[str, dict], probe: float | dict | None, fetched: dict | None = None
                ) -> list[tuple[str, str, str]]:
    """The issue's targets, each with the figure measured and whether it is met; '–' where not measured."""
    t = {size: totals(result) for size, result in results.items()}
    site = {size: result.get("site") for size, result in results.items()}
    rows = []

    def add(text: str, figure: str | None, met: bool | None) -> None:
        rows.append((text, figure or "not measured", "–" if met is None else "met" if met else "**not met**"))

    one, three, real = t.get("1k"), t.get("3k"), t.get("real")
    add("1k: whole build under 60 s", one and whole_text(one), one and one["whole"] < 60)
    add("1k: peak memory under 1 GB", one and megabytes(one["peak_mb"] * 1e6), one and one["peak_mb"] < 1000)
    add("1k: `site/` under 150 MB", site.get("1k") and megabytes(site["1k"]["bytes"]),
        site.get("1k") and site["1k"]["bytes"] < 150e6)
    add("file count grows with brigades, places and upcoming events, not with the archive (at most 10 files "
        "per 1,000 more past events, once the listings are split by month)", probe_text(probe),
        None if probe is None else probe_beyond(probe) <= 10)
    add_scaling(add, results, one, three)
    for size, figures in site.items():
        if figures:
            add(f"{size}: every HTML page under 500 KB", megabytes(figures["largest_page"][1]),
                figures["pages_over"] == 0)
            add(f"{size}: `all.ics` and every area feed under 1 MB", megabytes(figures["largest_area_feed"][1]),
                figures["area_feeds_over"] == 0)
    serve, english = results.get("real", {}).get("serve"), results.get("real", {}).get("serve_en")
    done, english_done = ([s for s in found or [] if s is not None] for found in (serve, english))
    # Both editions (issue 13): the Japanese page, and its English twin, built after it, counted from the save.
    figure = serve and serve_text(serve, results["real"].get("serve_cpu")) + (
        f"; its English twin {serve_text(english)}" if english else "")
    add("real: rebuild while serving under 3 s", figure,
        None if not serve else bool(done) and statistics.median(done) < 3
        and (not english or bool(english_done) and statistics.median(english_done) < 3))
    for size, figures in t.items():
        if figures:
            add(f"{size}: our share of the build under 25%", f"{figures['share']:.0%}", figures["share"] < 0.25)
    add("real: whole build under 10 s", real and whole_text(real), real and real["whole"] < 10)
    add_fetch(add, fetched)
    return rows


def add_fetch(add, fetched: dict | None) -> None:
    """Met when the fetch took no more than the bound its rules set, with a margin for the machine's load."""
    text = f"fetch: {fetched['sources'] if fetched else 500} sources answering after 1 s each, bounded by " \
           "concurrency and pacing"
    if not fetched:
        add(text, None, None)
        return
    figure = (f"{seconds(fetched['seconds'])} ({fetched['ok']} ok; bound {seconds(fetched['bound'])} by "
              f"{fetched['workers']} workers and {fetched['hosts']} hosts paced {fetched['interval']} s apart; "
              f"the delays' sum {seconds(fetched['sum'])})")
    add(text, figure, fetched["ok"] == fetched["sources"] and fetched["seconds"] <= 1.15 * fetched["bound"])


def probe_beyond(probe: float | dict) -> float:
    return probe if isinstance(probe, float | int) else probe["beyond"]  # "before" kept one step, a number


def probe_text(probe: float | dict | None) -> str | None:
    if probe is None or isinstance(probe, float | int):
        return None if probe is None else f"{probe:.0f} files per 1,000"
    return (f"{probe['beyond']:.0f} files per 1,000 (from {probe['steps'][1]} to {probe['steps'][2]} past events "
            f"a brigade; {probe['splitting']:.0f} per 1,000 from {probe['steps'][0]} to {probe['steps'][1]}, where "
            f"the year listings split into month pages)")


def whole_text(figures: dict) -> str:
    cpu = figures.get("whole_cpu")
    return seconds(figures["whole"]) + (f" ({seconds(cpu)} CPU)" if cpu else "")


def add_scaling(add, results: dict, one: dict | None, three: dict | None) -> None:
    if "3k" not in results:
        add("3k: the build finishes", None, None)
        return
    add("3k: the build finishes", seconds(three["whole"]) if three else size_row(results["3k"]).get("status"),
        bool(three))
    ratio = three["whole"] / one["whole"] if one and three else None
    # Linear in the data: 3k has 3 times the brigades and 4 times the events of 1k.
    add("3k: time no worse than linear from 1k (at most 4 times, the ratio of the events)",
        None if ratio is None else f"{ratio:.1f} times", None if ratio is None else ratio <= 4)


def machine_line() -> str:
    return (f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
            f"mkdocs {version('mkdocs')}, mkdocs-material {version('mkdocs-material')}")


def git_commit() -> str:
    found = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def render_section(label: str, machine: str, results: dict[str, dict], probe: float | dict | None,
                   fetched: dict | None = None) -> str:
    """The report of one labelled measurement: the figures per size, then the targets."""
    columns = {size: size_row(result) for size, result in results.items()}
    names = list(dict.fromkeys(name for row in columns.values() for name in row))
    lines = [f"### {label}", "", f"Measured on {machine}.", "",
             "| figure | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(row.get(name, "–") for row in columns.values()) + " |" for name in names]
    lines += ["", "| target | measured | status |", "|---|---|---|"]
    lines += [f"| {text} | {figure} | {met} |" for text, figure, met in target_rows(results, probe, fetched)]
    return "\n".join(lines) + "\n"


def write_report(path: Path, label: str, section: str, data: dict) -> None:
    """Replace the section of this label in path (or add it), keeping the hand-written text around it."""
    begin, end = f"<!-- results: {label} -->", f"<!-- /results: {label} -->"
    # The raw figures ride along in a comment, so that a later run of one size can add to the others.
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("--", "-\\u002d")
    block = f"{begin}\n<!-- data: {raw} -->\n\n{section}\n{end}"
    text = path.read_text(encoding="utf-8") if path.is_file() else "# ベンチマーク / Benchmarks\n"
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def earlier_data(path: Path, label: str) -> dict:
    """The raw figures a previous run wrote under this label, if any."""
    if not path.is_file():
        return {}
    found = re.search(rf"<!-- results: {re.escape(label)} -->\n<!-- data: (.*?) -->", path.read_text("utf-8"))
    return json.loads(found.group(1)) if found else {}


# ---- the command ------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", action="append", choices=[*SIZES, "all"],
                        help="real, 1k, 3k or all (repeatable; default: real)")
    parser.add_argument("--brigades", type=int, help="a size of your own: this many copied brigades …")
    parser.add_argument("--events", type=int, help="… with this many events")
    parser.add_argument("--runs", type=int, default=5, help="builds of the real data to take the median of")
    parser.add_argument("--large-runs", type=int, default=3, help="builds of every other size")
    parser.add_argument("--timeout", type=float, default=40, help="minutes one build may take before it is stopped")
    parser.add_argument("--serve-runs", type=int, default=5, help="saves to time while serving the real data")
    parser.add_argument("--zensical", metavar="BINARY", help="also build each size with this Zensical and compare")
    parser.add_argument("--no-probe", action="store_true", help="skip measuring how the file count follows the archive")
    parser.add_argument("--no-fetch", action="store_true", help="skip timing the fetch of 500 slow loopback sources")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="write cProfile data of the last build here")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR and keep it, instead of a temp folder")
    parser.add_argument("--write", type=Path, metavar="FILE", help="write the results into FILE (docs/benchmarks.md)")
    parser.add_argument("--label", default="latest", help="the section of FILE to replace (default: latest)")
    parser.add_argument("--report-only", action="store_true", help="measure nothing; rewrite FILE from its figures")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--editions-of", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def chosen_sizes(args: argparse.Namespace) -> dict[str, tuple[int | None, int | None]]:
    if args.brigades:
        return {f"{args.brigades}×{args.events or 0}": (args.brigades, args.events or 0)}
    names = args.size or ["real"]
    return {name: SIZES[name] for name in (list(SIZES) if "all" in names else names)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stages_of:
        print(json.dumps(run_stages(args.stages_of)))
        return 0
    if args.editions_of:
        return cli.build_editions(args.editions_of, dict(os.environ))
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    earlier = earlier_data(args.write, args.label) if args.write else {}
    machine = earlier.get("machine", machine_line()) if args.report_only else machine_line()
    results = earlier.get("results", {})
    for size, counts in ({} if args.report_only else chosen_sizes(args)).items():
        options = Options(runs=args.runs if size == "real" else args.large_runs, timeout=args.timeout * 60,
                          serve_runs=0 if size in {"1k", "3k"} else args.serve_runs, zensical=args.zensical,
                          profile=args.profile, keep=args.keep)
        results[size] = measure_size(size, counts, options)
    probe = earlier.get("probe") if args.no_probe or args.report_only else files_per_past_events()
    if args.no_fetch or args.report_only:
        fetched = earlier.get("fetch")
    else:
        say("fetch: 500 sources on loopback servers")
        fetched = measure_fetch()
    section = render_section(args.label, machine, order(results), probe, fetched)
    print(section)
    if args.write:
        write_report(args.write, args.label, section,
                     {"results": results, "machine": machine, "probe": probe, "fetch": fetched})
    # A size that did not build fails the command (the scheduled smoke build relies on it); slow figures do not.
    return 1 if any("site" not in results[size] for size in chosen_sizes(args) if not args.report_only) else 0


def order(results: dict[str, dict]) -> dict[str, dict]:
    rank = {name: i for i, name in enumerate(SIZES)}
    return dict(sorted(results.items(), key=lambda item: rank.get(item[0], len(rank))))


if __name__ == "__main__":
    sys.exit(main())
