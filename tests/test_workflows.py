"""Tests for .github/: actionlint and zizmor pass, the hygiene rules hold, and the bots' scripts work.

The scripts run for real, with git on repositories in a temporary folder; `gh`, which would reach GitHub, is a
stand-in on PATH that records its arguments and answers as told.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from brigadehub.contrib.issueform import Outcome, Submission, commit_message
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


def test_zizmor_passes_offline_at_the_pedantic_persona_with_every_exception_explained():
    """Issue 9: zizmor at --persona pedantic; a finding is fixed, or ignored in zizmor.yml with its reason."""
    result = _tool("zizmor", "--offline", "--no-progress", "--color", "never", "--persona", "pedantic", "--config",
                   str(GITHUB / "zizmor.yml"), str(GITHUB))
    assert result.returncode == 0, result.stdout + result.stderr
    config = (GITHUB / "zizmor.yml").read_text(encoding="utf-8")
    ignores = [entry for rule in yaml.safe_load(config)["rules"].values() for entry in rule.get("ignore", [])]
    # Every ignore rule still matches a finding: one left behind after a fix would hide the next finding there.
    assert f"No findings to report. Good job! ({len(ignores)} ignored, " in result.stdout
    lines = config.splitlines()
    for number, line in enumerate(lines):
        if re.fullmatch(r"  [a-z-]+:", line):  # each rule of the configuration comes after its reason
            assert lines[number - 1].startswith("  # "), line


def test_both_linters_catch_a_broken_workflow(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "broken.yml").write_text(BROKEN, encoding="utf-8")
    actionlint = _tool("actionlint", "-no-color", str(folder / "broken.yml"), cwd=tmp_path)
    assert actionlint.returncode == 1
    assert "github.event.issue.title" in actionlint.stdout
    assert "untrusted" in actionlint.stdout
    zizmor = _tool("zizmor", "--offline", "--no-progress", "--color", "never", str(tmp_path / ".github"), cwd=tmp_path)
    assert zizmor.returncode != 0
    assert "template-injection" in zizmor.stdout
    assert "artipacked" in zizmor.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.stem)
def test_least_privilege_pinned_actions_and_no_expressions_in_scripts(path):
    workflow = _workflow(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{name} grants nothing explicitly"
        if "uses" in job:  # a reusable workflow: only this repository's own, at the commit that runs
            assert job["uses"].startswith("$/.github/workflows/"), job["uses"]
            continue
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
                    for step in job.get("steps", []))
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


# ---- from-issue.yml: the bot opens the pull request once, and every commit it pushes is checked (issue 9, item 5) ----

FROM_ISSUE = GITHUB / "workflows" / "from-issue.yml"
EXAMPLE_ISSUE = ROOT / "tests" / "data" / "issues" / "add-code-for-example.md"
FAKE_GH = """\
#!/usr/bin/env bash
# A stand-in for gh: record the call (arguments end in US, a call in RS) and answer as the test said.
printf '%s\037' "$@" >> "$FAKE_GH_LOG"
printf '\036' >> "$FAKE_GH_LOG"
case "$1 $2" in
  "pr list") printf '%s\\n' "$FAKE_GH_PRS" | sed '/^$/d' ;;
  "pr create") echo "https://github.com/o/r/pull/7" ;;
esac
"""


def test_the_form_converts_on_opened_and_edited_and_on_a_maintainers_label_only():
    workflow = _workflow(FROM_ISSUE)
    assert workflow["on"] == {"issues": {"types": ["opened", "edited", "labeled"]}}
    assert workflow["cache-mode"] == "none"  # a stranger's issue must not write the default branch's cache
    decide = workflow["jobs"]["decide"]["if"]
    assert "github.event.action == 'labeled' && github.event.label.name == 'rebuild-brigade'" in decide
    assert "contains(github.event.issue.labels.*.name, 'add-brigade')" in decide
    assert workflow["jobs"]["convert"]["if"] == "needs.decide.outputs.go == 'true'"
    assert workflow["jobs"]["decide"]["permissions"] == {"pull-requests": "read"}
    unlabel = workflow["jobs"]["unlabel"]
    assert unlabel["permissions"] == {"issues": "write"}
    assert "labels/rebuild-brigade" in unlabel["steps"][0]["run"]


def test_no_issue_template_applies_the_label_that_only_maintainers_may_add():
    labels = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")).get("labels", [])
              for path in sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))}
    assert labels == {"add-brigade.yml": ["add-brigade"], "config.yml": [], "update-brigade.yml": ["update-brigade"]}


def test_only_a_job_that_can_change_nothing_reads_the_answers():
    workflow = _workflow(FROM_ISSUE)
    text = FROM_ISSUE.read_text(encoding="utf-8")
    assert "github.event.issue.title" not in text and "github.event.comment" not in text
    readers = [name for name, job in workflow["jobs"].items() if "github.event.issue.body" in repr(job)]
    assert readers == ["convert"]
    assert workflow["jobs"]["convert"]["permissions"] == {"contents": "read"}
    # What it made reaches the writing jobs as outputs, through env:, and the path is checked again there.
    publish = workflow["jobs"]["publish"]
    assert publish["steps"][-1]["env"]["BRIGADE_PATH"] == "${{ needs.convert.outputs.path }}"
    assert publish["concurrency"] == {"group": "from-issue-${{ github.event.issue.number }}",
                                      "cancel-in-progress": False}
    assert set(publish["permissions"]) == {"contents", "pull-requests", "issues", "statuses"}


def test_every_commit_the_bot_pushes_gets_the_pull_request_checks_and_a_status():
    workflow = _workflow(FROM_ISSUE)
    check, report = workflow["jobs"]["check"], workflow["jobs"]["report"]
    assert check["uses"] == "$/.github/workflows/pr.yml"
    assert check["with"] == {"ref": "${{ needs.publish.outputs.sha }}"}
    assert check["permissions"] == {"contents": "read"}
    assert report["needs"] == ["publish", "check"] and report["if"].startswith("always() && ")
    assert report["permissions"] == {"statuses": "write"}
    assert 'context="$STATUS_CONTEXT"' in report["steps"][0]["run"]
    pr = _workflow(GITHUB / "workflows" / "pr.yml")
    assert pr["on"]["workflow_call"]["inputs"]["ref"]["required"] is True
    job = pr["jobs"]["check"]
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["ref"] == "${{ inputs.ref }}"
    # The status has the name of pr.yml's job, so that one required check in a ruleset covers both.
    assert workflow["env"]["STATUS_CONTEXT"] == job["name"]


def _fake_gh(tmp_path: Path, prs: str) -> dict:
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    (folder / "gh").write_text(FAKE_GH, encoding="utf-8")
    (folder / "gh").chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}", "FAKE_GH_LOG": str(tmp_path / "gh.log"),
            "FAKE_GH_PRS": prs, "GH_TOKEN": "not-a-real-token", "GH_REPO": "o/r",
            "GITHUB_OUTPUT": str(tmp_path / "out"), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _gh_calls(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "gh.log"
    calls = log.read_text(encoding="utf-8").split("\x1e")[:-1] if log.exists() else []
    return [call.split("\x1f")[:-1] for call in calls]


def _outputs(tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "out"
    return dict(line.split("=", 1) for line in out.read_text().splitlines()) if out.exists() else {}


@pytest.mark.parametrize(("asked", "prs", "go"),
                         [("false", "", "true"), ("false", "#5", "false"), ("true", "#5", "true")],
                         ids=["edited-before-any-pull-request", "edited-after-the-pull-request", "maintainer-asked"])
def test_the_decision_converts_an_edit_only_while_the_bot_has_opened_no_pull_request(tmp_path, asked, prs, go):
    step = _workflow(FROM_ISSUE)["jobs"]["decide"]["steps"][0]
    env = {**_fake_gh(tmp_path, prs), "NUMBER": "12", "ASKED": asked}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert _outputs(tmp_path) == {"asked": asked, "go": go}
    lists = [call for call in _gh_calls(tmp_path) if call[:2] == ["pr", "list"]]
    assert lists == ([] if asked == "true" else [["pr", "list", "--head", "add-brigade/issue-12", "--author",
                                                   "app/github-actions", "--state", "all", "--json", "number",
                                                   "--jq", 'map("#\\(.number)") | join(" ")']])


@pytest.fixture
def base(tmp_path) -> Path:
    """A clone of a repository whose main holds one brigade file, with a bare origin beside it."""
    origin, clone = tmp_path / "origin.git", tmp_path / "clone"
    _git(tmp_path, "init", "--quiet", "--bare", "--initial-branch", "main", str(origin))
    _git(tmp_path, "clone", "--quiet", str(origin), str(clone))
    (clone / "brigades").mkdir()
    shutil.copy(ROOT / "tests" / "data" / "good" / "code-for-sample.yml", clone / "brigades")
    for part in ("ISSUE_TEMPLATE/add-brigade.yml", "scripts/open-pull-request.sh"):
        (clone / ".github" / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(GITHUB / part, clone / ".github" / part)
    (clone / ".venv").symlink_to(ROOT / ".venv")  # the steps run .venv/bin/brigadehub, as after `make setup`
    (clone / ".gitignore").write_text(".venv\n", encoding="utf-8")
    _git(clone, "add", ".")
    _git(clone, "commit", "--quiet", "-m", "Start")
    _git(clone, "push", "--quiet", "origin", "HEAD:main")
    return clone


def _publish(clone: Path, *, prs: str = "", asked: str = "false", issue: str = "12",
             path: str = "brigades/code-for-example.yml") -> subprocess.CompletedProcess:
    tmp_path = clone.parent
    (tmp_path / "brigade.yml").write_text("id: code-for-example\n", encoding="utf-8")
    (tmp_path / "body.md").write_text("Adds `brigades/code-for-example.yml`.\n\nCloses #12\n", encoding="utf-8")
    env = {**_fake_gh(tmp_path, prs), "ASKED": asked, "GITHUB_TOKEN": "not-a-real-token", "BASE_BRANCH": "main",
           "STATUS_CONTEXT": "Validate, test and build", "RUN_URL": "https://github.com/o/r/actions/runs/1"}
    return subprocess.run(["bash", str(GITHUB / "scripts" / "open-pull-request.sh"), issue, path,
                           str(tmp_path / "brigade.yml"), str(tmp_path / "body.md")],
                          cwd=clone, env=env, capture_output=True, text=True, timeout=60)


def test_the_first_conversion_pushes_one_commit_marks_it_pending_and_opens_the_pull_request(base):
    result = _publish(base)
    assert result.returncode == 0, result.stdout + result.stderr
    origin, branch = base.parent / "origin.git", "add-brigade/issue-12"
    sha = _git(origin, "rev-parse", branch)
    assert _outputs(base.parent) == {"sha": sha}
    assert _git(origin, "diff", "--name-only", "main", branch) == "brigades/code-for-example.yml"
    assert _git(origin, "rev-list", "--count", f"main..{branch}") == "1"
    message = _git(origin, "log", "-1", "--format=%an|%B", branch)
    python = commit_message(Outcome(Path("brigades/code-for-example.yml")), Submission(date(2026, 11, 26), 12))
    assert message == f"github-actions[bot]|{python}"  # the script and issueform.py write the same subject
    calls = _gh_calls(base.parent)
    assert [call[:2] for call in calls] == [["pr", "list"], ["api", "--method"], ["pr", "create"], ["issue", "comment"]]
    assert calls[1][2:4] == ["POST", f"repos/o/r/statuses/{sha}"] and "state=pending" in calls[1]
    assert calls[2][2:] == ["--base", "main", "--head", branch, "--title", python,
                            "--body-file", str(base.parent / "body.md")]
    assert calls[3][2] == "12" and "https://github.com/o/r/pull/7" in calls[3][4]


@pytest.mark.parametrize("prs", ["5 OPEN", "5 CLOSED", "5 MERGED"])
def test_an_edit_changes_nothing_once_the_bot_opened_a_pull_request(base, prs):
    result = _publish(base, prs=prs)
    assert result.returncode == 0, result.stderr
    assert "an edit changes it only when a maintainer asks" in result.stdout
    assert _git(base.parent / "origin.git", "branch", "--list", "add-brigade/*") == ""
    assert [call[:2] for call in _gh_calls(base.parent)] == [["pr", "list"]]
    assert _outputs(base.parent) == {}


def test_a_maintainers_rebuild_replaces_the_branch_and_retitles_the_open_pull_request(base):
    _git(base, "switch", "--quiet", "-c", "add-brigade/issue-12")
    (base / "brigades" / "code-for-sample.yml").write_text("id: changed-by-hand\n", encoding="utf-8")
    _git(base, "commit", "--quiet", "-am", "What the first run pushed")
    _git(base, "push", "--quiet", "origin", "HEAD:refs/heads/add-brigade/issue-12")
    _git(base, "switch", "--quiet", "main")
    result = _publish(base, prs="4 CLOSED\n5 OPEN", asked="true")
    assert result.returncode == 0, result.stderr
    origin = base.parent / "origin.git"
    assert _git(origin, "diff", "--name-only", "main", "add-brigade/issue-12") == "brigades/code-for-example.yml"
    calls = _gh_calls(base.parent)
    assert [call[:2] for call in calls] == [["pr", "list"], ["api", "--method"], ["api", "--method"]]
    assert calls[2][2:4] == ["PATCH", "repos/o/r/pulls/5"]
    assert "title=Add brigades/code-for-example.yml from issue #12" in calls[2]
    assert "body=Adds `brigades/code-for-example.yml`.\n\nCloses #12" in calls[2]


@pytest.mark.parametrize(("issue", "path"), [
    ("12", "brigades/../README.md"), ("12", ".github/workflows/pr.yml"), ("12", "brigades/Code-For-Example.yml"),
    ("12", "brigades/code-for-sample.yml"), ("12", "brigades/a.yml\n::stop-commands::x"), ("12", "brigades/-a.yml"),
    ("0", "brigades/code-for-example.yml"), ("12 x", "brigades/code-for-example.yml"), ("", "brigades/a.yml"),
], ids=["dot-dot", "a-workflow", "capitals", "already-listed", "line-break", "leading-hyphen", "zero", "space",
        "empty"])
def test_a_path_or_number_not_made_by_our_rules_is_refused_before_git_or_gh_runs(base, issue, path):
    result = _publish(base, issue=issue, path=path)
    assert result.returncode == 1
    assert result.stdout.startswith("::error title=Refused::")
    assert len(result.stdout.splitlines()) == 1  # the value is quoted, so it cannot start a workflow command
    assert _gh_calls(base.parent) == []
    assert _git(base, "branch", "--show-current") == "main" and _git(base, "status", "--porcelain") == ""


def _step(job: str, clone: Path, env: dict) -> subprocess.CompletedProcess:
    """Run the last step of a job of from-issue.yml as the runner would: bash -e, in the checkout."""
    run = _workflow(FROM_ISSUE)["jobs"][job]["steps"][-1]["run"]
    runner = clone.parent / "runner"
    runner.mkdir(exist_ok=True)
    return subprocess.run(["bash", "-e", "-c", run], cwd=clone, env={**env, "RUNNER_TEMP": str(runner)},
                          capture_output=True, text=True, timeout=120)


def test_a_hostile_form_goes_from_convert_to_publish_as_one_checked_file_and_an_inert_body(base):
    body = EXAMPLE_ISSUE.read_text(encoding="utf-8").replace(
        "コード・フォー・エグザンプル", "Code for Q fixes #1, closes #2 @admin <b>x</b> ```", 1)
    env = {**_fake_gh(base.parent, ""), "BODY": body, "NUMBER": "12", "AUTHOR": "example-organiser"}
    converted = _step("convert", base, env)
    assert converted.returncode == 0, converted.stdout + converted.stderr
    outputs = _outputs(base.parent)
    assert (outputs["status"], outputs["path"]) == ("0", "brigades/code-for-example.yml")
    (base.parent / "out").unlink()
    _git(base, "clean", "--quiet", "-d", "--force", "--", "brigades")  # publish starts from a fresh checkout
    env = {**env, "ASKED": "false", "GITHUB_TOKEN": "not-a-real-token", "BASE_BRANCH": "main",
           "STATUS_CONTEXT": "Validate, test and build", "RUN_URL": "https://github.com/o/r/actions/runs/1",
           "BRIGADE_PATH": outputs["path"], "FILE": outputs["file"], "REPLY": outputs["reply"]}
    published = _step("publish", base, env)
    assert published.returncode == 0, published.stdout + published.stderr
    origin = base.parent / "origin.git"
    committed = _git(origin, "show", "add-brigade/issue-12:brigades/code-for-example.yml")
    assert '\n  ja: "Code for Q fixes #1, closes #2 @admin <b>x</b> ```"\n' in committed  # kept, in the file only
    assert _git(origin, "log", "-1", "--format=%B", "add-brigade/issue-12") == \
        "Add brigades/code-for-example.yml from issue #12"
    create = next(call for call in _gh_calls(base.parent) if call[:2] == ["pr", "create"])
    assert create[create.index("--title") + 1] == "Add brigades/code-for-example.yml from issue #12"
    sent = Path(create[create.index("--body-file") + 1]).read_text(encoding="utf-8")
    assert sent == (ROOT / "tests" / "data" / "issues" / "add-code-for-example.expected.md").read_text(encoding="utf-8")


def test_answers_to_fix_go_from_convert_to_one_comment(base):
    body = EXAMPLE_ISSUE.read_text(encoding="utf-8").replace("石川県", "石川 @admin fixes #1", 1)
    env = {**_fake_gh(base.parent, ""), "BODY": body, "NUMBER": "12", "AUTHOR": "example-organiser"}
    converted = _step("convert", base, env)
    assert converted.returncode == 0, converted.stdout + converted.stderr
    outputs = _outputs(base.parent)
    assert outputs["status"] == "1" and "path" not in outputs
    asked = _step("ask", base, {**env, "REPLY": outputs["reply"]})
    assert asked.returncode == 0, asked.stderr
    [call] = _gh_calls(base.parent)
    assert call[:3] == ["issue", "comment", "12"]
    comment = Path(call[call.index("--body-file") + 1]).read_text(encoding="utf-8")
    assert comment.startswith("### 直すところがあります / Some answers need fixing\n")
    assert "- **都道府県 / Prefecture**: `'石川 @admin fixes #1' is not a prefecture" in comment
