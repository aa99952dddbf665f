"""Front-matter rules: the allow-list, value types, plain text, the ``generated`` flag."""

from __future__ import annotations

import pytest

from ingest.site.rules.front_matter import ALLOWED_KEYS, article_problems, page_front_matter_problems
from tests.site.rules.pages import source_page


def problems_of(front_matter: str, owned: bool = False, relative: str = "articles/a.md") -> list[str]:
    page = source_page(f"---\n{front_matter}---\n\n正文\n", relative, owned)
    problems = page_front_matter_problems(page, None) + (article_problems(page, None) if page.is_article else [])
    return [str(problem) for problem in problems]


def test_a_plain_article_passes():
    assert problems_of("title: 标题\ntags: [x]\ndate: 2026-01-02\nhide: [toc]\n") == []


@pytest.mark.parametrize("key", ["template", "location", "redirect", "extra", "status", "icon"])
def test_keys_outside_the_allow_list_are_refused_by_name(key):
    [problem] = problems_of(f"title: 标题\ntags: [x]\n{key}: anything\n")
    assert problem.startswith(f"docs/articles/a.md:4: '{key}' is not an allowed front-matter key (allowed: title, ")
    assert all(allowed in problem for allowed in ALLOWED_KEYS)


def test_the_allow_list_applies_to_every_page_not_only_articles():
    [problem] = problems_of("template: redirect.html\n", relative="index.md")
    assert "'template' is not an allowed front-matter key" in problem


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "[<b>x</b>]", "'title' must be plain text, not list"),
        ("title", "{a: b}", "'title' must be plain text, not dict"),
        ("description", "[a]", "'description' must be plain text, not list"),
        ("author", "{name: x}", "'author' must be plain text, not dict"),
        ("title", "'<img src=x onerror=alert(1)>'", "'title' is plain text and is shown escaped: remove the HTML"),
        ("description", "'a <!-- b'", "remove the HTML '<!--'"),
        ("author", '"x\\u2028y"', "'author' holds the control character"),
        ("category", '"a\\x1bc"', "'category' holds the control character '\\x1b'"),
    ],
)
def test_plain_text_fields(field, value, expected):
    extra = "" if field == "title" else "title: 标题\n"
    problems = problems_of(f"{extra}tags: [x]\n{field}: {value}\n")
    assert any(expected in problem for problem in problems), problems


def test_a_generated_article_may_carry_a_scraped_title_with_markup():
    """The ingest's own file: its title comes from an excerpt and is shown escaped; the sources are its own."""
    front_matter = "title: <script>x</script> 激活函数\ntags: [x]\nsources: [feeds/a.txt:3]\ngenerated: true\n"
    assert problems_of(front_matter, owned=True) == []
    assert any("shown escaped" in problem for problem in problems_of(front_matter.replace("generated: true\n", "")))


def test_less_than_in_prose_is_not_html():
    assert problems_of("title: 当 a < b 且 b > c\ntags: [x]\n") == []


def test_sources_items_are_plain_text_each_named_by_line():
    problems = problems_of("title: 标题\ntags: [x]\nsources:\n  - ok.txt:1\n  - '`<img src=x onerror=y>`:2'\n")
    assert problems == [
        "docs/articles/a.md:6: 'sources' is plain text and is shown escaped: remove the HTML '<img src=x onerror=y>'"
    ]


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ("hide: navigation\n", "'hide' must be a list of"),
        ("hide: [sidebar]\n", "'hide' must be a list of"),
        ("truncated: yes please\n", "'truncated' must be true or false"),
        ("date: someday\n", "'date' must be a date written YYYY-MM-DD"),
        ("id: [a]\n", "'id' must be a short text"),
        ("sources: feeds/a.txt:1\n", "'sources' must be a list"),
        ("search: true\n", "'search' takes"),
        ("search:\n  exclude: 'no'\n", "'search' takes"),
        ("search:\n  boost: 1e9\n", "'search' takes"),
        ("search:\n  template: x\n", "'search' takes"),
    ],
)
def test_value_types(front_matter, expected):
    """Each bad value names its key."""
    problems = problems_of("title: 标题\ntags: [x]\n" + front_matter)
    assert any(expected in problem for problem in problems), problems


def test_generated_flag_on_a_file_the_ingest_did_not_write():
    [problem] = problems_of("title: 标题\ntags: [x]\nsources: [a.txt:1]\ngenerated: true\n")
    assert problem.startswith("docs/articles/a.md:5: the ingest did not write this file as it is now")
    assert "python -m ingest takeover a" in problem


@pytest.mark.parametrize("setting", ["search:\n  exclude: true\n", "search:\n  boost: 0.2\n"])
def test_materials_search_switches_are_allowed(setting):
    assert problems_of("title: 标题\ntags: [x]\n" + setting) == []
