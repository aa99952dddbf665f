"""A sitemap that does not grow with the site, and the full one for crawlers.

Material's instant navigation fetches ``sitemap.xml`` on every first visit, only to learn which
links are pages of this site it may load in place (``integrations/sitemap`` and
``integrations/instant`` in Material's source: a link whose URL is not listed is followed as a
normal page load; nothing else reads the file). MkDocs lists every page there, 701 KB at
5,000 articles. So ``sitemap.xml`` lists the pages of the navigation only (home, topic pages,
the article index, tags: bounded by the taxonomy, not the article count), and an article
opens with a normal page load. The full sitemap MkDocs wrote moves to ``sitemap-all.xml``
(and its ``.gz``), named in ``robots.txt``, where crawlers look for sitemaps.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

FULL_SITEMAP = "sitemap-all.xml"


def navigation_sitemap(urls: Iterable[str]) -> str:
    """A sitemap (the protocol's XML) listing ``urls`` (absolute), each once, in order."""
    entries = "".join(f"<url><loc>{escape(url)}</loc></url>\n" for url in dict.fromkeys(urls))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    )


def robots_txt(full_sitemap_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {full_sitemap_url}\n"


def split_sitemap(site_dir: Path, navigation_urls: Iterable[str], site_url: str | None, write_robots: bool) -> bool:
    """Move MkDocs' ``sitemap.xml`` to ``sitemap-all.xml`` and write the small one in its place.

    With ``write_robots`` (the site has no ``docs/robots.txt`` of its own) and a ``site_url`` to
    make the address absolute, ``robots.txt`` names the full sitemap. Returns False when there
    was no sitemap to split (a theme without one).
    """
    site_dir = Path(site_dir)
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return False
    sitemap.replace(site_dir / FULL_SITEMAP)
    compressed = site_dir / "sitemap.xml.gz"
    if compressed.is_file():
        compressed.replace(site_dir / f"{FULL_SITEMAP}.gz")
    sitemap.write_text(navigation_sitemap(navigation_urls), encoding="utf-8")
    if write_robots and site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        (site_dir / "robots.txt").write_text(robots_txt(base + FULL_SITEMAP), encoding="utf-8")
    return True
