"""Chinese reading order: names sorted by their pinyin, as a Chinese index is.

Material's tags page sorts tag names by code point, which puts 优化器 (U+4F18) before 人脸识别
(U+4EBA) only by accident of Unicode; a reader looks for 人脸识别 under R and 优化器 under Y.
The key is each character's pinyin with its tone number (pypinyin, using its phrase
dictionary for characters with several readings); Latin letters and digits stay as they are,
case-folded, so "PyTorch 自动求导" sorts under P among the pinyin.

``tag_order`` and ``title_order`` are what mkdocs.yml hands to Material's tags plugin
(``tags_sort_by``, ``listings_sort_by``, ``listings_tags_sort_by``).
"""

from __future__ import annotations

import html
from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=8192)
def reading_key(text: str) -> tuple[tuple[str, ...], str]:
    """Sort key for ``text``: its syllables (``tone3``: ``you1``, ``hua4``), then the text itself."""
    syllables = tuple(
        piece.casefold().strip() for piece in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    )
    return tuple(piece for piece in syllables if piece), text


def tag_order(tag, *args) -> tuple[tuple[str, ...], str]:
    """Material's ``tags_sort_by``: a ``Tag`` by its name."""
    return reading_key(str(tag.name))


def title_order(mapping) -> tuple[tuple[str, ...], str]:
    """Material's ``listings_sort_by``: a page by its title (which the kb plugin HTML-escapes)."""
    return reading_key(html.unescape(str(mapping.item.title)))
