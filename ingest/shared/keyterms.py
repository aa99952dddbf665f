"""The key terms of an article: what a maintainer reads to decide where it belongs.

Chinese text goes through jieba's TF-IDF keyword extractor (jieba's own IDF table, part-of-speech
filtered to nouns and names, the taxonomy's terms added to its dictionary so ``梯度检查点`` stays one
word). Latin-script terms (English articles, and the English terms Chinese articles are full of)
are scored by term statistics over the library itself: term frequency in the article times the
inverse document frequency across all articles, for single words and two-word phrases, so a term
every article uses says nothing and one only a few use says a lot.

Used by the site's maintainer page of uncategorized articles and by ``python -m ingest
suggest-topics``.
"""

from __future__ import annotations

import functools
import html
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Nouns, names, noun-like verbs and Latin words: the parts of speech a topic is named with.
CHINESE_POS = ("n", "nz", "nr", "ns", "nt", "nrt", "vn", "l")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'.][A-Za-z0-9]+)*")
TEX_COMMAND = re.compile(r"\\[A-Za-z]+")
POSSESSIVE = re.compile(r"'s$")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MARKDOWN_BACKSLASH = re.compile(r"\\([*_{}])")
# The only raw HTML in a generated body is the ingest's own markers (the ingest turns every "<" of
# an excerpt into "&lt;"), so a tag here is markup, never the author's words.
HTML_TAG = re.compile(r"<[^<>]*>")
DF_SAMPLE = 500  # documents read for document frequencies; an even sample of a larger library
PHRASE_BONUS = 1.5  # "knowledge graph" names a topic better than "graph"
# Function words never start or end a term.
ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "even",
        "ever",
        "every",
        "few",
        "first",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "given",
        "gives",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "let",
        "like",
        "made",
        "make",
        "makes",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "need",
        "needs",
        "new",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "others",
        "our",
        "out",
        "over",
        "own",
        "per",
        "rather",
        "really",
        "same",
        "see",
        "seen",
        "she",
        "should",
        "show",
        "shows",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "two",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "use",
        "used",
        "uses",
        "using",
        "very",
        "via",
        "was",
        "way",
        "ways",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "et",
        "al",
    ]
)
# Words every ML text uses: never a key term on their own ("restricted Boltzmann machine" keeps its
# "machine" when a phrase grows).
ENGLISH_GENERIC_WORDS = frozenset(
    [
        "paper",
        "post",
        "article",
        "blog",
        "section",
        "figure",
        "table",
        "example",
        "examples",
        "chapter",
        "part",
        "step",
        "steps",
        "case",
        "cases",
        "result",
        "results",
        "method",
        "methods",
        "approach",
        "approaches",
        "problem",
        "problems",
        "work",
        "works",
        "idea",
        "ideas",
        "thing",
        "things",
        "lot",
        "lots",
        "time",
        "times",
        "number",
        "numbers",
        "value",
        "values",
        "type",
        "types",
        "kind",
        "simple",
        "different",
        "important",
        "common",
        "large",
        "small",
        "good",
        "better",
        "best",
        "high",
        "low",
        "based",
        "second",
        "third",
        "finally",
        "recently",
        "today",
        "year",
        "years",
        "model",
        "models",
        "data",
        "training",
        "train",
        "trained",
        "learning",
        "learn",
        "network",
        "networks",
        "neural",
        "deep",
        "machine",
    ]
)
ENGLISH_STOP_WORDS = ENGLISH_FUNCTION_WORDS | ENGLISH_GENERIC_WORDS


def plain_text(markdown_body: str) -> str:
    """An article body as the words it shows: the ingest's Markdown escapes undone."""
    return html.unescape(MARKDOWN_BACKSLASH.sub(r"\1", HTML_TAG.sub(" ", markdown_body)))


def is_mostly_chinese(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and sum(1 for char in letters if CJK.match(char)) * 3 >= len(letters)


def term_key(term: str) -> str:
    """How terms are compared: NFKC, case-folded, spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", term).casefold().split())


@dataclass(frozen=True)
class KeyTerm:
    text: str  # as the article writes it
    weight: float

    @property
    def key(self) -> str:
        return term_key(self.text)


def latin_terms(text: str) -> list[tuple[str, ...]]:
    """Single words and two-word phrases of the Latin-script runs, stop words at neither end."""
    terms: list[tuple[str, ...]] = []
    text = TEX_COMMAND.sub(" ", text)  # \hat, \frac: LaTeX the scraper left, not words
    for run in re.split(r"[^A-Za-z0-9\s'.\-]+|[.,;:!?]\s", text):
        words = [POSSESSIVE.sub("", word).strip(".'-") for word in LATIN_WORD.findall(run)]
        words = [word for word in words if word]
        for index, word in enumerate(words):
            if _is_term_word(word):
                terms.append((word,))
                if index + 1 < len(words) and _is_term_word(words[index + 1]):
                    terms.append((word, words[index + 1]))
    return terms


def _is_term_word(word: str) -> bool:
    if word.casefold() in ENGLISH_STOP_WORDS or word.isdigit():
        return False
    # "KV", "ML" are terms; "ab" is not.
    return len(word) >= 3 or (len(word) == 2 and word.isupper())


def _shape_bonus(term: tuple[str, ...]) -> float:
    """Technical terms look like ones: ReLU, CLIP, InfoNCE, super-resolution, KV cache."""
    if any(any(char.isupper() for char in word[1:]) or word.isupper() for word in term):
        return 2.0
    return 1.3 if any("-" in word for word in term) else 1.0


@functools.lru_cache(maxsize=2)
def jieba_extractor(vocabulary: tuple[str, ...]):
    """jieba's TF-IDF on a tokenizer of its own (the global one belongs to whoever else uses jieba),
    with ``vocabulary`` added to its dictionary. Loading jieba's dictionary and IDF table takes
    about a second, so one is kept per vocabulary (a ``mkdocs serve`` rebuild reuses it)."""
    import jieba
    import jieba.analyse
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines are not our output
    tokenizer = jieba.Tokenizer()
    for term in vocabulary:
        tokenizer.add_word(term, tag="nz")
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = tokenizer
    extractor.postokenizer = jieba.posseg.POSTokenizer(tokenizer)
    return tokenizer, extractor


class KeyTermExtractor:
    """Key terms per article; document frequencies come from ``corpus`` (the whole library, or an
    even sample of it), so a term most articles use ranks low however rare it is in general text."""

    def __init__(self, corpus: Iterable[str], vocabulary: Iterable[str] = ()) -> None:
        self.corpus = list(corpus)
        self.vocabulary = [term for term in vocabulary if CJK.search(term) and len(term) >= 2]
        self._tokenizer = None
        self._tfidf = None
        self._df: Counter | None = None
        self._sampled = 0

    def _chinese_extractor(self):
        if self._tfidf is None:
            self._tokenizer, self._tfidf = jieba_extractor(tuple(sorted(set(self.vocabulary))))
        return self._tfidf

    def document_keys(self, text: str) -> set[str]:
        """The terms ``text`` uses, as document frequencies count them (each once)."""
        text = unicodedata.normalize("NFKC", text)
        keys = {_latin_key(term) for term in latin_terms(text)}
        if CJK.search(text):
            self._chinese_extractor()
            keys.update(word for word in self._tokenizer.cut(text) if CJK.search(word))
        return keys

    def _document_frequencies(self) -> Counter:
        if self._df is None:
            step = max(1, math.ceil(len(self.corpus) / DF_SAMPLE))
            sample = self.corpus[::step]
            self._sampled = len(sample)
            self._df = Counter()
            for text in sample:
                self._df.update(self.document_keys(text))
        return self._df

    def document_share(self, term: str) -> float:
        """The share of the library's articles (or of the sample read) that use ``term``."""
        self._document_frequencies()
        return self._df.get(term_key(term), 0) / max(self._sampled, 1)

    def _library_idf(self, key: str) -> float:
        """In (0, 1]: 1 for a term no other article uses, low for one in most articles."""
        documents = self._sampled
        return (math.log((documents + 1) / (self._df.get(key, 0) + 1)) + 1) / (math.log(documents + 1) + 1)

    def key_terms(self, text: str, limit: int = 8) -> list[KeyTerm]:
        """The ``limit`` strongest terms of ``text``, strongest first, each once.

        Chinese and Latin terms are scored differently, so each list is scaled to its strongest
        term before they are merged: "GCN" can lead a Chinese article about GCN.
        """
        text = unicodedata.normalize("NFKC", text)
        self._document_frequencies()
        weighted: dict[str, KeyTerm] = {}
        for terms in (self._latin_key_terms(text, limit), self._chinese_key_terms(text, limit)):
            strongest = max((term.weight for term in terms), default=0.0)
            for term in terms:
                scaled = KeyTerm(term.text, term.weight / strongest)
                if term.key not in weighted or weighted[term.key].weight < scaled.weight:
                    weighted[term.key] = scaled
        ranked = sorted(weighted.values(), key=lambda term: (-term.weight, term.key))
        return ranked[:limit]

    def _chinese_key_terms(self, text: str, limit: int) -> list[KeyTerm]:
        if not CJK.search(text):
            return []
        extractor = self._chinese_extractor()
        found = extractor.extract_tags(text, topK=limit * 3, withWeight=True, allowPOS=CHINESE_POS)
        # Latin words come from the term statistics, which know phrases and this library's frequencies.
        terms = [
            KeyTerm(word, weight * self._library_idf(word))
            for word, weight in found
            if CJK.search(word) and len(word) >= 2
        ]
        return sorted(terms, key=lambda term: (-term.weight, term.key))[: limit * 2]

    def _latin_key_terms(self, text: str, limit: int) -> list[KeyTerm]:
        terms = latin_terms(text)
        if not terms:
            return []
        counts = Counter(_latin_key(term) for term in terms)
        shapes: dict[str, tuple[str, ...]] = {}
        for term in terms:
            shapes.setdefault(_latin_key(term), term)
        for key in list(counts):  # "LLMs" counts as "LLM" when the article writes both
            if key.endswith("s") and key[:-1] in counts:
                counts[key[:-1]] += counts.pop(key)
        scored = []
        for key, count in counts.items():
            phrase = " " in key
            # A two-word phrase is a term when the article repeats it or other articles use it too;
            # otherwise it is just two neighbouring words.
            if phrase and count < 2 and self._df.get(key, 0) < 2:
                continue
            weight = count * self._library_idf(key) * _shape_bonus(shapes[key]) * (PHRASE_BONUS if phrase else 1.0)
            scored.append(KeyTerm(" ".join(shapes[key]), weight))
        scored.sort(key=lambda term: (-term.weight, term.key))
        # A word that only ever occurs inside one of the chosen phrases adds nothing.
        kept: list[KeyTerm] = []
        for term in scored:
            if " " not in term.key and any(
                term.key in other.key.split() and counts[other.key] >= counts[term.key]
                for other in kept
                if " " in other.key
            ):
                continue
            kept.append(term)
        return kept[: limit * 2]


def _latin_key(term: tuple[str, ...]) -> str:
    return " ".join(word.casefold() for word in term)
