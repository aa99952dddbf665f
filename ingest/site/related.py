"""Related articles for every article, from shared topics and similar text, in near-linear time.

Scoring every pair of articles would be quadratic, so only bounded candidate sets are scored:

1. **Similar text**: each article's text becomes shingles (pairs of adjacent words; a Chinese
   character counts as a word), minus the shingles common to much of the library. Articles
   whose MinHash signatures (datasketch) agree on one LSH band become candidates.
2. **Shared topics**: the members of each topic.

A group (an LSH bucket or a topic) small enough is compared all-pairs; a larger one is sorted
by signature, which puts similar texts next to each other, and each member is compared with
its next few neighbours only. A topic with 3,000 articles therefore costs a few times 3,000
scores, not 4.5 million.

A candidate's score is the Jaccard overlap of the two topic sets plus the exact Jaccard
similarity of the two shingle sets; ties are broken by path. An article left with fewer than
``minimum`` candidates is filled up from its own section, then from the whole library, nearest
in taxonomy order first, so every article links to at least two others when the library has them.
"""

from __future__ import annotations

import html
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from ingest.site.library import LibraryArticle

# The marker render.py puts where the scraper lost a formula: its label text ("公式缺失") is
# the same in every article, so it must not count as shared text.
DROPPED_MARKER = re.compile(r'<span class="kb-dropped"[^>]*>.*?</span>', re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # writing hints in hand-written articles
HTML_TAG = re.compile(r"<[^>]+>")
MARKDOWN_ESCAPE = re.compile(r"\\(.)")
TOKEN = re.compile(r"[0-9a-z]+|[^\W\d_a-z]")
SIGNATURE_SEED = 1
MIN_COMMON_SHINGLE_ARTICLES = 10


@dataclass(frozen=True)
class RelatedSettings:
    limit: int = 5  # links shown per article
    minimum: int = 2  # every article gets at least this many when the library has them
    shingle_tokens: int = 2
    # 32 bands of 3 rows: a pair with Jaccard 0.4 meets in some band 9 times in 10, one with 0.05
    # (two unrelated texts sharing common phrases) 1 time in 250. Two rows would let those
    # chance meetings grow with the square of the library.
    num_perm: int = 96
    band_rows: int = 3
    # A shingle in more than this share of the articles (and more than 10) says nothing about
    # any one of them ("我们", "of the"); it is left out of the comparison.
    common_shingle_share: float = 0.05
    group_cap: int = 16  # a group this small is compared all-pairs
    window: int = 6  # in a larger group, each member is compared with this many next neighbours
    min_text_similarity: float = 0.05  # below this, texts that met in a band only by chance are not related


@dataclass(frozen=True)
class Related:
    path: str
    title: str
    score: float
    shared_topics: tuple[str, ...]  # topic ids, in the linking article's topic order
    text_similarity: float  # Jaccard similarity of the two texts' shingles
    fallback: bool = False  # chosen only to reach the minimum, not for being similar
    shared_sections: tuple[str, ...] = ()  # section ids of both articles' topics


@dataclass
class RelatedIndex:
    by_path: dict[str, list[Related]] = field(default_factory=dict)
    pairs_scored: int = 0  # how many candidate pairs were scored: the cost that must stay near-linear

    def for_article(self, path: str) -> list[Related]:
        return self.by_path.get(path, [])


def comparison_tokens(article: LibraryArticle) -> list[str]:
    """Title and body as words: markup, escapes and punctuation removed.

    A Latin word or number is one token and every other letter (a Chinese character) is one,
    so shingles of two tokens are word pairs in English and character pairs in Chinese.
    Letter-level shingles would make any two English texts look alike ("ing", "the").
    """
    body = DROPPED_MARKER.sub(" ", HTML_COMMENT.sub(" ", article.body))
    body = html.unescape(HTML_TAG.sub(" ", body))
    body = MARKDOWN_ESCAPE.sub(r"\1", body)
    return TOKEN.findall(unicodedata.normalize("NFKC", f"{article.title} {body}").casefold())


def shingles(tokens: list[str], size: int) -> set[int]:
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {zlib.crc32(" ".join(tokens).encode())}
    return {zlib.crc32(" ".join(tokens[i : i + size]).encode()) for i in range(len(tokens) - size + 1)}


def without_common_shingles(shingle_sets: list[set[int]], share: float) -> list[set[int]]:
    document_frequency = Counter(shingle for shingle_set in shingle_sets for shingle in shingle_set)
    limit = max(MIN_COMMON_SHINGLE_ARTICLES, share * len(shingle_sets))
    common = {shingle for shingle, count in document_frequency.items() if count > limit}
    return [shingle_set - common for shingle_set in shingle_sets] if common else shingle_sets


def _identity(value: int) -> int:
    return value


def signatures(shingle_sets: list[set[int]], settings: RelatedSettings) -> list[np.ndarray | None]:
    """One MinHash signature per article; ``None`` for an article without text to compare."""
    # Imported here: datasketch's package imports scipy (about 1-3 s), which `python -m ingest check`
    # and a build of a site without articles never need.
    from datasketch import MinHash

    # The generator copies one initialised MinHash instead of drawing permutations per article.
    minhashes = MinHash.generator(
        (sorted(shingle_set) for shingle_set in shingle_sets),
        num_perm=settings.num_perm,
        seed=SIGNATURE_SEED,
        hashfunc=_identity,
    )
    return [
        minhash.hashvalues.copy() if shingle_set else None
        for shingle_set, minhash in zip(shingle_sets, minhashes, strict=True)
    ]


def group_pairs(members: list[int], settings: RelatedSettings) -> Iterator[tuple[int, int]]:
    """Pairs to score inside one group whose members are already in signature order."""
    if len(members) <= settings.group_cap:
        yield from combinations(members, 2)
        return
    for position, first in enumerate(members):
        for second in members[position + 1 : position + 1 + settings.window]:
            yield first, second


def candidate_pairs(
    articles: list[LibraryArticle], sigs: list[np.ndarray | None], settings: RelatedSettings
) -> set[tuple[int, int]]:
    """Index pairs (low, high) sharing a topic or an LSH band, bounded per group."""
    # Each group remembers which signature values to sort its members by: two members that
    # agree on them are likely similar, so the windows of an oversize group hold similar texts.
    groups: dict[tuple, list[int]] = defaultdict(list)
    order_from: dict[tuple, int] = {}
    for index, article in enumerate(articles):
        for topic_id in article.topics:
            groups[("topic", topic_id)].append(index)
            order_from[("topic", topic_id)] = 0
        signature = sigs[index]
        if signature is None:
            continue
        for start in range(0, settings.num_perm - settings.band_rows + 1, settings.band_rows):
            key = ("band", start, signature[start : start + settings.band_rows].tobytes())
            groups[key].append(index)
            order_from[key] = (start + settings.band_rows) % settings.num_perm

    pairs: set[tuple[int, int]] = set()
    for key, members in groups.items():
        if len(members) < 2:
            continue
        start = order_from[key]

        def signature_order(index: int, start: int = start) -> tuple:
            signature = sigs[index]
            values = () if signature is None else tuple(signature[start : start + settings.band_rows].tolist())
            return (signature is None, values, articles[index].path)

        members.sort(key=signature_order)
        for first, second in group_pairs(members, settings):
            pairs.add((min(first, second), max(first, second)))
    return pairs


def _overlap(first: set | frozenset, second: set | frozenset) -> float:
    """Jaccard similarity; 0 when both are empty."""
    union = len(first | second)
    return len(first & second) / union if union else 0.0


class _Scorer:
    """Scores each pair once and keeps it as a candidate of both its articles."""

    def __init__(
        self,
        articles: list[LibraryArticle],
        shingle_sets: list[set[int]],
        section_of_topic: Mapping[str, str],
        min_text_similarity: float,
    ) -> None:
        self.articles = articles
        self.shingle_sets = shingle_sets
        self.min_text_similarity = min_text_similarity
        self.topic_sets = [frozenset(article.topics) for article in articles]
        self.section_lists = [
            tuple(dict.fromkeys(section_of_topic[topic] for topic in article.topics if topic in section_of_topic))
            for article in articles
        ]
        self.candidates: dict[int, dict[int, Related]] = defaultdict(dict)
        self.pairs_scored = 0

    def score(self, first: int, second: int, fallback: bool = False) -> None:
        if first == second or second in self.candidates[first]:
            return
        self.pairs_scored += 1
        text = _overlap(self.shingle_sets[first], self.shingle_sets[second])
        topics = _overlap(self.topic_sets[first], self.topic_sets[second])
        if not (fallback or topics or text >= self.min_text_similarity):
            return
        score = topics + text
        for source, target in ((first, second), (second, first)):
            target_article = self.articles[target]
            shared = tuple(topic for topic in self.articles[source].topics if topic in self.topic_sets[target])
            sections = tuple(section for section in self.section_lists[source] if section in self.section_lists[target])
            self.candidates[source][target] = Related(
                target_article.path, target_article.title, score, shared, round(text, 4), fallback, sections
            )

    def ranked(self, index: int) -> list[Related]:
        """Similar articles by score; then fallbacks, those of the same section first."""
        return sorted(
            self.candidates[index].values(),
            key=lambda related: (
                related.fallback,
                related.fallback and not related.shared_sections,
                -related.score,
                related.path,
            ),
        )


def _nearest(ordered: list[int], position: int) -> Iterator[int]:
    """Members of ``ordered`` by distance from ``position``: next, previous, second next, ..."""
    for distance in range(1, len(ordered)):
        for candidate in (position + distance, position - distance):
            if 0 <= candidate < len(ordered):
                yield ordered[candidate]


class _FallbackPools:
    """Articles of each section, then of the whole library, in taxonomy order.

    Curators list neighbouring topics next to each other in the taxonomy, so the nearest
    articles in this order are the ones of the same topic, then of the adjacent topics.
    """

    def __init__(self, articles: list[LibraryArticle], section_of_topic: Mapping[str, str]) -> None:
        self.section_of_topic = section_of_topic
        topic_rank = {topic: rank for rank, topic in enumerate(section_of_topic)}

        def taxonomy_order(index: int) -> tuple:
            ranks = [topic_rank[topic] for topic in articles[index].topics if topic in topic_rank]
            return (min(ranks, default=len(topic_rank)), articles[index].path)

        everything = sorted(range(len(articles)), key=taxonomy_order)
        self.pools: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index in everything:
            for section in self.sections(articles[index]):
                self.pools[("section", section)].append(index)
        self.pools[("all",)] = everything
        self.positions = {
            (key, index): position for key, pool in self.pools.items() for position, index in enumerate(pool)
        }

    def sections(self, article: LibraryArticle) -> list[str]:
        return list(dict.fromkeys(self.section_of_topic[t] for t in article.topics if t in self.section_of_topic))

    def nearest(self, article: LibraryArticle, index: int) -> Iterator[int]:
        for key in [("section", section) for section in self.sections(article)] + [("all",)]:
            yield from _nearest(self.pools[key], self.positions[(key, index)])


def find_related(
    articles: list[LibraryArticle], section_of_topic: Mapping[str, str], settings: RelatedSettings | None = None
) -> RelatedIndex:
    """Up to ``settings.limit`` related articles per article path, best first.

    ``section_of_topic`` maps topic ids to section ids in taxonomy order, for the fallback.
    """
    settings = settings or RelatedSettings()
    shingle_sets = without_common_shingles(
        [shingles(comparison_tokens(article), settings.shingle_tokens) for article in articles],
        settings.common_shingle_share,
    )
    sigs = signatures(shingle_sets, settings)
    scorer = _Scorer(articles, shingle_sets, section_of_topic, settings.min_text_similarity)
    for first, second in sorted(candidate_pairs(articles, sigs, settings)):
        scorer.score(first, second)

    pools = _FallbackPools(articles, section_of_topic)
    for index, article in enumerate(articles):
        # Bounded: the nearest pool members are tried only until the minimum is reached.
        nearest = pools.nearest(article, index)
        while len(scorer.candidates[index]) < settings.minimum:
            other = next(nearest, None)
            if other is None:
                break
            scorer.score(index, other, fallback=True)
    return RelatedIndex(
        by_path={article.path: scorer.ranked(index)[: settings.limit] for index, article in enumerate(articles)},
        pairs_scored=scorer.pairs_scored,
    )
