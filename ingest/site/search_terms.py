"""What the taxonomy and the text add to a page's search keywords, as plain data.

A page cannot be found by a name it never writes: an article that only says ``RNN`` is missed
by ``循环神经网络``, one that says ``权重的衰减项`` by ``weight decay``. ``topic_keywords`` gives
every page the names of its topics (Chinese, English, aliases), indexed as the hidden
``keywords`` field (``ingest/site/search_index.py``).

Search matches a query word against the start of an indexed word, so a dotted identifier
(``torch.nn.functional``) is found by its head only; ``identifier_suffixes`` adds its trailing
parts (``nn.functional``, ``functional``), so ``nn.functional`` finds it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.shared.taxonomy import Topic

DOTTED_IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", re.ASCII)


def topic_keywords(topics: Iterable[Topic]) -> list[str]:
    """Every name of the given topics (Chinese, English, aliases), each once, case-insensitively."""
    keywords: dict[str, str] = {}
    for topic in topics:
        for name in topic.names:
            keywords.setdefault(name.casefold(), name)
    return list(keywords.values())


def identifier_suffixes(text: str) -> list[str]:
    """The trailing parts of dotted identifiers: ``torch.nn.functional`` gives ``nn.functional``
    and ``functional``."""
    suffixes: dict[str, None] = {}
    for identifier in DOTTED_IDENTIFIER.findall(text):
        parts = identifier.split(".")
        for start in range(1, len(parts)):
            suffixes.setdefault(".".join(parts[start:]), None)
    return list(suffixes)
