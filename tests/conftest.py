"""Shared fixtures: tiny feed dumps written inside the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.shared.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
HEADER = "INCOMING TRANSMISSION\n\nLATEST UPDATES\n"


def write_feed(path: Path, *lines: str, header: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((HEADER if header else "") + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(ROOT / "taxonomy.yml")
