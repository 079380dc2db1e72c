"""Rewrite a brigade file into one canonical key order and style, keeping every comment the author wrote."""

from __future__ import annotations

import io
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path

import yaml as pyyaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from brigadehub.core import model
from brigadehub.core.load import LoadError, parse, read_text

# The first line of every brigade file: editors that speak the YAML language server check the file with it.
SCHEMA_COMMENT = "# yaml-language-server: $schema=schema.json\n"
# Short lists of words read best on one line, as the template writes them; every other collection is a block.
FLOW_LISTS = frozenset({"tags", "languages", "maintainers", "co_hosts"})
# Never fold a long value (sources are often a whole sentence): one value, one line.
WIDTH = 4096
# Dates and times are quoted, as the template and the validator's messages ask: YAML 1.1 readers
# (PyYAML among them) would turn them into dates or sexagesimal numbers.
DATE_LIKE = re.compile(f"{model.PARTIAL_DATE_PATTERN}|{model.TIME_PATTERN}|" + r"^\d{1,2}:\d{2}(:\d{2})?$")
STR_TAG = "tag:yaml.org,2002:str"


class FormatError(Exception):
    """A file that cannot be formatted safely; the message says what to do first."""


class _Constructor(RoundTripConstructor):
    """Read dates as the text written, as load.py does (YAML 1.2 core schema has no timestamps)."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def format_file(path: Path) -> tuple[str, str]:
    """Return a file's text and its canonical text; raise FormatError if it cannot be read or formatted."""
    try:
        text = read_text(path)
    except LoadError as fault:
        raise FormatError(f"{fault.message}; fix it first (brigadehub validate {path})") from None
    return text, format_text(text, path)


@dataclass
class Formatted:
    """What formatting a set of files found: the files not in canonical form, and those it could not read."""

    stale: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def format_paths(paths: list[Path], check: bool) -> Formatted:
    """Format each file in place (with check, change nothing) and say which were stale or unreadable."""
    found = Formatted()
    for path in paths:
        try:
            text, result = format_file(path)
        except FormatError as error:
            found.failed.append((path, str(error)))
            continue
        except OSError as error:
            found.failed.append((path, f"cannot be read ({error.strerror})"))
            continue
        if result != text:
            found.stale.append(path)
            if not check:
                path.write_text(result, encoding="utf-8")
    return found


def format_text(text: str, path: Path) -> str:
    """Return the canonical text of a brigade file; raise FormatError if it cannot be read or would change."""
    before = _load_plain(text, path)
    yaml = _yaml()
    try:
        tree = yaml.load(text)
    except YAMLError as error:
        raise FormatError(f"cannot be read ({error.__class__.__name__}); run: brigadehub validate {path}") from None
    _arrange(tree, (model.Brigade,), key=None)
    out = io.StringIO()
    yaml.dump(tree, out)
    result = out.getvalue()
    if _load_plain(result, path) != before:
        raise FormatError("formatting would change its data; it was left alone (please report this)")
    return result


def render_data(data: dict, header: str, path: Path) -> str:
    """Return new brigade data as canonical file text, opening with header (comment lines)."""
    text = header + pyyaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=WIDTH)
    return format_text(text, path)


def _load_plain(text: str, path: Path) -> object:
    """Read text the way the site does, so that formatting is checked against what the site sees."""
    try:
        document = parse(text, path)
    except LoadError as fault:
        raise FormatError(f"{fault.message}; fix it first (brigadehub validate {path})") from None
    if document.faults:
        fault = document.faults[0]
        raise FormatError(f"{fault.field}: {fault.message}; fix it first (brigadehub validate {path})")
    return document.data


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.width = WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _arrange(node, models: tuple[type[BaseModel], ...], key: str | None):
    """Put keys in the model's order, and give every collection and text its canonical style."""
    if isinstance(node, CommentedMap):
        chosen = _pick(models, node)
        _reorder(node, chosen)
        node.fa.set_block_style()
        for child in list(node):
            node[child] = _arrange(node[child], _models_of(chosen, child), child)
        return node
    if isinstance(node, CommentedSeq):
        flow = key in FLOW_LISTS and not any(isinstance(item, (dict, list)) for item in node)
        node.fa.set_flow_style() if flow else node.fa.set_block_style()
        for i, item in enumerate(node):
            node[i] = _styled(item, flow) if isinstance(item, str) else _arrange(item, models, None)
        return node
    return _styled(node, flow=False) if isinstance(node, str) else node


def _reorder(node: CommentedMap, chosen: type[BaseModel] | None) -> None:
    # Keys the model does not know keep their order, after the known ones; the validator names them.
    order = list(chosen.model_fields) if chosen else []
    rank = {name: i for i, name in enumerate(order)}
    keys = list(node)
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(order)), keys.index(k)))
    if wanted != keys:
        for k in wanted:
            node.move_to_end(k)


def _pick(models: tuple[type[BaseModel], ...], node: CommentedMap) -> type[BaseModel] | None:
    """Choose the branch of a union that the mapping's 'type:' names (event_sources)."""
    for candidate in models:
        kind = candidate.model_fields.get("type")
        if kind is None or node.get("type") in typing.get_args(kind.annotation):
            return candidate
    return models[0] if models else None


def _models_of(parent: type[BaseModel] | None, key: str) -> tuple[type[BaseModel], ...]:
    field = parent.model_fields.get(key) if parent else None
    return tuple(_models_in(field.annotation)) if field else ()


def _models_in(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_args(annotation):  # Optional, list, Union, Annotated
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def _styled(text: str, flow: bool):
    """Plain where YAML allows it and every reader agrees it is text; otherwise quoted."""
    if "\n" in text.rstrip("\n"):
        return LiteralScalarString(text)
    if not _needs_quotes(text, flow):
        return str(text)
    # Double quotes, unless single quotes spare escaping the text's own double quotes.
    if '"' in text and "'" not in text:
        return SingleQuotedScalarString(text)
    return DoubleQuotedScalarString(text)


def _needs_quotes(text: str, flow: bool) -> bool:
    if not text or DATE_LIKE.search(text):
        return True
    analysis = Emitter(io.StringIO(), allow_unicode=True).analyze_scalar(text)
    if not (analysis.allow_flow_plain if flow else analysis.allow_block_plain):
        return True
    return any(str(resolver.resolve(ScalarNode, text, (True, False))) != STR_TAG for resolver in _RESOLVERS)


# A value must read as text both to YAML 1.2 (editors, load.py) and to YAML 1.1 (PyYAML and older tools).
_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))
