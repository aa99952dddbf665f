"""What the files under ``docs/`` hold, each file read at most once per run, most not at all.

Planning asks of every Markdown file whether the ingest owns it and of every target whether a
contributor's file sits there; writing asks whether a target changed and whether a file may
be removed. Reading 50,000 files three or four times over took seconds, so:

* each file is read once and its bytes and sha256 serve every question;
* a file whose ``stat`` (size, inode, modification and change time) is what it was when an
  earlier run last wrote or read it has that run's sha256 (``known``, kept by ``feedcache``)
  and is not read at all. Any write to a file changes its change time, which no one can set
  by hand; but a file changed again within the same tick of the filesystem's clock could keep
  the same times, so a stat is kept only when the file's last change lies well before the
  moment it was recorded (``trustworthy``), as git does with "racily clean" files.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

StatKey = tuple[int, int, int, int, int]  # size, inode, device, modification and change time (ns)
# Kernel file times move in ticks of at most 10 ms on Linux; filesystems that keep whole
# seconds (FAT keeps two) get a margin of their own.
RACY_NS = 100_000_000
RACY_WHOLE_SECONDS_NS = 3_000_000_000


def stat_key(path: Path | str) -> StatKey | None:
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (stat.st_size, stat.st_ino, stat.st_dev, stat.st_mtime_ns, stat.st_ctime_ns)


def markdown_files(docs: Path) -> list[str]:
    """``docs.rglob("*.md")`` as sorted relative paths (``/``-separated; in ``Path`` order), files only.

    Symlinked folders are not entered, as ``rglob`` does not; os.walk with plain strings lists
    50,000 files several times faster than pathlib.
    """
    root = os.path.join(docs, "")
    found = []
    for folder, _, names in os.walk(docs):
        prefix = os.path.join(folder, "")[len(root) :]
        found.extend(prefix + name for name in names if name.endswith(".md"))
    return sorted(found, key=lambda relative: relative.split("/"))


def trustworthy(key: StatKey, recorded_at_ns: int) -> bool:
    """Whether a stat taken at ``recorded_at_ns`` can stand for the file's content later on."""
    changed = max(key[3], key[4])
    whole_seconds = key[3] % 1_000_000_000 == 0 and key[4] % 1_000_000_000 == 0
    return changed < recorded_at_ns - (RACY_WHOLE_SECONDS_NS if whole_seconds else RACY_NS)


@dataclass
class DocsFiles:
    docs: Path
    known: Mapping[str, tuple[StatKey, str]] = field(default_factory=dict)  # relative -> (stat, sha256)
    _read: dict[str, bytes | None] = field(default_factory=dict)
    _digests: dict[str, tuple[StatKey, str] | None] = field(default_factory=dict)
    _written: dict[str, str] = field(default_factory=dict)  # relative -> sha256 of what the ingest just wrote

    def __post_init__(self) -> None:
        self._root = os.path.join(self.docs, "")  # plain strings: pathlib's joins cost more than the stats

    def _read_once(self, relative: str) -> bytes | None:
        try:
            with open(self._root + relative, "rb") as handle:
                return handle.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def read(self, relative: str) -> bytes | None:
        """The file's bytes, or None when there is no readable file at ``docs/relative``."""
        if relative not in self._read:
            self._read[relative] = self._read_once(relative)
        return self._read[relative]

    def _state(self, relative: str) -> tuple[StatKey, str] | None:
        if relative not in self._digests:
            key = stat_key(self._root + relative)
            recorded = self.known.get(relative)
            if key is None:
                state = None
            elif relative in self._written:
                state = (key, self._written[relative])
            elif recorded is not None and recorded[0] == key:
                state = recorded
            else:
                # Hashed, not kept: planning needs the bytes of the few files the ingest does not own.
                content = self._read[relative] if relative in self._read else self._read_once(relative)
                state = None if content is None else (key, hashlib.sha256(content).hexdigest())
            self._digests[relative] = state
        return self._digests[relative]

    def digest(self, relative: str) -> str | None:
        """sha256 of the file's bytes (hex), or None when there is no file."""
        state = self._state(relative)
        return state[1] if state else None

    def forget(self, relative: str, written: str | None = None) -> None:
        """After the ingest wrote (``written``: the sha256 of the bytes) or removed the file."""
        self._read.pop(relative, None)
        self._digests.pop(relative, None)
        self._written.pop(relative, None)
        if written is not None:
            self._written[relative] = written

    def states(self, relatives: list[str]) -> dict[str, tuple[StatKey, str]]:
        """``relative -> (stat, sha256)`` of those files as they are now, for the next run's ``known``."""
        found = {}
        for relative in relatives:
            state = self._state(relative)
            if state is not None:
                found[relative] = state
        return found
