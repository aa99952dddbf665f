"""An existing article keeps its id and its URL, whatever new articles arrive.

A fresh run names articles by their opening (``dedupe.article_id`` hashes the first 48
letters of the skeleton; the first of several articles that open alike gets that id, the
others a hash of their whole text). Alone, that would let a new article that opens like an
existing one, and sorts before it, take the existing one's id and file: its URL would then
show another article, with nothing reported.

So the identities already given out are claimed first, from the manifest (``files`` and
``taken_over``: id, slug, key, skeleton fingerprint) and from generated files the manifest
lost (id and slug only), in rounds from the surest evidence to the weakest:

1. the recorded skeleton fingerprint: the article is the recorded one or a longer copy of it;
2. the same id, when no fingerprint contradicts it (manifests before fingerprints, shorter copies);
3. the same key (the opening grew past a short recorded one), on the same condition;
4. an identity whose only candidate is one article with the same key, even with another
   fingerprint: an edited copy (a near duplicate became the best text) keeps its URL.

Only then do the remaining articles get ids, never one already claimed, and, once their
topic is known, slugs that no remembered article has ever had.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ingest.pipeline.dedupe import ID_PREFIX_CHARS
from ingest.pipeline.manifest import Manifest, fingerprint_matches
from ingest.pipeline.slug import make_slug
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.model import Article


@dataclass(frozen=True)
class Known:
    """An identity given out before: recorded in the manifest or read from a generated file."""

    relative: str
    id: str
    key: str | None = None
    skeleton: tuple | None = None  # (length, sha1) when recorded

    @cached_property  # asked several times per article: string operations, not pathlib (seconds at 50,000)
    def slug(self) -> str | None:
        """``Path(relative).stem`` when the file lies directly in ``articles/``."""
        folder, _, name = self.relative.rpartition("/")
        return os.path.splitext(name)[0] if folder == ARTICLES_DIR else None


def known_identities(manifest: Manifest, recovered: dict[str, str] | None = None) -> list[Known]:
    """Every identity to keep: the manifest's records, then ``recovered`` (``relative -> id`` of
    generated files the manifest does not list)."""
    known = []
    for records in (manifest.files, manifest.taken_over):
        for relative, record in sorted(records.items()):
            skeleton = tuple(record["skeleton"]) if record.get("skeleton") else None
            known.append(Known(relative, record["id"], record["key"], skeleton))
    known.extend(Known(relative, article_id) for relative, article_id in sorted((recovered or {}).items()))
    return known


def full_text_id(text_skeleton: str, salt: int = 0) -> str:
    """The id of an article whose opening another article already names: a hash of its whole text."""
    data = text_skeleton if not salt else f"{text_skeleton}\0{salt}"
    return hashlib.sha1(data.encode()).hexdigest()[:10]


class Identities:
    """Decides ids before tagging (curated titles are keyed by id) and slugs after (they name the topic)."""

    def __init__(self, known: list[Known]) -> None:
        self.known = known
        self.remembered_slugs = {item.slug for item in known if item.slug}
        self.claimed: dict[int, Known] = {}  # id(article) -> its identity
        self.slugs: set[str] = set()

    def keep_ids(self, articles: list[Article]) -> None:
        by_id: dict[str, list[Known]] = defaultdict(list)
        by_key: dict[str, list[Known]] = defaultdict(list)
        for item in self.known:
            by_id[item.id].append(item)
            if item.key:
                by_key[item.key].append(item)
        key_lengths = sorted({len(key) for key in by_key}, reverse=True)
        taken: set[Known] = set()

        def same_key(article: Article) -> list[Known]:
            key = article.skeleton[:ID_PREFIX_CHARS]
            return [item for length in key_lengths if length <= len(key) for item in by_key.get(key[:length], [])]

        def candidates(article: Article) -> list[Known]:
            return list(dict.fromkeys([*by_id.get(article.id, []), *same_key(article)]))

        def claim(article: Article, item: Known) -> None:
            self.claimed[id(article)] = item
            taken.add(item)

        ordered = sorted(articles, key=lambda article: (article.skeleton, article.id))
        unclaimed = lambda: [article for article in ordered if id(article) not in self.claimed]  # noqa: E731
        for article in ordered:  # 1. fingerprints
            match = next(
                (
                    item
                    for item in candidates(article)
                    if item not in taken and fingerprint_matches(item.skeleton, article.skeleton)
                ),
                None,
            )
            if match:
                claim(article, match)
        for round_candidates in (lambda article: by_id.get(article.id, []), same_key):  # 2. ids, 3. keys
            for article in unclaimed():
                match = next(
                    (
                        item
                        for item in round_candidates(article)
                        if item not in taken and fingerprint_matches(item.skeleton, article.skeleton) is not False
                    ),
                    None,
                )
                if match:
                    claim(article, match)
        rivals: dict[Known, list[Article]] = defaultdict(list)  # 4. an identity with exactly one candidate
        for article in unclaimed():
            for item in same_key(article):
                if item not in taken:
                    rivals[item].append(article)
        for item, wanting in rivals.items():
            if len(wanting) == 1 and id(wanting[0]) not in self.claimed and item not in taken:
                claim(wanting[0], item)

        used_ids = {item.id for item in self.claimed.values()}
        for article in ordered:
            item = self.claimed.get(id(article))
            if item:
                article.id = item.id
                if item.slug and item.slug not in self.slugs:  # a hostile manifest may repeat a path
                    article.slug = item.slug
                    self.slugs.add(item.slug)
        for article in unclaimed():
            salt = 0
            while article.id in used_ids:
                article.id = full_text_id(article.skeleton, salt)
                salt += 1
            used_ids.add(article.id)

    def assign_slugs(self, articles: list[Article]) -> None:
        """Slugs for articles without a remembered one: ``<topic>-<6 hex>``, the full id on a clash."""
        avoid = self.slugs | self.remembered_slugs
        for article in sorted(articles, key=lambda article: article.id):
            if article.slug:
                continue
            topic = article.topics[0]
            candidates = [make_slug(article.id, topic), f"{topic}-{article.id}"]
            slug = next((slug for slug in candidates if slug not in avoid), None)
            counter = 2
            while slug is None:
                slug = f"{topic}-{article.id}-{counter}" if f"{topic}-{article.id}-{counter}" not in avoid else None
                counter += 1
            article.slug = slug
            avoid.add(slug)
            self.slugs.add(slug)
