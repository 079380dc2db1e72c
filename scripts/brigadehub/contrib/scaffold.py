"""Write a new, valid brigade file from a few answers, for organisers who would rather not start from a blank page."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from brigadehub.contrib import fmt
from brigadehub.core import japan, model
from brigadehub.core.load import Document
from brigadehub.core.model import Brigade
from brigadehub.core.validate import explain_error, suggest_id

QUESTIONS = (
    # flag, prompt, required
    ("name", "ブリゲード名 / name (例: Code for Example)", True),
    ("name_en", "English name (空欄可 / optional)", False),
    ("prefecture", "都道府県 / prefecture (例: 石川県; テーマ型なら空欄)", False),
    ("city", "市区町村 / city (例: 金沢市)", False),
    ("website", "ウェブサイト / website (https://...)", False),
    ("github", "GitHub の組織名 / GitHub organisation", False),
    ("connpass", "connpass グループ名 / connpass group", False),
    ("doorkeeper", "Doorkeeper グループ名 / Doorkeeper group", False),
    ("maintainer", "あなたの GitHub アカウント / your GitHub account", True),
)


class Refused(Exception):
    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    for flag, prompt, _ in QUESTIONS:
        parser.add_argument(f"--{flag.replace('_', '-')}", dest=flag, help=prompt)
    parser.add_argument("--id", help="file name without .yml (default: made from the name)")
    parser.add_argument("--status", default="active", choices=["active", "dormant", "disbanded", "unknown"])
    parser.add_argument("--thematic", action="store_true", help="a themed group with no region")
    parser.add_argument("--no-input", action="store_true", help="never ask; fail if a required answer is missing")
    parser.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the day the answers were confirmed (default: today in Japan)")


def create(args: argparse.Namespace, folder: Path, today: date) -> tuple[Path, str]:
    """Return the new file's path and text, or raise Refused with one line per problem.

    today is the caller's: Japan's date, never the machine's (a runner on UTC is a day behind before 09:00 JST).
    """
    answers = _ask_missing(vars(args), interactive=sys.stdin.isatty() and not args.no_input)
    data = build_data(answers, today)
    path = folder / f"{data['id']}.yml"
    _check(data, path)  # first: the id becomes a path only once it is known to be a plain name
    if path.exists():
        raise Refused([f"{path} already exists; edit it instead, or choose another --id"])
    return path, fmt.render_data(data, fmt.SCHEMA_COMMENT, path)


def _ask_missing(answers: dict, interactive: bool) -> dict:
    answers = dict(answers)
    for flag, prompt, required in QUESTIONS:
        if answers.get(flag) is None and interactive:
            answers[flag] = input(f"{prompt}: ").strip() or None
        if required and not answers.get(flag):
            raise Refused([f"--{flag.replace('_', '-')} is required ({prompt})"])
    return answers


def build_data(answers: dict, today: date) -> dict:
    """Lay out a brigade file's keys in the order of the template."""
    name = answers["name"]
    data: dict = {"id": answers.get("id") or suggest_id(answers.get("name_en") or name)}
    data["name"] = {"ja": name, **({"en": answers["name_en"]} if answers.get("name_en") else {})}
    data["status"] = answers.get("status") or "active"
    data["confirmed_on"] = today.isoformat()
    if answers.get("thematic"):
        data["scope"] = "thematic"
    location = build_location(answers.get("prefecture"), answers.get("city"))
    if location:
        data["location"] = location
    links = {k: answers[k] for k in ("website", "github", "connpass", "doorkeeper") if answers.get(k)}
    if links:
        data["links"] = links
    sources = [{"type": k, "group": answers[k]} for k in ("connpass", "doorkeeper") if answers.get(k)]
    if sources:
        data["event_sources"] = sources
    data["maintainers"] = [answers["maintainer"].lstrip("@")]
    data["sources"] = [f"brigadehub new, answered by @{answers['maintainer'].lstrip('@')} on {today.isoformat()}"]
    return data


def build_location(prefecture: str | None, city: str | None) -> dict:
    """Lay out location:, with the city office's coordinates when japancode knows the city."""
    location: dict = {}
    if prefecture:
        location["prefecture"] = prefecture
    if city:
        location["city"] = city
    town = japan.find_municipality(prefecture, city) if prefecture and city else None
    if town:
        location["coordinates"] = {
            "lat": town.lat, "lon": town.lon, "precision": "city",
            "source": f"japancode: {town.name} office location",
        }
    return location


def _check(data: dict, path: Path) -> None:
    if not re.fullmatch(model.ID_PATTERN, data["id"]):
        raise Refused([f"--id: {data['id']!r} is not a valid id; use lowercase letters, digits and hyphens"])
    try:
        Brigade.model_validate(data)
    except ValidationError as error:
        document = Document(path, data)
        raise Refused([_as_flag(explain_error(document, e)) for e in error.errors(include_url=False)]) from None


def _as_flag(problem) -> str:
    flag = problem.field.split(".")[-1].split("[")[0]
    return f"--{flag.replace('_', '-')}: {problem.message}"

