"""``python -m ingest new``: a checked scaffold in docs/articles/ that never replaces a file."""

from __future__ import annotations

import datetime as dt
from itertools import chain, repeat
from pathlib import Path

import pytest

from ingest.cli import main
from ingest.contributor.check import check_project
from ingest.contributor.new import (
    NewArticleError,
    create_article,
    free_slug,
    new_article_id,
    resolve_tags,
    slug_from_title,
)
from ingest.shared.frontmatter_io import split_front_matter
from ingest.shared.taxonomy import load_taxonomy
from tests.contrib_fixtures import ingest, write_article, write_project

TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def taxonomy(project):
    return load_taxonomy(project / "taxonomy.yml")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Adam 与 AdamW 的区别", "adam-adamw"),
        ("从 RLHF 到 DPO：直接偏好优化", "rlhf-dpo"),
        ("PyTorch 报错：expand_as 之后", "pytorch-expand-as"),
        ("直接偏好优化", None),  # no English words
        ("2024 年回顾", None),  # digits alone say nothing
    ],
)
def test_slug_from_title(title, slug):
    assert slug_from_title(title) == slug


def test_long_titles_make_bounded_slugs():
    slug = slug_from_title(" ".join(["word"] * 40))
    assert len(slug) <= 60 and not slug.endswith("-")


def test_free_slug_skips_taken_and_reserved_names():
    assert free_slug("adam", set()) == "adam"
    assert free_slug("adam", {"adam", "adam-2"}) == "adam-3"
    assert free_slug("Index", set()) == "Index-2"  # index.md is a folder page, not an article


def test_new_ids_are_unique():
    tokens = chain(["aaaa", "aaaa", "bbbb"], repeat("cccc"))
    assert new_article_id({"hw-aaaa"}, lambda _: next(tokens)) == "hw-bbbb"


def test_tags_resolve_to_canonical_names(taxonomy):
    assert resolve_tags(["optimizers", "Attention", "优化器"], taxonomy) == ["优化器", "注意力机制"]


def test_unknown_tag_is_refused_with_suggestions(taxonomy):
    with pytest.raises(NewArticleError) as refused:
        resolve_tags(["优化器", "Optimzer", "注意"], taxonomy)
    lines = str(refused.value).splitlines()
    assert lines[0].startswith("unknown tag 'Optimzer'; did you mean '优化器'?")
    assert lines[1].startswith("unknown tag '注意'; did you mean '注意力机制'?")


def test_scaffold_has_the_front_matter_filled_in(project, taxonomy):
    path = create_article(project / "docs", taxonomy, "Adam 与 AdamW", ["optimizers"], TODAY, lambda _: "1a2b3c4d")
    assert path == project / "docs" / "articles" / "adam-adamw.md"
    front_matter, problems = split_front_matter("x", path.read_text(encoding="utf-8"))
    assert problems == []
    assert front_matter.data == {"title": "Adam 与 AdamW", "id": "hw-1a2b3c4d", "tags": ["优化器"], "date": TODAY}


def test_fallback_slug_is_topic_and_id(project, taxonomy):
    path = create_article(project / "docs", taxonomy, "直接偏好优化", ["注意力机制"], TODAY, lambda _: "1a2b3c4d")
    assert path.name == "attention-1a2b3c4d.md"


def test_never_overwrites_an_existing_file(project, taxonomy):
    existing = write_article(project, "adam-adamw.md", "mine\n")
    path = create_article(project / "docs", taxonomy, "Adam 与 AdamW", ["optimizers"], TODAY)
    assert path.name == "adam-adamw-2.md"
    assert existing.read_text(encoding="utf-8") == "mine\n"


def test_cli_new_then_check_passes(project, capsys):
    assert main(["new", "--title", "Adam 与 AdamW 的区别", "--tag", "optimizers", "--tag", "注意力机制"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == "docs/articles/adam-adamw.md"
    assert Path(printed).is_file()
    assert main(["check"]) == 0
    assert main(["check", printed]) == 0


def test_cli_new_refuses_an_unknown_tag_and_writes_nothing(project, capsys):
    assert main(["new", "--title", "Adam", "--tag", "Optimzer"]) == 2
    assert "unknown tag 'Optimzer'; did you mean '优化器'?" in capsys.readouterr().err
    assert not (project / "docs" / "articles").exists()


def test_run_leaves_a_hand_written_article_byte_identical(project):
    path = create_article(project / "docs", load_taxonomy(project / "taxonomy.yml"), "Adam 详解", ["优化器"], TODAY)
    path.write_bytes(path.read_bytes() + "正文，带 Windows 换行\r\n没有结尾换行".encode())
    before = path.read_bytes()
    for _ in range(2):  # the first run writes the generated articles, the second rewrites nothing
        report = ingest(project)
        assert path.read_bytes() == before
        assert report.conflicts == []
    assert len(list((project / "docs" / "articles").glob("*.md"))) == 3
    problems = check_project([], Path("docs"), Path("taxonomy.yml"), Path("titles.yml"))
    assert problems == []


@pytest.mark.parametrize("title", ["CON", "con", "Aux", "NUL", "COM1", "lpt9", "prn"])
def test_windows_device_names_are_never_written(project, taxonomy, title):
    path = create_article(project / "docs", taxonomy, title, ["optimizers"], TODAY)
    assert path.name == f"{title.lower()}-2.md"
    assert check_project([], Path("docs"), Path("taxonomy.yml"), Path("titles.yml")) == []


def test_undecodable_command_line_bytes_are_refused(project, capsys):
    title = b"Adam \xff\xfe".decode("utf-8", "surrogateescape")  # what Python makes of such argv bytes
    assert main(["new", "--title", title, "--tag", "optimizers"]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err
    folder = project / "docs" / "articles"
    assert not folder.exists() or not list(folder.glob("*.md"))


@pytest.mark.parametrize("title", ["<img src=x onerror=alert(1)> Adam", "Adam\x1b[2J"])
def test_titles_check_would_refuse_are_refused_before_writing(project, taxonomy, title):
    with pytest.raises(NewArticleError, match="--title: 'title'"):
        create_article(project / "docs", taxonomy, title, ["optimizers"], TODAY)


def test_file_names_are_unique_across_sub_folders(project, taxonomy):
    write_article(project, "optimizers/adam.md", "---\ntitle: Adam\ntags: [优化器]\n---\n\n正文\n")
    path = create_article(project / "docs", taxonomy, "Adam", ["optimizers"], TODAY)
    assert path.name == "adam-2.md"
