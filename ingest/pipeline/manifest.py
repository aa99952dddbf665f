"""The ingest's record of what it generated: ``docs/.ingest-manifest.json``. A record, not an authority.

``files`` maps every generated file (``articles/<slug>.md``) to its article's ``id``, ``key``
(the first letters of its skeleton), ``skeleton`` (length and SHA-1 of the whole skeleton
when written, which tells two articles with the same opening apart) and the ``sha256`` of
every version the ingest wrote. ``taken_over`` remembers the identity of articles that
contributors took over, so that no new article takes their id.

The file is committed and arrives in pull requests, so nothing in it is believed:

* ``load`` refuses what the ingest never writes, each with ``MANIFEST:LINE``: a path outside
  ``docs/articles/`` (``../README.md``, ``/etc/passwd``, a subfolder), a record naming a folder,
  a device or a symlink, malformed ids and hashes, a duplicated id. A manifest that is not
  a JSON object, is not UTF-8, or is too big or too dense for the tree (``[[[[...``, a
  gigabyte) is refused whole, before it is parsed: no traceback, ``RecursionError`` or
  ``MemoryError``. The ingest then recognises its files by their own content (``plan``).
* ``owns`` is the cheap test (the bytes are a version the manifest recorded); before a file
  is overwritten or removed, ``is_generated`` also requires its front matter to say
  ``generated: true`` with the record's id, so a forged record holding the hash of a
  contributor's file still cannot touch it. Unchanged files are never parsed, so a no-op
  run over 50,000 articles parses no front matter.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from json.decoder import scanstring
from json.encoder import encode_basestring  # the C implementation where there is one
from pathlib import Path

from ingest.pipeline.dedupe import ID_PREFIX_CHARS
from ingest.shared.frontmatter_io import split_front_matter
from ingest.shared.layout import ARTICLES_DIR, MANIFEST_NAME
from ingest.shared.messages import terminal_safe
from ingest.shared.model import Problem

MANIFEST_VERSION = 2  # 2 adds ``skeleton`` to records and the ``taken_over`` section
READABLE_VERSIONS = (1, 2)
SECTIONS = ("files", "taken_over")
RECORD_KEYS = frozenset({"id", "key", "sha256", "skeleton"})
# A record is about 350 bytes; allowing 4 KiB per entry of docs/articles (plus 1 MiB) keeps any
# real manifest readable while a hostile one can cost only memory in proportion to the tree.
BASE_BYTES = 1 << 20
BYTES_PER_ARTICLE = 4096
# Every JSON value costs a Python object; the ingest's records average over 30 bytes per value.
# Fewer bytes per value means a manifest built to exhaust memory or recursion (``[[[[...``).
MIN_BYTES_PER_VALUE = 16
MAX_HASHES = 16  # a record holds one hash, two while a run is under way
MAX_PROBLEMS = 20  # per manifest: a hostile one must not flood the terminal either

ARTICLE_ID = re.compile(r"[0-9a-f]{6,40}")
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
SHA1_HEX = re.compile(r"[0-9a-f]{40}")
# ``articles/<name>.md``: one level, no separator, no control character, no leading dot.
NOT_IN_NAME = "/\\\\\x00-\x1f\x7f-\x9f\ud800-\udfff"  # separators, controls, lone surrogates
GENERATED_PATH = re.compile(rf"{ARTICLES_DIR}/[^.{NOT_IN_NAME}][^{NOT_IN_NAME}]*\.md")
JSON_SPACE = re.compile(r"[ \t\n\r]*")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def skeleton_fingerprint(skeleton: str) -> list:
    """``[length, sha1]`` of a whole skeleton, stored in each record."""
    return [len(skeleton), hashlib.sha1(skeleton.encode()).hexdigest()]


def fingerprint_matches(fingerprint: list | None, skeleton: str) -> bool | None:
    """Whether ``skeleton`` is the recorded article's skeleton or an extension of it; ``None``: cannot tell."""
    if not fingerprint:
        return None
    length, digest = fingerprint
    if len(skeleton) < length:
        return None  # a shorter copy than the one written: no way to compare
    return hashlib.sha1(skeleton[:length].encode()).hexdigest() == digest


def is_generated(content: bytes, article_id: str) -> bool:
    """The file's own front matter says it is the generated article ``article_id``."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    front_matter, problems = split_front_matter("", text)
    if front_matter is None or problems:
        return False
    data = front_matter.data
    return data.get("generated") is True and str(data.get("id")) == article_id


@dataclass
class Manifest:
    """``files``: ``relative path -> {"id", "key", "skeleton", "sha256": [hashes]}`` of every generated file;
    ``taken_over``: ``relative path -> {"id", "key", "skeleton"}`` of articles contributors took over."""

    files: dict[str, dict] = field(default_factory=dict)
    taken_over: dict[str, dict] = field(default_factory=dict)
    path: Path | None = None  # where it was read from, for MANIFEST:LINE messages

    @cached_property
    def _lines(self) -> dict[tuple[str, str], int]:
        if self.path is None:
            return {}
        try:
            return record_lines(read_limited(self.path, size_limit(self.path.parent)).decode("utf-8"))
        except (OSError, ValueError):
            return {}

    def line_of(self, relative: str, section: str = "files") -> int:
        """The line of ``relative``'s record in the manifest file (1 when unknown)."""
        return self._lines.get((section, relative), 1)

    def name(self) -> str:
        return terminal_safe((self.path or Path(MANIFEST_NAME)).as_posix())

    @classmethod
    def load(cls, docs: Path) -> tuple[Manifest, list[Problem]]:
        """The manifest's valid records, and a ``MANIFEST:LINE`` problem for everything refused."""
        path = docs / MANIFEST_NAME
        name = terminal_safe(path.as_posix())
        try:
            data, text = read_manifest(path, size_limit(docs))
        except FileNotFoundError:
            return cls(path=path), []
        except ManifestError as error:
            return cls(path=path), [
                Problem(name, error.line, f"{error}: the ingest recognises its files by their content")
            ]
        manifest = cls(path=path)
        problems = manifest._take_records(data, text, docs)
        if len(problems) > MAX_PROBLEMS:
            problems = problems[:MAX_PROBLEMS] + [
                Problem(
                    name, problems[MAX_PROBLEMS].line, f"... and {len(problems) - MAX_PROBLEMS} more refused records"
                )
            ]
        return manifest, problems

    def _take_records(self, data: dict, text: str, docs: Path) -> list[Problem]:
        problems: list[Problem] = []
        name = self.name()
        lines: dict[tuple[str, str], int] | None = None

        def refuse(section: str, relative: str, reason: str) -> None:
            nonlocal lines
            if lines is None:  # positions are only worth finding when something is wrong
                lines = record_lines(text)
            shown = terminal_safe(json.dumps(relative, ensure_ascii=False)[:200])
            problems.append(Problem(name, lines.get((section, relative), 1), f"record {shown} refused: {reason}"))

        articles = docs / ARTICLES_DIR
        if articles.is_symlink():
            problems.append(Problem(name, 1, f"{ARTICLES_DIR}/ is a symlink: no record is used"))
            return problems
        ids = Counter(
            record.get("id")
            for section in SECTIONS
            for record in (data.get(section) or {}).values()
            if isinstance(record, dict) and isinstance(record.get("id"), str)
        )
        for section in SECTIONS:
            records = data.get(section, {})
            target = self.files if section == "files" else self.taken_over
            for relative, record in records.items():
                reason = record_problem(relative, record, section == "files") or path_problem(docs, relative)
                if reason is None and ids[record["id"]] > 1:
                    reason = f"id {record['id']!r} is recorded more than once"
                if reason:
                    refuse(section, relative, reason)
                else:
                    target[relative] = record
        return problems

    def encoded(self) -> bytes:
        data = {"version": MANIFEST_VERSION, "files": self.files}
        if self.taken_over:
            data["taken_over"] = self.taken_over
        return encode_manifest(data)

    def owns(self, relative: str, content: bytes) -> bool:
        """``content`` is a version of ``relative`` the ingest wrote (hash only; see ``is_generated``)."""
        record = self.files.get(relative)
        return bool(record) and sha256(content) in record["sha256"]

    def owns_digest(self, relative: str, digest: str) -> bool:
        record = self.files.get(relative)
        return bool(record) and digest in record["sha256"]


def _record_line(record: object) -> str:
    """One record as ``json.dumps(record, ensure_ascii=False, sort_keys=True)`` writes it."""
    # The usual records, from a template over the C string encoder (a fifth of json.dumps' cost).
    if isinstance(record, dict) and RECORD_KEYS.issuperset(record) and {"id", "key"} <= record.keys():
        identifier, key = record["id"], record["key"]
        digests, fingerprint = record.get("sha256"), record.get("skeleton")
        if (
            isinstance(identifier, str)
            and isinstance(key, str)
            and (digests is None or (type(digests) is list and all(isinstance(item, str) for item in digests)))
            and (
                fingerprint is None
                or (
                    type(fingerprint) is list
                    and len(fingerprint) == 2
                    and type(fingerprint[0]) is int
                    and isinstance(fingerprint[1], str)
                )
            )
        ):
            parts = [f'"id": {encode_basestring(identifier)}', f'"key": {encode_basestring(key)}']
            if digests is not None:
                parts.append(f'"sha256": [{", ".join(map(encode_basestring, digests))}]')
            if fingerprint is not None:
                parts.append(f'"skeleton": [{fingerprint[0]}, {encode_basestring(fingerprint[1])}]')
            return "{" + ", ".join(parts) + "}"
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def encode_manifest(data: dict) -> bytes:
    """The manifest as JSON with one line per file, keys sorted: diffs show which files changed.

    ``indent`` would make ``json.dumps`` fall back to its pure-Python encoder, which made
    writing a 100,000-file manifest (twice a run) a tenth of an incremental run.
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


class ManifestError(ValueError):
    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def size_limit(docs: Path) -> int:
    try:
        with os.scandir(docs / ARTICLES_DIR) as entries:
            count = sum(1 for _ in entries)
    except OSError:
        count = 0
    return BASE_BYTES + BYTES_PER_ARTICLE * count


def read_limited(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file, never following a symlink; over the limit is an error."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise
        if path.is_symlink():
            raise ManifestError("the manifest is a symlink, not a file the ingest wrote") from None
        raise ManifestError(f"cannot read the manifest ({error.strerror})") from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise ManifestError("the manifest is not a regular file")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ManifestError(f"the manifest is over {limit} bytes, far more than this docs/articles/ needs")
    return data


def read_manifest(path: Path, limit: int) -> tuple[dict, str]:
    raw = read_limited(path, limit)
    structural = raw.count(b"{") + raw.count(b"[") + raw.count(b",")
    if structural * MIN_BYTES_PER_VALUE > len(raw) + MIN_BYTES_PER_VALUE * 4:
        raise ManifestError("the manifest is nested or packed far more densely than any the ingest writes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ManifestError(f"the manifest is not UTF-8 (byte {error.start + 1})", line) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(f"the manifest is not valid JSON ({error.msg})", error.lineno) from None
    except RecursionError:
        raise ManifestError("the manifest is nested too deeply") from None
    if not isinstance(data, dict):
        raise ManifestError(f"the manifest must be a JSON object, not {json_kind(data)}")
    if data.get("version") not in READABLE_VERSIONS:
        raise ManifestError(f"unknown manifest version {terminal_safe(repr(data.get('version'))[:40])}")
    for section in SECTIONS:
        if section in data and not isinstance(data[section], dict):
            raise ManifestError(f"'{section}' must be a JSON object, not {json_kind(data[section])}")
    if "files" not in data:
        raise ManifestError("the manifest has no 'files'")
    return data, text


def json_kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null", bool: "a boolean"}.get(
        type(value), "a number"
    )


def record_problem(relative: str, record: object, generated: bool) -> str | None:
    """Why a record is not one the ingest writes, or ``None``."""
    if not GENERATED_PATH.fullmatch(relative):
        return f"not a file directly under {ARTICLES_DIR}/ named <slug>.md; the ingest writes nothing else"
    if not isinstance(record, dict):
        return f"a record is an object, not {json_kind(record)}"
    if not isinstance(record.get("id"), str) or not ARTICLE_ID.fullmatch(record["id"]):
        return "'id' is not an id the ingest gives (hexadecimal)"
    key = record.get("key")
    if not isinstance(key, str) or not key or len(key) > ID_PREFIX_CHARS or not key.isalnum():
        return f"'key' is not the opening letters of an article (1 to {ID_PREFIX_CHARS} letters or digits)"
    fingerprint = record.get("skeleton")
    if fingerprint is not None and not (
        isinstance(fingerprint, list)
        and len(fingerprint) == 2
        and type(fingerprint[0]) is int
        and fingerprint[0] > 0
        and isinstance(fingerprint[1], str)
        and SHA1_HEX.fullmatch(fingerprint[1])
    ):
        return "'skeleton' is not [length, sha1]"
    if generated:
        hashes = record.get("sha256")
        if (
            not isinstance(hashes, list)
            or not 0 < len(hashes) <= MAX_HASHES
            or not all(isinstance(digest, str) and SHA256_HEX.fullmatch(digest) for digest in hashes)
        ):
            return "'sha256' is not a list of SHA-256 hashes"
    return None


def path_problem(docs: Path, relative: str) -> str | None:
    """What stands at ``docs/relative`` when it is not a regular file (or nothing at all)."""
    try:
        mode = os.lstat(os.path.join(docs, relative)).st_mode  # not pathlib: once per record
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be examined ({error.strerror})"
    if stat.S_ISLNK(mode):
        return "it names a symlink, which the ingest never writes"
    if stat.S_ISDIR(mode):
        return "it names a folder, not a file"
    if not stat.S_ISREG(mode):
        return "it names a device or another special file, not a file"
    return None


def record_lines(text: str) -> dict[tuple[str, str], int]:
    """``(section, relative) -> line`` of each record's key in a manifest known to be valid JSON."""
    decoder = json.JSONDecoder()
    lines: dict[tuple[str, str], int] = {}

    def members(position: int):
        """``(key, key position, value position)`` of an object's members; ``position`` is at its ``{``."""
        position = JSON_SPACE.match(text, position + 1).end()
        while position < len(text) and text[position] == '"':
            key, after = scanstring(text, position + 1)
            value = JSON_SPACE.match(text, JSON_SPACE.match(text, after).end() + 1).end()
            yield key, position, value
            _, end = decoder.raw_decode(text, value)
            position = JSON_SPACE.match(text, end).end()
            if position < len(text) and text[position] == ",":
                position = JSON_SPACE.match(text, position + 1).end()
            else:
                return

    start = JSON_SPACE.match(text).end()
    if not text.startswith("{", start):
        return lines
    counted, line = 0, 1  # positions only grow, so lines are counted once over the whole text
    try:
        for section, _, value in members(start):
            if section in SECTIONS and text.startswith("{", value):
                for relative, position, _ in members(value):
                    line += text.count("\n", counted, position)
                    counted = position
                    lines.setdefault((section, relative), line)
    except (ValueError, RecursionError):
        pass
    return lines


def check_manifest(docs: Path) -> tuple[Manifest, list[Problem]]:
    """``python -m ingest check``'s view: every refused record, and every record whose file holds the
    recorded bytes but whose front matter does not say it is that generated article (a forged record)."""
    manifest, problems = Manifest.load(docs)
    for relative, record in sorted(manifest.files.items()):
        try:
            content = (docs / relative).read_bytes()
        except OSError:
            continue  # missing: the next ingest writes it again
        if manifest.owns(relative, content) and not is_generated(content, record["id"]):
            problems.append(
                Problem(
                    manifest.name(),
                    manifest.line_of(relative),
                    f"the record for {terminal_safe(relative)} holds that file's hash, but its front matter does not "
                    f"say 'generated: true' with id {record['id']!r}: the manifest may only list generated files",
                )
            )
    return manifest, problems
