"""Plain-text front-matter fields (``title``, ``description``, ``author``…): what they may hold, and
how they are escaped wherever they reach HTML.

MkDocs and Material put these strings into HTML unescaped (``<title>``, ``<h1>``,
``<meta name="description" content="…">``, ``<meta name="author" …>``), so the site build escapes
them before the templates see them, and the rules refuse HTML in them in hand-written pages
(a reviewer reading ``<img onerror=…>`` in a title should be told, not have it silently shown).
"""

from __future__ import annotations

import html
import re
import unicodedata

# Something a browser would take for markup: a start or end tag (the name right after "<", as
# HTML requires, so "a < b" is prose), a comment, a declaration.
HTML_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|<!--|<![A-Za-z\[]|<\?")
WHITESPACE = re.compile(r"\s+")


def markup_in(text: str) -> str | None:
    """The first piece of ``text`` that HTML would read as markup, or ``None``."""
    match = HTML_MARKUP.search(text)
    return match.group() if match else None


def control_character_in(text: str) -> str | None:
    """The first line break or control character (``\\n``, CR, NEL, LS, PS, ESC…) in ``text``, or ``None``."""
    for char in text:
        if char in "\u2028\u2029" or unicodedata.category(char) == "Cc":
            return char
    return None


def escape_text(text: str) -> str:
    """``text`` for HTML element content or a quoted attribute: ``& < > " '`` become entities."""
    return html.escape(text, quote=True)


def attribute_text(text: str) -> str:
    """``text`` for one attribute value (``<meta content="…">``): whitespace folded to single spaces, escaped.

    The one function for every plain string the site puts into a ``<meta>`` tag (descriptions,
    authors, Open Graph fields).
    """
    return escape_text(WHITESPACE.sub(" ", text).strip())
