"""What each feed file contributed, kept between runs, so that a run redoes only what changed.

Adding one dump to a hundred thousand entries should not parse, normalise, sign and tag the
other hundred thousand again. The cache folder (``build/ingest-cache/`` in the working
directory unless ``--cache-dir`` says otherwise; ``--no-cache`` runs without it) keeps:

* ``feeds/<key>.bin``, one record per feed file: its entries, rejections and warnings as
  ``parse`` gave them, and the ``text_forms`` (skeleton, truncation mark) of each distinct entry
  text. The key hashes the file's bytes, its name as sources cite it, and the ingest's code.
* ``signatures-<key>.bin``: the MinHash rows (``minhash``) of the skeletons that were the
  longest copies of their articles last run, by a hash of the skeleton. The key names the code.
* ``tags-<key>.bin``: the topics and guessed titles of the whole corpus (reused when its texts
  are the same), and what each text holds on its own (``text_memo``: its opening and aliases,
  its title for a given subject), by a hash of the text; the key names the taxonomy and the
  code. Curated titles (``titles.yml``) are applied after, on every run, so editing them needs
  no invalidation.
* ``docs-<key>.bin``, for the docs folder of the last run (the key names its path and the
  code): each generated file's ``stat`` and sha256 as that run left it (``docsfiles``: a file
  whose stat did not change is not read again) and what it was rendered from
  (``render.render_inputs``: an article whose inputs and file did not change is not rendered again).

Deduplication, slugs and ownership still run over every article on every run, from these
pieces: the result is the same bytes as a run without the cache
(``tests/pipeline/test_feedcache.py`` compares them). Every record is derived data: a missing,
unreadable or stale one is recomputed, one that cannot be written is skipped, and each is
written to a temporary file and renamed, so a killed run leaves whole records or none.
After a run, records it did not use are removed, so the folder holds one run's worth.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import time_ns

import numpy as np

from ingest.pipeline import minhash
from ingest.pipeline.docsfiles import StatKey, trustworthy
from ingest.pipeline.fingerprint import FileDigests, code_fingerprint, taxonomy_fingerprint
from ingest.pipeline.normalize import TextForms, text_forms_of
from ingest.pipeline.parse import ParsedFeed, parse_feed
from ingest.pipeline.text_memo import TextMemo, text_digest
from ingest.shared.messages import display_name
from ingest.shared.model import Entry, Problem
from ingest.shared.taxonomy import Taxonomy

FORMAT = 1
FEEDS_FOLDER = "feeds"
RECORD_SUFFIX = ".bin"
TEMP_SUFFIX = ".tmp"
TopicsAndTitle = tuple[list[str], str]


@dataclass
class FeedContribution:
    """One feed file's entries and problems, and the normalised forms of its entry texts."""

    parsed: ParsedFeed
    forms: dict[str, TextForms]


def contribution_of(path: Path) -> FeedContribution:
    """Parse and normalise one feed file (what the cache remembers)."""
    parsed = parse_feed(path)
    texts = list(dict.fromkeys(entry.text for entry in parsed.entries))
    return FeedContribution(parsed, dict(zip(texts, text_forms_of(texts), strict=True)))


def _encode_feed(contribution: FeedContribution) -> dict:
    parsed = contribution.parsed
    texts = list(contribution.forms)
    index = {text: number for number, text in enumerate(texts)}
    return {
        "texts": texts,
        "skeletons": [contribution.forms[text].skeleton for text in texts],
        "truncated": bytes(contribution.forms[text].truncated for text in texts),
        "entries": [(entry.line, index[entry.text], entry.category, entry.date) for entry in parsed.entries],
        "rejected": [(problem.file, problem.line, problem.reason) for problem in parsed.rejected],
        "warnings": [(problem.file, problem.line, problem.reason) for problem in parsed.warnings],
    }


def _decode_feed(data: dict, name: str) -> FeedContribution:
    texts = data["texts"]
    forms = dict(zip(texts, map(TextForms, data["skeletons"], map(bool, data["truncated"])), strict=True))
    entries = [
        Entry(file=name, line=line, text=texts[number], category=category, date=date)
        for line, number, category, date in data["entries"]
    ]
    parsed = ParsedFeed(
        entries=entries,
        rejected=[Problem(*problem) for problem in data["rejected"]],
        warnings=[Problem(*problem) for problem in data["warnings"]],
    )
    return FeedContribution(parsed, forms)


@dataclass
class IngestCache:
    """The cache folder for one run: read what is there, remember what this run used, then ``save``."""

    folder: Path
    taxonomy: Taxonomy
    digests: FileDigests = field(default_factory=FileDigests)
    used_feeds: set[str] = field(default_factory=set)
    feeds_reused: int = 0
    _signature_rows: dict[bytes, int] | None = None
    _signature_matrix: np.ndarray | None = None
    _used_signatures: tuple[list[bytes], np.ndarray] | None = None
    _tags: dict | None = None
    _used_tags: dict = field(default_factory=dict)
    _docs_name: str | None = None
    _text_digests: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        code = code_fingerprint()
        self._code = code
        self._signatures_name = f"signatures-{self._key(code, minhash.ALGORITHM)}{RECORD_SUFFIX}"
        self._tags_name = f"tags-{self._key(code, taxonomy_fingerprint(self.taxonomy))}{RECORD_SUFFIX}"

    @staticmethod
    def _key(*parts: str) -> str:
        return hashlib.sha256("\0".join((str(FORMAT), *parts)).encode("utf-8", "surrogatepass")).hexdigest()[:32]

    # -- reading and writing records -------------------------------------------------------

    def _load(self, relative: str) -> object | None:
        try:
            return marshal.loads((self.folder / relative).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None

    def _store(self, relative: str, data: object) -> None:
        path = self.folder / relative
        temporary = path.with_name(f"{path.name}.{os.getpid()}{TEMP_SUFFIX}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps(data))
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):  # the folder may not be one at all
                temporary.unlink(missing_ok=True)

    # -- feed files ----------------------------------------------------------------------

    def feed(self, path: Path) -> FeedContribution:
        """``contribution_of(path)``, from the record of a feed file with these bytes when there is one."""
        name = display_name(path)
        try:
            before = path.stat()
            key = self._key(self._code, name, self.digests(path))
        except OSError:
            return contribution_of(path)  # unreadable: parse_feed reports it
        relative = f"{FEEDS_FOLDER}/{key}{RECORD_SUFFIX}"
        self.used_feeds.add(relative)
        data = self._load(relative)
        if isinstance(data, dict):
            try:
                contribution = _decode_feed(data, name)
            except (KeyError, TypeError, ValueError):
                pass
            else:
                self.feeds_reused += 1
                return contribution
        contribution = contribution_of(path)
        try:
            after = path.stat()
        except OSError:
            return contribution
        # A file rewritten while it was read must not be remembered under the hash of its old
        # bytes, nor a read that failed (line 0: the whole file) as what those bytes hold.
        unchanged = (before.st_size, before.st_mtime_ns, before.st_ino) == (
            after.st_size,
            after.st_mtime_ns,
            after.st_ino,
        )
        if unchanged and not any(problem.line == 0 for problem in contribution.parsed.rejected):
            self._store(relative, _encode_feed(contribution))
        return contribution

    # -- MinHash signatures ----------------------------------------------------------------

    def signatures(self, skeletons: Sequence[str]) -> np.ndarray:
        """``minhash.signatures(skeletons)``, computing only the rows no earlier run kept."""
        if self._signature_rows is None:
            self._signature_rows, self._signature_matrix = self._load_signatures()
        keys = [text_digest(skeleton) for skeleton in skeletons]
        rows = np.empty((len(skeletons), minhash.NUM_PERM), dtype=np.uint32)
        found = [self._signature_rows.get(key, -1) for key in keys]
        known = [index for index, row in enumerate(found) if row >= 0]
        missing = [index for index, row in enumerate(found) if row < 0]
        if known:
            rows[known] = self._signature_matrix[[found[index] for index in known]]
        if missing:
            rows[missing] = minhash.signatures([skeletons[index] for index in missing])
        self._used_signatures = (keys, rows)
        return rows

    def _load_signatures(self) -> tuple[dict[bytes, int], np.ndarray]:
        """``key -> row number`` and the matrix of rows, as the last run kept them."""
        empty = ({}, np.empty((0, minhash.NUM_PERM), dtype=np.uint32))
        data = self._load(self._signatures_name)
        try:
            keys, matrix = data["keys"], data["rows"]  # type: ignore[index]
            rows = np.frombuffer(matrix, dtype=np.uint32).reshape(-1, minhash.NUM_PERM)
        except (TypeError, KeyError, ValueError):
            return empty
        if not isinstance(keys, list) or len(keys) != len(rows):
            return empty
        return {key: number for number, key in enumerate(keys)}, rows

    # -- topics and titles ---------------------------------------------------------------

    def text_digest(self, text: str) -> bytes:
        """A hash of an article text, computed once per run (tags and rendering both ask)."""
        digest = self._text_digests.get(text)
        if digest is None:
            digest = self._text_digests[text] = text_digest(text)
        return digest

    def memoised(
        self, compute: Callable[[list[str], TextMemo], list[TopicsAndTitle]]
    ) -> Callable[[list[str]], list[TopicsAndTitle]]:
        """``compute`` (topics and guessed title of every text of the corpus), remembered across runs.

        Tagging weighs each alias by how many texts of the corpus use it, so one text's topics depend
        on all the others: the whole result is reused only for the very same texts, in the same
        order. Otherwise ``compute`` ranks the corpus again with a ``TextMemo`` of what each text
        holds on its own (its aliases, and its title for a given subject).
        """
        if self._tags is None:
            loaded = self._load(self._tags_name)
            self._tags = loaded if isinstance(loaded, dict) else {}

        def lookup(texts: list[str]) -> list[TopicsAndTitle]:
            corpus = hashlib.blake2b(b"".join(self.text_digest(text) for text in texts), digest_size=16).digest()
            found = self._tags.get("results") if self._tags.get("corpus") == corpus else None
            texts_record = self._tags.get("texts")
            if isinstance(found, list) and len(found) == len(texts):
                self._used_tags = {"corpus": corpus, "results": found, "texts": texts_record}
            else:
                memo = TextMemo(texts_record, self.text_digest)
                found = [(tuple(topics), title) for topics, title in compute(texts, memo)]
                self._used_tags = {"corpus": corpus, "results": found, "texts": memo.record()}
            return [(list(topics), title) for topics, title in found]

        return lookup

    # -- the docs folder --------------------------------------------------------------------

    def _docs_record_name(self, docs: Path) -> str:
        return f"docs-{self._key(self._code, docs.resolve().as_posix())}{RECORD_SUFFIX}"

    def docs_state(self, docs: Path) -> tuple[dict[str, tuple[StatKey, str]], dict[str, tuple[tuple, str]]]:
        """``(relative -> (stat, sha256), relative -> (render inputs, sha256))`` as the last run left ``docs``."""
        self._docs_name = self._docs_record_name(docs)
        data = self._load(self._docs_name)
        known: dict[str, tuple[StatKey, str]] = {}
        rendered: dict[str, tuple[tuple, str]] = {}
        try:
            for relative, stat, digest, inputs in data["files"]:  # type: ignore[index]
                if stat is not None:
                    known[relative] = (tuple(stat), digest)
                rendered[relative] = (inputs, digest)
        except (TypeError, KeyError, ValueError):
            return {}, {}
        return known, rendered

    def remember_docs(self, docs: Path, states: dict[str, tuple[StatKey, str]], planned: Sequence) -> None:
        """Record the generated files as this run left them (``planned``: ``write.Planned``)."""
        self._docs_name = self._docs_record_name(docs)
        now = time_ns()
        files = []
        for item in planned:
            state = states.get(item.relative)
            if state is None or state[1] != item.digest:
                continue  # not on disk as planned (a conflict, a failed write): nothing to remember
            stat = state[0] if trustworthy(state[0], now) else None
            files.append((item.relative, stat, item.digest, item.render_inputs))
        self._store(self._docs_name, {"files": files})

    # -- after the run ---------------------------------------------------------------------

    def save(self) -> None:
        """Write what this run computed and remove every record it did not use."""
        if self._used_signatures is not None and self._signature_rows is not None:
            keys, rows = self._used_signatures
            if set(keys) != self._signature_rows.keys():
                self._store(self._signatures_name, {"keys": keys, "rows": rows.astype(np.uint32).tobytes()})
        if self._tags is not None and self._used_tags != self._tags:
            self._store(self._tags_name, self._used_tags)
        keep = {*self.used_feeds, self._signatures_name, self._tags_name, self._docs_name}
        self._remove_unused(keep)

    def _remove_unused(self, keep: set[str]) -> None:
        """Records of other inputs or code, and temporary files of killed runs; nothing else."""
        candidates = [*self.folder.glob(f"*{RECORD_SUFFIX}"), *self.folder.glob(f"{FEEDS_FOLDER}/*{RECORD_SUFFIX}")]
        candidates += [*self.folder.glob(f"*{TEMP_SUFFIX}"), *self.folder.glob(f"{FEEDS_FOLDER}/*{TEMP_SUFFIX}")]
        for path in candidates:
            if path.relative_to(self.folder).as_posix() not in keep and path.is_file():
                try:
                    path.unlink()
                except OSError:
                    continue
