"""The ``<meta>`` tags of a page's head: description and Open Graph, as plain-text triples.

Link previews (chat apps, social sites) and search engines read ``og:title``,
``og:description``, ``og:type`` and ``og:url``; every page gets them. No ``og:image``: social
cards would need Material's social plugin, which draws images with Cairo and fetches fonts
from the network at build time.

``meta_tags`` returns ``(attribute, key, content)`` triples of plain text; the theme override
(``overrides/main.html``) escapes each one as it writes it, so nothing here is HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

ARTICLE = "article"
WEBSITE = "website"
LOCALE = "zh_CN"


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    kind: str = WEBSITE  # og:type: ARTICLE for articles, WEBSITE for every other page
    url: str | None = None  # the canonical absolute address, when site_url is set
    published: str | None = None  # article:published_time (the feed dump's date), ISO 8601
    tags: tuple[str, ...] = ()  # article:tag, the article's topic names


def meta_tags(meta: PageMeta, site_name: str) -> list[tuple[str, str, str]]:
    """The description and Open Graph tags for one page, in the order they are written."""
    if meta.kind not in (ARTICLE, WEBSITE):
        raise ValueError(f"og:type must be {ARTICLE!r} or {WEBSITE!r}, not {meta.kind!r}")
    title = " ".join(meta.title.split()) or site_name
    description = " ".join(meta.description.split())
    tags = [("name", "description", description)] if description else []
    tags += [
        ("property", "og:site_name", site_name),
        ("property", "og:locale", LOCALE),
        ("property", "og:type", meta.kind),
        ("property", "og:title", title),
    ]
    if description:
        tags.append(("property", "og:description", description))
    if meta.url:
        tags.append(("property", "og:url", meta.url))
    if meta.kind == ARTICLE:
        if meta.published:
            tags.append(("property", "article:published_time", meta.published))
        tags += [("property", "article:tag", tag) for tag in meta.tags]
    # Without an image, the small card is the right one.
    tags.append(("name", "twitter:card", "summary"))
    return tags
