"""The walk of docs/: symbolic links leaving the repository are refused by name, folders named x.md skipped."""

from __future__ import annotations

import os

from ingest.shared.docs_files import find_docs_files, is_under_refused_link


def project(tmp_path):
    docs = tmp_path / "repo" / "docs"
    (docs / "articles" / "topic").mkdir(parents=True)
    (docs / "articles" / "a.md").write_text("a", encoding="utf-8")
    (docs / "articles" / "topic" / "b.md").write_text("b", encoding="utf-8")
    return docs


def names(paths, docs):
    return [path.relative_to(docs).as_posix() for path in paths]


def test_sub_folders_are_walked_in_order(tmp_path):
    docs = project(tmp_path)
    assert names(find_docs_files(docs).markdown, docs) == ["articles/a.md", "articles/topic/b.md"]


def test_links_leaving_the_repository_are_refused_by_name(tmp_path, monkeypatch):
    docs = project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("s", encoding="utf-8")
    (docs / "articles" / "passwd.md").symlink_to("/etc/passwd")
    (docs / "articles" / "outside").symlink_to(outside)
    (docs / "articles" / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    monkeypatch.chdir(tmp_path / "repo")
    found = find_docs_files(docs)
    assert names(found.markdown, docs) == ["articles/a.md", "articles/topic/b.md"]
    assert sorted(str(problem) for problem in found.problems) == [
        "docs/articles/dangling.md:0: symbolic link to "
        + repr(str(tmp_path / "nowhere.md"))
        + " leads nowhere: remove it",
        "docs/articles/outside:0: symbolic link to "
        + repr(outside.as_posix())
        + ", outside the repository: it would publish that file; copy what you need into docs/ instead",
        "docs/articles/passwd.md:0: symbolic link to '/etc/passwd', outside the repository: it would publish that "
        "file; copy what you need into docs/ instead",
    ]
    assert is_under_refused_link(docs / "articles" / "outside" / "secret.md", found.refused_links)
    assert not is_under_refused_link(docs / "articles" / "a.md", found.refused_links)


def test_links_inside_the_repository_are_followed_once(tmp_path):
    docs = project(tmp_path)
    shared = tmp_path / "repo" / "shared"
    shared.mkdir()
    (shared / "c.md").write_text("c", encoding="utf-8")
    (docs / "articles" / "shared").symlink_to(shared)
    (docs / "articles" / "loop").symlink_to(docs / "articles")  # a link back up must not loop forever
    found = find_docs_files(docs)
    assert found.problems == []
    assert "articles/shared/c.md" in names(found.markdown, docs)
    assert len(found.markdown) == 3


def test_a_folder_named_like_a_page_is_walked_with_a_warning(tmp_path, monkeypatch):
    docs = project(tmp_path)
    (docs / "articles" / "x.md").mkdir()
    (docs / "articles" / "x.md" / "inner.md").write_text("i", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "repo")
    found = find_docs_files(docs)
    assert [str(warning) for warning in found.warnings] == [
        "docs/articles/x.md:0: a folder named like a Markdown page is not a page; skipped"
    ]
    assert "articles/x.md/inner.md" in names(found.markdown, docs)
    assert os.path.isdir(docs / "articles" / "x.md")
