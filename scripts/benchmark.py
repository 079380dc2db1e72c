"""Measure how long the real site takes to check and build, and how large it comes out; print the figures.

    .venv/bin/python scripts/benchmark.py [--runs 5]

Speed targets live here, not in timed tests: this machine is shared, so read medians, not single runs.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from brigadehub.core.validate import check_paths  # noqa: E402
from brigadehub.events import gather  # noqa: E402
from brigadehub.pipeline import brigade_files  # noqa: E402
from brigadehub.site import cards, outputs  # noqa: E402
from brigadehub.site.config import read_site  # noqa: E402


def median_seconds(action, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def build_once(site: Path) -> None:
    command = [sys.executable, "-m", "brigadehub", "build", "--site", str(site)]
    env = {**os.environ, "BRIGADEHUB_TODAY": "2026-11-26"}
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    paths = brigade_files(ROOT / "brigades")
    checked = check_paths(paths)
    today = date(2026, 11, 26)
    site_settings = read_site(ROOT / "mkdocs.yml", today)
    all_events = gather.collect_events(checked.brigades, ROOT / "data", today)
    listing = outputs.Listing(checked.brigades, all_events, today)
    rows = [
        ("validate 108 files (in process)", median_seconds(lambda: check_paths(paths), args.runs)),
        (f"collect {len(all_events)} events", median_seconds(
            lambda: gather.collect_events(checked.brigades, ROOT / "data", today), args.runs)),
        ("render every feed (.ics)", median_seconds(lambda: listing.feeds(site_settings), args.runs)),
        (f"draw every share card ({len(cards.site_cards(checked.brigades))}, none kept)", median_seconds(
            lambda: cards.render_cards(checked.brigades, cards.find_font()), args.runs)),
        ("render every generated file, feeds and cards included", median_seconds(
            lambda: outputs.render_outputs(checked.brigades, site_settings, all_events), args.runs)),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        rows.append(("brigadehub build (validate, generate, mkdocs --strict)",
                     median_seconds(lambda: build_once(site), args.runs)))
        count, size = folder_size(site)
        home = (site / "index.html").read_bytes()
        search = (site / "search" / "search_index.json").stat().st_size
    print(f"median of {args.runs} runs on {os.cpu_count()} cores")
    for label, seconds in rows:
        print(f"  {label:<58} {seconds:7.3f} s")
    print(f"  built site: {count} files, {size / 1e6:.1f} MB")
    print(f"  home page: {len(home) / 1e3:.1f} KB, {len(gzip.compress(home)) / 1e3:.1f} KB gzipped")
    print(f"  search index: {search / 1e3:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
