"""The package's layout is its architecture: imports between the parts point one way only.

Every ``import`` statement in every module is read with ``ast`` (including imports inside
functions), so a crossing cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "ingest"
PARTS = ("shared", "pipeline", "site", "contributor")
# What each part must never import.
FORBIDDEN = {
    "shared": {"pipeline", "site", "contributor", "cli"},
    "pipeline": {"site", "contributor", "cli"},
    "site": {"pipeline", "contributor", "cli"},
    "contributor": {"cli"},
}


def part_of(module: str) -> str | None:
    """``ingest.site.pages`` -> ``site``; ``ingest.cli`` -> ``cli``; a non-ingest module -> None."""
    pieces = module.split(".")
    if pieces[0] != "ingest":
        return None
    return pieces[1] if len(pieces) > 1 else ""


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """``(line, absolute module name)`` of every import in ``path`` (a file under ``root``),
    relative imports resolved."""
    package = list(path.relative_to(root).parts[:-1])  # the package a relative import starts from
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # ``from ingest import site`` imports the part itself.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names if module == "ingest"]
    return found


def crossings(package: Path = PACKAGE) -> list[str]:
    problems = []
    for path in sorted(package.rglob("*.py")):
        own = path.relative_to(package).parts[0]
        if own not in FORBIDDEN:
            continue
        for line, module in imported_modules(path, package.parent):
            if part_of(module) in FORBIDDEN[own]:
                problems.append(f"{path.relative_to(package.parent)}:{line}: ingest.{own} must not import {module}")
    return problems


def test_every_part_is_a_sub_package_with_its_rules_in_its_docstring():
    for part in PARTS:
        init = PACKAGE / part / "__init__.py"
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and "May import" in docstring, f"{init} must say what it is for and what it may import"


def test_no_module_sits_beside_the_parts():
    loose = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "cli.py"]


def test_no_import_crosses_the_boundaries():
    assert crossings() == []


@pytest.mark.parametrize(
    ("part", "statement", "crossing"),
    [
        ("pipeline", "from ingest.site.pages import topic_page", True),
        ("pipeline", "import ingest.contributor.check", True),
        ("site", "from ingest.pipeline.write import Manifest", True),
        ("site", "from ..contributor import check", True),
        ("site", "def f():\n    from ingest import pipeline\n", True),
        ("shared", "from ingest.site import library", True),
        ("contributor", "from ingest.site.pages import topic_page_path", False),
        ("site", "from ingest.shared.taxonomy import Taxonomy", False),
    ],
)
def test_the_boundary_check_catches_a_crossing(tmp_path, part, statement, crossing):
    """The check itself can fail: a planted import across a line is reported, an allowed one is not."""
    package = tmp_path / "ingest"
    (package / part).mkdir(parents=True)
    (package / part / "__init__.py").write_text("")
    (package / part / "planted.py").write_text(statement + "\n")
    found = crossings(package)
    assert bool(found) is crossing, found


def test_the_command_line_imports_no_contributor_tool_until_its_command_runs():
    """``python -m ingest run`` must not pay for ``check``'s imports (the site build's rules, KaTeX)."""
    probe = "import sys, ingest.cli; print(sorted(m for m in sys.modules if m.startswith('ingest.contributor.')))"
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    heavy = {"ingest.contributor.check", "ingest.contributor.new", "ingest.contributor.takeover"}
    assert not heavy & set(ast.literal_eval(loaded.stdout.strip()))
