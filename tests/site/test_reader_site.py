"""What a Material reader expects, in a real ``mkdocs build --strict`` of the bundled knowledge base
committed to git in two ingests: Open Graph and descriptions, edit links, the feed, 最近更新,
the tags page order, readable anchors, the footer."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import feedparser
import pytest
from bs4 import BeautifulSoup

from ingest.site.reading_order import reading_key
from tests.sitebuild import build_site, make_project

pytestmark = pytest.mark.slow

SITE_URL = "https://kb.example.org/ml/"
REPO_URL = "https://github.com/example/ml-kb"
HOSTILE_TITLE = '"><script>alert(1)</script> & <b>粗</b>'
HOSTILE = f"""---
title: {HOSTILE_TITLE!r}
description: '"><img src=x onerror=alert(2)> 手写的描述'
tags: [优化器]
---

## 第一节

手写文章的正文，讲 AdamW 的权重衰减。
"""
PLAIN = """---
title: 手写：学习率预热
tags: [优化器]
---

学习率预热在训练开始时用较小的学习率 $\\eta_t$，再逐步增大到目标值。第二句话在这里。

## 为什么需要预热

因为 Adam 的二阶矩估计在前几步不稳定。
"""
GENERATED = "articles/adam-adamw-3fe259"  # a generated article


def git(project: Path, *args: str, date: str) -> None:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=project, env={"PATH": "/usr/bin:/bin", **env}, check=True, capture_output=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory, monkeypatch_module) -> Path:
    project = make_project(tmp_path_factory.mktemp("reader-site"))
    git(project, "init", "-q", date="2026-01-01T00:00:00Z")
    git(project, "add", ".", date="2026-01-01T00:00:00Z")
    git(project, "commit", "-qm", "bundled ingest", date="2026-01-01T09:00:00Z")
    (project / "docs" / "articles" / "hand-written-hostile.md").write_text(HOSTILE, encoding="utf-8")
    (project / "docs" / "articles" / "warmup 笔记.md").write_text(PLAIN, encoding="utf-8")
    git(project, "add", ".", date="2026-02-01T00:00:00Z")
    git(project, "commit", "-qm", "two contributions", date="2026-02-01T12:00:00Z")
    monkeypatch_module.setenv("SITE_URL", SITE_URL)
    monkeypatch_module.setenv("REPO_URL", REPO_URL)
    # The hostile article breaks the plain-text rule (check and the strict build refuse it): built
    # without --strict, to see that the head escapes it anyway.
    build_site(project, strict=False)
    return project / "site"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in soup.head.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key and tag.has_attr("content"):
            found.setdefault(key, []).append(tag["content"])
    return found


def article_pages(site: Path) -> list[str]:
    return sorted(f"articles/{folder.parent.name}" for folder in (site / "articles").glob("*/index.html"))


def test_every_page_has_open_graph_title_description_type_and_url(site):
    pages = [*article_pages(site), "topics/optimizers", "", "tags", "all-articles", "recent", "about"]
    for path in pages:
        tags = meta(page(site, path))
        for key in ("og:title", "og:description", "og:type", "og:url", "description"):
            assert len(tags.get(key, [])) == 1, (path, key, tags.get(key))
        assert tags["og:type"] == ["article" if path.startswith("articles/") else "website"], path
        assert [unquote(url) for url in tags["og:url"]] == [urljoin(SITE_URL, f"{path}/" if path else "")], path
        assert "og:image" not in tags  # no social cards: they need Cairo and the network at build time


def test_article_description_is_its_plain_opening(site):
    tags = meta(page(site, "articles/warmup 笔记"))
    assert tags["og:title"] == ["手写：学习率预热"]
    assert tags["description"] == ["学习率预热在训练开始时用较小的学习率 ηₜ，再逐步增大到目标值。第二句话在这里。"]
    for path in article_pages(site):
        (description,) = meta(page(site, path))["description"]
        assert description and "\n" not in description
        for residue in ("公式缺失", "\\(", "$", "&amp;", "&lt;", "<span", "\\_", "**", "]("):
            assert residue not in description, (path, residue, description)


def test_topic_description_is_the_taxonomy_description_as_plain_text(site):
    tags = meta(page(site, "topics/rnn"))
    assert tags["og:title"] == ["循环神经网络（Recurrent neural networks）"]
    assert tags["description"][0].startswith("循环神经网络（RNN）用于处理长度不定的序列：在每个时间步 t，隐藏状态 h⁽ᵗ⁾")


def test_hostile_title_and_description_stay_text_in_the_head(site):
    soup = page(site, "articles/hand-written-hostile")
    tags = meta(soup)
    assert tags["og:title"] == [HOSTILE_TITLE]
    assert tags["description"] == ['"><img src=x onerror=alert(2)> 手写的描述']
    assert soup.head.find("script", string=re.compile("alert")) is None
    assert soup.head.find("img") is None and soup.head.find("b") is None


def test_edit_links_lead_where_a_contributor_can_act(site):
    def edit(path: str) -> str | None:
        link = page(site, path).select_one("a.md-content__button[rel=edit]")
        return link["href"] if link else None

    takeover = edit(GENERATED)
    assert takeover.startswith(f"{REPO_URL}/blob/main/CONTRIBUTING.md#")
    assert unquote(urlparse(takeover).fragment) == "接手一篇自动生成的文章"
    assert edit("articles/warmup 笔记") == f"{REPO_URL}/edit/main/docs/articles/warmup%20%E7%AC%94%E8%AE%B0.md"
    assert re.fullmatch(rf"{REPO_URL}/blob/main/taxonomy\.yml#L\d+", edit("topics/optimizers"))
    assert edit("all-articles") is None and edit("recent") is None
    assert edit("") == f"{REPO_URL}/edit/main/docs/index.md"


def test_contributing_has_the_section_generated_articles_link_to():
    contributing = (Path(__file__).resolve().parents[2] / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "\n## 接手一篇自动生成的文章\n" in contributing


def test_the_repository_link_asks_no_api_for_stars(site):
    source = page(site, "").select_one("a.md-source")
    assert source["href"] == REPO_URL
    assert not source.has_attr("data-md-component")  # Material would fetch api.github.com for it


def test_feed_is_atom_with_the_newest_articles_first(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    articles = article_pages(site)
    assert len(feed.entries) == min(50, len(articles))
    # The two contributions were committed last: they lead, with the commit's date.
    assert {feed.entries[0].title, feed.entries[1].title} == {HOSTILE_TITLE, "手写：学习率预热"}
    assert feed.entries[0].updated == "2026-02-01T12:00:00Z"
    assert feed.entries[2].updated == "2026-01-01T09:00:00Z"
    for item in feed.entries:
        assert item.link.startswith(SITE_URL)
        path = unquote(urlparse(item.link).path)[len(urlparse(SITE_URL).path) :]
        assert (site / path / "index.html").is_file(), item.link
        assert item.summary and item.tags
    link = page(site, "").head.find("link", type="application/atom+xml")
    assert link is not None and link["href"] == "feed.xml"


def test_recent_page_lists_each_ingest_newest_first(site):
    soup = page(site, "recent")
    headings = [h2.get_text(strip=True).rstrip("¶") for h2 in soup.select("article h2")]
    assert headings == ["2026-02-01 12:00 UTC", "2026-01-01 09:00 UTC"]
    first_batch = soup.select("article h2")[0].find_next("ul")
    assert {a.get_text() for a in first_batch.select("li > a")} == {HOSTILE_TITLE, "手写：学习率预热"}
    text = soup.select_one("article").get_text()
    assert "新增 2 篇" in text and "新增 28 篇" in text
    assert "订阅源日期 2026-01-11" in text  # the one bundled article whose dump gives a date


def test_tags_page_is_in_pinyin_order(site):
    names = [h2.get_text(strip=True).rstrip("¶") for h2 in page(site, "tags").select("article h2")]
    assert len(names) >= 20
    assert names == sorted(names, key=reading_key)
    assert names != sorted(names)  # the code point order Material would use differs


def test_chinese_headings_get_readable_anchors_and_related_keeps_its_id(site):
    home = page(site, "")
    ids = [h2["id"] for h2 in home.select("article h2")]
    assert ids == ["主题地图", "如何浏览", "文章从哪里来"]
    article = page(site, "articles/warmup 笔记")
    assert article.find(id="为什么需要预热") is not None
    assert article.find("h2", id="related") is not None
    all_ids = [tag["id"] for path in article_pages(site) for tag in page(site, path).select("article [id]")]
    assert not [anchor for anchor in all_ids if re.fullmatch(r"_\d+", anchor)]


def test_footer_has_the_licence_notice_and_topic_pages_have_previous_and_next(site):
    topic = page(site, "topics/optimizers")
    copyright_text = topic.select_one(".md-copyright").get_text(" ", strip=True)
    assert "摘录的版权归原作者所有" in copyright_text
    about = topic.select_one(".md-copyright a.kb-footer-link")
    assert about["href"] == "../../about/"
    assert "版权归原作者所有" in page(site, "about").get_text()
    directions = [link["class"][-1] for link in topic.select("a.md-footer__link")]
    assert directions == ["md-footer__link--prev", "md-footer__link--next"]


def test_related_articles_say_why_they_are_listed(site):
    soup = page(site, "articles/warmup 笔记")
    reasons = [small.get_text() for small in soup.select(".kb-related .kb-related__why")]
    assert reasons and all(reason for reason in reasons)
    assert any(reason.startswith("同属主题：优化器") for reason in reasons)
