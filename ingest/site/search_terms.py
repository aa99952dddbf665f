"""What the taxonomy adds to Material's site search, as plain data.

Material indexes only the words a page contains: its Python side cuts Chinese runs with
jieba, its browser worker (lunr) splits index and queries on the ``separator`` regex and
matches typed words as prefixes of indexed tokens. mkdocs.yml sets that separator and drops
lunr's English stemmer; this module covers the rest:

- jieba does not know ML terms, so ``梯度检查点`` or ``权重衰减`` are cut into generic words.
  ``jieba_user_dictionary`` lists the taxonomy's Chinese terms for Material's
  ``jieba_dict_user`` option.
- A page cannot be found by a name it never writes: an article that only says ``RNN`` is
  missed by ``循环神经网络``, one that says ``权重的衰减项`` by ``weight decay``.
  ``add_search_fields`` gives every article the names of its topics in a hidden ``keywords``
  field, and every entry's dotted identifiers (``nn.functional.conv2d``) their trailing parts
  in an ``identifiers`` field, so ``conv2d`` finds them too.
- The worker splits a typed Chinese query greedily into words of the index, but never tries
  a word that ends the query (``j < query.length``): ``权重衰减`` is searched as ``权重*``
  alone. ``fix_query_segmentation`` patches that loop bound in the worker.

The extra fields are not shown in results; their boosts sit between text and title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ingest.shared.taxonomy import Taxonomy, Topic

KEYWORDS_FIELD = "keywords"
IDENTIFIERS_FIELD = "identifiers"
# Material's own boosts are text 1, title 1000, tags 1e6. A topic name outranks a word in
# passing in the text but not a title; an identifier's tail counts like text.
DEFAULT_FIELD_BOOSTS = {KEYWORDS_FIELD: 100.0, IDENTIFIERS_FIELD: 1.0}

# CJK ideographs (basic, extension A, compatibility): the runs Material hands to jieba.
HAN_CHARACTERS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN_CHARACTERS}]+")
LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
DOTTED_IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", re.ASCII)
MIN_WORD_LENGTH = 2
SEARCH_WORKER = re.compile(r"assets/javascripts/workers/search\.\w+\.min\.js")
# The worker's query segmenter, minified (Material 9.x):
#   let r=new Set,n=new Uint16Array(t.length);
#   for(let s=0;s<t.length;s++)for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);
# ``o`` is the end of a candidate word, so it must be allowed to reach ``t.length``.
SEGMENT_LOOP = re.compile(
    r"(?P<head>Uint16Array\((?P<q>\w+)\.length\);for\(let (?P<i>\w+)=0;(?P=i)<(?P=q)\.length;(?P=i)\+\+\)"
    r"for\(let (?P<j>\w+)=(?P=i)\+1;(?P=j))<(?P<tail>(?P=q)\.length;(?P=j)\+\+\)(?P=q)\.slice\((?P=i),(?P=j)\)in )"
)


def jieba_words(taxonomy: Taxonomy) -> list[str]:
    """Chinese terms of every topic, in taxonomy order, each once.

    Material runs jieba only on runs of Chinese characters, so only names written wholly in
    Chinese can help: ``编码器-解码器`` gives ``编码器`` and ``解码器``, while a name mixing in
    Latin letters (``RM算法``, ``注意力机制与 FlashAttention``) gives nothing, since its
    Chinese part alone (``算法``, ``注意力机制与``) is not the term. Single characters are
    left to jieba's own dictionary.
    """
    words: dict[str, None] = {}
    for topic in taxonomy.topics:
        for name in (topic.zh, *topic.aliases):
            if LATIN_OR_DIGIT.search(name):
                continue
            for run in HAN_RUN.findall(name):
                if len(run) >= MIN_WORD_LENGTH:
                    words.setdefault(run, None)
    return list(words)


def jieba_user_dictionary(taxonomy: Taxonomy) -> str:
    """jieba's user-dictionary format: one word a line. Without a frequency jieba picks one
    just high enough to keep the word whole."""
    return "".join(f"{word}\n" for word in jieba_words(taxonomy))


def topic_keywords(topics: Iterable[Topic]) -> list[str]:
    """Every name of the given topics (Chinese, English, aliases), each once, case-insensitively."""
    keywords: dict[str, str] = {}
    for topic in topics:
        for name in topic.names:
            keywords.setdefault(name.casefold(), name)
    return list(keywords.values())


def identifier_suffixes(text: str) -> list[str]:
    """The trailing parts of dotted identifiers: ``torch.nn.functional`` gives
    ``nn.functional`` and ``functional``. The search separator keeps a dotted name as one
    token (so ``nn.functional`` finds it), and lunr matches query words as prefixes only."""
    suffixes: dict[str, None] = {}
    for identifier in DOTTED_IDENTIFIER.findall(text):
        parts = identifier.split(".")
        for start in range(1, len(parts)):
            suffixes.setdefault(".".join(parts[start:]), None)
    return list(suffixes)


def add_search_fields(index: dict, keywords_by_url: Mapping[str, list[str]]) -> dict:
    """Add the hidden fields to a Material ``search_index.json`` document (changed in place).

    ``keywords_by_url`` maps a page URL (as in the index's ``location``) to its keywords; they
    go on the page's main entry only: the page is the answer to a topic name, and each of its
    sections carrying the boost again would only crowd the results. Field boosts already
    configured (``search.fields`` in mkdocs.yml) are kept.
    """
    fields = index.setdefault("config", {}).setdefault("fields", {})
    for name, boost in DEFAULT_FIELD_BOOSTS.items():
        fields.setdefault(name, {"boost": boost})
    for entry in index.get("docs", []):
        location = entry.get("location", "")
        keywords = keywords_by_url.get(location) if "#" not in location else None
        if keywords:
            entry[KEYWORDS_FIELD] = " ".join(keywords)
        suffixes = identifier_suffixes(f"{entry.get('title', '')} {entry.get('text', '')}")
        if suffixes:
            entry[IDENTIFIERS_FIELD] = " ".join(suffixes)
    return index


def fix_query_segmentation(worker_js: str) -> str | None:
    """The search worker with its query segmenter also trying words that end the query, or
    ``None`` when the code is not the one this fix knows (another Material version)."""
    patched, count = SEGMENT_LOOP.subn(r"\g<head><=\g<tail>", worker_js)
    return patched if count == 1 else None
