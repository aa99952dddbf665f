"""A page's metadata as Material's templates may see it.

Material's templates act on some keys (``template`` picks the page's template, ``location``
feeds the redirect template's script) and print ``page.title`` into ``<title>``, ``<h1>`` and the
navigation unescaped (MkDocs renders templates without autoescape). The rules refuse all of
that, but a non-strict ``mkdocs serve`` still renders a page with errors, so the metadata handed
on is made safe by construction as well: keys the front matter may not set are dropped, the
title is HTML-escaped once, and a plain-text value that is not a string is dropped rather than
printed as a Python list or dict.

``description`` and ``author`` stay plain text: the theme override (``overrides/main.html``)
replaces Material's head block and escapes every ``<meta>`` value itself
(``ingest.site.page_meta``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ingest.site.plain_text import escape_text
from ingest.site.rules.front_matter import ALLOWED_KEYS, PLAIN_TEXT_KEYS

ESCAPED_KEYS = ("title",)  # printed by Material's templates as HTML


def safe_page_meta(meta: dict, front_matter_keys: Iterable[str]) -> dict:
    """``meta`` without the refused keys its front matter set; plain-text values strings only, the title escaped."""
    refused = {str(key) for key in front_matter_keys} - set(ALLOWED_KEYS)
    safe = {key: value for key, value in meta.items() if key not in refused}
    for key in PLAIN_TEXT_KEYS:
        if key in safe and not isinstance(safe[key], str):
            del safe[key]
    for key in ESCAPED_KEYS:
        if key in safe:
            safe[key] = escape_text(safe[key])
    return safe
