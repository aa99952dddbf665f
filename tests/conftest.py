"""Shared fixtures: tiny feed dumps written inside the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.shared.taxonomy import load_taxonomy
from tests.sitebuild import build_bundled_site, built_once

ROOT = Path(__file__).resolve().parent.parent
HEADER = "INCOMING TRANSMISSION\n\nLATEST UPDATES\n"


def write_feed(path: Path, *lines: str, header: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((HEADER if header else "") + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(ROOT / "taxonomy.yml")


@pytest.fixture(scope="session")
def bundled_site_project(tmp_path_factory) -> Path:
    """A copy of the project with the bundled site built (``--strict``), shared by every worker: read-only."""
    return built_once(tmp_path_factory, "bundled-site", build_bundled_site)
