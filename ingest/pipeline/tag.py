"""Tag articles with taxonomy topics by matching aliases (Aho-Corasick, one pass per article).

Matching runs on the NFKC, case-folded text. An ASCII alias only counts at word
boundaries (``RNN`` must not match inside ``GRNN``); CJK characters count as boundaries,
since Chinese text glues English terms to its words (``在介绍Transformer前``).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import ahocorasick

from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy

OPENING_CHARS = 120  # an alias in the opening says what the article is about
OPENING_WEIGHT = 3
RELATIVE_CUTOFF = 0.3  # keep topics scoring at least this share of the best one
MIN_SCORE = 2
MAX_TOPICS = 3


def match_form(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


class Tagger:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.automaton = ahocorasick.Automaton()
        patterns: dict[str, set[str]] = {}
        for topic in taxonomy.topics:
            if topic.id == FALLBACK_TOPIC_ID:
                continue
            for name in topic.names:
                key = match_form(name).strip()
                if key:
                    patterns.setdefault(key, set()).add(topic.id)
        for key, topic_ids in patterns.items():
            # Whether each end of the alias needs a word boundary, decided once here, not per match.
            bounded = (_is_ascii_word_char(key[0]), _is_ascii_word_char(key[-1]))
            self.automaton.add_word(key, (len(key), *bounded, tuple(sorted(topic_ids))))
        if patterns:
            self.automaton.make_automaton()
        self.empty = not patterns
        self.order = {topic.id: index for index, topic in enumerate(taxonomy.topics)}

    def scores(self, text: str) -> Counter:
        """Weighted alias hits per topic id."""
        haystack = match_form(text)
        scores: Counter = Counter()
        if self.empty:
            return scores
        last = len(haystack) - 1
        for end, (length, bounded_start, bounded_end, topic_ids) in self.automaton.iter(haystack):
            start = end - length + 1
            if bounded_start and start > 0 and _is_ascii_word_char(haystack[start - 1]):
                continue
            if bounded_end and end < last and _is_ascii_word_char(haystack[end + 1]):
                continue
            weight = OPENING_WEIGHT if start < OPENING_CHARS else 1
            for topic_id in topic_ids:
                scores[topic_id] += weight
        return scores

    def topics_for(self, text: str) -> list[str]:
        """Best-matching topic ids, strongest first; empty when nothing matched."""
        scores = self.scores(text)
        if not scores:
            return []
        best = max(scores.values())
        ranked = sorted(scores, key=lambda topic_id: (-scores[topic_id], self.order[topic_id]))
        kept = [topic_id for topic_id in ranked if scores[topic_id] >= max(MIN_SCORE, RELATIVE_CUTOFF * best)]
        return (kept or ranked[:1])[:MAX_TOPICS]
