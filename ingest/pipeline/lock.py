"""One ingest at a time per ``docs/``: an exclusive ``flock`` on ``docs/.ingest.lock``.

Two ingests writing one tree interleave their manifests: one run's final manifest forgets the
files the other wrote, which then belong to nobody and are never cleaned up. The lock is
taken before anything under ``docs/`` is read and held until the final manifest is written.

A second run refuses at once (``LockBusy``, a clear message, nothing read or written) unless
given a time to wait (``--wait SECONDS``). The lock belongs to the open file, so the kernel
releases it when the process ends, however it ends (``kill -9`` included): there is never a
stale lock to delete by hand. The file itself stays (deleting it would let a third run lock
a fresh file while the second still waits on the old one); it is a dotfile, which MkDocs
never publishes, and ``.gitignore`` keeps it out of commits.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.shared.messages import terminal_safe

LOCK_NAME = ".ingest.lock"
POLL_SECONDS = 0.1


class LockBusy(Exception):
    """Another process holds the lock on ``docs/``."""

    def __init__(self, path: Path, waited: float) -> None:
        waited_text = f" after waiting {waited:g} s" if waited else ""
        super().__init__(
            f"{terminal_safe(path.as_posix())}:0: another ingest is writing {terminal_safe(path.parent.as_posix())}/"
            f"{waited_text}: nothing done (run again when it has finished, or pass --wait SECONDS)"
        )


@contextmanager
def docs_lock(docs: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the exclusive lock on ``docs`` for the ``with`` block, waiting up to ``wait_seconds`` for it."""
    docs.mkdir(parents=True, exist_ok=True)
    path = docs / LOCK_NAME
    # O_NOFOLLOW: a lock file replaced by a symlink must not make the ingest create or open a file elsewhere.
    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(path, wait_seconds) from None
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(handle)  # releases the lock
