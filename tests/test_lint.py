"""Ruff over the code and the tests, with the rules in pyproject.toml, so that style drift fails CI."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", "scripts", "tests"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# A line break inside a paragraph becomes a space in HTML, which Japanese text does not have: "が いっしょに".
CJK = r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]"


def test_no_japanese_sentence_is_broken_across_lines_in_the_hand_written_pages():
    broken = []
    for path in sorted([*(ROOT / "docs").glob("*.md"), ROOT / "docs" / "take-part" / "index.md"]):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, (line, following) in enumerate(zip(lines, lines[1:], strict=False), start=1):
            start = following.lstrip()
            if (re.search(CJK + "$", line) and re.match(CJK, start) and not line.startswith(("|", "#"))
                    and not re.match(r"(#|\||[-*] |\d+\. )", start)):
                broken.append(f"{path.name}:{number}")
    assert broken == []
