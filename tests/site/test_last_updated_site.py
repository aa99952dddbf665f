"""The "最后更新" date under each page of a real ``mkdocs build --strict``: git's, else the build date."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.site.test_contrib_site import in_git_work_tree, new_article
from tests.sitebuild import build_site, make_project

pytestmark = pytest.mark.slow

SHOWN = re.compile(
    r'<aside class="md-source-file">.*?<time class="kb-last-updated" datetime="([^"]+)">([^<]+)</time>', re.S
)
BUILD_EPOCH = "1780833600"  # 2026-06-07 12:00 UTC, the build date the fallback must show
BUILD_DAY = ("2026-06-07", "2026年6月7日")


def commit(project: Path, message: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    env |= {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["git", "add", "-A"], ["git", "commit", "-q", "-m", message]):
        subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)


def shown(site: Path, page: str) -> tuple[str, str]:
    found = SHOWN.search((site / page / "index.html").read_text(encoding="utf-8"))
    assert found, f"no last-updated date on {page}"
    return found.groups()


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> tuple[Path, Path]:
    """One project committed twice and built; a copy of it without ``.git``, built too."""
    project = make_project(tmp_path_factory.mktemp("dated") / "repo", with_bundled_docs=False)
    new_article(project, "Adam 的偏差修正", "optimizers")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit(project, "first", "2025-01-02T03:04:05+00:00")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
    commit(project, "about changed", "2025-03-04T23:30:00-02:00")  # 2025-03-05 in UTC
    new_article(project, "还没提交的笔记", "optimizers")
    bare = project.parent / "bare"
    shutil.copytree(project, bare, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    for folder in (project, bare):
        build_site(folder, env={"SOURCE_DATE_EPOCH": BUILD_EPOCH})
    return project, bare


def test_a_committed_page_shows_the_day_of_its_last_commit(projects):
    site = projects[0] / "site"
    assert shown(site, "articles/adam") == ("2025-01-02", "2025年1月2日")
    assert shown(site, "about") == ("2025-03-05", "2025年3月5日")
    assert shown(site, "tags") == ("2025-01-02", "2025年1月2日")


def test_an_uncommitted_page_and_a_generated_page_show_the_build_date(projects):
    project = projects[0]
    [uncommitted] = [path.stem for path in (project / "docs" / "articles").glob("*.md") if path.stem != "adam"]
    assert shown(project / "site", f"articles/{uncommitted}") == BUILD_DAY
    assert shown(project / "site", "topics/optimizers") == BUILD_DAY


def test_without_git_every_page_shows_the_build_date(projects):
    bare = projects[1]
    assert not in_git_work_tree(bare)
    for page in ("articles/adam", "about", "topics/optimizers"):
        assert shown(bare / "site", page) == BUILD_DAY
