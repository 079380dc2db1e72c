"""The folder tree shows the stages: no module imports from a stage after its own, and docs/architecture.md
names every module that exists and none that does not."""

from __future__ import annotations

import ast
import re

import pytest

from conftest import ROOT

PACKAGE = ROOT / "scripts" / "brigadehub"
# What each part of the package may import from brigadehub: itself and the stages before it.
ALLOWED = {
    "core": {"core"},
    "events": {"core", "events"},
    "site": {"core", "events", "site"},
    "contrib": {"core", "events", "contrib"},
    "pipeline": {"core", "events", "site", "contrib"},
    "cli": {"core", "events", "site", "contrib", "pipeline"},
    "__main__": {"cli"},
}
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")


def _part(path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path) -> set[str]:
    """The parts of brigadehub a module imports, wherever in it the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level:
            pytest.fail(f"{path}: relative import; write brigadehub.<part>.<module>")
        for name in names:
            if name == "brigadehub" and isinstance(node, ast.ImportFrom):
                found |= {alias.name for alias in node.names}
            elif name.startswith("brigadehub."):
                found.add(name.split(".")[1])
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_module_imports_only_its_own_stage_and_those_before_it(path):
    assert _imports(path) <= ALLOWED[_part(path)]


def test_the_check_would_catch_a_module_that_reaches_ahead(tmp_path):
    ahead = tmp_path / "load.py"
    ahead.write_text("from brigadehub.site import pages\nimport brigadehub.events.fetch\n", encoding="utf-8")
    assert _imports(ahead) == {"site", "events"}


def _named_in_architecture() -> set[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set()
    paths = r"`((?:core|events|site|contrib)/(?:sources/)?)(?:\{([a-z,]+)\}|([a-z_]+))\.py`"
    for folder, names, single in re.findall(paths, text):
        named |= {f"{folder}{name}.py" for name in (names.split(",") if names else [single])}
    named |= set(re.findall(r"`((?:pipeline|cli)\.py)`", text))
    return named


def test_docs_architecture_names_every_module_and_only_modules_that_exist():
    modules = {p.relative_to(PACKAGE).as_posix() for p in MODULES if p.name != "__main__.py"}
    assert _named_in_architecture() == modules


def test_security_md_names_only_tests_and_cases_that_exist():
    """SECURITY.md maps each defence to the test that proves it; a renamed test must not leave it wrong."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/[\w/.-]+)`", text))
    cells = [cell for cell in text.split("|") if "tests/data/bad/" in cell]  # a cell names more cases after one
    cases = {f"tests/data/bad/{name}" for cell in cells for name in re.findall(r"`([\w-]+\.yml)`", cell)}
    assert len(named) >= 15 and len(cases) >= 7
    assert [path for path in named | cases if not (ROOT / path).exists()] == []
