"""Tests for cli.py: exit codes, GitHub annotations, and clean refusals when files are missing."""

from __future__ import annotations


def test_in_github_actions_each_problem_is_also_an_annotation(brigadehub):
    result = brigadehub("validate", "--brigades", "tests/data/good", "tests/data/bad/prefecture-near-miss.yml",
                        env={"GITHUB_ACTIONS": "true"})
    lines = result.stdout.splitlines()
    assert lines[1] == ("::error file=tests/data/bad/prefecture-near-miss.yml,line=7,col=15,"
                        "title=location.prefecture::'石川' is not a prefecture; did you mean '石川県'?")


def test_a_missing_file_is_one_line_not_a_traceback(brigadehub):
    result = brigadehub("validate", "brigades/code-for-nowhere.yml")
    expected = "brigadehub: no such file: brigades/code-for-nowhere.yml\n"
    assert (result.returncode, result.stdout, result.stderr) == (1, "", expected)


def test_outside_the_repository_validate_says_where_to_run(tmp_path, brigadehub):
    result = brigadehub("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "brigadehub: no folder brigades; run from the repository or pass --brigades DIR\n"
