import frontmatter
import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.pipeline.render import (
    FastFrontMatterDumper,
    FrontMatterDumper,
    dump_front_matter,
    front_matter,
    render_article,
    render_body,
    template_front_matter,
)
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


# Strings a YAML writer can get wrong: indicators, comment and mapping syntax, quotes, YAML 1.1
# booleans and null, things that read as numbers or dates, line breaks YAML knows and Python
# does not treat alike (NEL, LS, PS), characters beyond the BMP, control characters, empty.
HOSTILE_STRINGS = [
    "",
    " ",
    "a: b",
    "a:b",
    "ends with colon:",
    "a #b",
    "a#b",
    "#comment",
    "- item",
    "-item",
    "? key",
    "?key",
    "* alias",
    "*alias",
    "&anchor",
    "!tag",
    "!!str x",
    "|",
    ">",
    "%YAML",
    "@at",
    "`tick`",
    "'single'",
    '"double"',
    "it's",
    'say "hi"',
    "[flow]",
    "{flow: map}",
    "a, b",
    "---",
    "...",
    "... more",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "true",
    "null",
    "~",
    "NULL",
    "<<",
    "=",
    "123",
    "0123",
    "0x1F",
    "1e3",
    "1_000",
    "1:20",
    "-.5",
    ".inf",
    ".NaN",
    "+1",
    "2026-01-11",
    "2026-01-11 10:00:00",
    "trailing space ",
    " leading space",
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "nel\x85here",
    "ls\u2028here",
    "ps\u2029here",
    "bom\ufeffinside",
    "nbsp\xa0and\u3000ideographic space",
    "emoji 😀 and 𝔸",
    "\x00nul",
    "\x7fdel\x9fc1",
    "back\\slash",
    "标题：带冒号",
    "注意力机制: attention",
    "x" * 400,
]


@pytest.mark.parametrize("value", HOSTILE_STRINGS, ids=range(len(HOSTILE_STRINGS)))
def test_front_matter_with_hostile_strings_reads_back_exactly(value):
    entries = [Entry(f"feeds/{value}.txt", 4, "正文", value or None, value or None)]
    article = make_article("正文", title=value, entries=entries)
    text = render_article(article, [value, "优化器"])
    expected = front_matter(article, [value, "优化器"])
    header = text.split("---\n")[1]
    assert yaml.safe_load(header) == expected
    post = frontmatter.loads(text)
    assert post.metadata == expected and post.content == "正文"


def emitter_output(data: dict, dumper) -> str:
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


PIECES = st.sampled_from(HOSTILE_STRINGS[:60] + [" ", ":", "#", "'", "-", "?", "注意", "ab", "1", "e", ".", "\t"])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=4).map("".join))
def test_the_template_writes_what_the_yaml_emitters_write(value):
    data = {"title": value, "tags": [value, "x"], "sources": ["feeds/a.txt:4"], "truncated": False, "generated": True}
    templated = template_front_matter(data)
    if templated is not None:
        assert templated == emitter_output(data, FrontMatterDumper)
        assert templated == emitter_output(data, FastFrontMatterDumper)
    assert yaml.safe_load(dump_front_matter(data)) == data


def test_the_template_covers_ordinary_front_matter():
    article = make_article(
        "正文", title="Adam 与 AdamW 的区别", entries=[Entry("feeds/a.txt", 4, "正文", "Python", "2026-01-11")]
    )
    data = front_matter(article, ["优化器"])
    assert template_front_matter(data) == emitter_output(data, FrontMatterDumper)
    assert "date: '2026-01-11'" in template_front_matter(data)  # a date-looking string is quoted, as the emitter does
