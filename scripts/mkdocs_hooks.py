"""Regenerate the pages before every MkDocs build, so that `make serve` shows an edited brigade file at once.

`brigadehub serve` runs `mkdocs serve --dirty`: MkDocs then renders only the pages whose Markdown is newer than
their HTML, and the generator writes only the files whose bytes changed, so a saved brigade file rebuilds its
own pages and the few that list it. Two things a dirty build would get wrong are put right here: a hand-written
page is rebuilt when a snippet it includes changed, and the search index keeps the pages not rebuilt.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2

SNIPPET = re.compile(r'^--8<-- "(generated/[^"]+)"', re.M)
SEARCH_INDEX = Path("search/search_index.json")
# Kept between builds: MkDocs loads a hook module once per process, and serving is one process.
state = {"dirty": False, "cache": {}, "search": None}


def on_startup(command, dirty, **kwargs):
    state["dirty"] = command == "serve" and dirty


def on_pre_build(config, **kwargs):
    if os.environ.get("BRIGADEHUB_GENERATED"):
        return  # `brigadehub build` generated them already
    # Imported here: pydantic, icalendar and Jinja2 cost half a second that a plain build never uses.
    from brigadehub import pipeline

    brigades, data = (Path(os.environ.get(name, default)) for name, default in
                      (("BRIGADEHUB_BRIGADES", "brigades"), ("BRIGADEHUB_DATA", "data")))
    result = pipeline.generate_site(brigades, data, pipeline.build_day(), cache=state["cache"])
    # Invalid files print their problems and leave the last good pages in place.
    for problem in result.checked.problems:
        print(problem)
    if result.error:
        print(f"brigadehub: {result.error}")
    if state["dirty"]:
        site = Path(config.site_dir)
        forget_pages_with_snippets(Path(config.docs_dir), site, result.written.paths if result.written else ())
        state["search"] = read_json(site / SEARCH_INDEX)


def on_env(env, config, files, **kwargs):
    # MkDocs makes a new Jinja environment for every build, and compiling Material's templates anew took about
    # a second of each rebuild; compiled code is kept by name and source checksum, so an edited template recompiles.
    if state["dirty"]:
        env.bytecode_cache = state.setdefault("templates", MemoryBytecodeCache())
    return env


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self):
        self.kept = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket):
        self.kept[bucket.key] = bucket.bytecode_to_string()


def on_files(files, config, **kwargs):
    state["pages"] = {file.url: file.dest_uri for file in files.documentation_pages()}
    return files


def on_post_build(config, **kwargs):
    if not state["dirty"]:
        return
    site = Path(config.site_dir)
    remove_gone_pages(site, set(state["pages"].values()))
    if state["search"]:
        keep_search_entries(site / SEARCH_INDEX, state["search"], set(state["pages"]))
    build_english(Path(config.config_file_path).with_name("mkdocs.en.yml"), site / "en")


def build_english(config: Path, site: Path) -> None:
    """While serving, build the English edition into en/ of the served site, in the background: the Japanese
    page shows the change at once, its English twin a few seconds later. A save during the build restarts it."""
    running = state.get("english")
    if running and running.poll() is None:
        running.kill()
        running.wait()
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config),
               "--site-dir", str(site)]
    state["english"] = subprocess.Popen(command, env={**os.environ, "BRIGADEHUB_GENERATED": "1"})


def remove_gone_pages(site: Path, pages: set[str]) -> None:
    """A dirty build leaves the HTML of a page whose source is gone (a brigade removed); remove it."""
    from brigadehub.site.write import GENERATED_DIRS

    for folder in GENERATED_DIRS:
        for html in (site / folder).rglob("index.html"):
            if html.relative_to(site).as_posix() not in pages:
                html.unlink()


def forget_pages_with_snippets(docs: Path, site: Path, changed: tuple[str, ...]) -> None:
    """Remove the HTML of every hand-written page that includes a changed snippet, so that MkDocs renders it."""
    for page in docs.glob("*.md"):
        if set(SNIPPET.findall(page.read_text(encoding="utf-8"))) & set(changed):
            html = site / ("index.html" if page.stem == "index" else f"{page.stem}/index.html")
            html.unlink(missing_ok=True)


def keep_search_entries(path: Path, previous: dict, pages: set[str]) -> None:
    """Add to the index a dirty build wrote, which holds only the pages it rendered, the entries of the others."""
    index = read_json(path)
    if not index:
        return
    rendered = {entry["location"].split("#")[0] for entry in index["docs"]}
    kept = [entry for entry in previous["docs"] if entry["location"].split("#")[0] in pages - rendered]
    index["docs"] = kept + index["docs"]
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
