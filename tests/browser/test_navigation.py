"""Cross-links in the built site: topic map → topic page → articles → related articles and back.

The clicks run in Chromium; the check that *every* article page has its links reads the built
HTML with BeautifulSoup, which is exhaustive and fast.
"""

from __future__ import annotations

import posixpath
import re
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import new_offline_page
from tests.browser.contributed_articles import HAND_WRITTEN_PATH
from tests.sitebuild import indexed_pages

pytestmark = pytest.mark.browser

MAP_TOPIC = "rl-basics"


@pytest.fixture(scope="module")
def navigation_site(contributed_site):
    """``(site_dir, url)`` of the bundled site with the contributors' articles."""
    return contributed_site


def heading_list(soup: BeautifulSoup, heading_text: str):
    """The first list in the section under the ``<h2>`` whose text starts with ``heading_text``."""
    for heading in soup.find_all("h2"):
        if not heading.get_text().startswith(heading_text):
            continue
        for element in heading.find_next_siblings():
            if element.name == "h2":
                return None
            found = element if element.name == "ul" else element.find("ul")
            if found is not None:
                return found
    return None


def section_article_links(soup: BeautifulSoup, heading_text: str) -> set[str]:
    """The distinct article links under the ``<h2>`` starting with ``heading_text``, including
    the groups of a parent topic's children (``<h3>`` inside the section)."""
    heading = next(h2 for h2 in soup.find_all("h2") if h2.get_text().startswith(heading_text))
    links = set()
    for element in heading.find_next_siblings():
        if element.name == "h2":
            break
        links |= {link["href"] for link in element.select("li a[href*='articles/']")}
    return links


def site_file(site: Path, page_url_path: str, href: str) -> Path:
    """The built file a relative link from a page points at."""
    target = unquote(urlparse(urljoin(page_url_path, href)).path)
    target = posixpath.normpath(target).lstrip("/")
    candidate = site / target
    return candidate / "index.html" if target == "." or href.endswith("/") or candidate.is_dir() else candidate


def test_clicking_a_topic_on_the_map_opens_its_topic_page_with_matching_counts(browser, navigation_site):
    _, url = navigation_site
    page = new_offline_page(browser, url)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{url}/", wait_until="load")
        topic_links = page.locator(".kb-topic-map svg a")
        assert topic_links.count() >= 27
        assert page.locator(".kb-topic-map script").count() == 0
        link = page.locator(f'.kb-topic-map svg a[data-topic="{MAP_TOPIC}"]')
        map_count = int(link.get_attribute("data-count"))
        link.locator("circle").click()  # what a reader clicks; the middle of the link may be the gap above its label
        page.wait_for_url(f"{url}/topics/{MAP_TOPIC}/")
        assert page.locator("h1").first.inner_text().startswith("强化学习基础")
        heading = page.locator("h2", has_text="文章（").first.inner_text()
        listed = int(re.search(r"文章（(\d+)）", heading).group(1))
        soup = BeautifulSoup(page.content(), "html.parser")
        assert listed == len(section_article_links(soup, "文章（")) == map_count
        items = page.locator("h2:has-text('文章（') + .kb-topic-articles li")
        assert "手写笔记：强化学习里的回报与价值" in items.all_inner_texts()
        assert page.outside_requests == []
        assert errors == [], "the map must not break Material's scripts"
    finally:
        page.context.close()


def test_article_page_links_to_related_articles_that_resolve_and_back_to_its_topic(browser, navigation_site):
    _, url = navigation_site
    page = new_offline_page(browser, url)
    try:
        page.goto(f"{url}/{HAND_WRITTEN_PATH}", wait_until="load")
        related = page.locator("#related + .kb-related a")
        assert related.count() >= 2
        for href in [related.nth(index).get_attribute("href") for index in range(related.count())]:
            target = urljoin(page.url, href)
            assert target.startswith(f"{url}/articles/")
            assert page.request.get(target).status == 200, target
        topic = page.locator("p", has_text="所属主题").locator("a").first
        topic.click()
        page.wait_for_url(f"{url}/topics/{MAP_TOPIC}/")
    finally:
        page.context.close()


def test_map_labels_follow_the_colour_scheme(browser, navigation_site):
    _, url = navigation_site
    fills = {}
    for scheme in ("light", "dark"):
        page = new_offline_page(browser, url, color_scheme=scheme)
        try:
            page.goto(f"{url}/", wait_until="load")
            fills[scheme] = page.evaluate(
                """() => {
                  const label = document.querySelector('.kb-topic-map .kb-map-label');
                  const body = document.querySelector('.md-typeset');
                  return [getComputedStyle(label).fill, getComputedStyle(body).color,
                          getComputedStyle(document.body).backgroundColor];
                }"""
            )
        finally:
            page.context.close()
    for label_fill, text_colour, _background in fills.values():
        assert label_fill == text_colour  # labels use the page's own text colour
    assert fills["light"][0] != fills["dark"][0]
    assert fills["light"][2] != fills["dark"][2]


def test_every_article_page_links_to_its_topics_and_two_resolving_related_articles(navigation_site):
    site, url = navigation_site
    pages = sorted((site / "articles").glob("*/index.html"))
    assert len(pages) >= 29  # the bundled articles and the hand-written one
    assert site / HAND_WRITTEN_PATH / "index.html" in pages
    for page in pages:
        page_url_path = "/" + page.parent.relative_to(site).as_posix() + "/"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        related = heading_list(soup, "相关文章")
        assert related is not None, page
        hrefs = [link["href"] for link in related.find_all("a")]
        assert len(hrefs) >= 2, page
        assert len(set(hrefs)) == len(hrefs) and "./" not in hrefs and "" not in hrefs, page
        for href in hrefs:
            target = site_file(site, page_url_path, href)
            assert target.is_file() and target.parent.parent == site / "articles", (page, href)
            assert target.parent != page.parent, f"{page} links to itself"
        topic_line = next(p for p in soup.select("article p") if p.get_text().startswith("所属主题"))
        topic_hrefs = [link["href"] for link in topic_line.find_all("a")]
        assert topic_hrefs and all(site_file(site, page_url_path, href).is_file() for href in topic_hrefs), page
        assert all("/topics/" in urljoin(page_url_path, href) for href in topic_hrefs), page


def test_every_topic_page_counts_its_articles_and_every_link_resolves(navigation_site):
    site, url = navigation_site
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    map_counts = {link["data-topic"]: int(link["data-count"]) for link in home.select(".kb-topic-map svg a")}
    assert map_counts
    for topic_id, count in map_counts.items():
        page = site / "topics" / topic_id / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert len(section_article_links(soup, f"文章（{count}）")) == count, topic_id
        for link in soup.select("article a[href]"):
            href = link["href"]
            if href.startswith(("#", "http")):
                continue
            assert site_file(site, f"/topics/{topic_id}/", href).is_file(), (topic_id, href)


def test_footer_boilerplate_stays_out_of_the_search_index(navigation_site):
    site, _ = navigation_site
    pages = indexed_pages(site)
    texts = [page.title + page.text for url, page in pages.items() if url.startswith("articles/")]
    assert texts
    for boilerplate in ("这是一段摘录", "订阅源只给出了", "出现在以下", "同属主题", "相关文章"):
        assert not any(boilerplate in text for text in texts), boilerplate
    assert any("所属主题" in text for text in texts)  # the topic line stays searchable
    topic_pages = [page.text for url, page in pages.items() if url.startswith("topics/")]
    assert topic_pages and not any("相关主题" in text or "共同文章" in text for text in topic_pages)
    assert "all-articles/" not in pages and "tags/" not in pages  # lists of every title


def test_served_pages_answer_200(navigation_site):
    """The map's links as a reader's browser would request them, without a browser."""
    site, url = navigation_site
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    for link in home.select(".kb-topic-map svg a"):
        with urllib.request.urlopen(urljoin(f"{url}/", link["xlink:href"])) as response:
            assert response.status == 200
