"""Group entries that are copies of one article, in near-linear time.

Three passes, each cheaper than the next and each only deciding what the previous could not:

1. **Exact**: entries with the same skeleton (see ``normalize``) are one article. This
   also merges full-width/half-width punctuation and spacing variants.
2. **Truncated copies**: after sorting the distinct skeletons, a string's extensions sit
   right after it, so one backward scan links each skeleton that is a prefix of its
   successor to that successor's group. A prefix shared by two different articles is
   given to exactly one of them, so the two articles are never merged through it.
3. **Near duplicates**: MinHash/LSH (datasketch) over character shingles of the longest
   copies only, with every candidate pair confirmed by its exact Jaccard similarity.
   Two articles sharing a paragraph stay apart: their whole-text similarity is low.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zlib
from collections import defaultdict

from datasketch import LeanMinHash, MinHash, MinHashLSH

from ingest.pipeline.normalize import is_truncated, skeleton
from ingest.pipeline.workers import process_pool
from ingest.shared.model import Article, Entry

MIN_PREFIX_CHARS = 12  # a shorter prefix says too little to claim an article
SHINGLE_CHARS = 5
NEAR_DUPLICATE_JACCARD = 0.85
NUM_PERM = 64
ID_PREFIX_CHARS = 48  # the id hashes the opening only, so a longer copy keeps it
PARALLEL_MIN_TEXTS = 5000  # below this, starting worker processes costs more than it saves
MAX_SIGNATURE_WORKERS = 4


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        root_a, root_b = self.find(first), self.find(second)
        if root_a != root_b:
            # The smaller index wins so the result never depends on visiting order.
            low, high = sorted((root_a, root_b))
            self.parent[high] = low


def shingles(text: str) -> set[int]:
    if len(text) <= SHINGLE_CHARS:
        return {zlib.crc32(text.encode())}
    return {zlib.crc32(text[i : i + SHINGLE_CHARS].encode()) for i in range(len(text) - SHINGLE_CHARS + 1)}


def _identity(value: int) -> int:
    return value


def _signatures(texts: list[str]) -> list[LeanMinHash]:
    # ``bulk`` draws the permutations once, not once per text; a minimum needs no sorted input.
    return [
        LeanMinHash(signature)
        for signature in MinHash.bulk(map(shingles, texts), num_perm=NUM_PERM, hashfunc=_identity)
    ]


def signatures_of(texts: list[str]) -> list[LeanMinHash]:
    """One MinHash signature per text, in order; split over worker processes when there are many.

    Shingling and hashing are most of the ingest's time at 100,000 entries and need nothing
    but the text, so every CPU can take a share. The signatures are the same either way.
    """
    workers = min(os.cpu_count() or 1, MAX_SIGNATURE_WORKERS)
    # Forked workers start at once and need no importable ``__main__`` (``python -m ingest``
    # has none); where fork is not the safe default, the work stays in this process.
    if workers < 2 or len(texts) < PARALLEL_MIN_TEXTS or not sys.platform.startswith("linux"):
        return _signatures(texts)
    size = -(-len(texts) // workers)
    with process_pool(workers) as pool:
        parts = pool.map(_signatures, [texts[start : start + size] for start in range(0, len(texts), size)])
        return [signature for part in parts for signature in part]


def near_duplicate_pairs(texts: list[str]) -> list[tuple[int, int]]:
    """Index pairs whose shingle sets have Jaccard similarity >= the threshold."""
    if len(texts) < 2:
        return []
    lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
    # Shingle sets are rebuilt for the rare candidate pairs rather than all kept: at 50,000
    # texts they held gigabytes.
    signatures = signatures_of(texts)
    for index, signature in enumerate(signatures):
        lsh.insert(index, signature, check_duplication=False)
    pairs = []
    for index, signature in enumerate(signatures):
        first = None
        for other in lsh.query(signature):
            if other <= index:
                continue
            first = first or shingles(texts[index])
            second = shingles(texts[other])
            if len(first & second) >= NEAR_DUPLICATE_JACCARD * len(first | second):
                pairs.append((index, other))
    return pairs


def _completeness(entry: Entry, entry_skeleton: str) -> tuple:
    # Longest text wins; between equals a copy without a truncation marker, then the earliest source.
    return (-len(entry_skeleton), is_truncated(entry.text), entry.file, entry.line)


def article_id(text_skeleton: str) -> str:
    return hashlib.sha1(text_skeleton[:ID_PREFIX_CHARS].encode()).hexdigest()[:10]


def dedupe(entries: list[Entry]) -> list[Article]:
    """Merge copies into articles, sorted by id. Entries with an empty skeleton must be removed first."""
    by_skeleton: dict[str, list[Entry]] = defaultdict(list)
    skeleton_of: dict[str, str] = {}  # exact copies are common: normalise each distinct text once
    for entry in entries:
        text_skeleton = skeleton_of.get(entry.text)
        if text_skeleton is None:
            text_skeleton = skeleton_of[entry.text] = skeleton(entry.text)
        by_skeleton[text_skeleton].append(entry)
    distinct = sorted(by_skeleton)

    # Pass 2: each skeleton that is a prefix of its successor joins the successor's longest extension.
    longest = list(range(len(distinct)))
    for index in range(len(distinct) - 2, -1, -1):
        current, successor = distinct[index], distinct[index + 1]
        if len(current) >= MIN_PREFIX_CHARS and successor.startswith(current):
            longest[index] = longest[index + 1]
    maximal = sorted(set(longest))
    position = {index: order for order, index in enumerate(maximal)}

    # Pass 3: near duplicates among the longest copies only.
    groups = UnionFind(len(maximal))
    for first, second in near_duplicate_pairs([distinct[index] for index in maximal]):
        groups.union(first, second)

    members: dict[int, list[tuple[str, Entry]]] = defaultdict(list)
    for index, text_skeleton in enumerate(distinct):
        group = members[groups.find(position[longest[index]])]
        group.extend((text_skeleton, entry) for entry in by_skeleton[text_skeleton])

    articles = []
    for group in members.values():
        best_skeleton, best = min(group, key=lambda pair: _completeness(pair[1], pair[0]))
        articles.append(
            Article(
                id=article_id(best_skeleton),
                text=best.text,
                skeleton=best_skeleton,
                truncated=is_truncated(best.text),
                entries=sorted((entry for _, entry in group), key=lambda entry: (entry.file, entry.line)),
            )
        )
    return _resolve_id_collisions(articles)


def _resolve_id_collisions(articles: list[Article]) -> list[Article]:
    """Distinct articles that open identically would share an id; later ones hash their whole text."""
    by_id: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_id[article.id].append(article)
    for clashing in by_id.values():
        for article in sorted(clashing, key=lambda item: item.skeleton)[1:]:
            article.id = hashlib.sha1(article.skeleton.encode()).hexdigest()[:10]
    return sorted(articles, key=lambda article: article.id)
