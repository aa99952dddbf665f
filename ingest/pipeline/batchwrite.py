"""Replace many files at once so that after a crash at any moment each is its old or its new version.

What makes a replacement atomic is the rename: a reader (or the next run) sees either the
old file or the new one, never a half-written one. What makes it survive a power cut is that
the new bytes reach the disk before the rename does. Neither needs an ``fsync`` per file, which
cost 40% of a 100,000-entry ingest; so, for the whole batch:

1. every new version is written to a temporary file beside its target (``.ingest-*.tmp``);
2. one ``syncfs`` of the filesystem puts all of them on disk (an ``fsync`` of each where
   ``syncfs`` is missing);
3. each temporary file is renamed over its target;
4. one more ``syncfs`` makes the renames durable before the caller records them as done
   (``write.apply`` then writes the final manifest).

Step 3 is where the caller re-checks each target (``place``): ``write.apply`` renames a
temporary file only if its target still holds the bytes it held when it was planned, so the
check comes after all the slow work, right before the rename.

A crash before step 3 leaves only temporary files, which the next run removes
(``write.remove_stray_temp_files``); during step 3, each target is old or new.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

TEMP_PREFIX = ".ingest-"
TEMP_SUFFIX = ".tmp"
# What ``temp_path`` makes of a target name: only such files are ever removed as strays.
TEMP_NAME = re.compile(rf"{re.escape(TEMP_PREFIX)}[^/]+\.md\.[0-9]+{re.escape(TEMP_SUFFIX)}")
# O_NOFOLLOW and O_EXCL: a temporary name someone planted as a symlink is never followed.
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def temp_path(path: Path) -> Path:
    """The temporary file for ``path``: same folder (so the rename stays on one filesystem), unique per process."""
    return path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}{TEMP_SUFFIX}")


@cache
def _syncfs():
    """libc's ``syncfs`` (Linux), or None."""
    name = ctypes.util.find_library("c")
    try:
        function = ctypes.CDLL(name, use_errno=True).syncfs if name else None
    except (OSError, AttributeError):
        return None
    if function is not None:
        function.argtypes = [ctypes.c_int]
    return function


def sync_filesystem(folder: Path, fallback: Sequence[Path] = ()) -> None:
    """Flush everything written to the filesystem holding ``folder``.

    Without ``syncfs``: an ``fsync`` of each of ``fallback`` and of the folders holding them.
    """
    syncfs = _syncfs()
    if syncfs is not None:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            if syncfs(handle) == 0:
                return
        finally:
            os.close(handle)
    for path in [*fallback, *sorted({path.parent for path in fallback} | {folder})]:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def write_temp(path: Path, data: bytes) -> Path:
    """``data`` in the temporary file for ``path`` (not synced: ``replace_files`` syncs the batch)."""
    temp = temp_path(path)
    try:
        handle = os.open(temp, _OPEN_FLAGS, 0o666)  # the mode any new file gets (umask applies)
    except FileExistsError:
        temp.unlink()  # left by an earlier process with this pid, killed before its rename
        handle = os.open(temp, _OPEN_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)
    return temp


def _rename(temp: Path, path: Path) -> bool:
    os.replace(temp, path)
    return True


def replace_files(
    folder: Path,
    files: Sequence[tuple[Path, bytes]],
    place: Callable[[Path, Path], bool] = _rename,
    write: Callable[[Path, bytes], Path] | None = None,
) -> list[Path]:
    """Give every ``path`` its ``data``, atomically each, with two filesystem syncs for the whole batch.

    ``folder`` is where the files live (any folder on their filesystem). ``place(temp, path)``
    puts a synced temporary file in place, or declines (returns False; the temporary file is
    then removed); ``write`` writes one (``write_temp``). Returns the paths placed. On an error,
    the temporary files not yet placed are removed and the error is raised.
    """
    if not files:
        return []
    write = write or write_temp
    written: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    done = 0
    try:
        for path, data in files:
            written.append((Path(write(path, data)), path))
        sync_filesystem(folder, [temp for temp, _ in written])
        for temp, path in written:
            if place(temp, path):
                placed.append(path)
            temp.unlink(missing_ok=True)  # declined, or linked rather than renamed
            done += 1
        # Without syncfs, the folders' fsync makes the renames durable (the files were synced as temporaries).
        sync_filesystem(folder, sorted({path.parent for path in placed}))
    except BaseException:
        for temp, _ in written[done:]:
            temp.unlink(missing_ok=True)
        raise
    return placed
