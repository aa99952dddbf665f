"""Group entries that are copies of one article, in near-linear time.

Three passes, each cheaper than the next and each only deciding what the previous could not:

1. **Exact**: entries with the same skeleton (see ``normalize``) are one article. This
   also merges full-width/half-width punctuation and spacing variants.
2. **Truncated copies**: after sorting the distinct skeletons, a string's extensions sit
   right after it, so one backward scan links each skeleton that is a prefix of its
   successor to that successor's group. A prefix shared by two different articles is
   given to exactly one of them, so the two articles are never merged through it.
3. **Near duplicates**: MinHash/LSH (``minhash``: numpy shingle hashes, rensa signatures) over
   character shingles of the longest copies only, with every candidate pair confirmed by its
   exact Jaccard similarity. Two articles sharing a paragraph stay apart: their whole-text
   similarity is low.

Each distinct text is normalised once (``normalize.text_forms``); the caller may pass those
forms and a source of signatures that remembers earlier runs (``feedcache``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ingest.pipeline import minhash
from ingest.pipeline.normalize import TextForms, text_forms
from ingest.shared.model import Article, Entry

MIN_PREFIX_CHARS = 12  # a shorter prefix says too little to claim an article
NEAR_DUPLICATE_JACCARD = 0.85
ID_PREFIX_CHARS = 48  # the id hashes the opening only, so a longer copy keeps it
SignatureSource = Callable[[Sequence[str]], np.ndarray]  # skeletons -> one MinHash row each


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


def near_duplicate_groups(texts: list[str], signatures: SignatureSource = minhash.signatures) -> UnionFind:
    """Groups of ``texts`` (by index) joined through pairs with Jaccard similarity >= the threshold."""
    groups = UnionFind(len(texts))
    if len(texts) < 2:
        return groups
    rows = signatures(texts)
    same_group = lambda first, second: groups.find(first) == groups.find(second)  # noqa: E731
    for first, second in minhash.near_duplicate_pairs(texts, rows, NEAR_DUPLICATE_JACCARD, same_group):
        groups.union(first, second)
    return groups


def _completeness(entry: Entry, forms: TextForms) -> tuple:
    # Longest text wins; between equals a copy without a truncation marker, then the earliest source.
    return (-len(forms.skeleton), forms.truncated, entry.file, entry.line)


def article_id(text_skeleton: str) -> str:
    return hashlib.sha1(text_skeleton[:ID_PREFIX_CHARS].encode()).hexdigest()[:10]


def dedupe(
    entries: list[Entry],
    forms: Mapping[str, TextForms] | None = None,
    signatures: SignatureSource = minhash.signatures,
) -> list[Article]:
    """Merge copies into articles, sorted by id. Entries with an empty skeleton must be removed first.

    ``forms`` maps entry texts to ``text_forms`` (computed here for the texts it lacks);
    ``signatures`` gives the MinHash rows of skeletons (``minhash.signatures`` by default).
    """
    forms_of: dict[str, TextForms] = dict(forms) if forms else {}
    by_skeleton: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        text_forms_ = forms_of.get(entry.text)
        if text_forms_ is None:  # exact copies are common: normalise each distinct text once
            text_forms_ = forms_of[entry.text] = text_forms(entry.text)
        by_skeleton[text_forms_.skeleton].append(entry)
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
    groups = near_duplicate_groups([distinct[index] for index in maximal], signatures)

    members: dict[int, list[Entry]] = defaultdict(list)
    for index, text_skeleton in enumerate(distinct):
        members[groups.find(position[longest[index]])].extend(by_skeleton[text_skeleton])

    articles = []
    for group in members.values():
        if len(group) > 1:  # half the groups at 100,000 entries are single entries: nothing to choose or sort
            best = min(group, key=lambda entry: _completeness(entry, forms_of[entry.text]))
            group.sort(key=lambda entry: (entry.file, entry.line))
        else:
            best = group[0]
        best_forms = forms_of[best.text]
        articles.append(
            Article(
                id=article_id(best_forms.skeleton),
                text=best.text,
                skeleton=best_forms.skeleton,
                truncated=best_forms.truncated,
                entries=group,
            )
        )
    return _resolve_id_collisions(articles)


def _resolve_id_collisions(articles: list[Article]) -> list[Article]:
    """Distinct articles that open identically would share an id; later ones hash their whole text."""
    by_id: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_id[article.id].append(article)
    for clashing in by_id.values():
        if len(clashing) < 2:
            continue
        for article in sorted(clashing, key=lambda item: item.skeleton)[1:]:
            article.id = hashlib.sha1(article.skeleton.encode()).hexdigest()[:10]
    return sorted(articles, key=lambda article: article.id)
