"""Tests for issueform.py and `brigadehub from-issue`: saved issue-form bodies become a valid file and branch."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from brigadehub.contrib.issueform import FORM_FIELDS, Submission, convert, load_form, parse_body
from brigadehub.core import japan
from conftest import DATA, ROOT

ISSUES = DATA / "issues"
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "add-brigade.yml"
EXAMPLE = ISSUES / "add-code-for-example.md"
ANSWERS = ("--issue", "12", "--author", "example-organiser", "--date", "2026-11-26")


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=_git_env(cwd), check=True, capture_output=True,
                          text=True).stdout.strip()


def _git_env(cwd: Path) -> dict:
    # A real git, kept away from the machine's own configuration (signing, hooks, default branch).
    return {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Brigade Hub test", "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Brigade Hub test", "GIT_COMMITTER_EMAIL": "test@example.org"}


@pytest.fixture
def clone(tmp_path) -> Path:
    """A clone of a minimal repository: the issue form and one brigade file, on main, with a bare origin."""
    seed = tmp_path / "seed"
    (seed / "brigades").mkdir(parents=True)
    (seed / ".github" / "ISSUE_TEMPLATE").mkdir(parents=True)
    shutil.copy(FORM, seed / ".github" / "ISSUE_TEMPLATE" / "add-brigade.yml")
    shutil.copy(DATA / "good" / "code-for-sample.yml", seed / "brigades" / "code-for-sample.yml")
    _git(tmp_path, "init", "--quiet", "--initial-branch", "main", str(seed))
    _git(seed, "add", ".")
    _git(seed, "commit", "--quiet", "-m", "Start")
    _git(tmp_path, "clone", "--quiet", "--bare", str(seed), str(tmp_path / "origin.git"))
    _git(tmp_path, "clone", "--quiet", str(tmp_path / "origin.git"), str(tmp_path / "work"))
    return tmp_path / "work"


def test_a_saved_form_becomes_a_valid_file_on_a_pull_request_branch(clone, brigadehub):
    result = brigadehub("from-issue", str(EXAMPLE), *ANSWERS, "--commit", cwd=clone, env=_git_env(clone))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ISSUES / "add-code-for-example.expected.md").read_text(encoding="utf-8")
    assert result.stderr == "wrote brigades/code-for-example.yml and committed it on branch add-brigade/issue-12\n"
    branch = "add-brigade/issue-12"
    assert _git(clone, "branch", "--show-current") == branch
    assert _git(clone, "show", f"{branch}:brigades/code-for-example.yml") + "\n" == \
        (ISSUES / "add-code-for-example.expected.yml").read_text(encoding="utf-8")
    assert _git(clone, "diff", "--name-only", "main", branch) == "brigades/code-for-example.yml"
    # The subject (also the pull request's title) names the validated path, never what was submitted.
    assert _git(clone, "log", "-1", "--format=%B") == "Add brigades/code-for-example.yml from issue #12"
    assert _git(clone, "status", "--porcelain") == ""
    # What the workflow does next: push the branch, which a pull request then proposes.
    _git(clone, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
    assert _git(clone.parent / "origin.git", "rev-parse", branch) == _git(clone, "rev-parse", "HEAD")
    assert brigadehub("validate", cwd=clone).stdout == "ok: 2 files checked\n"


def test_editing_the_issue_rebuilds_the_branch_from_main(clone, brigadehub, tmp_path):
    brigadehub("from-issue", str(EXAMPLE), *ANSWERS, "--commit", cwd=clone, env=_git_env(clone))
    _git(clone, "switch", "--quiet", "main")
    edited = tmp_path / "edited.md"
    edited.write_text(EXAMPLE.read_text(encoding="utf-8").replace("Code for Example", "Code for Example City"),
                      encoding="utf-8")
    result = brigadehub("from-issue", str(edited), *ANSWERS, "--commit", cwd=clone, env=_git_env(clone))
    assert result.returncode == 0, result.stderr
    assert _git(clone, "rev-list", "--count", "main..add-brigade/issue-12") == "1"
    assert _git(clone, "diff", "--name-only", "main", "add-brigade/issue-12") == "brigades/code-for-example-city.yml"


def test_the_body_can_come_on_standard_input(tmp_path, brigadehub):
    body = EXAMPLE.read_bytes().decode("utf-8")  # with GitHub's CRLF line ends
    result = brigadehub("from-issue", "-", *ANSWERS, "--brigades", str(tmp_path), input=body)
    assert (result.returncode, result.stderr) == (0, f"wrote {tmp_path / 'code-for-example.yml'}\n")
    assert (tmp_path / "code-for-example.yml").read_text(encoding="utf-8") == \
        (ISSUES / "add-code-for-example.expected.yml").read_text(encoding="utf-8")


def test_the_generated_file_is_the_expected_one_and_valid(tmp_path):
    outcome = convert(EXAMPLE.read_text(encoding="utf-8"), load_form(FORM),
                      Submission(date(2026, 11, 26), 12, "example-organiser"), tmp_path)
    assert outcome.problems == []
    assert outcome.text == (ISSUES / "add-code-for-example.expected.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(outcome.text)
    # What people paste is turned into what the file keeps.
    assert data["links"]["github"] == "codeforexample"  # from https://github.com/codeforexample
    assert data["links"]["x"] == "codeforexample"  # from @codeforexample
    assert data["event_sources"] == [{"type": "connpass", "group": "codeforexample"}]
    assert data["tags"] == ["オープンデータ", "防災", "子育て"]
    assert data["confirmed_on"] == "2026-11-26"


def test_answers_to_fix_become_one_comment_in_japanese_and_english(tmp_path, brigadehub):
    result = brigadehub("from-issue", str(ISSUES / "add-with-problems.md"), "--brigades", "tests/data/good",
                        "--issue", "13", "--date", "2026-11-26")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (ISSUES / "add-with-problems.expected.md").read_text(encoding="utf-8")
    assert "- **タグ / Tags**: `'<b>bold</b>' is not a tag;" in result.stdout  # in code, where HTML is text
    assert sorted(p.name for p in (ROOT / "tests" / "data" / "good").glob("*.yml")) == \
        ["code-for-example.yml", "code-for-sample.yml"]


def test_a_brigade_already_listed_is_refused(brigadehub):
    result = brigadehub("from-issue", str(ISSUES / "add-existing.md"), "--brigades", "tests/data/good")
    assert result.returncode == 1
    assert "tests/data/good/code-for-sample.yml already exists; use the update form" in result.stdout


def test_an_issue_not_written_with_the_form_gets_a_comment_not_a_traceback(tmp_path, brigadehub):
    body = tmp_path / "body.md"
    body.write_text("Please add our brigade!\n\n### Unknown heading\n\nsomething\n", encoding="utf-8")
    result = brigadehub("from-issue", str(body), "--brigades", str(tmp_path))
    assert (result.returncode, result.stderr) == (1, "")
    assert "- **ブリゲード名 / Name**: `is empty; write a value or delete the line`" in result.stdout
    assert "- **情報の出典 / Where these facts come from**: `needs at least one entry:" in result.stdout


def test_a_missing_body_file_is_one_line(brigadehub):
    result = brigadehub("from-issue", "no-such-issue.md")
    assert result.returncode == 2
    assert result.stderr.startswith("brigadehub: cannot read the issue or the form: ")
    assert len(result.stderr.splitlines()) == 1


def test_github_rendering_is_read_back_into_answers():
    raw = EXAMPLE.read_bytes().decode("utf-8")
    assert "\r\n" in raw  # as GitHub sends it
    answers = parse_body(raw, load_form(FORM))
    assert answers["name_en"] == "Code for Example"
    assert answers["id"] is None  # _No response_
    assert answers["description"] == ("例市を中心に活動する架空のシビックテックコミュニティです。\n"
                                      "毎月第2土曜日に集まっています。")
    assert answers["confirm"] == [True, True]


def test_the_form_offers_the_47_prefectures_and_every_question_is_read():
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    questions = {item["id"]: item for item in form["body"] if "id" in item}
    options = questions["prefecture"]["attributes"]["options"]
    assert options[:-1] == list(japan.prefecture_names())
    assert "thematic" in options[-1]
    assert set(questions) == set(FORM_FIELDS.values()) | {"calendar"}
    assert form["labels"] == ["add-brigade"]


@pytest.mark.parametrize("answer", ["../.github/ISSUE_TEMPLATE/add-brigade", "../../README", "index", "/etc/passwd"])
def test_an_id_is_checked_before_it_names_a_file_so_the_form_reveals_nothing(tmp_path, answer):
    """Issue 9, finding 9: '../.github/ISSUE_TEMPLATE/add-brigade' used to get '… already exists'."""
    name = "### ブリゲード名 / Name"
    body = (ISSUES / "add-existing.md").read_text(encoding="utf-8").replace(
        name, f"### ファイル名（任意） / File name (optional)\n\n{answer}\n\n{name}")
    outcome = convert(body, load_form(FORM), Submission(date(2026, 11, 26)), ROOT / "brigades")
    messages = [message for question, message in outcome.problems if question == "id"]
    assert messages and all("already exists" not in m for m in messages)
    assert "is not a file name we can use" in messages[0]
    assert outcome.path == ROOT / "brigades" / "code-for-example.yml"
