"""The sitemap instant navigation reads stays the navigation's size; crawlers get the full one."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ingest.site.sitemap import FULL_SITEMAP, navigation_sitemap, split_sitemap

NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FULL = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    + "".join(f"<url><loc>https://example.org/kb/articles/a{i}/</loc></url>" for i in range(50))
    + "</urlset>\n"
)


def locations(xml: str) -> list[str]:
    return [loc.text for loc in ET.fromstring(xml).iter(f"{NAMESPACE}loc")]


def test_the_navigation_sitemap_lists_each_page_once_escaped():
    xml = navigation_sitemap(["https://example.org/kb/", "https://example.org/kb/?a=1&b=2", "https://example.org/kb/"])
    assert locations(xml) == ["https://example.org/kb/", "https://example.org/kb/?a=1&b=2"]


def test_splitting_keeps_the_full_sitemap_for_crawlers(tmp_path):
    (tmp_path / "sitemap.xml").write_text(FULL, encoding="utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(b"gzip of the full sitemap")
    nav = ["https://example.org/kb/", "https://example.org/kb/topics/t/"]
    assert split_sitemap(tmp_path, nav, "https://example.org/kb/", write_robots=True)
    assert locations((tmp_path / "sitemap.xml").read_text(encoding="utf-8")) == nav
    assert (tmp_path / FULL_SITEMAP).read_text(encoding="utf-8") == FULL
    assert (tmp_path / f"{FULL_SITEMAP}.gz").read_bytes() == b"gzip of the full sitemap"
    assert not (tmp_path / "sitemap.xml.gz").exists()
    robots = (tmp_path / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/kb/sitemap-all.xml" in robots


def test_a_sites_own_robots_txt_is_left_alone(tmp_path):
    (tmp_path / "sitemap.xml").write_text(FULL, encoding="utf-8")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    split_sitemap(tmp_path, ["https://example.org/kb/"], "https://example.org/kb", write_robots=False)
    assert (tmp_path / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /private/\n"


def test_without_a_sitemap_nothing_is_written(tmp_path):
    assert not split_sitemap(tmp_path, ["https://example.org/"], "https://example.org/", write_robots=True)
    assert list(tmp_path.iterdir()) == []
