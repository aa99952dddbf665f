"""The primary navigation rendered once per folder for the pages the navigation does not list.

Material renders the whole navigation sidebar again for every page, and on a site of 5,000
articles that was a tenth of the build. A page the navigation does not list (every article)
marks no item active, so its sidebar differs from another such page's only through the
relative links, which depend on the page's folder alone. ``overrides/partials/nav.html``
renders Material's own ``partials/nav.html`` (reached as ``material/partials/nav.html``) the
first time a folder is met and repeats that HTML for the folder's other pages.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader

# The prefix under which the theme's own templates stay reachable when overrides/ shadows one.
THEME_PREFIX = "material"


class NavMemo:
    """The rendered navigation of one build, keyed by the folder of the pages outside it."""

    def __init__(self, listed_urls: Iterable[str]) -> None:
        self.listed_urls = frozenset(listed_urls)
        self.rendered: dict[str, str] = {}

    def key(self, page_url: str) -> str | None:
        """The memo key of a page, or None for a page the navigation lists (its items are marked)."""
        if page_url in self.listed_urls:
            return None
        # "articles/foo/" and "articles/foo.html" both live in "articles"; the site root in "".
        return posixpath.dirname(page_url.rstrip("/"))

    def get(self, key: str) -> str | None:
        return self.rendered.get(key)

    def put(self, key: str, html: str) -> str:
        self.rendered[key] = html
        return html


def with_theme_prefix(env: Environment, theme_dirs: Iterable[str], custom_dir: str | None) -> Environment:
    """Let templates include the theme's own file under ``material/`` where overrides/ shadows it."""
    theme_only = [directory for directory in theme_dirs if directory != custom_dir]
    env.loader = ChoiceLoader([env.loader, PrefixLoader({THEME_PREFIX: FileSystemLoader(theme_only)})])
    return env
