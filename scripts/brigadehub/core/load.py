"""Read a brigade file's YAML into plain data, remembering the line and column of every key and value."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.cyaml import CParser
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

MAX_BYTES = 256 * 1024
MAX_NODES = 20_000
# A brigade file nests four levels deep (events[0].co_hosts[0]); PyYAML composes recursively, so a flow list
# thousands deep would exhaust the stack before any rule could say what is wrong.
MAX_DEPTH = 32
# No field takes a number this long; Python refuses to convert integers of more than 4,300 digits.
MAX_DIGITS = 30
TEMPLATE_HINT = "copy brigades/_template.yml or run 'brigadehub new'"

Loc = tuple[str | int, ...]
# Tags that YAML gives plain values by itself; a written tag such as !!python/object is refused.
PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")}


@dataclass(frozen=True)
class Mark:
    line: int
    column: int


class LoadError(Exception):
    """A fault that stops reading the file: the message says where and what to do."""

    def __init__(self, mark: Mark, field: str, message: str):
        super().__init__(message)
        self.mark, self.field, self.message = mark, field, message


@dataclass
class Document:
    path: Path
    data: object
    value_marks: dict[Loc, Mark] = field(default_factory=dict)
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    faults: list[LoadError] = field(default_factory=list)

    def mark_of(self, loc: Loc, *, key: bool = False) -> Mark:
        """Return where loc is written, or where its nearest written parent is."""
        marks = self.key_marks if key else self.value_marks
        for end in range(len(loc), -1, -1):
            if loc[:end] in marks:
                return marks[loc[:end]]
            if loc[:end] in self.value_marks:
                return self.value_marks[loc[:end]]
        return Mark(1, 1)


class _CoreResolver(BaseResolver):
    """YAML 1.2's core schema, as editors read it: 14:00 stays text and so do no, on and 2026-12-12."""


for _tag, _pattern, _first in (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", "-+0123456789."),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
):
    _CoreResolver.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"), list(_first))


class _Checks(Composer):
    """Composing as PyYAML does, with the limits a contributed file needs."""

    depth = 0

    def compose_node(self, parent, index):
        # Refusing aliases outright stops "billion laughs" before it can grow.
        if self.check_event(yaml.AliasEvent):
            raise LoadError(_mark(self.peek_event().start_mark), "(yaml)",
                            "aliases (*name) are not allowed in brigade files; write the value out in full")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise LoadError(_mark(self.peek_event().start_mark), "(yaml)",
                                f"is nested more than {MAX_DEPTH} levels deep; a brigade file needs about four")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(Reader, Scanner, Parser, _Checks, _CoreResolver):
    """Pure Python throughout: slow, but its error messages are the ones this module turns into advice."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Checks.__init__(self)
        _CoreResolver.__init__(self)


class _FastLoader(_Checks, CParser, _CoreResolver):
    """libyaml scans and parses (ten times faster: 0.03 s for the 116 real files against 0.26 s), and the same
    Python composes, with the same checks; a file it cannot read is read again by _Loader for the message."""

    def __init__(self, text: str):
        CParser.__init__(self, text)
        _Checks.__init__(self)
        _CoreResolver.__init__(self)


def compose(text: str):
    """The document's root node, or None; raises LoadError or PyYAML's own errors, as _Loader words them."""
    try:
        return _FastLoader(text).get_single_node()
    except Exception:  # noqa: BLE001 - whatever stopped libyaml (a lone surrogate, say), _Loader says it our way
        return _Loader(text).get_single_node()


def _mark(yaml_mark) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def _mark_at(text: str, offset: int) -> Mark:
    line = text.count("\n", 0, offset) + 1
    return Mark(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def read_text(path: Path) -> str:
    """Read a file as UTF-8, refusing files too large or in another encoding."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise LoadError(Mark(1, 1), "(file)", f"is {size:,} bytes; a brigade file must be under {MAX_BYTES // 1024} KB")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        mark = _mark_at(raw.decode("latin-1"), error.start)
        guess = " (it looks like Shift_JIS)" if _is_shift_jis(raw) else ""
        raise LoadError(mark, "(file)", f"is not UTF-8{guess}; save it as UTF-8") from None


def _is_shift_jis(raw: bytes) -> bool:
    try:
        raw.decode("cp932")
    except UnicodeDecodeError:
        return False
    return True


def parse(text: str, path: Path) -> Document:
    """Parse YAML text into a Document; raise LoadError on anything that stops reading."""
    try:
        node = compose(text)
    except ReaderError as error:
        raise LoadError(_mark_at(text, error.position), "(file)",
                        f"contains the control character {error.character:#04x}; delete it") from None
    except yaml.MarkedYAMLError as error:
        raise LoadError(_mark(error.problem_mark), "(yaml)", _syntax_message(error)) from None
    if node is None:
        raise LoadError(Mark(1, 1), "(file)", f"is empty; {TEMPLATE_HINT}")
    document = Document(path, None)
    document.data = _Builder(document).build(node, ())
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else f"the value {document.data!r}"
        raise LoadError(_mark(node.start_mark), "(file)",
                        f"must be a set of keys such as 'id:' and 'name:', not {kind}; {TEMPLATE_HINT}")
    return document


def load_document(path: Path) -> Document:
    return parse(read_text(path), path)


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "is not valid YAML"
    if "\t" in problem or "'\\t'" in problem:
        return "a tab is used for indentation; indent with spaces"
    if "expected a single document" in (error.context or ""):
        return "holds more than one document ('---'); keep one brigade per file"
    hint = "check the indentation, and put values containing ': ' or ' #' in quotes"
    return f"YAML syntax error: {problem}; {hint}"


class _Builder:
    """Turn composed YAML nodes into dicts, lists and scalars, noting each one's position."""

    def __init__(self, document: Document):
        self.document = document
        self.count = 0

    def build(self, node, loc: Loc):
        self.count += 1
        if self.count > MAX_NODES:
            raise LoadError(_mark(node.start_mark), "(file)",
                            f"has more than {MAX_NODES:,} values; split it or trim it")
        self.document.value_marks[loc] = _mark(node.start_mark)
        _check_tag(node)
        if node.tag.endswith((":int", ":float")) and sum(c.isdigit() for c in node.value) > MAX_DIGITS:
            raise LoadError(_mark(node.start_mark), field_path(loc),
                            f"is a number of {sum(c.isdigit() for c in node.value):,} digits; write a plausible value")
        if isinstance(node, MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return _scalar(node)

    def _mapping(self, node: MappingNode, loc: Loc) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise LoadError(_mark(key_node.start_mark), field_path(loc),
                                "a key must be a plain word such as 'name'")
            _check_tag(key_node)
            key = str(_scalar(key_node))
            if key in result:
                first = self.document.key_marks[(*loc, key)]
                self.document.faults.append(LoadError(
                    _mark(key_node.start_mark), field_path((*loc, key)),
                    f"is written twice (first on line {first.line}); keep one"))
                continue
            self.document.key_marks[(*loc, key)] = _mark(key_node.start_mark)
            result[key] = self.build(value_node, (*loc, key))
        return result


def _check_tag(node) -> None:
    if node.tag not in PLAIN_TAGS:
        raise LoadError(_mark(node.start_mark), "(yaml)", f"the tag {node.tag!r} is not allowed; remove it")


def _scalar(node: ScalarNode):
    tag, value = node.tag.rsplit(":", 1)[-1], node.value
    if tag == "int":
        return int(value, 0) if value.startswith(("0o", "0x")) else int(value)
    if tag == "float":
        return _float(value)
    if tag == "bool":
        return value.lower() == "true"
    if tag == "null":
        return None
    return value


def _float(value: str) -> float:
    lowered = value.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(value)


def field_path(loc: Loc) -> str:
    """Write a location as the field path users see: events[0].start."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"
