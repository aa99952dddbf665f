"""Comparison forms of an excerpt. Readers always see the original text; these are for matching.

* ``comparison_form``: NFKC, whitespace folded, trailing truncation marker removed.
* ``skeleton``: the comparison form case-folded with every space, punctuation mark and
  symbol removed, so that full-width/half-width punctuation and spacing variants of one
  article compare equal, and a truncated copy is a plain string prefix of the full one.
"""

from __future__ import annotations

import re
import unicodedata

# NFKC turns the ellipsis character into three dots, so one pattern covers both markers.
TRUNCATION_MARKER = re.compile(r"(?:\.{3,}|。{3,})\s*$")
WHITESPACE = re.compile(r"\s+")


def is_truncated(text: str) -> bool:
    return bool(TRUNCATION_MARKER.search(unicodedata.normalize("NFKC", text)))


def comparison_form(text: str) -> str:
    folded = WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return TRUNCATION_MARKER.sub("", folded).rstrip()


# Everything that is not a letter or digit in any script: punctuation, symbols, spaces.
NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def has_skeleton(text: str) -> bool:
    """``bool(skeleton(text))`` without building it: stops at the first letter or digit."""
    return bool(LETTER_OR_DIGIT.search(unicodedata.normalize("NFKC", text).casefold()))


def skeleton(text: str) -> str:
    # Equal to stripping ``comparison_form(text).casefold()``, at half the cost: folding
    # whitespace and dropping the truncation marker only remove what this removes anyway.
    return NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", text).casefold())
