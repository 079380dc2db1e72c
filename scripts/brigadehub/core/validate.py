"""Turn loaded brigade files into Brigade objects, or into Problems that say where and what to write instead."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from brigadehub.core import japan, model, recurrence
from brigadehub.core.load import Document, LoadError, Loc, field_path, load_document
from brigadehub.core.model import Brigade, Problem

TIME_EXAMPLE = '"2026-12-12T14:00:00+09:00"'
REQUIRED_EXAMPLES = {
    "id": "id: code-for-example",
    "name": "name: {ja: Code for Example}",
    "status": "status: unknown",
    "sources": "sources: [\"the brigade's own website\"]",
    "ja": "ja: Code for Example",
    "type": "type: connpass",
    "group": "group: codeforexample",
    "url": "url: https://example.org/",
    "title": "title: 定例会",
    "start": f"start: {TIME_EXAMPLE}",
    "lat": "lat: 36.56",
    "lon": "lon: 136.65",
    "precision": "precision: city",
    "label": "label: ブログ",
    "as_of": 'as_of: "2018-07-30"',
    "date": 'date: "2025-12-09"',
    "finding": "finding: 第90回定例会を開催",
    "source": "source: https://example.org/minutes/2025-12 (「第90回定例会」)",
}
HANDLE_URLS = {
    "github": r"github\.com/([^/?#\s]+(?:/[^/?#\s]+)?)",
    "facebook": r"facebook\.com/((?:groups/|pages/)?[^?#\s]+?)/?(?:[?#]|$)",
    "x": r"(?:twitter|x)\.com/@?([A-Za-z0-9_]+)",
    "connpass": r"([A-Za-z0-9_-]+)\.connpass\.com",
    "doorkeeper": r"([A-Za-z0-9_-]+)\.doorkeeper\.jp",
    "meetup": r"meetup\.com/([A-Za-z0-9_-]+)",
}
PATTERN_RULES = {
    model.URL_PATTERN: "is not a web address; write one that starts with https:// (or http://)",
    model.ID_PATTERN: "is not a valid id; use lowercase letters, digits and single hyphens, like 'code-for-example'",
    model.KANA_PATTERN: "must be written in hiragana or katakana, e.g. 'こーど ふぉー かなざわ'",
    model.PARTIAL_DATE_PATTERN: "is not a date; write YYYY, YYYY-MM or YYYY-MM-DD in quotes, e.g. \"2013-05\"",
    model.DATE_PATTERN: "is not a date; write YYYY-MM-DD in quotes, e.g. \"2026-11-26\"",
    model.TAG_PATTERN: "is not a tag; write one short word per list item, without spaces or commas",
    model.ONE_LINE_PATTERN: "must be one line of plain text (no line breaks, tabs, control characters or "
                            "direction overrides); join the lines, and put longer text in description:",
    model.TEXT_PATTERN: "contains a control character or a bidirectional override; delete it",
    model.GITHUB_PATTERN: "is not a GitHub account name; write the name alone, e.g. 'codeforexample'",
    model.GROUP_PATTERN: "is not a group name; write the name alone, e.g. 'codeforexample'",
    model.FACEBOOK_PATTERN: "is not a Facebook page; write what follows facebook.com/, e.g. 'codeforexample'",
    model.X_PATTERN: "is not an X account name; write it without '@', e.g. 'codeforexample'",
    model.LATIN_PATTERN: "must be the name in Latin letters, e.g. 'Kanazawa'; the Japanese name goes in city:",
}
# pydantic names the branch of a tagged union in the location; users never wrote that name.
SOURCE_TYPES = {"connpass", "doorkeeper", "meetup", "ical"}
TYPE_NAMES = {bool: "true or false", int: "a number", float: "a number", str: "text", list: "a list",
              dict: "a set of keys"}


@dataclass(frozen=True)
class Checked:
    """The outcome of checking a set of files."""

    brigades: tuple[Brigade, ...]
    problems: tuple[Problem, ...]
    files: int


def check_paths(paths: Iterable[Path], known_ids: Iterable[str] = ()) -> Checked:
    """Check each file alone, then all of them together; known_ids are brigades that exist elsewhere."""
    paths = sorted(paths)
    found = [check_file(path) for path in paths]
    brigades = [(path, doc, brigade) for path, (doc, brigade, _) in zip(paths, found, strict=True) if brigade]
    problems = [p for _, _, file_problems in found for p in file_problems]
    problems += cross_check(brigades, set(known_ids))
    return Checked(tuple(b for _, _, b in brigades), tuple(sorted(problems)), len(paths))


def check_file(path: Path) -> tuple[Document | None, Brigade | None, list[Problem]]:
    """Load and validate one file; a Brigade comes back only when nothing is wrong."""
    try:
        document = load_document(path)
    except LoadError as fault:
        return None, None, [_problem(path, fault.mark, fault.field, fault.message)]
    problems = [_problem(path, f.mark, f.field, f.message) for f in document.faults]
    try:
        brigade = Brigade.model_validate(document.data)
    except ValidationError as error:
        problems += [explain_error(document, e) for e in error.errors(include_url=False)]
        brigade = None
    problems += list(_check_rules(document, brigade))
    return document, (brigade if not problems else None), problems


def _problem(path: Path, mark, field: str, message: str) -> Problem:
    return Problem(str(path), mark.line, mark.column, field, message)


def _check_rules(document: Document, brigade: Brigade | None) -> Iterator[Problem]:
    """Rules that need the file name or parse values pydantic leaves as text."""
    data, stem = document.data, document.path.stem
    if not re.fullmatch(model.ID_PATTERN, stem):
        yield _at(document, (), "(file)", f"the file name {stem!r} is not a valid id; name it {suggest_id(stem)}.yml")
    elif stem in model.RESERVED_IDS:
        yield _at(document, (), "(file)", f"{stem!r} is the name of a page the site makes itself; "
                                          "name the file after the brigade, e.g. code-for-example.yml")
    elif isinstance(data.get("id"), str) and data["id"] != stem:
        yield _at(document, ("id",), "id", f"{data['id']!r} does not match the file name; write id: {stem}")
    for i, event in enumerate(brigade.events if brigade else ()):
        if event.rrule:
            yield from _check_rrule(document, i, event.rrule, event.start)


def _check_rrule(document: Document, index: int, rule: str, start: date | datetime) -> Iterator[Problem]:
    found = recurrence.problem(rule, recurrence.as_wall_clock(start))
    if found:
        yield _at(document, ("events", index, "rrule"), f"events[{index}].rrule",
                  f"{rule!r} {found}; write e.g. 'FREQ=MONTHLY;BYDAY=2SA' (the second Saturday of each month)")


def _at(document: Document, loc: Loc, field: str, message: str, *, key: bool = False) -> Problem:
    return _problem(document.path, document.mark_of(loc, key=key), field, message)


def explain_error(document: Document, error: dict) -> Problem:
    """Turn one pydantic error into one line a non-programmer can act on."""
    kind, value = error["type"], error.get("input")
    loc = _point_at(_without_union_tag(tuple(error["loc"])), kind)
    explain = EXPLAIN.get(kind, _explain_default)
    message, key = explain(loc, value, error.get("ctx") or {})
    return _at(document, loc, field_path(loc), message, key=key)


def _without_union_tag(loc: Loc) -> Loc:
    if len(loc) > 2 and loc[0] == "event_sources" and loc[2] in SOURCE_TYPES:
        return loc[:2] + loc[3:]
    return loc


def _point_at(loc: Loc, kind: str) -> Loc:
    """Rules that judge two fields at once are reported on the field most likely wrong."""
    if kind in {"end_before_start", "end_kind"}:
        return (*loc, "end")
    if kind in {"coords_swapped", "coords_outside"}:
        return (*loc, "lat")
    if kind == "basis_without_place":
        return (*loc, "basis")
    return loc


def _explain_default(loc, value, ctx):
    return f"{value!r} is not allowed here", False


def _unknown_key(loc, value, ctx):
    allowed = _keys_at(loc[:-1])
    return f"unknown key {loc[-1]!r}{_suggest(str(loc[-1]), allowed)}", True


def _missing(loc, value, ctx):
    example = REQUIRED_EXAMPLES.get(str(loc[-1]))
    return "is missing" + (f"; add it, e.g. '{example}'" if example else ""), False


def _literal(loc, value, ctx):
    options = re.findall(r"'([^']*)'", ctx.get("expected", ""))
    if loc[-1] == "prefecture":
        hint = _suggest_prefecture(str(value))
        return f"{value!r} is not a prefecture{hint}", False
    return f"{value!r} is not allowed{_suggest(str(value), options)}", False


def _pattern(loc, value, ctx):
    rule = PATTERN_RULES.get(ctx.get("pattern"), "is not in the expected form")
    for platform, url_pattern in HANDLE_URLS.items():
        found = re.search(url_pattern, str(value))
        if loc[-1] in {platform, "group"} and found:
            return f"{value!r} is a URL; write the name alone: {found.group(1)!r}", False
    if str(value).startswith("@"):
        return f"{value!r}: write the name without '@': {value[1:]!r}", False
    if ctx.get("pattern") == model.ID_PATTERN:
        return f"{value!r} {rule}; here perhaps {suggest_id(str(value))!r}", False
    return f"{value!r} {rule}", False


def _wrong_type(expected: type):
    def explain(loc, value, ctx):
        if value is None:
            return "is empty; write a value or delete the line", False
        hint = ""
        if expected is dict and loc and loc[-1] == "name" and isinstance(value, str):
            hint = f"; write 'name: {{ja: {value}}}'"
        if expected is list and isinstance(value, str):
            hint = f"; write [{value}]"
        return f"must be {TYPE_NAMES[expected]}, not {_describe(value)}{hint}", False

    return explain


def _time_type(loc, value, ctx):
    return f"must be a date and time in quotes, such as {TIME_EXAMPLE}, not {_describe(value)}", False


def _time_format(loc, value, ctx):
    if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", str(value)):
        return f"{value!r} has no date; write {TIME_EXAMPLE}", False
    return f"{value!r} is not a date and time; write {TIME_EXAMPLE}, or \"2026-12-12\" for a whole day", False


def _time_zone(loc, value, ctx):
    return f"{value!r} has no time zone; add +09:00, as in {TIME_EXAMPLE}", False


def _coords_swapped(loc, value, ctx):
    lat, lon = ctx["lat"], ctx["lon"]
    return f"latitude and longitude look swapped; write lat: {lon}, lon: {lat}", False


def _coords_outside(loc, value, ctx):
    return (f"lat {ctx['lat']}, lon {ctx['lon']} is outside Japan (lat 20 to 46, lon 122 to 154.5); "
            "check the numbers, or remove coordinates"), False


EXPLAIN = {
    "extra_forbidden": _unknown_key,
    "missing": _missing,
    "literal_error": _literal,
    "string_pattern_mismatch": _pattern,
    "string_type": _wrong_type(str),
    "bool_type": _wrong_type(bool),
    "int_type": _wrong_type(int),
    "float_type": _wrong_type(float),
    "list_type": _wrong_type(list),
    "dict_type": _wrong_type(dict),
    "model_type": _wrong_type(dict),
    "string_too_short": lambda loc, value, ctx: ("is empty; write a value or delete the line", False),
    "string_too_long": lambda loc, value, ctx: (
        f"is {len(value)} characters long; keep it to {ctx['max_length']}", False),
    "too_short": lambda loc, value, ctx: (
        "needs at least one entry" + (
            ": say where these facts come from, e.g. \"the brigade's own website (2026-11)\""
            if loc == ("sources",) else ""), False),
    "union_tag_invalid": lambda loc, value, ctx: (
        f"{ctx['tag']!r} is not a source type" + _suggest(ctx["tag"], re.findall(r"'([^']*)'", ctx["expected_tags"])),
        False),
    "union_tag_not_found": lambda loc, value, ctx: ("needs 'type:' (connpass, doorkeeper, meetup or ical)", False),
    "time_type": _time_type,
    "time_format": _time_format,
    "time_zone": _time_zone,
    "coords_swapped": _coords_swapped,
    "coords_outside": _coords_outside,
    "end_before_start": lambda loc, value, ctx: ("the end is before the start; check both times", False),
    "end_kind": lambda loc, value, ctx: ("start and end must both be whole days, or both have a time", False),
    "bad_date": lambda loc, value, ctx: (f"{ctx['value']!r} is not a real date", False),
    "basis_without_place": lambda loc, value, ctx: (
        "'inferred-from-name' needs the place it infers; add prefecture: (and city: when the name names one "
        "municipality), or delete basis:", False),
    "time_range": lambda loc, value, ctx: (
        f"{ctx['value']!r} is not a plausible day for a meeting; write a date from {model.EVENT_YEARS[0]} "
        f"to {model.EVENT_YEARS[1]}", False),
}


def _describe(value) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value)
    return TYPE_NAMES.get(type(value), type(value).__name__)


def _suggest(value: str, options: Iterable[str]) -> str:
    options = list(options)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    if not options or len(options) > 12:
        return ""
    return f"; write one of: {', '.join(options)}"


def _suggest_prefecture(value: str) -> str:
    names = japan.prefecture_names()
    by_romaji = {p.slug: p.name for p in japan.prefectures()}
    romaji = re.sub(r"[-\s]?(ken|to|fu|prefecture)$", "", value.strip().lower())
    if romaji in by_romaji:
        return f"; did you mean {by_romaji[romaji]!r}?"
    for name in names:
        if value and (name.startswith(value) or name == value.rstrip("県都府") + name[-1:]):
            return f"; did you mean {name!r}?"
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.5)
    if close:
        return f"; did you mean {close[0]!r}?"
    return "; write one of the 47 in full, e.g. '石川県', '東京都', '大阪府' or '北海道'"


def suggest_id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "code-for-example"


@cache
def _schema() -> dict:
    return model.brigade_schema()


def _keys_at(loc: Loc) -> list[str]:
    """List the keys the schema allows at loc, so that a near miss can be named."""
    schema = _schema()
    node = schema
    for part in loc:
        node = _resolve(schema, node)
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
    return list(_resolve(schema, node).get("properties", {}))


def _resolve(schema: dict, node: dict) -> dict:
    """Follow $ref and merge the branches of anyOf/oneOf, so that optional fields and unions can be walked."""
    if "$ref" in node:
        return _resolve(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[-1]])
    branches = node.get("anyOf") or node.get("oneOf")
    if not branches:
        return node
    merged: dict = {"properties": {}}
    for branch in (_resolve(schema, b) for b in branches):
        merged["properties"].update(branch.get("properties", {}))
        merged.setdefault("items", branch.get("items"))
    return {k: v for k, v in merged.items() if v is not None}


def cross_check(found: list[tuple[Path, Document, Brigade]], known_ids: set[str]) -> list[Problem]:
    """Find what two files claim at once, and co-hosts that do not exist."""
    problems: list[Problem] = []
    owners: dict[tuple[str, str], Path] = {}
    ids = known_ids | {brigade.id for _, _, brigade in found}
    for path, document, brigade in found:
        for claim, loc in _claims(brigade):
            first = owners.setdefault(claim, path)
            if first != path:
                what = "id" if claim[0] == "id" else f"{claim[0]} {claim[1]!r}"
                problems.append(_at(document, loc, field_path(loc),
                                    f"{what} is already claimed by {first}; each belongs to one brigade"))
        problems += _check_co_hosts(document, brigade, ids)
    return problems


def _claims(brigade: Brigade) -> Iterator[tuple[tuple[str, str], Loc]]:
    yield ("id", brigade.id), ("id",)
    seen = set()
    for platform in ("github", "connpass", "doorkeeper", "meetup", "facebook", "x"):
        handle = getattr(brigade.links, platform)
        if handle:
            seen.add((platform, handle.lower()))
            yield (platform, handle.lower()), ("links", platform)
    for i, source in enumerate(brigade.event_sources):
        claim = (source.type, (getattr(source, "group", None) or source.url).lower())
        if claim not in seen:
            seen.add(claim)
            yield claim, ("event_sources", i)


def _check_co_hosts(document: Document, brigade: Brigade, ids: set[str]) -> list[Problem]:
    problems = []
    for i, event in enumerate(brigade.events):
        for j, co_host in enumerate(event.co_hosts):
            loc = ("events", i, "co_hosts", j)
            if co_host == brigade.id:
                problems.append(_at(document, loc, field_path(loc), "is this brigade itself; list only other brigades"))
            elif co_host not in ids:
                problems.append(_at(document, loc, field_path(loc),
                                    f"{co_host!r} is not a brigade id{_suggest(co_host, sorted(ids))}"))
    return problems
