"""Tests for validate.py: every bad file gets its one-line messages, and unseen faults never crash it."""

from __future__ import annotations

import random
import re
import shutil

import pytest

from brigadehub.core.validate import check_paths
from conftest import DATA, ROOT

BAD = DATA / "bad"
GOOD = DATA / "good"
CASES = sorted(p for p in BAD.iterdir() if p.suffix == ".yml" or p.is_dir())
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<field>\S+): (?P<message>.+)$")


def test_the_corpus_has_at_least_30_cases_each_with_its_expected_output():
    assert len(CASES) >= 30
    for case in CASES:
        assert (BAD / f"{case.stem}.expected").is_file(), case


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_each_bad_file_gets_exactly_its_expected_messages(case, brigadehub):
    result = brigadehub("validate", "--brigades", "tests/data/good", str(case.relative_to(ROOT)))
    expected = (BAD / f"{case.stem}.expected").read_text(encoding="utf-8")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == expected
    problems = expected.splitlines()[:-1]
    assert problems and all(LINE.match(line) for line in problems)
    assert expected.splitlines()[-1].startswith("check failed: ")


def test_the_good_fixtures_pass(brigadehub):
    result = brigadehub("validate", "--brigades", "tests/data/good", "tests/data/good")
    assert (result.returncode, result.stdout) == (0, "ok: 2 files checked\n")


def test_the_template_passes_once_copied_to_a_proper_name(tmp_path, brigadehub):
    shutil.copy(ROOT / "brigades" / "_template.yml", tmp_path / "code-for-example.yml")
    result = brigadehub("validate", "--brigades", str(tmp_path))
    assert (result.returncode, result.stdout) == (0, "ok: 1 file checked\n")


def test_problems_in_many_files_are_all_reported_and_counted(brigadehub):
    paths = [f"tests/data/bad/{name}.yml" for name in ("unknown-key", "missing-required", "empty")]
    result = brigadehub("validate", "--brigades", "tests/data/good", *paths)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "check failed: 4 errors in 3 files"


def _mutations(text: str, rng: random.Random):
    """Faults a hurried editor makes: lost lines, doubled lines, stray characters, wrong indents."""
    lines = text.splitlines(keepends=True)
    for _ in range(300):
        copy = list(lines)
        i = rng.randrange(len(copy))
        kind = rng.randrange(6)
        if kind == 0:
            del copy[i]
        elif kind == 1:
            copy.insert(i, copy[i])
        elif kind == 2:
            copy[i] = "\t" + copy[i]
        elif kind == 3:
            j = rng.randrange(max(1, len(copy[i])))
            copy[i] = copy[i][:j] + rng.choice([":", "[", "{", "&a ", "*a", '"', "'", "\x00", "-", "#"]) + copy[i][j:]
        elif kind == 4:
            copy[i] = copy[i].replace(": ", ":", 1)
        else:
            copy[i] = "  " + copy[i]
        yield "".join(copy)


def test_unseen_faults_are_reported_with_a_place_never_raised(tmp_path):
    text = (GOOD / "code-for-example.yml").read_text(encoding="utf-8")
    path = tmp_path / "code-for-example.yml"
    failures = 0
    for mutated in _mutations(text, random.Random(20261126)):
        path.write_text(mutated, encoding="utf-8")
        checked = check_paths([path], {"code-for-sample"})
        for problem in checked.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.field and problem.message
        failures += bool(checked.problems)
    # Most mutations break the file; a few (a doubled comment line) do not.
    assert failures > 200
