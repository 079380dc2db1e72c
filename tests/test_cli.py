"""Tests for cli.py: exit codes, GitHub annotations, and clean refusals when files are missing.

Most tests call the command in this process (conftest.run_brigadehub); the last ones run the installed entry
points as processes of their own, as a user does, and check that both ways give the same result.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import DATA, ROOT, build_args, copy_project, run_brigadehub, run_brigadehub_process, site_env

NEAR_MISS = ("validate", "--brigades", "tests/data/good", "tests/data/bad/prefecture-near-miss.yml")
CONSOLE_SCRIPT = Path(sysconfig.get_path("scripts")) / "brigadehub"


def test_in_github_actions_each_problem_is_also_an_annotation(brigadehub):
    result = brigadehub(*NEAR_MISS, env={"GITHUB_ACTIONS": "true"})
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


def test_a_command_in_this_process_leaves_the_tests_cwd_environment_and_streams_alone(tmp_path, monkeypatch,
                                                                                      brigadehub):
    # Set here as in a CI job: the command must not see it, and the test must get it back.
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    before = os.getcwd(), dict(os.environ), sys.stdin, sys.stdout, sys.stderr
    moved = brigadehub("validate", cwd=tmp_path, env={"BRIGADEHUB_TODAY": "2026-11-26"})
    plain = brigadehub(*NEAR_MISS)
    assert moved.stderr.startswith("brigadehub: no folder brigades;")
    assert (plain.returncode, "::error" in plain.stdout) == (1, False)
    assert (os.getcwd(), dict(os.environ), sys.stdin, sys.stdout, sys.stderr) == before


def test_the_console_script_fails_a_bad_file_with_its_messages_and_exit_code():
    assert CONSOLE_SCRIPT.is_file(), "pyproject.toml declares the console script; reinstall with `make setup`"
    result = run_brigadehub_process(*NEAR_MISS, command=(str(CONSOLE_SCRIPT),))
    expected = (DATA / "bad" / "prefecture-near-miss.expected").read_text(encoding="utf-8")
    assert (result.returncode, result.stdout, result.stderr) == (1, expected, "")
    in_process = run_brigadehub(*NEAR_MISS)
    assert (in_process.returncode, in_process.stdout, in_process.stderr) == (1, expected, "")


def test_python_dash_m_reports_a_usage_error_as_the_in_process_call_does(brigadehub):
    result = run_brigadehub_process("validate", "--no-such-option")
    usage = "usage: brigadehub [-h] COMMAND ...\nbrigadehub: error: unrecognized arguments: --no-such-option\n"
    assert (result.returncode, result.stdout, result.stderr) == (2, "", usage)
    in_process = brigadehub("validate", "--no-such-option")
    assert (in_process.returncode, in_process.stdout, in_process.stderr) == (2, "", result.stderr)


def test_build_outside_the_repository_is_one_line_not_a_traceback(tmp_path, brigadehub):
    result = brigadehub("build", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "brigadehub: no brigades here; run from the repository, or pass --brigades DIR\n"
    (tmp_path / "brigades").mkdir()
    result = brigadehub("build", cwd=tmp_path)
    assert result.stderr == "brigadehub: no mkdocs.yml here; run from the repository, or pass --brigades DIR\n"


def test_validate_loads_neither_the_calendar_libraries_nor_requests():
    # They cost `validate` about 0.6 s a run and it needs neither (issue 10); a fresh process, so that nothing
    # another test imported counts.
    script = ("import sys; from brigadehub import cli; code = cli.main(['validate']); "
              "print(code, sorted(m for m in ('icalendar', 'recurring_ical_events', 'requests', 'urllib3') "
              "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_a_broken_link_in_a_hand_written_page_fails_the_build(tmp_path):
    """--strict counts MkDocs' warnings only when they are logged: with --quiet, this build passed."""
    project = copy_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    result = run_brigadehub(*build_args(DATA / "good", project / "data", tmp_path / "site"), cwd=project,
                            env=site_env("http://127.0.0.1/"))
    assert result.returncode == 1
    assert "no-such-page.md" in result.stdout + result.stderr
