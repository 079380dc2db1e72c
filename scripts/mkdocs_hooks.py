"""Regenerate the pages before every MkDocs build, so that `make serve` shows an edited brigade file at once.

`brigadehub serve` runs `mkdocs serve --dirty`: MkDocs then renders only the pages whose Markdown is newer than
their HTML, and the generator writes only the files whose bytes changed, so a saved brigade file rebuilds its
own pages and the few that list it. Two things a dirty build would get wrong are put right here: a hand-written
page is rebuilt when a snippet it includes changed, and the search index keeps the pages not rebuilt.

While serving, a save regenerates the Japanese pages before the served rebuild, and the English pages and the
shared files (feeds, open data, cards) after it, in a dirty build of mkdocs.en.yml by a worker process that this
hook starts once and that loads this hook too: the saved page shows its change without waiting for the rest.
Run as a script, this file is that worker (english_worker).
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
    # The server's builds, and the English edition's background build, which is a dirty `mkdocs build` of its own.
    state["dirty"] = dirty and (command == "serve" or os.environ.get(EDITION) == "en")


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
        forget_pages_with_snippets(Path(config.docs_dir), site, under_edition(written, config))
        state["search"] = read_json(site / SEARCH_INDEX)


def under_edition(written: tuple[str, ...], config) -> tuple[str, ...]:
    """The paths written (under docs/) that are in this build's docs_dir, relative to it: docs/en/ for English,
    whose snippets are read from docs/en/generated/."""
    edition = Path(os.path.relpath(config.docs_dir, Path(config.config_file_path).parent / "docs")).as_posix()
    if edition == ".":
        return written
    return tuple(path.removeprefix(f"{edition}/") for path in written if path.startswith(f"{edition}/"))


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
    # After the Japanese rebuild, not beside it: started in on_pre_build, the worker took one of the two cores from
    # it (the Japanese page after 1.47 s in one run of 5 saves, against 1.00 to 1.36 s in three runs this way) and
    # showed the English twin hardly sooner (2.20 s, against 2.14 to 2.57 s).
    if state["dirty"] and state["fresh"] and not os.environ.get(EDITION):
        build_english(Path(config.config_file_path).with_name("mkdocs.en.yml"), site / "en")


def build_english(config: Path, site: Path) -> None:
    """While serving, have the English edition generated and built into en/ of the served site, in the background,
    after the Japanese rebuild: the Japanese page shows the change at once, its English twin soon after.

    One worker process (english_worker, below) builds it for the server's life, told to by a line on its input;
    saves that come while it builds make one build after it. A new `mkdocs build` for every save spent most of
    its time starting Python, importing MkDocs and compiling the templates, and rendered all 200 English pages
    again: the twin showed a save 4.3 s after it (median of 5 on the real data), the Japanese page after 1.05 s.
    With the worker, 2.14 to 2.57 s (three runs of 5 saves).
    """
    worker = state.get("english")
    if worker is None or worker.poll() is not None:
        env = {name: value for name, value in os.environ.items() if name != "BRIGADEHUB_GENERATED"}
        worker = state["english"] = subprocess.Popen(
            [sys.executable, __file__, str(config), str(site)], env={**env, EDITION: "en"},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        os.set_blocking(worker.stdout.fileno(), False)
        state.update(english_asked=0, english_answered=0, english_status=0)
    read_answers(worker)  # so that a long session never fills the pipe the worker answers on
    worker.stdin.write(b"\n")
    worker.stdin.flush()
    state["english_asked"] += 1


def read_answers(worker: subprocess.Popen) -> int:
    """Count the worker's answers waiting on its output, and keep the last one's status; how many there were."""
    answers = (worker.stdout.read() or b"").split()
    state["english_answered"] += len(answers)
    state["english_status"] = int(answers[-1]) if answers else state["english_status"]
    return len(answers)


def wait_english(timeout: float = 300) -> int:
    """Wait until the worker has answered every request so far (the tests' way to know the English edition is
    built); the status of the last build (0: built)."""
    import select

    worker = state["english"]
    while state["english_answered"] < state["english_asked"]:
        if not select.select([worker.stdout], [], [], timeout)[0]:
            raise TimeoutError("the English edition's build did not answer")
        if not read_answers(worker) and worker.poll() is not None:
            raise RuntimeError(f"the English edition's worker stopped with {worker.returncode}")
    return state["english_status"]


def english_worker(config: str, site: str) -> None:
    """Build the English edition each time a line comes in (once for those that came during a build), dirty, in
    this one process, so that MkDocs, our templates and the render's cache stay loaded, as in the server; answer
    each line with the build's status. Ends when the server closes its input."""
    import logging
    import signal

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    # Ctrl-C in the terminal reaches the whole group: the server stops, closes this input, and the worker ends
    # there, without a traceback. Whatever is printed goes to stderr; stdout carries the answers alone.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.dup(1)
    os.dup2(2, 1)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # as `mkdocs build --quiet`
    started = False
    while request := os.read(0, 4096):
        request += read_waiting(0)
        status = 0
        try:
            loaded = load_config(config, site_dir=site)
            if not started:  # once, as `mkdocs serve` does: it sets this hook's state for dirty builds
                loaded.plugins.on_startup(command="build", dirty=True)
                started = True
            build(loaded, dirty=True)
        except Exception as error:  # noqa: BLE001 - serving goes on; the next save builds again
            print(f"brigadehub: the English edition was not built: {error}", file=sys.stderr)
            status = 1
        os.write(answers, f"{status}\n".encode() * request.count(b"\n"))


def read_waiting(fd: int) -> bytes:
    """What is waiting to be read on fd now, without waiting for more."""
    found = b""
    os.set_blocking(fd, False)
    try:
        while more := os.read(fd, 4096):
            found += more
    except BlockingIOError:
        pass
    finally:
        os.set_blocking(fd, True)
    return found


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


if __name__ == "__main__":
    english_worker(*sys.argv[1:3])
