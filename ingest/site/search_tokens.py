"""The words of the search index, written so that the browser can cut a query the same way.

Pagefind matches every query word as a prefix of an indexed word, and a page must match all
query words. It splits what it indexes at whitespace only (unless it segments the language
itself), and drops every character but letters, digits and ``_`` from a word. So the index
and the browser must agree on where words are; for Chinese that is the hard part:

- Pagefind's own Chinese support segments pages with a dictionary at build time but queries
  with the browser's ``Intl.Segmenter``. The two disagree (Chromium cuts 人脸识别 into
  人 / 脸 / 识别, 双线性插值 into 双 / 线性 / 插 / 值, while the index holds 人脸, 线性插值), and a
  query word that is not the start of an indexed word finds nothing: measured on the bundled
  site, 51 of the 75 queries of ``tests/browser/search_cases.json``.
- A dictionary in the browser (jieba's is 5 MB) would break the size budget.

Runs of Chinese (and Japanese kana) are indexed as overlapping character pairs instead, the
classic dictionary-free way (Lucene's CJK bigrams): 梯度检查点 becomes 梯度 度检 检查 查点 点, one
word starting at every character. The browser cuts a query the same way (梯度 度检 检查 查点),
so any term is found whole wherever the text contains it, whatever a segmenter would have
made of it, and a single typed character (梯) is a prefix of the pair starting with it.
Everything else is cut at whitespace, as Pagefind itself would, with non-ASCII punctuation
split off (（, ，, …) so that it does not stick to a word.

The same string is what search results show, so it must turn back into the text:
``decode_content`` (and the worker's ``decodeContent``) keep the first character of a pair,
and a word followed by ```` ` ```` was followed by no space (``前`，`是`` is 前，是). A backtick
in the text is always a word of its own, so the marker cannot be confused with one. ASCII
punctuation at the edge of a word is what Pagefind strips without inventing extra words,
which a non-ASCII marker would make it do.

``ingest/site/search_worker.js`` implements ``query_terms`` and ``decode_content`` again in
JavaScript; ``tests/site/test_search_tokens.py`` runs both on the same strings.
"""

from __future__ import annotations

import re
import unicodedata

# CJK ideographs (extension A, basic, compatibility, the supplementary planes) and kana.
CJK_CHARACTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RUN = re.compile(f"[{CJK_CHARACTERS}]+")
CJK_PAIR = re.compile(f"[{CJK_CHARACTERS}]{{2}}")
GLUE = "`"
# Unicode's White_Space characters, spelled out so that the worker's regular expression is the same.
SPACE_CHARACTERS = "\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A run of CJK, a run of whitespace, a word, or one other character. A word is a run of ASCII
# characters and non-ASCII letters and digits; every other character (non-ASCII punctuation
# and symbols such as （，…→, control characters, and the glue marker) is a piece of its own.
PIECE = re.compile(
    f"(?P<cjk>[{CJK_CHARACTERS}]+)"
    f"|(?P<space>[{SPACE_CHARACTERS}]+)"
    f"|(?P<word>(?:[\\x21-\\x5f\\x61-\\x7e]|[^\\W\\x00-\\x7f{CJK_CHARACTERS}])+)"
    "|(?P<other>.)",
    re.DOTALL,
)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """``(piece, is_cjk)`` for every piece of text, with ``""`` standing for whitespace."""
    pieces: list[tuple[str, bool]] = []
    for match in PIECE.finditer(text):
        if match.lastgroup == "space":
            pieces.append(("", False))
        else:
            pieces.append((match.group(), match.lastgroup == "cjk"))
    return pieces


def _cjk_words(run: str) -> list[str]:
    """梯度检查点 -> 梯度 度检 检查 查点 点: a word starting at every character."""
    return [run[start : start + 2] for start in range(len(run))]


def encode_content(text: str) -> str:
    """``text`` as the space-separated words Pagefind indexes and results show (see the module)."""
    words: list[str] = []
    pieces = _pieces(text)
    for position, (piece, is_cjk) in enumerate(pieces):
        if not piece:
            continue
        glued = position + 1 < len(pieces) and bool(pieces[position + 1][0])
        piece_words = _cjk_words(piece) if is_cjk else [piece]
        last = piece_words[-1] + (GLUE if glued else "")
        words += [*piece_words[:-1], last]
    return " ".join(words)


def decode_content(content: str) -> str:
    """The text ``encode_content`` was given, with each run of whitespace as one space."""
    out: list[str] = []
    for word in content.split(" "):
        if CJK_PAIR.fullmatch(word):
            out.append(word[0])
        elif len(word) > 1 and word.endswith(GLUE):
            out.append(word[:-1])
        elif word:
            out.append(word + " ")
    return "".join(out).rstrip(" ")


def index_form(word: str) -> str:
    """The word as Pagefind indexes it: lower case (letter by letter, as Rust lowers a ``char``:
    a final Σ is σ), only letters, digits and ``_``."""
    return "".join(char.lower() for char in word if char.isalnum() or char == "_")


def query_terms(query: str) -> list[str]:
    """The words Pagefind is asked for: CJK runs as pairs (a single character alone), other
    pieces as Pagefind indexes them. Each is matched as a prefix; all must match."""
    terms: list[str] = []
    for piece, is_cjk in _pieces(unicodedata.normalize("NFKC", query)):
        if is_cjk:
            terms += [piece] if len(piece) == 1 else [piece[i : i + 2] for i in range(len(piece) - 1)]
        elif piece:
            form = index_form(piece)
            if form:
                terms.append(form)
    return terms
