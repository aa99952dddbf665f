"""Body warnings: a level-1 heading that replaces the title, raw HTML that runs."""

from __future__ import annotations

import pytest

from ingest.site.rules.body import is_script_url, raw_html_warnings, title_heading_warnings
from tests.site.rules.pages import source_page

HEAD = "---\ntitle: 标题\ntags: [x]\n---\n\n"  # the body starts on line 6


def heading_lines(body: str, relative: str = "articles/a.md") -> list[int]:
    return [problem.line for problem in title_heading_warnings(source_page(HEAD + body, relative))]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("# 另一个标题\n", [6]),
        ("前言\n\n#\n", [8]),
        ("前言\n\n另一个标题\n=====\n", [8]),
        ('<h1 class="x">标题</h1>\n', [6]),
        ("## 小节\n\n### 更小\n", []),
        ("```\n# 代码里的注释\n```\n", []),
        ("#不是标题\n", []),
        ("正文 `# 代码` 里\n", []),
    ],
)
def test_h1_in_the_body(body, lines):
    assert heading_lines(body) == lines


def test_h1_on_other_pages_is_their_title():
    assert heading_lines("# 首页\n", relative="index.md") == []


def test_the_warning_names_the_title_it_replaces():
    [problem] = title_heading_warnings(source_page(HEAD + "# 别的\n"))
    assert "replaces the title '标题'" in problem.reason and "'##'" in problem.reason


def html_warnings(body: str) -> list[tuple[int, str]]:
    return [
        (problem.line, problem.reason.split(" runs ")[0]) for problem in raw_html_warnings(source_page(HEAD + body))
    ]


def test_script_elements_event_attributes_and_script_urls_are_named():
    body = (
        "<script>x()</script>\n"
        '<img\n  src="a.png" onerror="x()">\n'
        '<a href=" jav&#x61;script:x()">a</a>\n'
        "[点](javascript:x()) 与 [好](https://example.org)\n"
        "<SCRIPT src=x></SCRIPT>\n"
    )
    assert html_warnings(body) == [
        (6, "a <script> element"),
        (11, "a <script> element"),
        (8, "the event attribute 'onerror='"),
        (9, "a script URL in 'href='"),
        (10, "the link target 'javascript:x()'"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "on=1 is prose, not an attribute; so is onerror=x outside a tag\n",
        "```html\n<script>shown as code</script>\n```\n",
        "`<img onerror=x>` in a code span\n",
        '<a href="https://example.org/javascript:x">fine</a>\n',
        "&lt;script&gt; escaped, as generated articles are\n",
    ],
)
def test_no_warning_for_what_does_not_run(body):
    assert html_warnings(body) == []


@pytest.mark.parametrize("url", ["javascript:x", " JavaScript:x", "java\tscript:x", "&#106;avascript:x", "vbscript:x"])
def test_script_urls_however_spelled(url):
    assert is_script_url(url)
