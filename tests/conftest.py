"""Shared fixtures: the repository's root and a way to run the real brigadehub command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def run_brigadehub(*args: str, cwd: Path = ROOT, env: dict | None = None, input: str | None = None):
    """Run `python -m brigadehub` as a user would, capturing what it prints."""
    # Outside Actions and inside it alike, a test sees plain output unless it asks for annotations.
    inherited = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    full_env = {**inherited, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "brigadehub", *args],
        cwd=cwd, env=full_env, input=input, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture
def brigadehub():
    return run_brigadehub
