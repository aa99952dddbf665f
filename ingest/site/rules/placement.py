"""Where pages may live, and the one kind of metadata MkDocs reads that the rules would not see.

Articles live anywhere under ``docs/articles/`` (sub-folders by topic are fine). Every other
page of ``docs/`` must be one the site's navigation lists (``ingest.site.pages.navigation``);
any other would fail the strict build as "not included in the nav", so it is refused with
where to put it instead.
"""

from __future__ import annotations

from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.model import Problem
from ingest.site.source_pages import SourcePage, multimarkdown_meta


def placement_problems(page: SourcePage, site_pages: set[str]) -> list[Problem]:
    if page.relative is None or page.is_article or page.relative in site_pages:
        return []
    listed = ", ".join(sorted(site_pages))
    return [
        Problem(
            page.name,
            1,
            f"pages outside docs/{ARTICLES_DIR}/ are not published (the navigation lists only {listed}): move "
            f"it into docs/{ARTICLES_DIR}/ (sub-folders are fine) to publish it as an article",
        )
    ]


def multimarkdown_meta_problems(page: SourcePage) -> list[Problem]:
    if page.text is None:
        return []
    keys = list(multimarkdown_meta(page.text))
    if not keys:
        return []
    return [
        Problem(
            page.name,
            1,
            f"MkDocs reads the 'key: value' lines at the top of this page as metadata ({', '.join(keys[:5])}): "
            "write front matter between '---' lines, or start the page with a blank line",
        )
    ]
