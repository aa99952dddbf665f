"""Write generated articles into ``docs/`` without ever touching a contributor's file.

Ownership lives in a manifest (``docs/.ingest-manifest.json``, see ``manifest``) that records
the hash of every file the ingest wrote. A file is the ingest's to rewrite or remove only
while its content still matches a recorded hash; a file a contributor edited (took over) or
wrote is theirs, and the article it carries (by ``id``) is no longer generated.

Ownership is decided while planning, and checked again at the last moment: each planned
item carries the hash of the bytes its file held when it was judged the ingest's (or says
the file did not exist). Just before a file is replaced or removed its bytes are read
again; if they changed (a contributor saved an edit meanwhile) the file is left alone and
reported as a conflict. A new file is linked into place only if nothing appeared there.

Crash safety: each file is written to a temporary file and renamed into place. The
manifest is first written listing both old and new hashes, then the files change, then
the final manifest is written, so after a ``kill -9`` at any moment every file is still
recognised and the next run converges.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ingest.pipeline.manifest import Manifest, is_generated, sha256
from ingest.shared.layout import ARTICLES_DIR, MANIFEST_NAME
from ingest.shared.messages import terminal_safe
from ingest.shared.model import Problem

__all__ = ["Manifest", "Planned", "WriteResult", "apply", "atomic_write", "sha256"]

TEMP_PREFIX = ".ingest-"
TEMP_SUFFIX = ".tmp"
# Exactly what mkstemp makes of the prefix and suffix: a contributor's file is never taken for one.
TEMP_NAME = re.compile(rf"{re.escape(TEMP_PREFIX)}[a-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}")


def write_temp(path: Path, data: bytes) -> str:
    """``data`` in a new temporary file next to ``path``, on disk; returns its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        # mkstemp creates 0600; articles should get the mode any new file gets (0644 usually).
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return temp_name


def atomic_write(path: Path, data: bytes) -> None:
    temp_name = write_temp(path, data)
    try:
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


NOT_REGULAR = "not a regular file"


def current_digest(path: Path) -> str | None:
    """The hash of the regular file at ``path`` now; ``None`` when there is none. A symlink, a folder
    or a device gets a digest that matches nothing, so it is never replaced."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        return NOT_REGULAR
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def replace_if_unchanged(path: Path, data: bytes, expected: str | None) -> bool:
    """Put ``data`` at ``path`` if the file still has the hash ``expected`` (``None``: still absent).

    The comparison comes after the slow part (writing and syncing the temporary file), right
    before the rename, so an edit saved at any earlier moment is seen. A new file is linked
    into place, which fails if a file appeared meanwhile, instead of renamed over it.
    """
    temp_name = write_temp(path, data)
    try:
        if current_digest(path) != expected:
            return False
        if expected is None:
            try:
                os.link(temp_name, path)
            except FileExistsError:
                return False
            except OSError as error:  # a file system without hard links
                if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP) or current_digest(path):
                    raise
                os.replace(temp_name, path)
        else:
            os.replace(temp_name, path)
        return True
    finally:
        Path(temp_name).unlink(missing_ok=True)


def remove_if_unchanged(path: Path, expected: str) -> bool | None:
    """Remove ``path`` if it still has the hash ``expected``: True when removed, False when it
    changed (and was kept), None when it is gone already."""
    digest = current_digest(path)
    if digest is None:
        return None
    if digest != expected:
        return False
    path.unlink(missing_ok=True)
    return True


def save_manifest(docs: Path, manifest: Manifest) -> None:
    """Write the manifest atomically, unless the file already holds exactly these bytes."""
    encoded = manifest.encoded()
    path = docs / MANIFEST_NAME
    if current_digest(path) != sha256(encoded):
        atomic_write(path, encoded)


@dataclass
class Planned:
    relative: str
    article_id: str
    key: str
    content: bytes
    skeleton: list | None = None  # the manifest's fingerprint of the article (``manifest.skeleton_fingerprint``)
    expected: str | None = None  # hash of the file when planned, judged the ingest's; None: there was no file
    digest: str = field(init=False, repr=False)  # of ``content``, needed three times per file

    def __post_init__(self) -> None:
        self.digest = sha256(self.content)

    def record(self) -> dict:
        record = {"id": self.article_id, "key": self.key, "sha256": []}
        if self.skeleton:
            record["skeleton"] = self.skeleton
        return record


@dataclass
class Removal:
    relative: str
    expected: str  # hash of the file when it was judged the ingest's


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def conflict(self, docs: Path, relative: str, what: str) -> None:
        self.conflicts.append(relative)
        name = terminal_safe((docs / relative).as_posix())
        self.warnings.append(Problem(name, 1, f"changed while the ingest was writing: left as it is, not {what}"))


def remove_stray_temp_files(docs: Path) -> None:
    """Temporary files left by a run that was killed mid-write.

    Only in the two folders the ingest writes to, so that nothing elsewhere in ``docs/`` is
    ever touched, whatever its name.
    """
    for folder in (docs, docs / ARTICLES_DIR):
        if folder.is_dir() and not folder.is_symlink():
            for stray in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
                if TEMP_NAME.fullmatch(stray.name) and stat.S_ISREG(os.lstat(stray).st_mode):
                    stray.unlink(missing_ok=True)


def removals_from(docs: Path, manifest: Manifest, planned: list[Planned]) -> list[Removal]:
    """Recorded files that no planned item keeps and that are still, provably, the ingest's."""
    target = {item.relative for item in planned}
    removals = []
    for relative in sorted(set(manifest.files) - target):
        path = docs / relative
        if current_digest(path) in (None, NOT_REGULAR):
            continue
        content = path.read_bytes()
        if manifest.owns(relative, content) and is_generated(content, manifest.files[relative]["id"]):
            removals.append(Removal(relative, sha256(content)))
    return removals


def apply(
    docs: Path,
    manifest: Manifest,
    planned: list[Planned],
    removals: list[Removal] | None = None,
    taken_over: dict[str, dict] | None = None,
) -> WriteResult:
    """Make the generated files exactly ``planned`` and remove ``removals``; callers have already
    excluded non-owned paths (``removals`` defaults to every recorded file that is still the ingest's).
    ``taken_over``: the identities of taken-over articles the final manifest remembers."""
    result = WriteResult()
    if removals is None:
        removals = removals_from(docs, manifest, planned)

    # Phase 1: a manifest that recognises both the old and the new version of every file.
    transition = Manifest(
        {key: dict(value, sha256=list(value["sha256"])) for key, value in manifest.files.items()},
        {**manifest.taken_over, **(taken_over or {})},
    )
    for item in planned:
        record = transition.files.setdefault(item.relative, item.record())
        if item.digest not in record["sha256"]:
            record["sha256"] = sorted({*record["sha256"], item.digest})
    if transition.files != manifest.files or transition.taken_over != manifest.taken_over:
        save_manifest(docs, transition)

    # Phase 2: change the files, each only if it still holds what it held when planned.
    for item in sorted(planned, key=lambda planned_item: planned_item.relative):
        path = docs / item.relative
        if current_digest(path) == item.digest:
            result.unchanged.append(item.relative)
        elif replace_if_unchanged(path, item.content, item.expected):
            result.written.append(item.relative)
        else:
            result.conflict(docs, item.relative, "regenerated")
    for removal in sorted(removals, key=lambda item: item.relative):
        outcome = remove_if_unchanged(docs / removal.relative, removal.expected)
        if outcome:
            result.removed.append(removal.relative)
        elif outcome is False:
            result.conflict(docs, removal.relative, "removed")

    # Phase 3: the final manifest lists exactly what is on disk now.
    conflicts = set(result.conflicts)
    final = Manifest(
        {
            item.relative: dict(item.record(), sha256=[item.digest])
            for item in planned
            if item.relative not in conflicts
        },
        dict(taken_over or {}),
    )
    save_manifest(docs, final)
    remove_stray_temp_files(docs)
    return result
