"""Tests for .github/: actionlint and zizmor pass, the hygiene rules hold, and the bot's commit script works."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from brigadehub.core.load import parse
from brigadehub.events.fetch import Settings
from conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")
BROKEN = """\
name: Broken
on:
  issues:
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v6.0.2
      - run: echo "${{ github.event.issue.title }}"
"""


def _tool(name: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    # Only the linters' own checks: no token, so zizmor cannot go online even if told to.
    env = {k: v for k, v in os.environ.items() if k not in {"GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"}}
    return subprocess.run([str(BIN / name), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _workflow(path: Path) -> dict:
    return parse(path.read_text(encoding="utf-8"), path).data  # YAML 1.2, so 'on' stays a key


def test_the_four_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "from-issue.yml", "health.yml", "pr.yml"]


def test_actionlint_passes_on_every_workflow():
    result = _tool("actionlint", "-no-color", *map(str, WORKFLOWS))
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_zizmor_passes_offline_with_the_committed_policy():
    result = _tool("zizmor", "--offline", "--no-progress", "--config", str(GITHUB / "zizmor.yml"), str(GITHUB))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_both_linters_catch_a_broken_workflow(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "broken.yml").write_text(BROKEN, encoding="utf-8")
    actionlint = _tool("actionlint", "-no-color", str(folder / "broken.yml"), cwd=tmp_path)
    assert actionlint.returncode == 1
    assert "github.event.issue.title" in actionlint.stdout
    assert "untrusted" in actionlint.stdout
    zizmor = _tool("zizmor", "--offline", "--no-progress", str(tmp_path / ".github"), cwd=tmp_path)
    assert zizmor.returncode != 0
    assert "template-injection" in zizmor.stdout
    assert "artipacked" in zizmor.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.stem)
def test_least_privilege_pinned_actions_and_no_expressions_in_scripts(path):
    workflow = _workflow(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{name} grants nothing explicitly"
        for step in job["steps"]:
            if "uses" in step:
                assert PINNED.match(step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            # Values reach scripts through env:, never spliced into the script's text.
            assert "${{" not in step.get("run", ""), step.get("name")


def test_schedules_are_off_the_hour_and_deploys_never_race():
    crons = [entry["cron"] for path in WORKFLOWS for entry in _workflow(path)["on"].get("schedule") or []]
    assert crons
    assert all(cron.split()[0] not in {"0", "*"} for cron in crons)
    deploy = _workflow(GITHUB / "workflows" / "deploy.yml")
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert set(deploy["on"]) == {"push", "schedule", "workflow_dispatch"}


def test_the_site_deploys_from_the_last_snapshot_whatever_the_refresh_did():
    jobs = _workflow(GITHUB / "workflows" / "deploy.yml")["jobs"]
    build, refresh = jobs["build"], jobs["refresh"]
    assert (build["needs"], build["if"]) == ("refresh", "${{ always() }}")
    checkout = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["ref"] == "${{ needs.refresh.outputs.sha || github.ref }}"
    # The fetch ends itself first, then its step's timeout stops it, then the job's: each well inside the next.
    fetch = next(step for step in refresh["steps"] if step.get("id") == "fetch")
    assert fetch["continue-on-error"] is True
    assert Settings().fetch_deadline < fetch["timeout-minutes"] * 60 < refresh["timeout-minutes"] * 60
    assert jobs["deploy"]["needs"] == "build" and "if" not in jobs["deploy"]


def test_every_script_a_workflow_runs_is_there():
    runs = " ".join(step.get("run", "") for path in WORKFLOWS for job in _workflow(path)["jobs"].values()
                    for step in job["steps"])
    scripts = set(re.findall(r"\.github/scripts/[\w-]+\.sh", runs))
    assert scripts == {".github/scripts/commit-if-changed.sh", ".github/scripts/open-pull-request.sh",
                       ".github/scripts/update-tracking-issue.sh"}
    for script in scripts:
        result = subprocess.run(["bash", "-n", str(ROOT / script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Organiser", "GIT_AUTHOR_EMAIL": "organiser@example.org",
           "GIT_COMMITTER_NAME": "Organiser", "GIT_COMMITTER_EMAIL": "organiser@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def _commit_script(clone: Path, output: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GITHUB_REF_NAME": "main",
           "GITHUB_TOKEN": "not-a-real-token", "GITHUB_OUTPUT": str(output)}
    return subprocess.run(["bash", str(GITHUB / "scripts" / "commit-if-changed.sh"), "Refresh the event snapshot",
                           "data/events"], cwd=clone, env=env, capture_output=True, text=True, timeout=60)


def test_the_snapshot_is_committed_by_the_bot_only_when_it_changed(tmp_path):
    origin, clone, other = tmp_path / "origin.git", tmp_path / "clone", tmp_path / "other"
    _git(tmp_path, "init", "--quiet", "--bare", "--initial-branch", "main", str(origin))
    _git(tmp_path, "clone", "--quiet", str(origin), str(clone))
    (clone / "data" / "events").mkdir(parents=True)
    (clone / "data" / "events" / "code-for-example.json").write_text("[]\n", encoding="utf-8")
    report = clone / "data" / "events" / "_report.json"
    report.write_text('{\n  "fetched_at": "2026-11-26T00:17:00+09:00",\n  "format": 1\n}\n', encoding="utf-8")
    _git(clone, "add", ".")
    _git(clone, "commit", "--quiet", "-m", "Start")
    _git(clone, "push", "--quiet", "origin", "HEAD:main")
    start = _git(clone, "rev-parse", "HEAD")

    # A new fetch time alone is no change worth a commit.
    report.write_text('{\n  "fetched_at": "2026-11-26T06:17:00+09:00",\n  "format": 1\n}\n', encoding="utf-8")
    unchanged = _commit_script(clone, tmp_path / "out1")
    assert unchanged.returncode == 0, unchanged.stderr
    assert "nothing to commit" in unchanged.stdout
    assert (tmp_path / "out1").read_text() == f"sha={start}\n"

    # Someone pushes to main meanwhile: the script rebases its commit on top and pushes again.
    _git(tmp_path, "clone", "--quiet", str(origin), str(other))
    (other / "README.md").write_text("hello\n", encoding="utf-8")
    _git(other, "add", ".")
    _git(other, "commit", "--quiet", "-m", "Meanwhile")
    _git(other, "push", "--quiet", "origin", "HEAD:main")
    (clone / "data" / "events" / "code-for-example.json").write_text('[{"uid": "connpass-1"}]\n', encoding="utf-8")
    changed = _commit_script(clone, tmp_path / "out2")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    head = _git(clone, "rev-parse", "HEAD")
    assert (tmp_path / "out2").read_text() == f"sha={head}\n"
    assert _git(origin, "rev-parse", "main") == head
    assert _git(origin, "log", "-2", "--format=%an <%ae>|%s", "main").splitlines() == [
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|Refresh the event snapshot",
        "Organiser <organiser@example.org>|Meanwhile"]
