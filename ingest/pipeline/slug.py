"""Short, ASCII, stable file names for articles: ``<primary topic id>-<id prefix>``.

The id hashes the article's opening only, so a longer copy arriving later gets the same
slug. Once written, a slug is remembered in the manifest and reused (``write``), so a
later change of topic or taxonomy never moves an article's URL.
"""

from __future__ import annotations

ID_CHARS = 6


def make_slug(article_id: str, primary_topic: str) -> str:
    return f"{primary_topic}-{article_id[:ID_CHARS]}"
