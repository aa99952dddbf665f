"""Skip an ingest run that cannot change anything (``python -m ingest run --cache FILE``).

A run is a function of the feed files, the taxonomy, the curated titles, the ingest's own
code and the files under ``docs/``, and running it again on its own output changes nothing:
every file comes out "unchanged". So after a run the cache records a fingerprint of the
inputs and of ``docs/`` as the run left it, with the report a re-run would give (every
written file counted as unchanged, nothing removed). A later run that finds the same
fingerprint returns that report without parsing, deduplicating or touching a single file.

Inputs are fingerprinted by content. ``docs/`` is fingerprinted by each file's path, size,
inode, modification and change time, so any edit, new file, removal or ``touch`` (by a
contributor, an editor, ``git checkout``) makes the next run a full one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ingest.pipeline.parse import collect_feed_files
from ingest.shared.messages import display_name
from ingest.shared.taxonomy import Taxonomy

CACHE_VERSION = 1
# Libraries whose behaviour the output depends on (LSH parameters, YAML emitter, matcher).
DEPENDENCIES = ("datasketch", "pyyaml", "pyahocorasick", "python-frontmatter")
INGEST_PACKAGE = Path(__file__).resolve().parents[1]  # the whole ingest package: every part can change the output


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


def inputs_fingerprint(feeds: list[Path], docs: Path, taxonomy: Taxonomy, titles: Path) -> str:
    """Everything a run reads except ``docs/``: feed bytes, taxonomy, titles, code, versions."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(repr(part).encode())
            digest.update(b"\0")

    add(CACHE_VERSION, sys.version, [_version(name) for name in DEPENDENCIES])
    for source in sorted(INGEST_PACKAGE.rglob("*.py")):
        add(source.relative_to(INGEST_PACKAGE).as_posix(), _file_digest(source))
    # Sources are named relative to the working directory, so it is an input too.
    add(Path.cwd().resolve().as_posix(), docs.resolve().as_posix())
    files, missing = collect_feed_files(feeds)
    add([problem.file for problem in missing])
    for path in files:
        add(display_name(path), _file_digest(path))
    add(taxonomy.sections, taxonomy.topics)
    add(titles.as_posix(), _file_digest(titles) if titles.is_file() else None)
    return digest.hexdigest()


def docs_fingerprint(docs: Path) -> str:
    """Every file under ``docs/``: path, size, inode, modification and change time."""
    digest = hashlib.sha256()
    for folder, subfolders, names in os.walk(docs):
        subfolders.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue  # a dangling link or a file removed meanwhile: the next run decides
            digest.update(
                f"{os.path.relpath(path, docs)}\0{stat.st_size}\0{stat.st_ino}\0"
                f"{stat.st_mtime_ns}\0{stat.st_ctime_ns}\n".encode(errors="surrogateescape")
            )
    return digest.hexdigest()


def as_rerun(report: dict) -> dict:
    """The report of running again on this run's output: every generated file unchanged."""
    return {**report, "written": [], "removed": [], "unchanged": sorted(report["written"] + report["unchanged"])}


@dataclass
class RunCache:
    path: Path
    inputs: str

    def lookup(self, docs: Path) -> dict | None:
        """The cached report when neither the inputs nor ``docs/`` changed since it was recorded."""
        try:
            recorded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(recorded, dict) or recorded.get("inputs") != self.inputs:
            return None
        if recorded.get("docs") != docs_fingerprint(docs):
            return None
        report = recorded.get("report")
        return report if isinstance(report, dict) else None

    def record(self, docs: Path, report: dict) -> None:
        """Remember ``report`` for ``docs/`` as the run left it; a cache that cannot be written is skipped."""
        data = {"inputs": self.inputs, "docs": docs_fingerprint(docs), "report": as_rerun(report)}
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)
