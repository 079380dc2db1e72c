"""Regenerate the pages before every MkDocs build, so that `make serve` shows an edited brigade file at once.

`brigadehub serve` runs `mkdocs serve --dirty`: MkDocs then renders only the pages whose Markdown is newer than
their HTML, and the generator writes only the files whose bytes changed, so a saved brigade file rebuilds its
own pages and the few that list it. Two things a dirty build would get wrong are put right here: a hand-written
page is rebuilt when a snippet it includes changed, and the search index keeps the pages not rebuilt.

While serving, a save regenerates the Japanese pages before the served rebuild, and the English pages and the
shared files (feeds, open data, cards) after it, in a background build of mkdocs.en.yml, which loads this hook
too: the saved page shows its change without waiting for the rest.
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
EDITION = "BRIGADEHUB_EDITION"  # set to "en" for the background build of the English edition
# Kept between builds: MkDocs loads a hook module once per process, and serving is one process.
state = {"dirty": False, "cache": {}, "search": None, "fresh": True}


def on_startup(command, dirty, **kwargs):
    state["dirty"] = command == "serve" and dirty


def on_pre_build(config, **kwargs):
    if os.environ.get("BRIGADEHUB_GENERATED"):
        return  # `brigadehub build` generated them already
    # Imported here: pydantic, icalendar and Jinja2 cost half a second that a plain build never uses.
    from brigadehub import pipeline

    brigades, data = (Path(os.environ.get(name, default)) for name, default in
                      (("BRIGADEHUB_BRIGADES", "brigades"), ("BRIGADEHUB_DATA", "data")))
    today = pipeline.build_day()
    sources = read_sources((brigades, data, Path(config.docs_dir)), config.config_file_path, today)
    # The generator's own writes into docs/ make the server build once more; with the same sources, that build
    # has nothing to generate, nor a reason to restart the English edition's.
    state["fresh"] = not (state["dirty"] and sources == state.get("sources"))
    written = ()
    if state["fresh"]:
        # The first build renders everything: a page links to the shared files, which must be there for MkDocs.
        written = generate(brigades, data, today, first="sources" not in state)
        state["sources"] = sources
    if state["dirty"]:
        site = Path(config.site_dir)
        forget_pages_with_snippets(Path(config.docs_dir), site, written)
        state["search"] = read_json(site / SEARCH_INDEX)


def generate(brigades: Path, data: Path, today, first: bool) -> tuple[str, ...]:
    """Generate this build's part (editions_to_render) into docs/; the paths written."""
    from brigadehub import pipeline

    background = bool(os.environ.get(EDITION))
    editions, shared = editions_to_render(first)
    result = pipeline.generate_site(brigades, data, today, cache=state["cache"], editions=editions, shared=shared)
    # Invalid files print their problems (once: the served build's, not the background one's) and leave the last
    # good pages in place.
    for problem in () if background else result.checked.problems:
        print(problem)
    if result.error and not background:
        print(f"brigadehub: {result.error}")
    return result.written.paths if result.written else ()


def read_sources(folders: tuple[Path, ...], config: str, today) -> tuple:
    """Every file the generator reads, by name, size and modification time; docs/ without what it writes."""
    from brigadehub.site.write import ENGLISH_DIRS, GENERATED_DIRS

    docs = folders[-1]
    skipped = {docs / name for name in GENERATED_DIRS + ENGLISH_DIRS}
    found = [today, config, os.stat(config).st_mtime_ns if os.path.isfile(config) else None]
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(name for name in dirs if Path(root, name) not in skipped)
            found.extend((root, name, stat.st_size, stat.st_mtime_ns)
                         for name in sorted(names) for stat in [os.stat(os.path.join(root, name))])
    return tuple(found)


def editions_to_render(first: bool) -> tuple[tuple, bool]:
    """(editions, shared) to render: both with the shared files, but in a served rebuild the Japanese pages alone
    before it, and the English pages with the shared files (feeds, open data, cards) in the background."""
    from brigadehub.site.edition import EDITIONS, ENGLISH, JAPANESE

    if os.environ.get(EDITION) == "en":
        return (ENGLISH,), True
    return ((JAPANESE,), False) if state["dirty"] and not first else (EDITIONS, True)


def on_env(env, config, files, **kwargs):
    # Material prints its settings and search words into every page with tojson, which escaped each kana in six
    # bytes: 339 bytes more on each Japanese page.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
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
    site = Path(config.site_dir)
    index = read_json(site / SEARCH_INDEX)
    if state["dirty"]:
        remove_gone_pages(site, set(state["pages"].values()))
        if index and state["search"]:
            index = with_kept_entries(index, state["search"], set(state["pages"]))
    write_search_index(site / SEARCH_INDEX, index)
    if index:
        remove_unloaded_assets(site / "assets", index["config"]["lang"])
    if state["dirty"] and state["fresh"]:
        build_english(Path(config.config_file_path).with_name("mkdocs.en.yml"), site / "en")


def build_english(config: Path, site: Path) -> None:
    """While serving, generate and build the English edition into en/ of the served site, in the background: the
    Japanese page shows the change at once, its English twin a few seconds later. A save during the build
    restarts it."""
    running = state.get("english")
    if running and running.poll() is None:
        running.kill()
        running.wait()
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config),
               "--site-dir", str(site)]
    env = {name: value for name, value in os.environ.items() if name != "BRIGADEHUB_GENERATED"}
    state["english"] = subprocess.Popen(command, env={**env, EDITION: "en"})


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


def with_kept_entries(index: dict, previous: dict, pages: set[str]) -> dict:
    """The index a dirty build wrote, which holds only the pages it rendered, with the entries of the others."""
    rendered = {entry["location"].split("#")[0] for entry in index["docs"]}
    kept = [entry for entry in previous["docs"] if entry["location"].split("#")[0] in pages - rendered]
    return {**index, "docs": kept + index["docs"]}


def write_search_index(path: Path, index: dict | None) -> None:
    """Write the search index in UTF-8, as Material's search worker reads it: Material escapes every character
    past ASCII, and six bytes for each kana or kanji made the Japanese index 44% larger (3.8 MB, not 2.6, at
    1,000 brigades) for every visitor who searches."""
    if index:
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def remove_unloaded_assets(assets: Path, languages: list[str]) -> None:
    """Remove the theme's scripts that no visitor loads: 2.2 MB in each edition, a tenth of the real site.

    Material copies its source maps (1.3 MB; browsers fetch them only for their developer tools) and the search
    word splitters of 30 languages (0.9 MB, 0.7 MB of it Thai's wordcut.js). Its search worker imports what the
    index's languages name (`Ie` in workers/search.*.min.js, Material 9.8): tinyseg.js for ja, wordcut.js for hi
    and th, min/lunr.<lang>.min.js for every language but en, min/lunr.multi.min.js for more than one, and
    min/lunr.stemmer.support.min.js with any of them.
    """
    for source_map in assets.rglob("*.map"):
        source_map.unlink()
    scripts = assets / "javascripts"
    others = [lang for lang in languages if lang != "en"]
    kept = {f"min/lunr.{lang}.min.js" for lang in others}
    kept |= {"tinyseg.js"} if "ja" in others else set()
    kept |= {"wordcut.js"} if {"hi", "th"} & set(others) else set()
    kept |= {"min/lunr.multi.min.js"} if len(languages) > 1 else set()
    kept |= {"min/lunr.stemmer.support.min.js"} if others else set()
    for script in (scripts / "lunr").rglob("*.js"):
        if script.relative_to(scripts / "lunr").as_posix() not in kept:
            script.unlink()
    for folder in (scripts / "lunr" / "min", scripts / "lunr"):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
