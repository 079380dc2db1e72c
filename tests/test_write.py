"""Tests for site/write.py: files are written only when they change, stale ones go, hand-written ones stay."""

from __future__ import annotations

from brigadehub.site.write import write_outputs


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
