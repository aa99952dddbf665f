"""Near-duplicate candidates for ``dedupe``: MinHash signatures and LSH bands, vectorised.

* **Shingles**: every ``SHINGLE_CHARS``-character window of a skeleton (the whole skeleton when
  it is shorter), hashed to 64 bits in numpy, a whole batch of texts at a time. Python-level
  shingle sets (one ``crc32`` per window) were the ingest's largest cost.
* **Signatures**: rensa's R-MinHash (Rust) over those pre-hashed shingles, ``NUM_PERM`` slots of
  32 bits per text. Two texts agree on a slot with probability close to their Jaccard similarity.
* **Candidates**: ``BANDS`` bands of ``ROWS`` slots (LSH). Texts whose signatures agree on a
  whole band become a candidate pair. With 16 bands of 8 rows a pair at the 0.85 threshold
  meets in some band 99.4% of the time (0.9: 99.99%), a pair at 0.5 only 6% and at 0.2 one time
  in 25,000, so unrelated texts sharing common phrases stay out of the candidates.
* **Confirmation**: the exact Jaccard similarity of the two sets of shingle hashes decides;
  the signatures only choose which pairs are worth computing it for.

Signatures are a pure function of the skeleton, so the ingest's cache can keep them
(``feedcache``); ``ALGORITHM`` names everything that goes into one and is part of the cache key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from importlib import metadata

import numpy as np
from rensa import RMinHash

SHINGLE_CHARS = 5
NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SEED = 20260111
CHUNK_CHARS = 1 << 22  # texts are hashed in batches of about this many characters (bounded memory)
ALGORITHM = f"rensa-{metadata.version('rensa')}-v{RMinHash.ALGORITHM_VERSION}/{SHINGLE_CHARS}/{NUM_PERM}/{SEED}/1"

_U64 = np.uint64
_MIX_1, _MIX_2 = _U64(0xFF51AFD7ED558CCD), _U64(0xC4CEB9FE1A85EC53)
_ODD = _U64(0x9E3779B97F4A7C15)
_SHIFT_33, _SHIFT_42, _SHIFT_21 = _U64(33), _U64(42), _U64(21)


def _mix(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place: a bijection that spreads every input bit."""
    values ^= values >> _SHIFT_33
    values *= _MIX_1
    values ^= values >> _SHIFT_33
    values *= _MIX_2
    values ^= values >> _SHIFT_33
    return values


def _padded(text: str) -> str:
    # A text shorter than a shingle is one shingle: NUL never occurs in a skeleton (letters and
    # digits only), so padding with it cannot make two different short texts equal.
    return text if len(text) >= SHINGLE_CHARS else text + "\0" * (SHINGLE_CHARS - len(text))


def _hash_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of ``texts``, concatenated, and ``len(texts) + 1`` row offsets into them."""
    padded = [_padded(text) for text in texts]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    points = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    windows = len(points) - SHINGLE_CHARS + 1
    # Code points have 21 bits: the first three of a window fit one 63-bit word exactly, the last two another.
    hashes = points[:windows] << _SHIFT_42
    hashes |= points[1 : windows + 1] << _SHIFT_21
    hashes |= points[2 : windows + 2]
    tail = points[3 : windows + 3] << _SHIFT_21
    tail |= points[4 : windows + 4]
    tail *= _ODD
    hashes = _mix(_mix(hashes) ^ tail)
    # Drop the windows that run from one text into the next: the last SHINGLE_CHARS - 1 starts of each.
    ends = np.cumsum(lengths)
    inside = np.ones(windows, dtype=bool)
    for back in range(1, SHINGLE_CHARS):
        starts = ends - back
        inside[starts[starts < windows]] = False
    offsets = np.zeros(len(texts) + 1, dtype=_U64)
    np.cumsum(lengths - (SHINGLE_CHARS - 1), out=offsets[1:])
    return hashes[inside], offsets


def _batches(texts: Sequence[str]) -> list[Sequence[str]]:
    batches, start, size = [], 0, 0
    for index, text in enumerate(texts):
        size += len(text)
        if size >= CHUNK_CHARS:
            batches.append(texts[start : index + 1])
            start, size = index + 1, 0
    if start < len(texts):
        batches.append(texts[start:])
    return batches


def shingle_hashes(text: str) -> np.ndarray:
    """The set of a text's shingle hashes, sorted (for the exact Jaccard similarity)."""
    hashes, _ = _hash_batch([text])
    return np.unique(hashes)


def signatures(texts: Sequence[str]) -> np.ndarray:
    """One row of ``NUM_PERM`` uint32 MinHash slots per text, in order."""
    rows = np.empty((len(texts), NUM_PERM), dtype=np.uint32)
    done = 0
    for batch in _batches(texts):
        hashes, offsets = _hash_batch(batch)
        matrix = RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, NUM_PERM, SEED)
        rows[done : done + len(batch)] = np.asarray(matrix.to_rows(), dtype=np.uint32)
        done += len(batch)
    return rows


def _band_keys(rows: np.ndarray, band: int) -> np.ndarray:
    """One 64-bit key per row for the slots of ``band``; equal bands give equal keys."""
    slots = rows[:, band * ROWS : (band + 1) * ROWS].astype(_U64)
    key = np.zeros(len(rows), dtype=_U64)
    for column in range(ROWS):
        key = _mix(key ^ slots[:, column])
        key += _ODD
    return key


def candidate_pairs(rows: np.ndarray) -> list[tuple[int, int]]:
    """``(i, j)``, ``i < j``, sorted: rows that agree on all slots of at least one band.

    A key collision between different bands only adds a candidate, which the exact
    similarity then turns down.
    """
    found: set[tuple[int, int]] = set()
    for band in range(BANDS):
        keys = _band_keys(rows, band)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        # Runs of equal keys are buckets; most hold one text, so only runs of two or more are visited.
        boundaries = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        starts = np.concatenate(([0], boundaries))
        stops = np.concatenate((boundaries, [len(ordered)]))
        for start, stop in zip(starts[stops - starts > 1], stops[stops - starts > 1], strict=True):
            members = sorted(order[start:stop].tolist())
            found.update((first, second) for index, first in enumerate(members) for second in members[index + 1 :])
    return sorted(found)


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted sets of shingle hashes."""
    shared = len(np.intersect1d(first, second, assume_unique=True))
    return shared / (len(first) + len(second) - shared)


def near_duplicate_pairs(
    texts: Sequence[str],
    rows: np.ndarray,
    threshold: float,
    already_together: Callable[[int, int], bool] = lambda first, second: False,
) -> Iterator[tuple[int, int]]:
    """Candidate pairs whose exact Jaccard similarity is at least ``threshold``, lazily.

    ``already_together(i, j)`` lets the caller skip a pair it has already joined through others
    (a union-find it updates with each pair yielded): confirming it could not change the groups,
    and in a bucket of many near-identical texts it saves all but a few of the quadratic number
    of comparisons.
    """
    sets: dict[int, np.ndarray] = {}
    for first, second in candidate_pairs(rows):
        if already_together(first, second):
            continue
        for index in (first, second):
            if index not in sets:
                sets[index] = shingle_hashes(texts[index])
        if jaccard(sets[first], sets[second]) >= threshold:
            yield first, second
