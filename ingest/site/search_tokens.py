"""The terms of the search index and of a query, cut so that the browser can cut a query the same way.

A query term matches every indexed term it is the start of (as readers type, ``flashatt``
already finds FlashAttention), and a page must match every term of the query. So the index
(built in Python) and the browser (``ingest/site/search_worker.js``) must agree on where terms
are; for Chinese that is the hard part:

- A segmenter at build time and another in the browser disagree: Pagefind's Chinese support
  segments pages with a dictionary but queries with the browser's ``Intl.Segmenter``, which in
  Chromium cuts 人脸识别 into 人 / 脸 / 识别 and 双线性插值 into 双 / 线性 / 插 / 值; a query term
  that is not the start of an indexed term finds nothing (51 of the bundled site's 75
  queries found their article).
- A dictionary in the browser (jieba's is 5 MB) would break the size budget.

Runs of Chinese (and Japanese kana) are indexed as overlapping character pairs instead, the
classic dictionary-free way (Lucene's CJK bigrams): 梯度检查点 gives 梯度 度检 检查 查点 点, a term
starting at every character. A query asks for the pairs of its runs (梯度 度检 检查 查点), so any
term is found whole wherever the text contains it, whatever a segmenter would have made of it,
and a single typed character (梯) is the start of the pair starting with it.

Everything else is cut at whitespace and non-ASCII punctuation and kept as Pagefind would keep
it: lower case, letters, digits and ``_`` (``expand_as()`` is ``expand_as``, ``nn.functional``
is ``nnfunctional``). A compound word is also indexed by its parts (``nn`` and ``functional``;
``flash`` and ``attention`` in FlashAttention), each counting for a share of the word.

``tests/site/test_search_tokens.py`` runs the worker's ``queryTerms`` on the same strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# CJK ideographs (extension A, basic, compatibility, the supplementary planes) and kana.
CJK_CHARACTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RUN = re.compile(f"[{CJK_CHARACTERS}]+")
# Unicode's White_Space characters, spelled out so that the worker's regular expression is the same.
SPACE_CHARACTERS = "\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A run of CJK, a run of whitespace, a word, or one other character. A word is a run of ASCII
# characters and non-ASCII letters and digits; every other character (non-ASCII punctuation and
# symbols such as （，…→, control characters) is a piece of its own.
PIECE = re.compile(
    f"(?P<cjk>[{CJK_CHARACTERS}]+)"
    f"|(?P<space>[{SPACE_CHARACTERS}]+)"
    f"|(?P<word>(?:[\\x21-\\x7e]|[^\\W\\x00-\\x7f{CJK_CHARACTERS}])+)"
    "|(?P<other>.)",
    re.DOTALL,
)
# Where a compound word has parts: ASCII punctuation (``_`` included), and a change from a lower
# case letter or digit to an upper case one or from an acronym to a word (HTTPServer).
PART_BREAK = re.compile(r"[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
MIN_PART_LENGTH = 2


def pieces(text: str) -> list[tuple[str, str]]:
    """``(kind, piece)`` for every piece of ``text``: kind is cjk, space, word or other."""
    return [(match.lastgroup or "other", match.group()) for match in PIECE.finditer(text)]


NOT_INDEXED = re.compile(r"\W+")
# What a word with parts has: ASCII punctuation, or an upper case letter after its first character.
MAY_HAVE_PARTS = re.compile(r"[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]|.[A-Z]")


def index_form(word: str) -> str:
    """A word as the index holds it: lower case (letter by letter, as JavaScript lowers each
    character, so a final Σ is σ), only letters, digits and ``_``."""
    form = NOT_INDEXED.sub("", word)
    if "Σ" in form:  # str.lower() would make a final one ς
        return "".join(char.lower() for char in form)
    return form.lower()


def compound_parts(word: str) -> list[str]:
    """The parts a word is also found by: ``nn.functional`` -> nn, functional; ``FlashAttention``
    -> flash, attention; none for a word without parts (``conv2d``)."""
    if not MAY_HAVE_PARTS.search(word):
        return []
    parts = [index_form(part) for part in PART_BREAK.split(word)]
    parts = [part for part in parts if len(part) >= MIN_PART_LENGTH]
    return parts if len(parts) > 1 or (parts and parts[0] != index_form(word)) else []


def cjk_pairs(run: str) -> list[str]:
    """梯度检查点 -> 梯度 度检 检查 查点 点: the indexed terms of a CJK run."""
    return [*map(str.__add__, run, run[1:]), run[-1]]


def index_terms(text: str) -> Counter[str]:
    """How often each term occurs in ``text``; a compound word's parts count for a share of it.
    Compatibility forms are folded (NFKC) as in queries: ＦＰ３２ is fp32, （ is (."""
    counts: Counter[str] = Counter()
    for match in PIECE.finditer(unicodedata.normalize("NFKC", text)):
        kind, piece = match.lastgroup, match.group()
        if kind == "cjk":
            counts.update(cjk_pairs(piece))
        elif kind == "word":
            for term, share in word_terms(piece):
                counts[term] += share
    return counts


@lru_cache(maxsize=1 << 17)
def word_terms(word: str) -> tuple[tuple[str, float], ...]:
    """The terms one word adds, with their shares: itself as the index holds it, then its parts.
    Remembered, since the same words recur on every page of a site."""
    form = index_form(word)
    if not form:
        return ()
    parts = compound_parts(word)
    return ((form, 1), *((part, 1 / len(parts)) for part in parts))


def query_terms(query: str) -> list[str]:
    """What the browser searches for: the pairs of each CJK run (a single character alone), and
    every other word as the index holds it. Each term matches the indexed terms it starts."""
    terms: list[str] = []
    for kind, piece in pieces(unicodedata.normalize("NFKC", query)):
        if kind == "cjk":
            terms += [piece] if len(piece) == 1 else [piece[i : i + 2] for i in range(len(piece) - 1)]
        elif kind == "word" and index_form(piece):
            terms.append(index_form(piece))
    return terms
