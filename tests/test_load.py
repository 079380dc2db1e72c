"""Tests for load.py: YAML 1.2 scalars, positions of keys and values, and refusals that stop reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from brigadehub.core import load
from brigadehub.core.load import LoadError, Mark, parse

HERE = Path("brigades/code-for-example.yml")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14:00", "14:00"),  # YAML 1.1 would make this the number 840
        ("no", "no"),  # ... and this False
        ("2026-12-12", "2026-12-12"),  # ... and this a date
        ("'1'", "1"),
        ("1", 1),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("true", True),
        ("~", None),
        ("", None),
    ],
)
def test_scalars_follow_yaml_1_2_core_schema(text, value):
    assert parse(f"key: {text}\n", HERE).data == {"key": value}


def test_marks_name_the_line_and_column_of_keys_and_values():
    document = parse("id: x\nevents:\n  - title: a\n    start: '14:00'\n", HERE)
    assert document.value_marks[("events", 0, "start")] == Mark(4, 12)
    assert document.key_marks[("events", 0, "start")] == Mark(4, 5)
    assert document.mark_of(("events", 0, "start", "deeper")) == Mark(4, 12)


def test_an_anchor_without_alias_is_harmless():
    assert parse("name: &n {ja: x}\n", HERE).data == {"name": {"ja": "x"}}


def test_an_alias_stops_reading_at_the_alias():
    with pytest.raises(LoadError) as caught:
        parse("a: &a [1]\nb: *a\n", HERE)
    assert caught.value.mark == Mark(2, 4)
    assert "aliases" in caught.value.message


def test_a_duplicate_key_is_a_fault_that_keeps_the_first_value():
    document = parse("id: a\nid: b\n", HERE)
    assert document.data == {"id": "a"}
    assert [(f.mark, f.field) for f in document.faults] == [(Mark(2, 1), "id")]


def test_a_file_of_several_megabytes_is_refused_before_parsing(tmp_path):
    from brigadehub.core.load import load_document

    big = tmp_path / "code-for-example.yml"
    big.write_text("notes: " + "あ" * 3_000_000, encoding="utf-8")
    with pytest.raises(LoadError, match=r"is 9,000,007 bytes; a brigade file must be under 256 KB"):
        load_document(big)


def test_a_byte_order_mark_is_accepted(tmp_path):
    from brigadehub.core.load import load_document

    path = tmp_path / "code-for-example.yml"
    path.write_bytes("\ufeffid: code-for-example\n".encode())
    assert load_document(path).data == {"id": "code-for-example"}


def _utf8(path: Path) -> bool:
    try:
        path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _tree(node) -> object:
    """A composed node as plain tuples: its kind, tag, value and where it starts."""
    if node is None:
        return None
    value = node.value
    if isinstance(value, list):
        value = [tuple(_tree(n) for n in item) if isinstance(item, tuple) else _tree(item) for item in value]
    return type(node).__name__, node.tag, value, node.start_mark.line, node.start_mark.column


# Every brigade file and fixture that is UTF-8 (read_text refuses the rest before any YAML is read).
YAML_FILES = [p for p in sorted(Path(__file__).parent.parent.glob("brigades/*.yml"))
              + sorted(Path(__file__).parent.glob("data/**/*.yml")) if p.read_bytes().isascii() or _utf8(p)]


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_composes_what_the_pure_python_loader_does(path):
    # parse() reads with libyaml and falls back to the pure loader for its messages; on every file either reads,
    # both must give the same nodes at the same places, or the marks in the messages would drift.
    text = path.read_text("utf-8-sig")
    refused = parse_error(lambda: load._Loader(text).get_single_node())
    if refused is None:
        assert _tree(load._FastLoader(text).get_single_node()) == _tree(load._Loader(text).get_single_node())
    else:  # a bad file: libyaml must refuse it too, and compose() must say what the pure loader says
        assert parse_error(lambda: load._FastLoader(text).get_single_node()) is not None
        assert str(parse_error(lambda: load.compose(text))) == str(refused)


def parse_error(read) -> Exception | None:
    try:
        read()
    except Exception as error:  # noqa: BLE001 - any refusal counts; which one is compared by the caller
        return error
    return None
