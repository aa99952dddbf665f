"""Where pages may live, and the one kind of metadata MkDocs reads that the rules would not see.

Articles live anywhere under ``docs/articles/`` (sub-folders by topic are fine). Every other
page of ``docs/`` must be one the site's navigation lists (``ingest.site.pages.navigation``);
any other would fail the strict build as "not included in the nav", so it is refused with
where to put it instead.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.model import Problem
from ingest.site.source_pages import SourcePage, multimarkdown_meta

# Names Windows cannot create (with any extension), and characters it forbids in a name: a
# repository holding one cannot be checked out there.
WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(?:\.|$)", re.IGNORECASE)
WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f]')


def windows_name_problem(name: str) -> str | None:
    """Why Windows cannot check out a file or folder called ``name``, or ``None``."""
    if WINDOWS_RESERVED.match(name):
        return f"{name!r} is a name Windows reserves for a device"
    if name.endswith((".", " ")):
        return f"{name!r} ends with a dot or a space, which Windows drops"
    forbidden = WINDOWS_FORBIDDEN.search(name)
    if forbidden:
        return f"{name!r} holds {forbidden.group()!r}, which Windows does not allow in a file name"
    return None


def file_name_problems(page: SourcePage) -> list[Problem]:
    """Every part of the page's path inside docs/ must be a name Windows can check out."""
    if page.relative is None:
        return []
    for part in PurePosixPath(page.relative).parts:
        reason = windows_name_problem(part)
        if reason:
            return [Problem(page.name, 1, f"{reason}: rename it so the repository can be checked out on Windows")]
    return []


def placement_problems(page: SourcePage, site_pages: set[str] | None) -> list[Problem]:
    """``site_pages`` is ``None`` when the navigation is unknown (the taxonomy is broken): nothing is judged."""
    if site_pages is None or page.relative is None or page.is_article or page.relative in site_pages:
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
