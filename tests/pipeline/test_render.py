import frontmatter
import markdown
from bs4 import BeautifulSoup

from ingest.pipeline.render import render_article, render_body
from ingest.shared.model import Article, Entry

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "pymdownx.arithmatex", "pymdownx.superfences"]


def html_of(text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(render_body(text), extensions=EXTENSIONS), "html.parser")


def make_article(text: str, **changes) -> Article:
    entries = [Entry("feeds/a.txt", 4, text, "Python", "2026-01-11")]
    fields = dict(id="abc1234567", text=text, skeleton="x", truncated=True, entries=entries, title="标题: 带冒号")
    fields.update(changes)
    return Article(**fields)


def test_markdown_and_html_syntax_display_literally():
    text = "# 不是标题 <b>粗</b> *星* _下划线_ [x](javascript:alert(1)) `code` $5 到 $10 {{ x }} a*b*c x_1w_1 \\(y\\)"
    soup = html_of(text)
    assert soup.get_text() == text
    assert not soup.find(["b", "em", "strong", "a", "code", "h1"])


def test_list_and_quote_markers_at_line_start_stay_text():
    for text in ("1. 第一", "- 列表", "> 引用", "+ 加号", "--- 横线", "=== 等号"):
        soup = html_of(text)
        assert soup.get_text() == text
        assert not soup.find(["ol", "ul", "blockquote", "hr", "h1", "h2"])


def test_placeholders_become_visible_markers():
    soup = html_of("公式如下: [公式] 代码: [代码] 还有 [Math]")
    markers = soup.select("span.kb-dropped")
    assert [marker.get_text() for marker in markers] == ["公式缺失", "代码缺失", "公式缺失"]


def test_front_matter_round_trips():
    post = frontmatter.loads(render_article(make_article("正文..."), ["优化器"]))
    assert post["title"] == "标题: 带冒号"
    assert post["tags"] == ["优化器"]
    assert post["sources"] == ["feeds/a.txt:4"]
    assert post["date"] == "2026-01-11" and post["category"] == "Python"
    assert post["truncated"] is True and post["generated"] is True
    assert post.content == "正文..."
