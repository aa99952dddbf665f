"""Which files the ingest generated, read-only, for the rules the site build and ``check`` share.

The ingest owns a file while its bytes match a hash its manifest (``docs/.ingest-manifest.json``)
records; ``ingest/pipeline/write.py`` writes and validates that manifest. The site build may not
import the pipeline, so this is the one reading of it both sides use for "is this still the
ingest's file?".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.shared.layout import MANIFEST_NAME
from ingest.shared.model import Problem

MAX_MANIFEST_BYTES = 256 * 1024 * 1024  # far above 50,000 articles' records; a bigger file is not ours


@dataclass(frozen=True)
class Ownership:
    hashes: dict[str, frozenset[str]] = field(default_factory=dict)  # docs-relative path -> sha256 hex digests

    def owns(self, relative: str, content: bytes) -> bool:
        return hashlib.sha256(content).hexdigest() in self.hashes.get(relative, ())

    def records(self, relative: str) -> bool:
        return relative in self.hashes


def read_ownership(docs: Path) -> tuple[Ownership, Problem | None]:
    """The manifest's hashes; an unreadable manifest owns nothing and is reported."""
    path = docs / MANIFEST_NAME
    if not path.is_file():
        return Ownership(), None
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ValueError("larger than any manifest the ingest writes")
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict):
            raise ValueError("no 'files' mapping")
        hashes = {
            str(relative): frozenset(str(digest) for digest in record.get("sha256") or [])
            for relative, record in files.items()
            if isinstance(record, dict) and isinstance(record.get("sha256"), list)
        }
    except (OSError, ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return Ownership(), Problem(path.as_posix(), 1, f"unreadable manifest ({error}); no file counts as generated")
    return Ownership(hashes), None
