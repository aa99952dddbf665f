"""The taxonomy's structure in a real ``mkdocs build --strict``: nested navigation, a page for every
topic, empty ones out of the navigation and search, redirects from renamed ids, the maintainers' page.

The project is the bundled site with two changes a maintainer might make: the ``rnn`` topic
renamed to ``recurrent-neural-networks`` (``former_ids: [rnn]``), and a hand-written article
nothing in the taxonomy fits.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ingest.shared.taxonomy import load_taxonomy
from tests.sitebuild import ROOT, build_site, indexed_pages, make_project, rename_topic

OLD_ID, NEW_ID = "rnn", "recurrent-neural-networks"
FIRST_PUBLISHED = [
    line for line in (ROOT / "published-topics.txt").read_text(encoding="utf-8").splitlines() if line and line[0] != "#"
]
UNFIT = """---
title: 婺源晒秋的拍摄路线
tags: [待分类]
---

从思溪延村出发，清晨去篁岭看晒秋，傍晚到彩虹桥拍倒影。三脚架和偏振镜都值得带上，民宿老板会告诉你哪天晒得最满。
"""


def rename_and_add_unfit(project: Path) -> None:
    rename_topic(project / "taxonomy.yml", OLD_ID, NEW_ID)
    (project / "docs" / "articles" / "wuyuan-photos.md").write_text(UNFIT, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("topic-site"))
    rename_and_add_unfit(project)
    build_site(project)
    return project / "site"


def soup_of(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def nav_links(soup: BeautifulSoup) -> list[str]:
    return [link["href"] for link in soup.select("nav.md-nav--primary a[href]")]


def search_locations(site: Path) -> set[str]:
    return {url.split("#")[0] for url in indexed_pages(site)}


def test_every_topic_has_a_page_and_empty_topics_stay_out_of_navigation_and_search(site):
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    pages = {path.parent.name for path in (site / "topics").glob("*/index.html")}
    ids = {NEW_ID if topic.id == OLD_ID else topic.id for topic in taxonomy.topics}
    assert ids | {OLD_ID} == pages
    home = soup_of(site, ".")
    shown = {link["data-topic"] for link in home.select(".kb-topic-map svg a")}
    assert 27 <= len(shown) < len(ids)
    # navigation.prune: each page carries its own section's branch, so the topic pages' navigations
    # together hold the whole tree; it lists exactly the non-empty topics (links from topics/x/
    # to a sibling topic read "../y/")
    in_nav = set()
    for topic_id in shown:
        links = nav_links(soup_of(site, f"topics/{topic_id}"))
        in_nav |= {href.strip("/").removeprefix("..").strip("/") for href in links if href.count("/") == 2}
    assert shown <= in_nav
    empty = ids - shown
    assert empty and not (empty & in_nav)
    indexed = {
        location.removeprefix("topics/").strip("/")
        for location in search_locations(site)
        if location.startswith("topics/")
    }
    assert indexed == shown
    assert "maintainers/uncategorized/" not in search_locations(site)
    assert "all-articles/" not in search_locations(site)


def test_a_parent_topic_is_a_navigation_section_whose_link_is_its_page(site):
    child = soup_of(site, "topics/adam-adamw")
    nested = [
        item
        for item in child.select("nav.md-nav--primary li.md-nav__item--nested")
        if (link := item.select_one(":scope > .md-nav__container > a")) is not None and link["href"] == "../optimizers/"
    ]
    assert nested, "优化器 should be a nested section linking to its own page"
    [section] = nested
    label = " ".join(section.find("a", href="../optimizers/").get_text().split())
    assert re.fullmatch(r"优化器（\d+）", label)
    children = [" ".join(link.get_text().split()) for link in section.select("nav a.md-nav__link")]
    assert any(text.startswith("Adam 与 AdamW（") for text in children)
    # the parent's page says where its articles come from and links its children with counts
    parent = soup_of(site, "topics/optimizers")
    text = parent.select_one("article").get_text(" ")
    assert re.search(r"共 \d+ 篇文章（本主题 \d+ 篇，来自子主题 \d+ 篇）", text)
    assert parent.select_one('article a[href="../adam-adamw/"]') is not None
    # and the child's page links back to its parent
    assert child.select_one('article a[href="../optimizers/"]') is not None


def test_every_published_id_answers_and_a_renamed_one_redirects(site):
    assert len(FIRST_PUBLISHED) >= 27
    for topic_id in FIRST_PUBLISHED:
        assert (site / "topics" / topic_id / "index.html").is_file(), topic_id
    redirect = (site / "topics" / OLD_ID / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=../{NEW_ID}/">' in redirect
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/topics/{NEW_ID}/">' in redirect
    assert 'name="robots" content="noindex"' in redirect
    page = soup_of(site, f"topics/{NEW_ID}")
    assert page.find("h1").get_text().startswith("循环神经网络")


def test_the_maintainers_page_lists_every_uncategorized_article_with_its_key_terms(site):
    page = soup_of(site, "maintainers/uncategorized")
    article = page.select_one("article")
    link = article.find("a", string="婺源晒秋的拍摄路线")
    assert link is not None and link["href"] == "../../articles/wuyuan-photos/"
    terms = link.find_parent("li").get_text()
    assert "关键词：" in terms and any(word in terms for word in ("晒秋", "民宿", "彩虹桥", "三脚架"))
    assert "python -m ingest suggest-topics" in article.get_text()
    # reachable from the 待分类 topic page, not from the navigation
    assert article.find("a", href="../../topics/uncategorized/") is not None
    fallback = soup_of(site, "topics/uncategorized")
    assert fallback.select_one('article a[href="../../maintainers/uncategorized/"]') is not None
    assert not any("maintainers" in href for href in nav_links(fallback))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_redirect_works_under_mkdocs_serve(tmp_path):
    project = make_project(tmp_path / "serve")
    rename_and_add_unfit(project)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/topics/{OLD_ID}/", timeout=5) as response:
                    body = response.read().decode("utf-8")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(1)
        assert f"url=../{NEW_ID}/" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/topics/{NEW_ID}/", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
