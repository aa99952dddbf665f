"""History from git, the 最近更新 page and the Atom feed (unit level, with a real git repository)."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from ingest.shared.taxonomy import Section, Taxonomy, Topic
from ingest.site.feeds import FeedEntry, atom_feed, feed_date, newest_entries
from ingest.site.history import article_dates, read_history
from ingest.site.library import LibraryArticle
from ingest.site.recent import batches, recent_page

TAXONOMY = Taxonomy(
    "taxonomy.yml",
    [Section("basics", "基础", "Basics")],
    [Topic("optimizer", "优化器", "Optimizer", "basics", (), "优化器。")],
)


def git(folder: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def library(*names: str, **dates: str) -> list[LibraryArticle]:
    return [
        LibraryArticle(f"articles/{name}.md", name, f"标题 {name}", ["optimizer"], date=dates.get(name), generated=True)
        for name in names
    ]


@pytest.fixture
def repo(tmp_path) -> Path:
    """Two ingests: a and b on 2026-01-02; c added and a changed on 2026-02-03; d not committed."""
    docs = tmp_path / "docs" / "articles"
    docs.mkdir(parents=True)
    git(tmp_path, "init", "-q")
    for name in ("a", "b"):
        (docs / f"{name}.md").write_text(name, encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first ingest", date="2026-01-02T10:00:00+00:00")
    (docs / "c.md").write_text("c", encoding="utf-8")
    (docs / "a.md").write_text("a, longer", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "second ingest", date="2026-02-03T08:30:00+08:00")
    (docs / "d.md").write_text("d", encoding="utf-8")
    return tmp_path / "docs"


def test_history_lists_each_commit_with_what_it_added_and_changed(repo):
    history = read_history(repo)
    assert [(commit.added, commit.modified) for commit in history] == [
        (("articles/c.md",), ("articles/a.md",)),
        (("articles/a.md", "articles/b.md"), ()),
    ]
    assert history[0].date == datetime(2026, 2, 3, 0, 30, tzinfo=UTC)
    dates = article_dates(history)
    assert dates["articles/a.md"].added == datetime(2026, 1, 2, 10, tzinfo=UTC)
    assert dates["articles/a.md"].updated == history[0].date
    assert dates["articles/c.md"].added == dates["articles/c.md"].updated == history[0].date


def test_no_history_outside_a_repository(tmp_path):
    assert read_history(tmp_path) is None


def test_recent_batches_newest_first_with_uncommitted_articles_on_top(repo):
    found = batches(library("a", "b", "c", "d"), read_history(repo))
    assert [batch.heading for batch in found] == ["尚未提交", "2026-02-03 00:30 UTC", "2026-01-02 10:00 UTC"]
    assert [[article.id for article in batch.added] for batch in found] == [["d"], ["c"], ["a", "b"]]
    assert [article.id for article in found[1].updated] == ["a"]


def test_recent_page_lists_batches_with_links_topics_and_feed_dates(repo):
    page = recent_page(library("a", "b", "c", "d", c="2026-01-30"), read_history(repo), TAXONOMY, "feed.xml")
    assert page.index("## 尚未提交") < page.index("## 2026-02-03") < page.index("## 2026-01-02")
    assert "- [标题 c](articles/c.md) <small>[优化器](topics/optimizer.md) · 订阅源日期 2026-01-30</small>" in page
    assert "新增 1 篇，更新 1 篇。" in page
    assert "[Atom 订阅源](feed.xml)" in page


def test_without_history_the_page_falls_back_to_the_dumps_dates():
    page = recent_page(library("a", "b", "c", a="2026-01-05", b="2026-03-01"), None, TAXONOMY)
    assert (
        page.index("## 订阅源日期 2026-03-01")
        < page.index("## 订阅源日期 2026-01-05")
        < page.index("## 订阅源未注明日期")
    )
    assert "没有 git 历史" in page


def test_titles_in_the_recent_page_are_escaped():
    hostile = [LibraryArticle("articles/x.md", "x", "<script>alert(1)</script> [x](javascript:y)", ["optimizer"])]
    page = recent_page(hostile, None, TAXONOMY)
    assert "<script>" not in page and "](javascript:" not in page


def entry(title: str, day: int, url: str | None = None) -> FeedEntry:
    moment = datetime(2026, 1, day, tzinfo=UTC)
    return FeedEntry(
        title, url or f"https://kb.example/articles/{day}/", moment, moment, f"摘要 {day}", (("t", "主题"),)
    )


def test_feed_is_valid_atom_with_entries_newest_first():
    entries = newest_entries([entry("旧", 1), entry("新", 9), entry("中", 5)], limit=2)
    text = atom_feed(
        entries,
        title="知识库",
        subtitle="新增",
        site_url="https://kb.example/",
        feed_url="https://kb.example/feed.xml",
        updated=datetime(2026, 2, 1, tzinfo=UTC),
    )
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.title == "知识库"
    assert [item.title for item in parsed.entries] == ["新", "中"]
    assert parsed.entries[0].link == "https://kb.example/articles/9/"
    assert parsed.entries[0].summary == "摘要 9"
    assert parsed.entries[0].tags[0].term == "t"
    assert parsed.feed.updated == "2026-01-09T00:00:00Z"


def test_feed_keeps_hostile_titles_as_text_and_drops_characters_xml_forbids():
    title = '<img src=x onerror="alert(1)"> & \x01\x0b标题\ufffe'
    text = atom_feed(
        [entry(title, 2, url='https://kb.example/a/?x="1"&y=2')],
        title="t",
        subtitle="s",
        site_url="https://kb.example/",
        feed_url="https://kb.example/feed.xml",
        updated=datetime(2026, 2, 1, tzinfo=UTC),
    )
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.entries[0].title == '<img src=x onerror="alert(1)"> & 标题'
    assert parsed.entries[0].link == 'https://kb.example/a/?x="1"&y=2'
    assert "<img" not in text


def test_feed_dates_from_front_matter():
    assert feed_date("2026-01-11") == datetime(2026, 1, 11, tzinfo=UTC)
    assert feed_date("not a date") is None and feed_date(None) is None
