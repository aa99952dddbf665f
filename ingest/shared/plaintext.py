"""Text that must stay on one line: feed excerpts, titles, categories.

A feed line is split at ``\\n`` only, but every later reader breaks lines at more: Python's
``str.splitlines`` and YAML at a lone CR, NEL (U+0085) and U+2028/U+2029, ``splitlines`` also at
VT, FF and FS/GS/RS, Markdown at a CR. A title holding one of them became a heading or a broken
list item in the pages the site build writes around it. So every control character and every
line or paragraph separator inside a line becomes a space before the text goes anywhere
(a run of them, such as CR LF, one space): they carry no meaning in an excerpt, and a space
keeps the words on either side apart.
"""

from __future__ import annotations

import re

# C0 controls (tab, CR, VT, FF, ESC, FS/GS/RS, ...), DEL, C1 controls (NEL, ...), U+2028, U+2029.
NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
RUN_NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` with every run of control characters and line or paragraph separators replaced by a space."""
    return RUN_NOT_ON_ONE_LINE.sub(" ", text)


def breaks_lines(text: str) -> bool:
    return bool(NOT_ON_ONE_LINE.search(text))
