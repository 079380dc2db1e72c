"""Tests for codeowners.py: CODEOWNERS comes from the maintainers of each file, and a stale one is caught."""

from __future__ import annotations

from pathlib import PurePosixPath

from brigadehub.contrib.codeowners import HEADER, render_codeowners
from brigadehub.core.model import Brigade


def _brigade(brigade_id: str, maintainers: list[str]) -> Brigade:
    return Brigade.model_validate({"id": brigade_id, "name": {"ja": "Code for Example"}, "status": "unknown",
                                   "maintainers": maintainers, "sources": ["a test fixture"]})


def test_one_sorted_line_per_file_with_maintainers_each_named_once():
    files = [
        (PurePosixPath("brigades/code-for-sample.yml"), _brigade("code-for-sample", ["sample-organiser"])),
        (PurePosixPath("brigades/code-for-example.yml"),
         _brigade("code-for-example", ["example-organiser", "another-organiser", "example-organiser"])),
        (PurePosixPath("brigades/code-for-nobody.yml"), _brigade("code-for-nobody", [])),
    ]
    assert render_codeowners(files) == HEADER + "\n" + (
        "/brigades/code-for-example.yml @example-organiser @another-organiser\n"
        "/brigades/code-for-sample.yml @sample-organiser\n")
    assert render_codeowners(reversed(files)) == render_codeowners(files)


def test_without_any_maintainer_only_the_header_is_written():
    text = render_codeowners([(PurePosixPath("brigades/code-for-nobody.yml"), _brigade("code-for-nobody", []))])
    assert text == HEADER
    assert all(line.startswith("#") for line in text.splitlines())


def test_the_committed_codeowners_is_up_to_date(brigadehub):
    result = brigadehub("codeowners", "--check")
    assert (result.returncode, result.stdout) == (0, ".github/CODEOWNERS is up to date\n"), result.stderr


def test_a_stale_file_fails_the_check_and_the_command_fixes_it(tmp_path, brigadehub):
    output = tmp_path / "CODEOWNERS"
    output.write_text(HEADER, encoding="utf-8")
    args = ("codeowners", "--brigades", "tests/data/good", "--output", str(output))
    stale = brigadehub(*args, "--check")
    assert (stale.returncode, stale.stderr) == (1, f"{output} is out of date; run: brigadehub codeowners\n")
    assert brigadehub(*args).returncode == 0
    last_line = output.read_text(encoding="utf-8").splitlines()[-1]
    assert last_line == "/tests/data/good/code-for-example.yml @example-organiser"
    assert brigadehub(*args, "--check").returncode == 0


def test_invalid_brigade_files_are_reported_not_turned_into_owners(tmp_path, brigadehub):
    (tmp_path / "code-for-example.yml").write_text("id: code-for-example\nstatus: active\n", encoding="utf-8")
    result = brigadehub("codeowners", "--brigades", str(tmp_path), "--output", str(tmp_path / "CODEOWNERS"))
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "check failed: 2 errors in 1 file"
    assert not (tmp_path / "CODEOWNERS").exists()
