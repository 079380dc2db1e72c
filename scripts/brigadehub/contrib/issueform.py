"""Turn a submitted add-brigade issue form into a brigade file, or into a comment that says what to fix."""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError

from brigadehub.contrib import fmt
from brigadehub.contrib.scaffold import build_location
from brigadehub.core import validate
from brigadehub.core.load import LoadError, parse
from brigadehub.core.model import Brigade, Links, Problem, is_brigade_id

NO_RESPONSE = "_No response_"
STATUSES = ("active", "dormant", "disbanded", "unknown")
SEPARATORS = r"[,、，;\s]+"
# Where a field path of the brigade file came from in the form, so that a problem names the question asked.
FORM_FIELDS = {
    "id": "id", "name.ja": "name_ja", "name.en": "name_en", "name.kana": "kana", "status": "status",
    "scope": "prefecture", "location.prefecture": "prefecture", "location.city": "city",
    "links.website": "website", "links.github": "github", "links.connpass": "connpass",
    "links.doorkeeper": "doorkeeper", "links.facebook": "facebook", "links.x": "x",
    "description.ja": "description", "tags": "tags", "founded": "founded", "maintainers": "maintainers",
    "sources": "sources", "confirmed_on": "confirm",
}
HANDLES = ("github", "connpass", "doorkeeper", "facebook", "x")


@dataclass(frozen=True)
class Form:
    """The questions of an issue form: each label as GitHub prints it, and the id we read it by."""

    labels: dict[str, str]  # label -> id
    titles: dict[str, str]  # id -> label

    @classmethod
    def from_definition(cls, definition: dict) -> Form:
        questions = [item for item in definition.get("body", []) if item.get("id")]
        labels = {item["attributes"]["label"].strip(): item["id"] for item in questions}
        return cls(labels, {v: k for k, v in labels.items()})


def load_form(path: Path) -> Form:
    return Form.from_definition(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Submission:
    """Who sent the form and when; the date is what confirmed_on and the sources record."""

    on: date
    issue: int | None = None
    author: str | None = None


@dataclass
class Outcome:
    """A brigade file ready to write, or the problems that stop it, each tied to a form question."""

    path: Path
    text: str = ""
    problems: list[tuple[str | None, str]] = field(default_factory=list)


def parse_body(body: str, form: Form) -> dict[str, object]:
    """Read GitHub's rendering of a form ('### label', blank line, answer) into {question id: answer}."""
    answers: dict[str, object] = {}
    for label, value in re.findall(r"^### (.+?)[ \t]*\n(.*?)(?=^### |\Z)", body.replace("\r\n", "\n"), re.M | re.S):
        question = form.labels.get(label.strip())
        if question:
            answers[question] = _answer(value.strip())
    return answers


def _answer(value: str) -> object:
    if value in {"", NO_RESPONSE, "None"}:
        return None
    boxes = re.findall(r"^- \[([ xX])\] ", value, re.M)
    if boxes and len(boxes) == len(value.splitlines()):
        return [box != " " for box in boxes]
    return value


def convert(body: str, form: Form, submission: Submission, brigades: Path) -> Outcome:
    """Build the brigade file from the answers and check it alone and against every file in brigades."""
    answers = parse_body(body, form)
    data, problems = build_data(answers, submission)
    # The id is checked before it names a path, so that no answer can ask about files outside brigades/.
    valid = is_brigade_id(data["id"])
    outcome = Outcome(brigades / f"{data['id'] if valid else 'code-for-example'}.yml", problems=problems)
    if not valid:
        outcome.problems.append(("id", f"{data['id']!r} はファイル名に使えません。小文字の英字・数字・ハイフンで、"
                                       "例: code-for-example / is not a file name we can use; write lowercase "
                                       "letters, digits and single hyphens, e.g. code-for-example"))
    elif outcome.path.exists():
        outcome.problems.append(("id", "このブリゲードはすでに載っています。"
                                 "更新用のフォームを使うか、別のファイル名にしてください。 / "
                                 f"{outcome.path} already exists; use the update form, or choose another file name"))
    try:
        outcome.text = fmt.render_data(data, fmt.SCHEMA_COMMENT + _provenance(submission), outcome.path)
    except fmt.FormatError as error:
        outcome.problems.append((None, str(error)))
        return outcome
    found = [(_question(p.field, data), p.message) for p in check_text(outcome.text, outcome.path, brigades)]
    outcome.problems += list(dict.fromkeys(found))  # a bad connpass name is wrong in links and in event_sources
    return outcome


def _provenance(submission: Submission) -> str:
    if submission.issue is None:
        return ""
    return f"# Added from the form in issue #{submission.issue}.\n"


def check_text(text: str, path: Path, brigades: Path) -> list[Problem]:
    """Validate a new file's text as `brigadehub validate` would, with the files already in brigades."""
    try:
        document = parse(text, path)
        brigade = Brigade.model_validate(document.data)
    except LoadError as fault:
        return [Problem(str(path), fault.mark.line, fault.mark.column, fault.field, fault.message)]
    except ValidationError as error:
        return [validate.explain_error(document, e) for e in error.errors(include_url=False)]
    others = [p for p in sorted(brigades.glob("*.yml")) if not p.name.startswith("_")]
    found = [(p, doc, b) for p in others for doc, b, _ in [validate.check_file(p)] if b]
    return [p for p in validate.cross_check([*found, (path, document, brigade)], set()) if p.path == str(path)]


def _question(field_path: str, data: dict) -> str | None:
    """Name the form question a field path came from; event sources came from the group or calendar answers."""
    found = re.match(r"event_sources\[(\d+)\]", field_path)
    if found:
        kind = data["event_sources"][int(found.group(1))]["type"]
        return "calendar" if kind == "ical" else kind
    for prefix in sorted(FORM_FIELDS, key=len, reverse=True):
        if field_path == prefix or field_path.startswith((f"{prefix}.", f"{prefix}[")):
            return FORM_FIELDS[prefix]
    return None


def build_data(answers: dict, submission: Submission) -> tuple[dict, list[tuple[str | None, str]]]:
    """Lay out a brigade file's data from the answers; return it with the problems only the form can have."""
    problems: list[tuple[str | None, str]] = []
    data: dict = {"id": _brigade_id(answers, problems), "name": _names(answers)}
    data["status"] = _status(answers, problems)
    if _ticked(answers, 0):
        data["confirmed_on"] = submission.on.isoformat()
    _place(data, answers)
    if answers.get("description"):
        data["description"] = {"ja": answers["description"]}
    _links(data, answers)
    for key in ("tags", "maintainers"):
        if answers.get(key):
            data[key] = [_handle(word, "github") if key == "maintainers" else word
                         for word in re.split(SEPARATORS, str(answers[key])) if word]
    if answers.get("founded"):
        data["founded"] = str(answers["founded"])
    data["sources"] = _sources(answers, submission)
    if not _ticked(answers, 1):
        problems.append(("confirm", "CC BY 4.0 での公開に同意するチェックを入れてください。 / "
                                    "tick the box that agrees to publish these facts under CC BY 4.0"))
    return _ordered(data), problems


def _ordered(data: dict) -> dict:
    order = list(Brigade.model_fields)
    return dict(sorted(data.items(), key=lambda item: order.index(item[0])))


def _brigade_id(answers: dict, problems: list) -> str:
    if answers.get("id"):
        return str(answers["id"]).strip()
    name = str(answers.get("name_en") or answers.get("name_ja") or "")
    if not name.isascii():
        problems.append(("name_en", "名前がローマ字ではないので、英語名かファイル名を書いてください。 / the name is "
                                    "not in Latin letters; give an English name or a file name (id), "
                                    "e.g. 'Code for Example' or 'code-for-example'"))
    return validate.suggest_id(name)


def _names(answers: dict) -> dict:
    names = {"ja": answers.get("name_ja") or ""}
    names.update({key: answers[source] for key, source in (("en", "name_en"), ("kana", "kana")) if answers.get(source)})
    return names


def _status(answers: dict, problems: list) -> str:
    chosen = str(answers.get("status") or "unknown")
    status = next((word for word in STATUSES if re.search(rf"\b{word}\b", chosen)), chosen)
    if status != "unknown" and not _ticked(answers, 0):
        problems.append(("status", "活動状況を選べるのは運営メンバーだけです。"
                                   "「わからない」を選ぶか、運営メンバーなら確認の1つめにチェックを入れてください。 / "
                                   f"only the brigade's organisers can say it is {status!r}: choose 'unknown', "
                                   "or tick the first confirmation box if you organise it"))
    return status


def _ticked(answers: dict, box: int) -> bool:
    boxes = answers.get("confirm")
    return isinstance(boxes, list) and len(boxes) > box and boxes[box]


def _place(data: dict, answers: dict) -> None:
    prefecture, city = answers.get("prefecture"), answers.get("city")
    if prefecture and "thematic" in str(prefecture):
        data["scope"], prefecture = "thematic", None
    location = build_location(prefecture, city)
    if location:
        data["location"] = location


def _links(data: dict, answers: dict) -> None:
    links = {"website": answers["website"]} if answers.get("website") else {}
    links.update({key: _handle(str(answers[key]), key) for key in HANDLES if answers.get(key)})
    if links:
        data["links"] = dict(sorted(links.items(), key=lambda item: list(Links.model_fields).index(item[0])))
    sources = [{"type": key, "group": links[key]} for key in ("connpass", "doorkeeper") if key in links]
    if answers.get("calendar"):
        sources.append({"type": "ical", "url": str(answers["calendar"]).strip()})
    if sources:
        data["event_sources"] = sources


def _handle(value: str, platform: str) -> str:
    """Accept what people paste: a whole URL or an @name becomes the name the file keeps."""
    value = value.strip()
    found = re.search(validate.HANDLE_URLS[platform], value)
    return (found.group(1) if found else value).removeprefix("@").rstrip("/")


def _sources(answers: dict, submission: Submission) -> list[str]:
    lines = [re.sub(r"^[-*・]\s*", "", line).strip() for line in str(answers.get("sources") or "").splitlines()]
    sources = [line for line in lines if line]
    if submission.issue is not None:
        by = f" by @{submission.author}" if submission.author else ""
        sources.append(f"GitHub issue #{submission.issue}{by} ({submission.on.isoformat()})")
    return sources


def commit_message(outcome: Outcome, submission: Submission) -> str:
    """The commit's subject, which is also the pull request's title: the validated path, never a submitted name.

    .github/scripts/open-pull-request.sh writes the same subject; tests/test_workflows.py keeps the two equal.
    """
    origin = f" from issue #{submission.issue}" if submission.issue is not None else ""
    return f"Add {outcome.path.as_posix()}{origin}"


def commit_on_branch(path: Path, branch: str, message: str) -> str | None:
    """Start branch at the current commit and commit path alone on it; return what failed, if anything."""
    for command in (["git", "switch", "--quiet", "-C", branch], ["git", "add", "--", str(path)],
                    ["git", "commit", "--quiet", "--message", message, "--", str(path)]):
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode:
            return f"{shlex.join(command)} failed: {result.stderr.strip()}"
    return None


def branch_name(outcome: Outcome, submission: Submission) -> str:
    """One branch per issue, so that editing the issue replaces the pull request's file."""
    if submission.issue is not None:
        return f"add-brigade/issue-{submission.issue}"
    return f"add-brigade/{outcome.path.stem}"
