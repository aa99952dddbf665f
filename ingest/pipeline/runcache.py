"""Skip an ingest run that cannot change anything (``run.json`` in the cache folder, or ``--cache FILE``).

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

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline.fingerprint import code_fingerprint, file_digest, taxonomy_fingerprint
from ingest.pipeline.parse import collect_feed_files
from ingest.shared.messages import display_name
from ingest.shared.taxonomy import Taxonomy

CACHE_VERSION = 2


def inputs_fingerprint(
    feeds: list[Path], docs: Path, taxonomy: Taxonomy, titles: Path, digest_of: Callable[[Path], str] = file_digest
) -> str | None:
    """Everything a run reads except ``docs/``: feed bytes, taxonomy, titles, code, versions.

    None when a feed or titles file cannot be read: the run reports that, and such a run is never skipped.
    """
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(repr(part).encode())
            digest.update(b"\0")

    add(CACHE_VERSION, code_fingerprint())
    # Sources are named relative to the working directory, so it is an input too.
    add(Path.cwd().resolve().as_posix(), docs.resolve().as_posix())
    files, missing = collect_feed_files(feeds)
    add([problem.file for problem in missing])
    try:
        for path in files:
            add(display_name(path), digest_of(path))
        add(titles.as_posix(), file_digest(titles) if titles.is_file() else None)
    except OSError:
        return None
    add(taxonomy_fingerprint(taxonomy))
    return digest.hexdigest()


def docs_fingerprint(docs: Path) -> str:
    """Every file under ``docs/``: path, size, inode, modification and change time."""
    digest = hashlib.sha256()
    root = os.path.join(docs, "")
    for folder, subfolders, names in os.walk(docs):
        subfolders.sort()
        # os.walk yields ``root + relative folder``: slicing is what os.path.relpath did, at a
        # tenth of its cost over 50,000 files.
        relative = os.path.join(folder, "")[len(root) :]
        for name in sorted(names):
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue  # a dangling link or a file removed meanwhile: the next run decides
            digest.update(
                f"{relative}{name}\0{stat.st_size}\0{stat.st_ino}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\n".encode(
                    errors="surrogateescape"
                )
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
            with contextlib.suppress(OSError):  # the folder may not be one at all
                temporary.unlink(missing_ok=True)
