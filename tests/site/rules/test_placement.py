"""Where pages may live, names Windows can check out, MultiMarkdown-style metadata."""

from __future__ import annotations

import pytest

from ingest.site.rules.placement import (
    file_name_problems,
    multimarkdown_meta_problems,
    placement_problems,
    windows_name_problem,
)
from ingest.site.source_pages import EMPTY_FRONT_MATTER, source_for_mkdocs
from tests.site.rules.pages import source_page

SITE_PAGES = {"index.md", "tags.md", "all-articles.md", "topics/optimizers.md"}
ARTICLE = "---\ntitle: T\ntags: [x]\n---\n\n正文\n"


@pytest.mark.parametrize("relative", ["articles/a.md", "articles/topic/sub/a.md", "index.md", "tags.md"])
def test_articles_anywhere_under_articles_and_the_site_pages_are_fine(relative):
    assert placement_problems(source_page(ARTICLE, relative), SITE_PAGES) == []


@pytest.mark.parametrize("relative", ["notes/x.md", "guide.md", "topics/mine.md"])
def test_other_pages_are_refused_with_where_to_put_them(relative):
    [problem] = placement_problems(source_page(ARTICLE, relative), SITE_PAGES)
    assert problem.line == 1 and "move it into docs/articles/ (sub-folders are fine)" in problem.reason


def test_nothing_is_judged_when_the_navigation_is_unknown():
    assert placement_problems(source_page(ARTICLE, "notes/x.md"), None) == []


@pytest.mark.parametrize(
    "name", ["con.md", "CON", "Aux.txt", "nul.tar.gz", "com1.md", "lpt9", "a.", "a ", "a<b>.md", 'q"x.md', "a|b", "a?"]
)
def test_names_windows_cannot_check_out(name):
    assert windows_name_problem(name)


@pytest.mark.parametrize("name", ["console.md", "com10.md", "auxiliary.md", "a.md", "注意力.md", "a b (c).md"])
def test_names_windows_accepts(name):
    assert windows_name_problem(name) is None


def test_every_folder_of_the_path_is_judged():
    [problem] = file_name_problems(source_page(ARTICLE, "articles/prn/a.md"))
    assert "'prn' is a name Windows reserves" in problem.reason


def test_multimarkdown_metadata_is_named_and_made_inert_for_mkdocs():
    text = "template: redirect.html\nlocation: javascript:alert(1)\n\n正文\n"
    page = source_page(text)
    [problem] = multimarkdown_meta_problems(page)
    assert problem.line == 1 and "(template, location)" in problem.reason
    assert source_for_mkdocs(page) == EMPTY_FRONT_MATTER + text


def test_a_page_starting_with_a_blank_line_or_prose_has_no_metadata():
    assert multimarkdown_meta_problems(source_page("\ntemplate: x\n")) == []
    assert multimarkdown_meta_problems(source_page("注意：这不是元数据\n")) == []


def test_refused_front_matter_never_reaches_mkdocs():
    text = "---\ntitle: x\nsources:\n  a: &a [1]\n  b: [*a]\n---\n\n正文\n"
    page = source_page(text)
    assert page.front_matter is None
    assert source_for_mkdocs(page) == EMPTY_FRONT_MATTER + "\n正文\n"
    accepted = source_page(ARTICLE)
    assert source_for_mkdocs(accepted) == ARTICLE
