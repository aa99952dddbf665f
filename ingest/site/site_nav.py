"""The site's whole navigation: sections and topics (``ingest.site.pages.navigation``) plus the reader pages.

One function, so the build (which sets ``config.nav``) and ``check`` (which refuses pages the
navigation does not list) agree on which pages outside ``docs/articles/`` the site publishes.
"""

from __future__ import annotations

from ingest.shared.taxonomy import Taxonomy
from ingest.site.library import LibraryArticle
from ingest.site.pages import ALL_ARTICLES_PAGE, navigation
from ingest.site.recent import RECENT_PAGE, RECENT_TITLE

ABOUT_PAGE = "about.md"


def with_reader_pages(nav: list) -> list:
    """The 最近更新 page before 全部文章, and 关于 (sources and licence) at the end."""
    position = next((index for index, item in enumerate(nav) if ALL_ARTICLES_PAGE in item.values()), len(nav))
    return [*nav[:position], {RECENT_TITLE: RECENT_PAGE}, *nav[position:], {"关于": ABOUT_PAGE}]


def site_navigation(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> list:
    return with_reader_pages(navigation(taxonomy, articles))
