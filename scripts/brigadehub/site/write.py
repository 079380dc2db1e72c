"""Write the generated files into docs/, touching only those whose bytes changed, and remove stale ones."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

# Everything generate writes lives in these folders of docs/, which git ignores; stale files there are removed.
GENERATED_DIRS = ("brigades", "prefectures", "regions", "map", "api", "generated", "assets/vendor", "events",
                  "calendars", "feeds", "status", "stats", "cards")
# What is built once for both editions, at the root; `make serve` writes it apart from the Japanese pages.
SHARED_DIRS = ("api", "feeds", "cards", "assets/vendor")
JAPANESE_DIRS = tuple(name for name in GENERATED_DIRS if name not in SHARED_DIRS)
# The English edition's pages, in the same folders under en/, and its copies of the site's assets (issue 13); the
# feeds, open data and cards are not there, being built once for both.
ENGLISH_DIRS = tuple(f"en/{name}" for name in JAPANESE_DIRS) + ("en/assets",)
# The site's hand-written parts: with brigade files and data beside them, a copy of these builds on its own.
PROJECT_FILES = ("mkdocs.yml", "mkdocs.en.yml", "docs", "overrides", "scripts/mkdocs_hooks.py",
                 "scripts/mkdocs_raw_html.py")


def copy_project(root: Path, target: Path) -> Path:
    """Copy the hand-written parts of the project at root into target, without what a build generates."""
    skipped = {root / "docs" / name for name in GENERATED_DIRS + ENGLISH_DIRS}

    def generated(folder: str, names: list[str]) -> list[str]:
        return [name for name in names if Path(folder) / name in skipped]

    for name in PROJECT_FILES:
        source, destination = root / name, target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=generated)
        else:
            shutil.copy(source, destination)
    return target


@dataclass(frozen=True)
class Written:
    changed: int
    unchanged: int
    removed: int
    paths: tuple[str, ...] = ()  # those changed, under docs/: a dirty MkDocs build needs to know


def write_outputs(docs: Path, outputs: dict[str, bytes], folders: tuple[str, ...] = GENERATED_DIRS + ENGLISH_DIRS
                  ) -> Written:
    """Write outputs under docs/, leave identical files alone, and delete the generated files in folders that are
    no longer produced. folders: those whose every file outputs holds (fewer when outputs is one part of the site).

    An unchanged file keeps its modification time, so `mkdocs serve` does not rebuild in a loop.
    """
    changed, unchanged = [], 0
    for relative, content in sorted(outputs.items()):
        path = docs / relative
        if path.is_file() and path.read_bytes() == content:
            unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        changed.append(relative)
    return Written(len(changed), unchanged, _remove_stale(docs, set(outputs), folders), tuple(changed))


def read_previous(docs: Path, relative: str) -> bytes | None:
    """The file a previous build wrote at docs/relative, if there is one; generate may keep it (site/cards.py)."""
    path = docs / relative
    return path.read_bytes() if path.is_file() else None


def _remove_stale(docs: Path, keep: set[str], folders: tuple[str, ...]) -> int:
    removed = 0
    for folder in folders:
        for path in sorted((docs / folder).rglob("*"), reverse=True):
            relative = path.relative_to(docs).as_posix()
            if path.is_file() and relative not in keep:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path)
    return removed
