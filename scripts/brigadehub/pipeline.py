"""Run the stages in order for each command: validate → gather → render → write, validate → fetch → write."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from brigadehub.core.model import TOKYO
from brigadehub.core.validate import Checked, check_paths
from brigadehub.events import gather, snapshot
from brigadehub.site.config import read_site
from brigadehub.site.edition import EDITIONS, ENGLISH, JAPANESE, Edition
from brigadehub.site.write import ENGLISH_DIRS, JAPANESE_DIRS, SHARED_DIRS, Written, read_previous, write_outputs

if TYPE_CHECKING:
    from brigadehub.contrib import health

DOCS = Path("docs")
CONFIG = Path("mkdocs.yml")
CONFIG_EN = Path("mkdocs.en.yml")  # the English edition (issue 13), which inherits mkdocs.yml
LINK_REPORT = Path("health/links.json")


def brigade_files(folder: Path) -> list[Path]:
    """List a folder's brigade files; names starting with '_' are templates, not brigades."""
    return sorted(p for p in folder.glob("*.yml") if not p.name.startswith("_"))


def build_day(value: str | None = None) -> date:
    """The day the pages stand on: fixed by the caller or BRIGADEHUB_TODAY, so the same files give the same bytes."""
    value = value or os.environ.get("BRIGADEHUB_TODAY")
    return date.fromisoformat(value) if value else datetime.now(TOKYO).date()


def check_folder(folder: Path, cache: dict | None = None) -> Checked:
    return check_paths(brigade_files(folder), cache=cache)


@dataclass(frozen=True)
class Generated:
    """What generate_site did: the checked files, and either the files written or why nothing was."""

    checked: Checked
    events: int = 0
    written: Written | None = None
    error: str | None = None


def generate_site(brigades_dir: Path, data_dir: Path, today: date, *, docs: Path = DOCS,
                  config: Path = CONFIG, cache: dict | None = None, parallel: bool = False,
                  editions: tuple[Edition, ...] = EDITIONS, shared: bool = True) -> Generated:
    """Validate the brigade files, gather their events, render every page and feed, and write what changed.

    cache: kept by a caller that generates again and again (the MkDocs hook while serving), so that only the
    brigade files that changed are read and validated again. parallel: render on two cores, in a forked child,
    where there are two; only for a caller without threads of its own (not the hook inside `mkdocs serve`).
    editions: those whose pages to render and write, and shared: whether the files built once for both too;
    what is not rendered is left as it is (`make serve` renders the Japanese pages first, and the English pages
    and the shared files in the background).
    """
    from brigadehub.site import outputs  # here: it loads icalendar, which `validate` has no use for (issue 10)

    if not brigades_dir.is_dir() or not config.is_file():
        missing = brigades_dir if not brigades_dir.is_dir() else config
        return Generated(Checked((), (), 0), error=f"no {missing} here; run from the repository, "
                                                   "or pass --brigades DIR")
    checked = check_folder(brigades_dir, cache)
    if checked.problems:
        return Generated(checked)
    try:
        all_events = gather.collect_events(checked.brigades, data_dir, today)
    except snapshot.SnapshotError as error:
        return Generated(checked, error=str(error))
    reports = outputs.Reports(fetch=read_report(data_dir / snapshot.EVENTS_DIR / snapshot.REPORT_FILE),
                               links=read_report(data_dir / LINK_REPORT))
    files = outputs.render_outputs(checked.brigades, read_site(config, today), all_events, reports,
                                   functools.partial(read_previous, docs), docs=docs, parallel=parallel,
                                   editions=editions, shared=shared)
    folders = ((JAPANESE_DIRS if JAPANESE in editions else ()) + (ENGLISH_DIRS if ENGLISH in editions else ())
               + (SHARED_DIRS if shared else ()))
    return Generated(checked, len(all_events), write_outputs(docs, files, folders))


def read_report(path: Path) -> dict | None:
    """A report that fetch or linkcheck wrote; a missing or damaged one only leaves its part of a page empty."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def fetch_events(checked: Checked, data_dir: Path, settings, now: datetime):
    """Fetch every source of the checked brigades and write what changed under data_dir/events/.

    Returns the run (its report) and the paths written. Raises snapshot.SnapshotError for a committed file
    that cannot be read, and OSError when data_dir cannot be written.
    """
    from brigadehub.events import fetch  # here: icalendar and the source adapters would slow every other command

    (data_dir / snapshot.EVENTS_DIR).mkdir(parents=True, exist_ok=True)
    fetched = fetch.fetch_all(checked.brigades, data_dir, settings, now)
    return fetched, snapshot.write_fetched(data_dir, fetched)


def check_links(checked: Checked, data_dir: Path, settings: health.Settings, now: datetime) -> dict:
    """Check every brigade's links, keep each link's `since` from the last report, and write the new report."""
    from brigadehub.contrib import health  # here: it loads requests, which `validate` has no use for

    links = [link for brigade in checked.brigades for link in health.links_of(brigade)]
    path = data_dir / LINK_REPORT
    stamp = now.replace(microsecond=0).isoformat()
    results = health.merge_since(health.check_links(links, settings), read_report(path), stamp)
    report = health.build_report(results, stamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


def write_committed(path: Path, text: str, check: bool) -> bool:
    """Write a generated file that is committed (the schema, CODEOWNERS, the archive), only if it changed.

    With check, write nothing. Returns whether the file held text before.
    """
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if not check and current != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return current == text
