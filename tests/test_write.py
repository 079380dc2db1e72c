"""Tests for site/write.py: files are written only when they change, stale ones go, hand-written ones stay, and
a previous build's file can be read back."""

from __future__ import annotations

from brigadehub.site.write import copy_project, read_previous, write_outputs


def test_an_unchanged_file_is_not_rewritten(tmp_path):
    first = write_outputs(tmp_path, {"brigades/a.md": b"A", "api/x.json": b"{}"})
    stamp = (tmp_path / "brigades" / "a.md").stat().st_mtime_ns
    second = write_outputs(tmp_path, {"brigades/a.md": b"A", "api/x.json": b"{}"})
    assert (first.changed, second.changed, second.unchanged) == (2, 0, 2)
    assert (tmp_path / "brigades" / "a.md").stat().st_mtime_ns == stamp


def test_stale_generated_files_go_and_hand_written_ones_stay(tmp_path):
    write_outputs(tmp_path, {"brigades/a.md": b"A", "brigades/b.md": b"B"})
    (tmp_path / "join.md").write_text("hand-written", encoding="utf-8")
    written = write_outputs(tmp_path, {"brigades/a.md": b"A"})
    assert written.removed == 1
    assert not (tmp_path / "brigades" / "b.md").exists()
    assert (tmp_path / "join.md").read_text(encoding="utf-8") == "hand-written"


def test_stale_english_pages_go_and_the_hand_written_english_pages_stay(tmp_path):
    write_outputs(tmp_path, {"en/brigades/a/index.md": b"A", "en/brigades/b/index.md": b"B",
                             "en/assets/javascripts/brigadehub.js": b"js"})
    (tmp_path / "en" / "index.md").write_text("hand-written", encoding="utf-8")
    written = write_outputs(tmp_path, {"en/brigades/a/index.md": b"A"})
    assert written.removed == 2
    assert not (tmp_path / "en" / "brigades" / "b").exists()
    assert not (tmp_path / "en" / "assets" / "javascripts" / "brigadehub.js").exists()
    assert (tmp_path / "en" / "index.md").read_text(encoding="utf-8") == "hand-written"


def test_writing_one_editions_part_leaves_the_others_files(tmp_path):
    from brigadehub.site.write import ENGLISH_DIRS, GENERATED_DIRS

    write_outputs(tmp_path, {"brigades/a/index.md": b"A", "feeds/all.ics": b"ics", "en/brigades/a/index.md": b"E"})
    japanese = write_outputs(tmp_path, {"brigades/a/index.md": b"A2", "feeds/all.ics": b"ics"}, GENERATED_DIRS)
    assert (japanese.changed, japanese.removed) == (1, 0)
    assert (tmp_path / "en/brigades/a/index.md").read_bytes() == b"E"
    english = write_outputs(tmp_path, {"en/brigades/b/index.md": b"F"}, ENGLISH_DIRS)
    assert english.removed == 1 and not (tmp_path / "en/brigades/a").exists()
    assert (tmp_path / "feeds/all.ics").read_bytes() == b"ics" and (tmp_path / "brigades/a/index.md").is_file()


def test_a_previous_builds_file_is_read_back_and_a_missing_one_is_none(tmp_path):
    write_outputs(tmp_path, {"cards/brigades/a.png": b"PNG"})
    assert read_previous(tmp_path, "cards/brigades/a.png") == b"PNG"
    assert read_previous(tmp_path, "cards/brigades/b.png") is None
    assert read_previous(tmp_path, "cards/brigades") is None  # a folder is not a file


def test_a_copied_project_has_the_hand_written_parts_and_none_of_what_a_build_generates(tmp_path):
    root = tmp_path / "root"
    for name in ("mkdocs.yml", "mkdocs.en.yml", "docs/index.md", "docs/assets/javascripts/a.js",
                 "docs/assets/vendor/leaflet.js",
                 "docs/brigades/code-for-example/index.md", "docs/feeds/all.ics", "overrides/main.html",
                 "docs/en/index.md", "docs/en/brigades/code-for-example/index.md", "docs/en/assets/javascripts/a.js",
                 "docs/en/generated/home-stats.md", "docs/notes/brigades/kept.md",
                 "scripts/mkdocs_hooks.py", "scripts/mkdocs_raw_html.py", "scripts/other.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name, encoding="utf-8")
    copy_project(root, tmp_path / "copy")
    copied = sorted(p.relative_to(tmp_path / "copy").as_posix() for p in (tmp_path / "copy").rglob("*") if p.is_file())
    assert copied == ["docs/assets/javascripts/a.js", "docs/en/index.md", "docs/index.md",
                      "docs/notes/brigades/kept.md", "mkdocs.en.yml", "mkdocs.yml", "overrides/main.html",
                      "scripts/mkdocs_hooks.py", "scripts/mkdocs_raw_html.py"]
