"""Comparison forms of an excerpt. Readers always see the original text; these are for matching.

* ``comparison_form``: NFKC, whitespace folded, trailing truncation marker removed.
* ``text_forms`` / ``text_forms_of``: the skeleton and the truncation mark together, from one
  NFKC pass; ``text_forms_of`` does a whole batch of texts with numpy (what the ingest
  computes once per distinct text).
* ``skeleton``: the comparison form case-folded with every space, punctuation mark and
  symbol removed, so that full-width/half-width punctuation and spacing variants of one
  article compare equal, and a truncated copy is a plain string prefix of the full one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

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


class TextForms(NamedTuple):
    skeleton: str
    truncated: bool


def _ends_truncated(folded: str) -> bool:
    # TRUNCATION_MARKER.search without scanning the whole text (``\s`` and ``str.rstrip`` strip
    # the same characters): it cost a quarter of normalising 100,000 entries.
    return folded.rstrip().endswith(("...", "。。。"))


def text_forms(text: str) -> TextForms:
    """``TextForms(skeleton(text), is_truncated(text))``, normalising the text once instead of twice."""
    folded = unicodedata.normalize("NFKC", text)
    return TextForms(NOT_LETTER_OR_DIGIT.sub("", folded.casefold()), _ends_truncated(folded))


# ``str.isalnum`` (what ``[^\W_]`` keeps) for every BMP code point, as a lookup table; the few
# code points beyond it are asked one by one.
_BMP_LETTER_OR_DIGIT = np.array([chr(point).isalnum() for point in range(0x10000)], dtype=bool)
_BATCH_CHARS = 1 << 22  # bounds the numpy arrays to some tens of megabytes


def _letters_and_digits(folded: Sequence[str]) -> list[str]:
    """``NOT_LETTER_OR_DIGIT.sub("", text)`` for each text, one numpy pass for the whole batch.

    The regex spent over 100 ns per character deciding which to drop; a table lookup does it at
    array speed.
    """
    points = np.frombuffer("".join(folded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    keep = np.zeros(len(points), dtype=bool)
    in_bmp = points < 0x10000
    keep[in_bmp] = _BMP_LETTER_OR_DIGIT[points[in_bmp]]
    if not in_bmp.all():
        beyond = points[~in_bmp]
        distinct = np.unique(beyond)
        allowed = distinct[[chr(point).isalnum() for point in distinct.tolist()]]
        keep[~in_bmp] = np.isin(beyond, allowed)
    kept_before = np.concatenate(([0], np.cumsum(keep)))
    ends = np.cumsum([len(text) for text in folded])
    bounds = kept_before[np.concatenate(([0], ends))].tolist()
    letters = points[keep].tobytes().decode("utf-32-le", "surrogatepass")
    return [letters[start:stop] for start, stop in zip(bounds, bounds[1:], strict=False)]


def text_forms_of(texts: Sequence[str]) -> list[TextForms]:
    """``[text_forms(text) for text in texts]``, several times faster on many texts."""
    forms: list[TextForms] = []
    start = 0
    while start < len(texts):
        stop, size = start, 0
        while stop < len(texts) and (size < _BATCH_CHARS or stop == start):
            size += len(texts[stop])
            stop += 1
        nfkc = [unicodedata.normalize("NFKC", text) for text in texts[start:stop]]
        skeletons = _letters_and_digits([text.casefold() for text in nfkc])
        forms.extend(map(TextForms, skeletons, map(_ends_truncated, nfkc)))
        start = stop
    return forms
