"""Write generated articles into ``docs/`` without ever touching a contributor's file.

Ownership lives in a manifest (``docs/.ingest-manifest.json``) that records the hash of
every file the ingest wrote. A file is the ingest's to rewrite or remove only while its
content still matches a recorded hash; a file a contributor edited (took over) or wrote
is theirs, and the article it carries (by ``id``) is no longer generated.

Crash safety: each file is written to a temporary file and renamed into place, the whole
batch with one filesystem sync before the renames and one after (``batchwrite``). The
manifest is first written listing both old and new hashes, then the files change, then
the final manifest is written, so after a ``kill -9`` (or a power cut) at any moment every
file is still recognised and the next run converges.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from json.encoder import encode_basestring  # the C implementation where there is one
from pathlib import Path

from ingest.pipeline.batchwrite import TEMP_PREFIX, TEMP_SUFFIX, replace_files
from ingest.pipeline.docsfiles import DocsFiles
from ingest.shared.layout import ARTICLES_DIR, MANIFEST_NAME
from ingest.shared.model import Problem

MANIFEST_VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
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
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _stem(relative: str) -> str:
    return os.path.splitext(os.path.basename(relative))[0]  # Path(relative).stem, without pathlib's cost


def _record_line(record: object) -> str:
    """One manifest record as ``json.dumps(record, ensure_ascii=False, sort_keys=True)`` writes it."""
    # The usual record, from a template over the C string encoder (a fifth of json.dumps' cost).
    if isinstance(record, dict) and record.keys() == {"id", "key", "sha256"}:
        identifier, key, digests = record["id"], record["key"], record["sha256"]
        strings = isinstance(identifier, str) and isinstance(key, str) and isinstance(digests, list)
        if strings and all(isinstance(digest, str) for digest in digests):
            hashes = ", ".join(map(encode_basestring, digests))
            return f'{{"id": {encode_basestring(identifier)}, "key": {encode_basestring(key)}, "sha256": [{hashes}]}}'
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def encode_manifest(data: dict) -> bytes:
    """The manifest as JSON with one line per file, keys sorted: diffs show which files changed.

    ``indent`` would make ``json.dumps`` fall back to its pure-Python encoder, which made
    writing a 50,000-file manifest (twice a run) a tenth of the ingest.
    """
    lines = []
    for name in sorted(data):
        value = data[name]
        if isinstance(value, dict) and value:
            records = ",\n".join(f"  {encode_basestring(key)}: {_record_line(value[key])}" for key in sorted(value))
            lines.append(f" {encode_basestring(name)}: {{\n{records}\n }}")
        else:
            lines.append(f" {encode_basestring(name)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode()


@dataclass
class Manifest:
    """``relative path -> {"id", "key", "sha256": [hashes]}`` for every generated file."""

    files: dict[str, dict] = field(default_factory=dict)

    # The slug indexes are built on first lookup: the manifests ``apply`` builds are never
    # asked, and building them took seconds at 50,000 files.
    @cached_property
    def _slug_by_key(self) -> dict[str, str]:
        # Index slugs by key so that looking one up stays O(1) at any corpus size.
        return {record["key"]: _stem(relative) for relative, record in sorted(self.files.items())}

    @cached_property
    def _key_lengths(self) -> list[int]:
        return sorted({len(key) for key in self._slug_by_key}, reverse=True)

    @cached_property
    def _slug_by_id(self) -> dict[str, str]:
        # Distinct articles may share a key (the same opening), never an id.
        return {record["id"]: _stem(relative) for relative, record in sorted(self.files.items())}

    @classmethod
    def load(cls, docs: Path) -> tuple[Manifest, Problem | None]:
        path = docs / MANIFEST_NAME
        if not path.exists():
            return cls(), None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = data["files"]
            if not isinstance(files, dict):
                raise ValueError("'files' is not a mapping")
        except (ValueError, KeyError, UnicodeDecodeError) as error:
            return cls(), Problem(
                path.as_posix(), 1, f"unreadable manifest ({error}); treating every file as hand-written"
            )
        return cls(files), None

    def save(self, docs: Path) -> None:
        encoded = encode_manifest({"version": MANIFEST_VERSION, "files": self.files})
        path = docs / MANIFEST_NAME
        if not path.exists() or path.read_bytes() != encoded:
            atomic_write(path, encoded)

    def owns(self, relative: str, content: bytes) -> bool:
        return self.owns_digest(relative, sha256(content))

    def owns_digest(self, relative: str, digest: str | None) -> bool:
        """``owns`` for a file whose sha256 is ``digest`` (None: there is no file)."""
        record = self.files.get(relative)
        return bool(record) and digest is not None and digest in record["sha256"]

    def slug_for_id(self, article_id: str) -> str | None:
        return self._slug_by_id.get(article_id)

    def slug_for(self, key: str) -> str | None:
        """The slug of a generated article whose recorded key is a prefix of (or equal to) ``key``."""
        for length in self._key_lengths:
            if length <= len(key) and key[:length] in self._slug_by_key:
                return self._slug_by_key[key[:length]]
        return None


@dataclass
class Planned:
    relative: str
    article_id: str
    key: str
    content: bytes | None  # None: known to be on disk already (``digest`` is the file's)
    digest: str = ""  # sha256 of the content; filled in from ``content`` when empty
    render_inputs: tuple = ()  # what the content was rendered from (``render.render_inputs``), for the cache

    def __post_init__(self) -> None:
        if not self.digest:
            if self.content is None:
                raise ValueError("a planned file needs its content or its digest")
            self.digest = sha256(self.content)


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def remove_stray_temp_files(docs: Path) -> None:
    """Temporary files left by a run that was killed mid-write.

    Only in the two folders the ingest writes to, so that nothing elsewhere in ``docs/`` is
    ever touched, whatever its name.
    """
    for folder in (docs, docs / ARTICLES_DIR):
        if folder.is_dir():
            for stray in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
                stray.unlink(missing_ok=True)


def apply(docs: Path, manifest: Manifest, planned: list[Planned], files: DocsFiles | None = None) -> WriteResult:
    """Make the generated files exactly ``planned``; callers have already excluded non-owned paths.

    ``files``: what planning already read of ``docs/`` (each file is read once per run).
    """
    files = files or DocsFiles(docs)
    result = WriteResult()
    target = {item.relative: item for item in planned}

    # Phase 1: a manifest that recognises both the old and the new version of every file.
    # Records are replaced, never changed in place: ``manifest``'s own stay as they were.
    transition = Manifest(dict(manifest.files))
    for item in planned:
        record = transition.files.get(item.relative) or {"id": item.article_id, "key": item.key, "sha256": []}
        if item.digest not in record["sha256"]:
            transition.files[item.relative] = dict(record, sha256=sorted({*record["sha256"], item.digest}))
    if transition.files != manifest.files:
        transition.save(docs)

    # Phase 2: change the files.
    changed: list[tuple[Path, bytes]] = []
    for item in sorted(planned, key=lambda planned_item: planned_item.relative):
        path = docs / item.relative
        if files.digest(item.relative) == item.digest:
            result.unchanged.append(item.relative)
            continue
        if item.content is None:
            raise RuntimeError(f"{item.relative} changed during the run; run the ingest again")
        changed.append((path, item.content))
        result.written.append(item.relative)
    for folder in sorted({path.parent for path, _ in changed}):
        folder.mkdir(parents=True, exist_ok=True)
    replace_files(docs, changed)
    for relative in result.written:
        files.forget(relative, written=target[relative].digest)
    for relative in sorted(set(manifest.files) - set(target)):
        path = docs / relative
        if manifest.owns_digest(relative, files.digest(relative)):
            path.unlink()
            files.forget(relative)
            result.removed.append(relative)

    # Phase 3: the final manifest lists exactly what is on disk now.
    final = Manifest(
        {item.relative: {"id": item.article_id, "key": item.key, "sha256": [item.digest]} for item in planned}
    )
    final.save(docs)
    remove_stray_temp_files(docs)
    return result
