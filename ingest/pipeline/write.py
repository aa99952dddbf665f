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

Crash safety: each file is written to a temporary file and renamed into place, the whole
batch with one filesystem sync before the renames and one after (``batchwrite``), not an
``fsync`` per file. The manifest is first written listing both old and new hashes, then the
files change, then the final manifest is written, so after a ``kill -9`` (or a power cut) at
any moment every file is still recognised and the next run converges.

Each file is read at most once per run (``docsfiles``): a file whose ``stat`` is what the last
run left is known by that run's hash, and an article whose file and render inputs did not
change is not rendered again (its ``Planned.content`` is ``None``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ingest.pipeline import batchwrite
from ingest.pipeline.batchwrite import TEMP_NAME, TEMP_PREFIX, TEMP_SUFFIX
from ingest.pipeline.docsfiles import DocsFiles
from ingest.pipeline.manifest import Manifest, is_generated, sha256
from ingest.shared.layout import ARTICLES_DIR, MANIFEST_NAME
from ingest.shared.messages import terminal_safe
from ingest.shared.model import Problem

__all__ = ["TEMP_PREFIX", "TEMP_SUFFIX", "Manifest", "Planned", "WriteResult", "apply", "atomic_write", "sha256"]

# What mkstemp makes of the prefix and suffix (the manifest's temporary file): with ``TEMP_NAME``
# (the articles'), the only names ever removed as strays, so a contributor's file is never taken for one.
MKSTEMP_NAME = re.compile(rf"{re.escape(TEMP_PREFIX)}[a-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}")

write_temp = batchwrite.write_temp  # one temporary file, not synced (tests wrap it to act mid-write)


def atomic_write(path: Path, data: bytes) -> None:
    """One file on its own (the manifest): temporary file, ``fsync``, rename, ``fsync`` of the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        # mkstemp creates 0600; the file should get the mode any new file gets (0644 usually).
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


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


def place_if_unchanged(temp: Path, path: Path, expected: str | None) -> bool:
    """Put the synced temporary file ``temp`` at ``path`` if that still has the hash ``expected``
    (``None``: still absent).

    Called after the slow part (writing and syncing the batch), right before the rename, so an
    edit saved at any earlier moment is seen. A new file is linked into place, which fails if a
    file appeared meanwhile, instead of renamed over it.
    """
    if current_digest(path) != expected:
        return False
    if expected is None:
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError as error:  # a file system without hard links
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP) or current_digest(path):
                raise
            os.replace(temp, path)
    else:
        os.replace(temp, path)
    return True


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
    content: bytes | None  # None: known to be on disk already, unchanged (``digest`` is the file's)
    skeleton: list | None = None  # the manifest's fingerprint of the article (``manifest.skeleton_fingerprint``)
    expected: str | None = None  # hash of the file when planned, judged the ingest's; None: there was no file
    digest: str = ""  # sha256 of ``content`` (needed three times per file); computed when not given
    render_inputs: tuple = ()  # what the content was rendered from (``render.render_inputs``), for the cache

    def __post_init__(self) -> None:
        if not self.digest:
            if self.content is None:
                raise ValueError("a planned file needs its content or its digest")
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
                is_temp = TEMP_NAME.fullmatch(stray.name) or MKSTEMP_NAME.fullmatch(stray.name)
                if is_temp and stat.S_ISREG(os.lstat(stray).st_mode):
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
    files: DocsFiles | None = None,
) -> WriteResult:
    """Make the generated files exactly ``planned`` and remove ``removals``; callers have already
    excluded non-owned paths (``removals`` defaults to every recorded file that is still the ingest's).
    ``taken_over``: the identities of taken-over articles the final manifest remembers.
    ``files``: what planning already learnt of ``docs/`` (each file is read once per run)."""
    files = files or DocsFiles(docs)
    result = WriteResult()
    if removals is None:
        removals = removals_from(docs, manifest, planned)

    # Phase 1: a manifest that recognises both the old and the new version of every file.
    # Records are replaced, never changed in place: ``manifest``'s own stay as they were.
    transition = Manifest(dict(manifest.files), {**manifest.taken_over, **(taken_over or {})})
    for item in planned:
        record = transition.files.get(item.relative) or item.record()
        if item.digest not in record["sha256"]:
            transition.files[item.relative] = dict(record, sha256=sorted({*record["sha256"], item.digest}))
    if transition.files != manifest.files or transition.taken_over != manifest.taken_over:
        save_manifest(docs, transition)

    # Phase 2: change the files, each only if it still holds what it held when planned: all new
    # versions written and synced at once, each re-checked right before its rename.
    changed: list[tuple[Path, bytes]] = []
    expected: dict[Path, str | None] = {}
    by_path: dict[Path, Planned] = {}
    for item in sorted(planned, key=lambda planned_item: planned_item.relative):
        if files.digest(item.relative) == item.digest:
            result.unchanged.append(item.relative)
        elif item.content is None:  # planned as unchanged, but the file changed since
            result.conflict(docs, item.relative, "regenerated")
        else:
            path = docs / item.relative
            by_path[path] = item
            path.parent.mkdir(parents=True, exist_ok=True)
            changed.append((path, item.content))
            expected[path] = item.expected
    placed = set(
        batchwrite.replace_files(
            docs,
            changed,
            place=lambda temp, path: place_if_unchanged(temp, path, expected[path]),
            write=lambda path, data: write_temp(path, data),  # looked up at each call
        )
    )
    for path, _ in changed:
        item = by_path[path]
        if path in placed:
            result.written.append(item.relative)
            files.forget(item.relative, written=item.digest)
        else:
            result.conflict(docs, item.relative, "regenerated")
    for removal in sorted(removals, key=lambda item: item.relative):
        outcome = remove_if_unchanged(docs / removal.relative, removal.expected)
        if outcome:
            result.removed.append(removal.relative)
            files.forget(removal.relative)
        elif outcome is False:
            result.conflict(docs, removal.relative, "removed")
    if result.removed:
        batchwrite.sync_filesystem(docs, sorted({(docs / relative).parent for relative in result.removed}))

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
