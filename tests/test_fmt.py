"""Tests for fmt.py: one canonical layout that keeps comments, never changes data, and is checked on brigades/."""

from __future__ import annotations

import random
import shutil

import pytest

from brigadehub.contrib.fmt import FormatError, format_text
from brigadehub.core.load import parse
from conftest import DATA, ROOT

FMT = DATA / "fmt"
CASES = sorted(p for p in FMT.glob("*.yml") if not p.name.endswith(".expected.yml"))
CANONICAL = sorted((ROOT / "brigades").glob("*.yml")) + sorted((DATA / "good").glob("*.yml"))


def test_every_brigade_file_and_the_template_are_canonical(brigadehub):
    result = brigadehub("fmt", "--check")
    assert (result.returncode, result.stderr) == (0, ""), result.stdout
    assert result.stdout == f"ok: {len(list((ROOT / 'brigades').glob('*.yml')))} files already formatted\n"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_a_messy_file_gets_exactly_its_canonical_text(case):
    expected = case.with_name(f"{case.stem}.expected.yml").read_text(encoding="utf-8")
    assert format_text(case.read_text(encoding="utf-8"), case) == expected


def test_comments_are_kept_and_keys_follow_the_model():
    text = (FMT / "messy.expected.yml").read_text(encoding="utf-8")
    assert "status: active   # confirmed by the organisers\n" in text
    assert "# the old blog" in text
    assert text.startswith("# yaml-language-server: $schema=schema.json\n# A fictional brigade")
    top_keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert top_keys == ["id", "name", "status", "confirmed_on", "location", "links", "event_sources", "events",
                        "tags", "maintainers", "founded", "notes", "sources"]


@pytest.mark.parametrize("path", CANONICAL + CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_formatting_keeps_the_data_and_is_stable(path):
    text = path.read_text(encoding="utf-8")
    once = format_text(text, path)
    assert parse(once, path).data == parse(text, path).data
    assert format_text(once, path) == once


def test_check_names_each_file_and_prints_the_command_that_fixes_it(tmp_path, brigadehub):
    shutil.copy(FMT / "messy.yml", tmp_path / "code-for-example.yml")
    shutil.copy(DATA / "good" / "code-for-sample.yml", tmp_path / "code-for-sample.yml")
    before = (tmp_path / "code-for-example.yml").read_bytes()
    result = brigadehub("fmt", "--check", "--brigades", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout == (f"{tmp_path}/code-for-example.yml: not in the canonical order and style\n"
                             f"1 file to format; fix with: brigadehub fmt --brigades {tmp_path}\n")
    assert (tmp_path / "code-for-example.yml").read_bytes() == before


def test_the_printed_command_fixes_the_files(tmp_path, brigadehub):
    shutil.copy(FMT / "messy.yml", tmp_path / "code-for-example.yml")
    result = brigadehub("fmt", str(tmp_path / "code-for-example.yml"))
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "formatted 1 of 1 file")
    assert (tmp_path / "code-for-example.yml").read_text(encoding="utf-8") == \
        (FMT / "messy.expected.yml").read_text(encoding="utf-8")
    assert brigadehub("fmt", "--check", str(tmp_path)).returncode == 0


@pytest.mark.parametrize("name", ["duplicate-key", "alias-bomb", "not-utf8", "malformed-yaml", "python-tag"])
def test_a_file_that_cannot_be_read_is_left_alone_with_one_line(name, tmp_path, brigadehub):
    path = tmp_path / f"{name}.yml"
    shutil.copy(DATA / "bad" / f"{name}.yml", path)
    before = path.read_bytes()
    result = brigadehub("fmt", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"{path}: ")
    assert result.stderr.splitlines()[0].endswith(f"fix it first (brigadehub validate {path})")
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_hurried_edits_are_formatted_or_refused_never_crash():
    """Faults an editor makes (lost, doubled or cut lines, stray characters) never escape as a traceback."""
    template = (ROOT / "brigades" / "_template.yml").read_text(encoding="utf-8").splitlines(keepends=True)
    rng = random.Random(5)
    outcomes = {"formatted": 0, "refused": 0}
    for _ in range(150):
        lines = list(template)
        i = rng.randrange(len(lines))
        fault = rng.choice(["drop", "double", "cut", "char"])
        if fault == "drop":
            del lines[i]
        elif fault == "double":
            lines.insert(i, lines[i])
        elif fault == "cut":
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)] + "\n"
        else:
            lines[i] = rng.choice(["- ", ": ", "{", "'", "\t", "&a ", "*a"]) + lines[i]
        try:
            format_text("".join(lines), ROOT / "brigades" / "code-for-example.yml")
            outcomes["formatted"] += 1
        except FormatError:
            outcomes["refused"] += 1
    assert outcomes["formatted"] > 0
    assert outcomes["refused"] > 0
