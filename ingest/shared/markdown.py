"""Plain text into Markdown that renders it verbatim: scraped excerpts, titles and names.

The ingest escapes article bodies with it and the site build escapes link texts with it, so
both show text exactly as written whatever it holds.
"""

from __future__ import annotations

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
ESCAPES = {**{char: "\\" + char for char in BACKSLASHED}, **ENTITIES}
# ``&`` first and the backslash second: every later replacement brings in only those two
# (``&#36;``, ``\*``), which must not be escaped again. One ``str.replace`` per character
# present is a C-level scan; a regex with a Python callback per match (or ``str.translate``,
# slow on CJK text) dominated rendering 50,000 articles.
ESCAPE_ORDER = ("&", "\\", *(char for char in ESCAPES if char not in "&\\"))


def escape_markdown(text: str) -> str:
    """Escape text so Markdown renders it verbatim."""
    for char in ESCAPE_ORDER:
        if char in text:
            text = text.replace(char, ESCAPES[char])
    return text
