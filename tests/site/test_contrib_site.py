"""Contributor articles in a real ``mkdocs build --strict``: topic pages, tags, search, last-updated dates."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.site.search_build import read_index
from tests.sitebuild import ROOT, build_site, indexed_pages, make_project, run_ingest

pytestmark = pytest.mark.slow

UNIQUE_WORD = "Zorblax"  # appears nowhere else, so finding it in the index proves this page was indexed
LAST_UPDATED = re.compile(r'<aside class="md-source-file">.*?<time class="kb-last-updated" datetime="([^"]+)">', re.S)


def ingest_cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def new_article(project: Path, title: str, *tags: str) -> Path:
    result = ingest_cli(project, "new", "--title", title, *(arg for tag in tags for arg in ("--tag", tag)))
    assert result.returncode == 0, result.stderr
    return project / result.stdout.strip()


def mkdocs_build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
    )


def in_git_work_tree(path: Path) -> bool:
    result = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=path, capture_output=True, text=True)
    return result.returncode == 0


@pytest.fixture(scope="module")
def contributed_site(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled feeds plus one hand-written article, built strictly in a copy without ``.git``."""
    project = make_project(tmp_path_factory.mktemp("contrib"), with_bundled_docs=False)
    assert run_ingest(project, "--feeds", str(ROOT / "feeds")).returncode == 0
    article = new_article(project, "Adam 的偏差修正", "optimizers", "Attention")
    with article.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{UNIQUE_WORD} 估计量在前几步偏向零，需要除以 $1 - \\beta_1^t$。\n")
    assert ingest_cli(project, "check").returncode == 0
    # Material's front-matter search switches, which the site's own index honours too.
    for title, switch in (("隐藏的草稿", "exclude: true"), ("轻量的笔记", "boost: 0.25")):
        extra = new_article(project, title, "optimizers")
        head, _, body = extra.read_text(encoding="utf-8").partition("\n")
        extra.write_text(f"{head}\nsearch:\n  {switch}\n{body}\n{UNIQUE_WORD} {UNIQUE_WORD}\n", encoding="utf-8")
    build_site(project)
    return project, article


def test_the_copy_has_no_git_history(contributed_site):
    project, _ = contributed_site
    assert not in_git_work_tree(project)  # so the build above took the no-history path


def test_hand_written_article_is_on_its_topic_pages(contributed_site):
    project, article = contributed_site
    link = f'href="../../articles/{article.stem}/"'
    assert link in (project / "site" / "topics" / "optimizers" / "index.html").read_text(encoding="utf-8")
    assert link in (project / "site" / "topics" / "attention" / "index.html").read_text(encoding="utf-8")
    assert link not in (project / "site" / "topics" / "rnn" / "index.html").read_text(encoding="utf-8")


def test_hand_written_article_is_in_the_search_index(contributed_site):
    project, article = contributed_site
    page = indexed_pages(project / "site").get(f"articles/{article.stem}/")
    assert page is not None, "the hand-written article is missing from the search index"
    assert UNIQUE_WORD in page.text


def test_front_matter_search_exclude_and_boost_are_honoured(contributed_site):
    project, article = contributed_site
    pages = indexed_pages(project / "site")
    assert not [page for page in pages.values() if page.title == "隐藏的草稿"]
    [light] = [page for page in pages.values() if page.title == "轻量的笔记"]
    assert UNIQUE_WORD.lower() in light.terms
    _, records, table = read_index(project / "site")
    numbers = {record["title"]: number for number, record in enumerate(records)}
    scores = {page: value >> 2 for page, value in table[UNIQUE_WORD.lower()]}
    # The same word, more often and in a shorter text, still scores lower at a quarter of the weight.
    assert scores[numbers["轻量的笔记"]] < scores[numbers["Adam 的偏差修正"]]


def test_tags_are_canonical_however_the_scaffold_was_asked(contributed_site):
    project, article = contributed_site
    mappings = json.loads((project / "site" / "tags.json").read_text(encoding="utf-8"))["mappings"]
    [mapping] = [mapping for mapping in mappings if mapping["item"]["url"] == f"articles/{article.stem}/"]
    assert mapping["tags"] == ["优化器", "注意力机制"]


def test_every_page_shows_a_last_updated_date_without_git(contributed_site):
    project, article = contributed_site
    site = project / "site"
    for page in (site / "articles" / article.stem / "index.html", site / "topics" / "optimizers" / "index.html"):
        assert LAST_UPDATED.search(page.read_text(encoding="utf-8")), f"no last-updated date on {page}"


def test_unknown_tag_fails_the_strict_build_with_a_readable_message(tmp_path):
    project = make_project(tmp_path, with_bundled_docs=False)
    article = new_article(project, "Adam 的偏差修正", "optimizers")
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("- 优化器\n", "- 优化器\n- Optimzer\n"), encoding="utf-8")
    line = article.read_text(encoding="utf-8").splitlines().index("- Optimzer") + 1

    result = mkdocs_build(project)
    assert result.returncode != 0
    assert f"docs/articles/{article.name}:{line}: unknown tag 'Optimzer'; did you mean '优化器'" in result.stderr
