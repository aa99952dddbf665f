"""Taking over a generated article, and the ingest never clobbering a hand-written one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.cli import main
from ingest.contributor.check import check_project
from ingest.contributor.takeover import TakeoverError, find_article, take_over, without_generated_flag
from ingest.shared.frontmatter_io import split_front_matter
from tests.contrib_fixtures import ingest, write_article, write_project

GENERATED = """\
---
title: T
id: abc123
tags:
- 优化器
sources:
- feeds/feed.txt:4
truncated: true
generated: true
---

body
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def articles(project: Path) -> list[Path]:
    return sorted((project / "docs" / "articles").rglob("*.md"))


def generated_optimizer_article(project: Path) -> Path:
    [path] = [path for path in articles(project) if path.name.startswith("optimizers-")]
    return path


def files_with_id(project: Path, article_id: str) -> list[Path]:
    found = []
    for path in articles(project):
        front_matter, _ = split_front_matter(path.name, path.read_text(encoding="utf-8"))
        if front_matter and str(front_matter.data.get("id")) == article_id:
            found.append(path)
    return found


def manifest_files(project: Path) -> dict:
    return json.loads((project / "docs" / ".ingest-manifest.json").read_text(encoding="utf-8"))["files"]


def test_only_the_generated_line_goes():
    updated = without_generated_flag(GENERATED, "a.md")
    assert updated == GENERATED.replace("generated: true\n", "")
    assert without_generated_flag(updated, "a.md") is None  # already hand-written


def test_a_body_line_that_looks_like_the_flag_is_kept():
    text = GENERATED.replace("body\n", "generated: true\n")
    assert without_generated_flag(text, "a.md").endswith("---\n\ngenerated: true\n")


def test_broken_front_matter_is_refused():
    with pytest.raises(TakeoverError, match=r"a\.md:4: front matter is not valid YAML.*at line 3"):
        without_generated_flag("---\ntitle: T\ntags: [x\n---\n", "a.md")


def test_find_by_slug_path_or_id(project):
    ingest(project)
    path = generated_optimizer_article(project)
    article_id = split_front_matter("x", path.read_text(encoding="utf-8"))[0].data["id"]
    docs = project / "docs"
    assert find_article(docs, path.stem) == path
    assert find_article(docs, f"docs/articles/{path.name}") == path
    assert find_article(docs, article_id) == path
    with pytest.raises(TakeoverError, match="no article with slug or id 'nothing'"):
        find_article(docs, "nothing")


def test_taking_over_leaves_exactly_one_copy(project):
    ingest(project)
    path = generated_optimizer_article(project)
    article_id = split_front_matter("x", path.read_text(encoding="utf-8"))[0].data["id"]

    assert main(["takeover", path.stem]) == 0
    path.write_text(path.read_text(encoding="utf-8").replace("本文推导", "本文完整推导"), encoding="utf-8")
    edited = path.read_bytes()
    assert b"generated" not in edited

    for _ in range(2):  # the run right after the take-over, and a later one
        report = ingest(project)
        assert files_with_id(project, article_id) == [path]
        assert path.read_bytes() == edited
        assert report.conflicts == []
        assert report.taken_over == [f"{article_id} -> articles/{path.name}"]
        assert f"articles/{path.name}" not in manifest_files(project)
    assert len(articles(project)) == 2
    assert check_project([], Path("docs"), Path("taxonomy.yml"), Path("titles.yml")) == []


def test_a_take_over_saved_by_a_windows_editor_is_still_recognised(project):
    ingest(project)
    path = generated_optimizer_article(project)
    article_id = split_front_matter("x", path.read_text(encoding="utf-8"))[0].data["id"]
    take_over(project / "docs", path.stem)
    # A byte-order mark and CRLF line endings, as Notepad saves them.
    windows = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(windows)

    report = ingest(project)
    assert path.read_bytes() == windows
    assert report.taken_over == [f"{article_id} -> articles/{path.name}"]
    assert len(articles(project)) == 2


def test_a_hand_written_article_with_an_impossible_date_does_not_stop_the_ingest(project):
    mine = write_article(project, "mine.md", "---\ntitle: 我的\ntags: [优化器]\ndate: 2026-13-01\n---\n\n正文\n")
    before = mine.read_bytes()
    report = ingest(project)
    assert report.articles == 2
    assert mine.read_bytes() == before


def test_an_edit_without_taking_over_is_kept_and_flagged(project):
    ingest(project)
    path = generated_optimizer_article(project)
    path.write_text(path.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    edited = path.read_bytes()
    report = ingest(project)
    assert path.read_bytes() == edited
    assert len(articles(project)) == 2  # no second copy of the edited article
    assert report.conflicts == []
    [problem] = check_project([], Path("docs"), Path("taxonomy.yml"), Path("titles.yml"))
    assert "still says 'generated: true'" in problem.reason


def test_a_hand_written_file_at_a_generated_slug_is_a_conflict_and_untouched(project):
    ingest(project)
    path = generated_optimizer_article(project)
    mine = "---\ntitle: 我的文章\nid: hw-mine\ntags: [优化器]\n---\n\n完全不同的内容。\n"
    path.write_text(mine, encoding="utf-8")  # a different article (another id) at the generated path

    report = ingest(project)
    assert path.read_text(encoding="utf-8") == mine
    assert report.conflicts == [f"articles/{path.name}"]
    [warning] = [warning for warning in report.warnings if warning.file == path.as_posix()]
    assert warning.line == 1 and "left untouched" in warning.reason
    assert len(articles(project)) == 2  # the generated article was not written anywhere else
    assert f"articles/{path.name}" not in manifest_files(project)


def test_a_new_hand_written_file_at_a_future_generated_slug_is_a_conflict(project):
    # The slug the ingest would choose, taken before the ingest ever ran.
    ingest(project)
    slug = generated_optimizer_article(project).name
    for path in articles(project):
        path.unlink()
    (project / "docs" / ".ingest-manifest.json").unlink()
    mine = write_article(project, slug, "---\ntitle: 先到\nid: hw-first\ntags: [优化器]\n---\n\n我的。\n")
    before = mine.read_bytes()

    report = ingest(project)
    assert mine.read_bytes() == before
    assert report.conflicts == [f"articles/{slug}"]


def test_deleting_a_taken_over_article_lets_the_ingest_generate_it_again(project):
    ingest(project)
    path = generated_optimizer_article(project)
    take_over(project / "docs", path.stem)
    ingest(project)
    path.unlink()
    ingest(project)
    assert generated_optimizer_article(project) == path
    assert "generated: true" in path.read_text(encoding="utf-8")


def test_cli_takeover_reports_and_is_idempotent(project, capsys):
    ingest(project)
    path = generated_optimizer_article(project)
    assert main(["takeover", path.stem]) == 0
    assert main(["takeover", path.stem]) == 0
    err = capsys.readouterr().err
    assert "is now hand-written" in err and "is already hand-written" in err
    assert main(["takeover", "missing"]) == 2


@pytest.mark.parametrize("pattern", ["*", "*.md", "?*", "[a-z]*", "**/*"])
def test_glob_characters_match_only_a_file_so_named(project, pattern):
    ingest(project)
    before = {path: path.read_bytes() for path in articles(project)}
    with pytest.raises(TakeoverError, match="no article with slug or id"):
        find_article(project / "docs", pattern)
    assert main(["takeover", pattern]) == 2
    assert {path: path.read_bytes() for path in articles(project)} == before


def test_articles_in_sub_folders_are_found_by_name_or_path(project):
    path = write_article(project, "topic/mine.md", GENERATED)
    assert find_article(project / "docs", "mine") == path
    assert find_article(project / "docs", "docs/articles/topic/mine.md") == path
    assert find_article(project / "docs", "topic/mine.md") == path
