"""Plain text into Markdown that renders it verbatim: scraped excerpts, titles and names.

The ingest escapes article bodies with it and the site build escapes link texts with it, so
both show text exactly as written whatever it holds.
"""

from __future__ import annotations

import re

# Characters Markdown or its extensions give meaning anywhere in a line. The backslash
# itself, HTML-significant characters and math delimiters become entities, which no
# inline pattern (arithmatex's ``\(`` included) can pick up; the rest get a backslash.
ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\\": "&#92;",
    "`": "&#96;",
    "$": "&#36;",
    "|": "&#124;",
    "~": "&#126;",
    "^": "&#94;",
    # Not backslashes: a block processor sees "\[ ... \]" before any inline escape is
    # undone, and arithmatex takes an excerpt like "[1] ... [2]" for display math.
    "[": "&#91;",
    "]": "&#93;",
    # Line breaks are text too: Python-Markdown reads CR and LF as line ends (an injected
    # "\n# <h1>" would become a heading); editors and YAML also LS and PS. NEL (U+0085) stays as
    # it is: no Markdown reader breaks a line there, and HTML reads "&#133;" as "…" (windows-1252).
    "\n": "&#10;",
    "\r": "&#13;",
    "\u2028": "&#8232;",
    "\u2029": "&#8233;",
}
BACKSLASHED = set("*_{}")
# One regex pass touching only the special characters: a per-character Python loop (or even
# str.translate, slow on CJK text) dominated rendering 50,000 articles.
ESCAPES = {**{char: "\\" + char for char in BACKSLASHED}, **ENTITIES}
SPECIAL_CHAR = re.compile("[" + re.escape("".join(ESCAPES)) + "]")


def escape_markdown(text: str) -> str:
    """Escape text so Markdown renders it verbatim."""
    return SPECIAL_CHAR.sub(lambda match: ESCAPES[match.group()], text)
