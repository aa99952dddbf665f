"""Hostile excerpts through ``render_body`` and the site's own Markdown configuration.

``tests/test_render.py`` covers the basic cases; here every Markdown extension the site
enables (read from mkdocs.yml) gets a go, and Hypothesis looks for any mix of syntax
characters that would stop an excerpt showing exactly as written.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.yaml import yaml_load

from ingest.pipeline.render import render_body

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![图](javascript:alert(1))",
    "{{ config.site_name }} 与 {% include 'x.html' %}",
    "价格从 $5 到 $10 不等",
    "$$x$$ 与 \\(y\\) 与 \\[z\\]",
    "[1] 两端都是方括号的摘录 [2]",
    "a*b*c 与 x_1w_1 + x_2w_2",
    '段落 {: onclick="alert(1)" }',
    '<div markdown="1">*强调*</div>',
    "&lt;已转义&gt; &amp; &#36;",
    "\"引号\" '单引号' `反引号`",
    '!!! warning "不是提示框"',
    '??? note "不是折叠块"',
    "| 表 | 格 |",
    "~~删除~~ ^^插入^^ ==标记== ++ctrl++",
    "1) 不是列表",
    "    四个空格开头",
]
# Characters with a meaning somewhere in Markdown, HTML, Jinja or TeX, plus ordinary text.
SYNTAX = "<>&\"'`*_[]()!?{}%$\\#+-=|~^:;./@ \tab中文"


def site_markdown() -> markdown.Markdown:
    """A Markdown converter with exactly the extensions mkdocs.yml enables."""
    # MkDocs' own loader: mkdocs.yml uses its !ENV tag.
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, settings_), *_ = item.items()
            names.append(name)
            options[name] = settings_ or {}
        else:
            names.append(item)
    return markdown.Markdown(extensions=names, extension_configs=options)


CONVERTER = site_markdown()


def rendered(text: str) -> BeautifulSoup:
    CONVERTER.reset()
    return BeautifulSoup(CONVERTER.convert(render_body(text)), "html.parser")


def assert_inert(soup: BeautifulSoup) -> None:
    """Only the paragraph itself: no element, attribute or link that the excerpt asked for."""
    assert [tag.name for tag in soup.find_all(True)] == ["p"], soup
    assert soup.p.attrs == {}, soup
    assert not soup.select(".arithmatex"), soup


def test_each_hostile_excerpt_shows_exactly_as_written():
    for text in HOSTILE:
        soup = rendered(text)
        assert soup.get_text() == text.strip(), (text, str(soup))
        assert_inert(soup)


def test_dollar_amounts_are_not_math():
    soup = rendered("从 $5 到 $10，或 $x$ 与 $$y$$")
    assert not soup.select(".arithmatex")
    assert soup.get_text() == "从 $5 到 $10，或 $x$ 与 $$y$$"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SYNTAX, min_size=1, max_size=40))
def test_any_mix_of_syntax_characters_stays_literal(text):
    folded = re.sub(r"\s+", " ", text).strip()
    soup = rendered(text)
    if not folded:
        return
    assert soup.get_text() == folded
    assert_inert(soup)
