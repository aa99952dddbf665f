"""Topic descriptions: Markdown with math, and no way to write HTML or a script link."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ingest.site.description import ALLOWED_ELEMENTS, render_description


def rendered(text: str):
    html, refused = render_description(text)
    return BeautifulSoup(html, "html.parser"), refused


def test_emphasis_code_math_and_http_links_render():
    soup, refused = rendered("权重 $w_t$ 与 **强调**、`code` 和 [论文](https://arxiv.org/abs/1)。\n\n$$\nx^2\n$$")
    assert refused == []
    assert soup.find("strong").text == "强调" and soup.find("code").text == "code"
    assert soup.find("a")["href"] == "https://arxiv.org/abs/1"
    assert [node.text for node in soup.select(".arithmatex")] == ["\\(w_t\\)", "\\[\nx^2\n\\]"]


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<div onclick="alert(1)" markdown="1">*x*</div>',
        "<!-- --><svg onload=alert(1)>",
        "&lt;script&gt;",
    ],
)
def test_raw_html_is_text(hostile):
    soup, _ = rendered(f"前文 {hostile} 后文")
    assert all(tag.name in ALLOWED_ELEMENTS for tag in soup.find_all(True))
    assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    assert soup.find("script") is None and soup.find("img") is None


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "../topics/rnn.md", "data:text/html,x"]
)
def test_other_links_keep_their_text_and_are_reported(target):
    soup, refused = rendered(f"见 [这里]({target})。")
    assert soup.find("a") is None and "这里" in soup.text
    assert refused and target.split("(")[0] in refused[0]


def test_tex_that_closes_the_math_and_opens_html_stays_inside_the_formula():
    soup, _ = rendered("$$\n</div><script>alert(1)</script>\n$$")
    assert soup.find("script") is None
    assert "</div><script>" in soup.select_one("div.arithmatex").text


def test_no_blank_line_can_end_the_raw_block_early():
    html, _ = render_description("一段。\n\n\n另一段。\n\n- 列表\n")
    assert "\n\n" not in html
