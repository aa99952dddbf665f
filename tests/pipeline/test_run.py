"""End to end: the bundled dumps through the real CLI and a real strict MkDocs build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from ingest.pipeline.lock import LOCK_NAME
from ingest.pipeline.title_rules import title_problems
from tests.conftest import ROOT, write_feed
from tests.sitebuild import indexed_pages

BUNDLED_FEEDS = sorted((ROOT / "feeds").glob("*.txt"))


def ingest(docs: Path, *feeds: Path, report: Path | None = None, env: dict | None = None, cwd: Path = ROOT):
    args = [sys.executable, "-m", "ingest", "run", "--docs", str(docs)]
    for feed in feeds:
        args += ["--feeds", str(feed)]
    if report:
        args += ["--report", str(report)]
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    docs = tmp_path_factory.mktemp("bundled") / "docs"
    report_path = docs.parent / "report.json"
    ingest(docs, *BUNDLED_FEEDS, report=report_path)
    return docs, json.loads(report_path.read_text())


def test_bundled_dumps_hold_exactly_28_articles(bundled):
    docs, report = bundled
    assert report["articles"] == 28
    assert report["entries_read"] == report["articles"] + report["duplicates_merged"] + len(report["rejected"])
    assert report["entries_read"] == 45 and report["rejected"] == []
    assert len(list((docs / "articles").glob("*.md"))) == 28


def test_every_article_is_tagged_titled_and_sourced(bundled, taxonomy):
    docs, _ = bundled
    titles = set()
    for path in (docs / "articles").glob("*.md"):
        post = frontmatter.load(path)
        assert post["tags"], path
        assert all(taxonomy.lookup(tag) and taxonomy.lookup(tag).id != "uncategorized" for tag in post["tags"]), path
        title = post["title"]
        assert title_problems(title, post.content) == [], (path, title, title_problems(title, post.content))
        titles.add(title)
        assert post["sources"] and all(":" in source for source in post["sources"])
        assert path.stem.isascii() and len(path.stem) <= 40
    assert len(titles) == 28


def test_committed_docs_match_a_fresh_ingest(bundled):
    docs, _ = bundled
    fresh = {name: data for name, data in tree(docs).items() if name != LOCK_NAME}  # the lock is never committed
    committed = {
        name: data
        for name, data in tree(ROOT / "docs").items()
        if name.startswith("articles/") and frontmatter.loads(data.decode()).get("generated")
    }
    committed[".ingest-manifest.json"] = (ROOT / "docs" / ".ingest-manifest.json").read_bytes()
    assert committed == fresh, "run `make ingest` and commit docs/"


def test_rerun_rewrites_nothing(bundled, tmp_path):
    docs, _ = bundled
    before = {path: path.stat().st_mtime_ns for path in docs.rglob("*")}
    contents = tree(docs)
    report_path = tmp_path / "again.json"
    ingest(docs, *BUNDLED_FEEDS, report=report_path)
    report = json.loads(report_path.read_text())
    assert report["written"] == [] and report["removed"] == []
    assert len(report["unchanged"]) == 28
    assert {path: path.stat().st_mtime_ns for path in docs.rglob("*")} == before
    assert tree(docs) == contents


def test_output_is_identical_whatever_the_file_order_and_hash_seed(bundled, tmp_path):
    docs, _ = bundled
    # Same display names (sources are relative to the working directory), files given in reverse.
    other = tmp_path / "docs"
    project = tmp_path
    (project / "feeds").mkdir()
    for feed in reversed(BUNDLED_FEEDS):
        (project / "feeds" / feed.name).write_bytes(feed.read_bytes())
    for name in ("taxonomy.yml", "titles.yml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    reversed_feeds = [project / "feeds" / feed.name for feed in reversed(BUNDLED_FEEDS)]
    ingest(other, *reversed_feeds, env={"PYTHONHASHSEED": "7"}, cwd=project)
    assert tree(other) == tree(docs)


def test_a_longer_copy_arriving_later_keeps_the_url(tmp_path):
    full = (
        "梯度检查点(Gradient Checkpointing) 大模型的参数量巨大,即使将batch_size设置为1并使用梯度累积的方式更新,也仍然会OOM。"
        * 2
    )
    first = write_feed(tmp_path / "feeds" / "a.txt", full[:70] + "...")
    docs = tmp_path / "docs"
    ingest(docs, first, cwd=ROOT)
    [before] = (docs / "articles").glob("*.md")
    assert frontmatter.load(before)["truncated"] is True

    second = write_feed(tmp_path / "feeds" / "b.txt", full)
    ingest(docs, first, second, cwd=ROOT)
    [after] = (docs / "articles").glob("*.md")
    assert after.name == before.name
    post = frontmatter.load(after)
    assert post["truncated"] is False and len(post["sources"]) == 2


def test_bundled_site_builds_strict_with_every_article(bundled_site_project):
    project = bundled_site_project
    articles = sorted((project / "docs" / "articles").glob("*.md"))
    assert len(articles) >= 28
    for article in articles:
        assert (project / "site" / "articles" / article.stem / "index.html").exists(), article.name
    indexed = indexed_pages(project / "site")
    for article in articles:
        assert f"articles/{article.stem}/" in indexed
    all_articles = (project / "site" / "all-articles" / "index.html").read_text()
    for article in articles:
        assert f"articles/{article.stem}/" in all_articles


def test_no_feed_files_at_all_writes_and_removes_nothing(bundled, tmp_path):
    docs, _ = bundled
    before = tree(docs)
    empty = tmp_path / "empty-feeds"
    empty.mkdir()
    for feeds in ([empty], [tmp_path / "typo"]):
        args = [sys.executable, "-m", "ingest", "run", "--docs", str(docs)]
        for feed in feeds:
            args += ["--feeds", str(feed)]
        result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 2
        assert f"{feeds[0].as_posix()}:0:" in result.stderr
        assert "nothing written" in result.stderr and "Traceback" not in result.stderr
    assert tree(docs) == before
