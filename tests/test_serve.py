"""`make serve` rebuilds only what a save changed (MkDocs --dirty and scripts/mkdocs_hooks.py), and still ends up
with the site a full build makes: the same pages and the same search entries."""

from __future__ import annotations

import json
import shutil

from mkdocs.commands.build import build
from mkdocs.config import load_config

from brigadehub import cli
from conftest import DATA, TODAY, copy_project


def _build(project, site, *, first: bool) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    if first:  # as `mkdocs serve --dirty` starts: the hook learns that it serves dirty builds
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)  # as `mkdocs serve --dirty` builds, the first time too
    # The hook has its worker build the English edition into en/ in the background (issue 13); wait for it here.
    assert config.hooks["scripts/mkdocs_hooks.py"].wait_english() == 0


def _hooks(project) -> dict:
    return load_config(str(project / "mkdocs.yml")).hooks["scripts/mkdocs_hooks.py"].state


def _files(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and p.name != "search_index.json"}


def _search(site) -> list[str]:
    entries = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    return sorted(json.dumps(entry, sort_keys=True) for entry in entries)


def test_serving_runs_dirty_builds():
    assert "--dirty" in cli.serve_command("127.0.0.1:8000")


def test_a_dirty_rebuild_after_saves_gives_the_site_a_full_build_gives(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    for path in (DATA / "good").glob("*.yml"):
        shutil.copy(path, project / "brigades" / path.name)
    monkeypatch.chdir(project)
    for name, value in {"BRIGADEHUB_BRIGADES": str(project / "brigades"), "BRIGADEHUB_DATA": str(project / "data"),
                        "BRIGADEHUB_TODAY": TODAY, "BRIGADEHUB_SITE_URL": "http://127.0.0.1:8000/",
                        "BRIGADEHUB_SITE_URL_EN": "http://127.0.0.1:8000/en/",
                        "SOURCE_DATE_EPOCH": "1795964400", "NO_MKDOCS_2_WARNING": "1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("BRIGADEHUB_GENERATED", raising=False)
    served = tmp_path / "served"
    _build(project, served, first=True)
    example = project / "brigades" / "code-for-example.yml"
    text = example.read_text(encoding="utf-8").replace("ja: ", "ja: 改名した", 1)
    # The home page counts the brigades by status through a snippet; its own Markdown does not change.
    example.write_text(text.replace("status: active", "status: dormant", 1), encoding="utf-8")
    _build(project, served, first=False)
    # The generator's writes start one more build, which has nothing to do: the English edition is not built again,
    # and the worker that built it twice is the same process.
    english, asked = _hooks(project)["english"], _hooks(project)["english_asked"]
    _build(project, served, first=False)
    assert (_hooks(project)["english"], _hooks(project)["english_asked"]) == (english, asked) and asked == 2
    assert english.poll() is None

    monkeypatch.setenv("BRIGADEHUB_GENERATED", "1")  # the pages are generated; build them all, as a deploy does
    full = tmp_path / "full"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(full))
    hooks = config.hooks["scripts/mkdocs_hooks.py"]
    hooks.state["dirty"] = False  # MkDocs keeps a hook module loaded; this build is not the server's
    build(config)
    build(load_config(str(project / "mkdocs.en.yml"), site_dir=str(full / "en")))
    assert _files(served) == _files(full)
    assert _search(served) == _search(full) and _search(served / "en") == _search(full / "en")
    # In UTF-8, as a full build writes it (scripts/mkdocs_hooks.py: write_search_index), after every build.
    assert all("\\u3" not in (site / "search/search_index.json").read_text(encoding="utf-8")
               for site in (served, served / "en", full))
    assert "改名した" in (served / "brigades/code-for-example/index.html").read_text(encoding="utf-8")
    # The English twin, which the background build regenerated (its page gives the Japanese name beside its own)
    assert "改名した" in (served / "en/brigades/code-for-example/index.html").read_text(encoding="utf-8")
    english.stdin.close()  # as when the server stops: the worker ends
    assert english.wait(timeout=60) == 0


def test_the_sources_change_with_a_hand_written_page_and_not_with_a_generated_one(tmp_path):
    """The hook regenerates, and restarts the English build, only when what the generator reads has changed."""
    project = copy_project(tmp_path / "project")
    hooks = load_config(str(project / "mkdocs.yml")).hooks["scripts/mkdocs_hooks.py"]
    folders = (project / "brigades", project / "data", project / "docs")
    config = str(project / "mkdocs.yml")

    def sources():
        return hooks.read_sources(folders, config, TODAY)

    first = sources()
    (project / "docs/brigades/code-for-example").mkdir(parents=True, exist_ok=True)
    (project / "docs/brigades/code-for-example/index.md").write_text("generated", encoding="utf-8")
    (project / "docs/en/assets/javascripts").mkdir(parents=True, exist_ok=True)
    (project / "docs/en/assets/javascripts/brigadehub.js").write_text("a copy", encoding="utf-8")
    assert sources() == first
    (project / "docs/en/join.md").write_text("edited", encoding="utf-8")
    second = sources()
    assert second != first
    (project / "brigades/code-for-new.yml").write_text("id: code-for-new\n", encoding="utf-8")
    assert sources() != second
