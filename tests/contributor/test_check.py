"""``python -m ingest check``: each mistake is one ``FILE:LINE: message`` and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.cli import main
from ingest.contributor.check import check_project
from ingest.shared.frontmatter_io import split_front_matter
from ingest.shared.tags import canonical_tags, page_tag_problems
from ingest.shared.taxonomy import load_taxonomy
from ingest.site.rules.math_delimiters import math_delimiter_problems
from tests.contrib_fixtures import ingest, write_article, write_project

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
---
title: Adam 的偏差修正
id: hw-0001
tags:
  - 优化器
date: 2026-02-01
---

一阶矩估计 $m_t$ 在开始时偏向零，所以要除以 $1 - \\beta_1^t$。

$$
\\hat m_t = \\frac{m_t}{1 - \\beta_1^t}
$$

参见 [注意力](../topics/attention.md) 与 [全部文章](../all-articles.md)。
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A tiny project as the working directory, so problems name files as ``docs/articles/...``."""
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*paths: str) -> list[str]:
    return [
        str(problem)
        for problem in check_project([Path(p) for p in paths], Path("docs"), Path("taxonomy.yml"), Path("titles.yml"))
    ]


def test_a_correct_article_passes(project):
    write_article(project, "adam.md", GOOD)
    assert check() == []


def test_unknown_tag_names_file_line_and_suggestion(project):
    write_article(project, "adam.md", GOOD.replace("  - 优化器", "  - 优化器\n  - Optimzers"))
    problems = check()
    assert len(problems) == 1
    assert problems[0].startswith("docs/articles/adam.md:6: unknown tag 'Optimzers'")
    assert "'优化器'" in problems[0]


def test_tags_may_be_topic_id_chinese_or_english_name(project):
    write_article(project, "adam.md", GOOD.replace("  - 优化器", "  - optimizers\n  - Attention\n  - 注意力机制"))
    assert check() == []


def test_broken_yaml_names_the_line(project):
    write_article(project, "adam.md", GOOD.replace("title: Adam 的偏差修正", 'title: "Adam 的偏差修正'))
    problems = check()
    assert len(problems) == 1
    assert problems[0].startswith("docs/articles/adam.md:")
    assert "not valid YAML" in problems[0]
    line = int(problems[0].split(":")[1])
    assert 2 <= line <= 7  # inside the front matter block, where the unterminated quote runs


def test_broken_yaml_in_a_list_points_at_the_list(project):
    write_article(project, "adam.md", GOOD.replace("tags:\n  - 优化器", "tags: [优化器"))
    [problem] = check()
    assert problem.startswith("docs/articles/adam.md:5: front matter is not valid YAML")
    assert "at line 4" in problem  # the '[' that was never closed


def test_impossible_value_is_a_problem_not_a_crash(project):
    write_article(project, "adam.md", GOOD.replace("date: 2026-02-01", "date: 2026-13-01"))
    assert check() == ["docs/articles/adam.md:6: front matter has an invalid value: month must be in 1..12"]


def test_unbalanced_dollar_names_the_line(project):
    write_article(project, "adam.md", GOOD + "\n价格是 $5，很便宜。\n")
    [problem] = check()
    assert problem.startswith("docs/articles/adam.md:17: unbalanced '$'")


@pytest.mark.parametrize(
    "body",
    [
        "价格是 \\$5，很便宜。",  # escaped
        "价格是 &#36;5，很便宜。",  # an HTML entity
        "命令 `echo $HOME` 打印主目录。",  # a code span
        "```bash\necho $HOME\n```",  # a fenced code block
        "$a$ 和 $b$ 在同一段，\n$c$ 换行后仍在同一段。",
    ],
)
def test_dollars_that_are_not_math_or_are_balanced_pass(body):
    assert math_delimiter_problems("a.md", body, 1) == []


def test_unclosed_display_math_names_its_opening_line():
    problems = math_delimiter_problems("a.md", "开头\n\n$$\nx^2\n", 10)
    assert [problem.line for problem in problems] == [12]
    assert "'$$'" in problems[0].reason


def test_inline_math_may_not_span_paragraphs():
    problems = math_delimiter_problems("a.md", "第一段 $x\n\n第二段 y$", 1)
    assert [problem.line for problem in problems] == [1, 3]


def test_missing_fields(project):
    write_article(project, "no-tags.md", "---\ntitle: 无标签\n---\n\n正文\n")
    write_article(project, "empty-tags.md", "---\ntitle: 空标签\ntags: []\n---\n\n正文\n")
    write_article(project, "string-tags.md", "---\ntitle: 字符串\ntags: 优化器\n---\n\n正文\n")
    write_article(project, "no-title.md", "---\ntags: [优化器]\n---\n\n正文\n")
    write_article(project, "no-front-matter.md", "只有正文\n")
    write_article(project, "unclosed.md", "---\ntitle: 没有结束\ntags: [优化器]\n\n正文\n")
    problems = check()
    assert problems == [
        "docs/articles/empty-tags.md:3: 'tags' is empty: give at least one topic",
        "docs/articles/no-front-matter.md:1: no front matter: an article starts with a '---' block giving its "
        "title and tags",
        "docs/articles/no-tags.md:1: 'tags' is missing: give at least one topic from the taxonomy",
        "docs/articles/no-title.md:1: 'title' is missing or empty",
        "docs/articles/string-tags.md:3: 'tags' must be a list of topics, one '- tag' line each",
        "docs/articles/unclosed.md:1: front matter opened with '---' is never closed by a '---' line",
    ]


def test_key_given_twice(project):
    write_article(project, "adam.md", GOOD.replace("date: 2026-02-01", "date: 2026-02-01\ntitle: 又一个标题"))
    assert check() == ["docs/articles/adam.md:7: 'title' is given twice (first at line 2)"]


def test_generated_articles_pass_until_edited_by_hand(project):
    ingest(project)
    assert check() == []
    [path] = [path for path in (project / "docs" / "articles").iterdir() if path.name.startswith("optimizers-")]
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    [problem] = check()
    generated_line = path.read_text(encoding="utf-8").splitlines().index("generated: true") + 1
    assert problem.startswith(
        f"docs/articles/{path.name}:{generated_line}: the ingest did not write this file as it is now"
    )
    assert f"python -m ingest takeover {path.stem}" in problem


def test_generated_article_needs_sources(project):
    write_article(project, "gen.md", "---\ntitle: 生成的\ntags: [优化器]\ngenerated: true\n---\n\n正文\n")
    problems = check()
    assert "docs/articles/gen.md:4: a generated article needs 'sources' (FILE:LINE of the feed entries)" in problems


def test_relative_links(project):
    write_article(project, "other.md", GOOD.replace("hw-0001", "hw-0002"))
    body = (
        "[好](other.md) [好](other.md#anchor) [主题](../topics/optimizers.md) [外部](https://example.org/x.md)\n"
        "[坏](missing.md)\n"
        "[外面](../../README.md)\n"
        "`[代码里](nowhere.md)`\n"
        "[ref]: gone.md\n"
    )
    write_article(project, "links.md", f"---\ntitle: 链接\ntags: [优化器]\n---\n\n{body}")
    assert check("docs/articles/links.md") == [
        "docs/articles/links.md:6: link to 'other.md#anchor': articles/other.md has no anchor '#anchor'",
        "docs/articles/links.md:7: link to 'missing.md': no such page",
        "docs/articles/links.md:8: link to '../../README.md': it leaves the docs folder, so it is broken on the site",
        "docs/articles/links.md:10: link to 'gone.md': no such page",
    ]


def test_duplicate_ids_and_slugs_across_folders(project):
    write_article(project, "adam.md", GOOD)
    write_article(project, "more/Adam.md", "---\ntitle: 另一篇\nid: hw-0001\ntags: [优化器]\n---\n\n正文\n")
    problems = check()
    assert "docs/articles/adam.md:3: duplicate id 'hw-0001': also used by docs/articles/more/Adam.md" in problems
    assert "docs/articles/more/Adam.md:1: duplicate slug 'adam': also used by docs/articles/adam.md" in problems
    # Checking one changed file still compares it with every other article.
    assert check("docs/articles/more/Adam.md") == [
        "docs/articles/more/Adam.md:1: duplicate slug 'adam': also used by docs/articles/adam.md",
        "docs/articles/more/Adam.md:3: duplicate id 'hw-0001': also used by docs/articles/adam.md",
    ]


def test_only_the_given_paths_are_reported(project):
    write_article(project, "adam.md", GOOD)
    write_article(project, "bad.md", "---\ntitle: 坏\ntags: [不存在]\n---\n")
    assert check("docs/articles/adam.md") == []
    assert len(check("docs/articles/bad.md")) == 1
    assert check("docs/articles/nope.md") == ["docs/articles/nope.md:0: no such file or folder"]


def test_naming_the_taxonomy_checks_every_article(project):
    write_article(project, "adam.md", GOOD)
    taxonomy = (project / "taxonomy.yml").read_text(encoding="utf-8")
    (project / "taxonomy.yml").write_text(taxonomy.replace("zh: 优化器", "zh: 优化算法"), encoding="utf-8")
    [problem] = check("taxonomy.yml")
    assert problem.startswith("docs/articles/adam.md:5: unknown tag '优化器'; did you mean '优化算法'?")


def test_other_pages_are_checked_when_they_declare_tags(project):
    (project / "docs" / "index.md").write_text(
        "---\nhide: [navigation]\ntags: [Optimizer]\n---\n\n# 首页\n", encoding="utf-8"
    )
    [problem] = check()
    assert problem.startswith("docs/index.md:3: unknown tag 'Optimizer'; did you mean '优化器'?")


def test_pages_outside_articles_and_the_navigation_are_refused(project):
    (project / "docs" / "notes").mkdir()
    (project / "docs" / "notes" / "guide.md").write_text("---\ntitle: 指南\n---\n\n正文\n", encoding="utf-8")
    [problem] = check()
    assert problem.startswith("docs/notes/guide.md:1: pages outside docs/articles/ are not published")
    assert "move it into docs/articles/ (sub-folders are fine)" in problem


def test_taxonomy_and_titles_are_checked(project):
    taxonomy = (project / "taxonomy.yml").read_text(encoding="utf-8")
    (project / "taxonomy.yml").write_text(taxonomy.replace("section: training\n", "section: trainig\n", 1))
    (project / "titles.yml").write_text("abc: [not, a, title]\n", encoding="utf-8")
    problems = check()
    assert any(
        problem.startswith("taxonomy.yml:9: topic 'optimizers': unknown section 'trainig'") for problem in problems
    )
    assert any(problem.startswith("titles.yml:1: title for 'abc'") for problem in problems)


def test_taxonomy_description_math_is_checked(project):
    taxonomy = (project / "taxonomy.yml").read_text(encoding="utf-8")
    (project / "taxonomy.yml").write_text(taxonomy.replace("按相关程度加权求和。", "权重 $w 之和。"), encoding="utf-8")
    [problem] = check()
    assert problem.startswith("taxonomy.yml:15: topic 'attention' description: unbalanced '$'")


def test_cli_exit_status_and_output(project, capsys):
    write_article(project, "adam.md", GOOD)
    assert main(["check"]) == 0
    assert capsys.readouterr().err.splitlines() == ["1 article, 0 problems"]
    write_article(project, "bad.md", "---\ntitle: 坏\ntags:\n  - 优化器\n  - Atention\n---\n\n价格 $5\n")
    assert main(["check"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("docs/articles/bad.md:5: unknown tag 'Atention'; did you mean '注意力机制'")
    assert lines[1].startswith("docs/articles/bad.md:8: unbalanced '$'")
    assert lines[2] == "2 articles, 2 problems; see CONTRIBUTING.md"


def test_split_front_matter_records_lines():
    front_matter, problems = split_front_matter("a.md", "---\ntitle: T\ntags:\n  - a\n  - b\n---\n\nbody\n")
    assert problems == []
    assert front_matter.key_lines == {"title": 2, "tags": 3}
    assert front_matter.item_lines["tags"] == [4, 5]
    assert front_matter.body_line == 7


def test_site_build_helpers_canonicalise_and_report(project):
    taxonomy = load_taxonomy(Path("taxonomy.yml"))
    assert canonical_tags(["optimizers", "Optimizers", "注意力机制", "新主题"], taxonomy) == [
        "优化器",
        "注意力机制",
        "新主题",
    ]
    problems = page_tag_problems("docs/x.md", "---\ntags:\n  - 优化器\n  - 新主题\n---\n", taxonomy)
    assert [problem.line for problem in problems] == [4]
    assert problems[0].reason.startswith("unknown tag '新主题' (tags are topics in taxonomy.yml; to add a new topic")
    assert "CONTRIBUTING.md#add-a-topic" in problems[0].reason


def test_the_bundled_knowledge_base_passes(monkeypatch):
    monkeypatch.chdir(ROOT)
    problems = check_project([], Path("docs"), Path("taxonomy.yml"), Path("titles.yml"))
    assert [str(problem) for problem in problems] == []


FRAGMENTS = st.sampled_from(
    [
        "---\n",
        "title: T\n",
        "tags: [",
        "]\n",
        "- 优化器\n",
        "$",
        "$$",
        "\\$",
        "`",
        "```\n",
        "\n\n",
        "[a](",
        ")",
        ": ",
        "&#36;",
    ]
    + ["date: 2026-13-01\n", "? [a]\n", "*x\n", "&x [1]\n", "\ufeff", "\r\n", "!!python/object:os.system\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), max_size=25).map("".join))
def test_any_text_gives_problems_never_an_exception(text):
    front_matter, problems = split_front_matter("a.md", text)
    body = front_matter.body if front_matter else text
    problems += math_delimiter_problems("a.md", body, 1)
    assert all(problem.file == "a.md" and problem.line >= 0 for problem in problems)
