"""Content fingerprints that tell the ingest's caches when what they remember is out of date.

* ``code_fingerprint``: the ingest's own code (``ingest/pipeline`` and ``ingest/shared``, all the
  pipeline may import), the libraries its output depends on, and the Python version. Any edit
  of any of them makes every cached result stale.
* ``taxonomy_fingerprint``: the loaded taxonomy, as tagging sees it.
* ``FileDigests``: sha256 of files by content, each file read once per run even when several
  caches ask.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from ingest.shared.taxonomy import Taxonomy

PACKAGE = Path(__file__).resolve().parents[1]
CODE_FOLDERS = ("pipeline", "shared")  # tests/test_architecture.py: the pipeline imports nothing else of ours
# Libraries whose behaviour the output depends on (signatures, YAML emitter and resolver, matcher).
DEPENDENCIES = ("numpy", "rensa", "pyyaml", "pyahocorasick")


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


@cache
def code_fingerprint() -> str:
    """Everything besides the inputs that decides the ingest's output, as one hash."""
    digest = hashlib.sha256()
    for part in (sys.version, marshal.version, *(f"{name}={_version(name)}" for name in DEPENDENCIES)):
        digest.update(f"{part}\0".encode())
    for folder in CODE_FOLDERS:
        for source in sorted((PACKAGE / folder).rglob("*.py")):
            digest.update(f"{source.relative_to(PACKAGE).as_posix()}\0{file_digest(source)}\n".encode())
    return digest.hexdigest()


def taxonomy_fingerprint(taxonomy: Taxonomy) -> str:
    # The dataclasses' repr holds every field of every topic and section, in order.
    return hashlib.sha256(repr((taxonomy.sections, taxonomy.topics)).encode()).hexdigest()


@dataclass
class FileDigests:
    """sha256 per file for one run; a file whose size or times changed meanwhile is read again."""

    known: dict[tuple, str] = field(default_factory=dict)

    def __call__(self, path: Path) -> str:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        if key not in self.known:
            self.known[key] = file_digest(path)
        return self.known[key]
