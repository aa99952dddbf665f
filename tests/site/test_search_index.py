"""What a built page gives the search index: its readable text, title, topic names and tags."""

from __future__ import annotations

from ingest.site.search_index import article_text, is_excluded, plain_title, search_boost, search_record
from ingest.site.search_terms import topic_keywords
from tests.site.search_fixtures import OPTIMIZERS

KATEX_Q = (
    '<span class="arithmatex"><span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>Q</mi>'
    '</mrow><annotation encoding="application/x-tex">\\mathbf{Q}</annotation></semantics></math></span>'
    '<span class="katex-html" aria-hidden="true"><span class="katex-base"><span class="katex-strut"></span>'
    '<span class="mord mathbf">Q</span>\u200b</span></span></span></span>'
)


def page(body: str) -> str:
    """A Material page around ``body``, with the parts around the article that are not indexed."""
    return (
        "<html><body><header>站点标题 搜索</header><nav>导航 链接</nav>"
        f'<div class="md-content"><article class="md-content__inner md-typeset">{body}</article></div>'
        "<footer>页脚</footer></body></html>"
    )


def test_only_the_article_is_read_and_its_title_heading_is_left_to_the_title():
    text = article_text(page('<h1 id="t">标题<a class="headerlink" href="#t">¶</a></h1><p>正文第一段</p>'))
    assert text == "正文第一段"


def test_formulas_are_read_as_rendered_never_as_tex_or_mathml():
    text = article_text(page(f"<p>查询 {KATEX_Q} 与键</p>"))
    assert text == "查询 Q 与键"
    assert "\\" not in text and "mathbf" not in text and "\u200b" not in text


def test_excluded_blocks_scripts_and_drawings_are_skipped_with_everything_inside():
    body = (
        "<p>保留一</p>"
        '<div class="admonition" data-kb-search-exclude><p>来源</p><div><p>嵌套</p></div><p>仍在排除块内</p></div>'
        "<p>保留二</p><h2 data-search-exclude>相关文章</h2>"
        "<script>var x = '<p>脚本</p>';</script><svg><text>地图上的主题</text></svg>"
        '<div class="md-source-file">最后更新</div><p>保留三</p><div data-pagefind-ignore="all"><p>跳转</p></div>'
    )
    assert article_text(page(body)).split("\n") == ["保留一", "保留二", "保留三"]


def test_blocks_are_separate_words_and_inline_elements_are_not():
    text = article_text(
        page("<p>用<code>expand_as</code>时</p><ul><li>甲</li><li>乙<br>丙</li></ul><pre><code>x = 1\ny</code></pre>")
    )
    assert text.split("\n") == ["用expand_as时", "甲", "乙", "丙", "x = 1", "y"]


def test_a_page_without_material_article_is_read_whole():
    assert article_text("<p>只有正文</p><p>第二段</p>") == "只有正文\n第二段"


def test_a_record_holds_the_text_title_topic_names_and_tags():
    html = page("<p>把权重衰减从梯度中解耦：torch.optim.AdamW</p>")
    record = search_record(
        "articles/adamw/", "Adam 与 AdamW", html, keywords=topic_keywords([OPTIMIZERS]), tags=["优化器"], weight=0.5
    )
    assert record.url == "articles/adamw/"
    assert record.text == "把权重衰减从梯度中解耦：torch.optim.AdamW"
    assert record.title == "Adam 与 AdamW"
    assert "优化器" in record.keywords and "weight decay" in record.keywords
    assert "optim.AdamW" in record.keywords and "AdamW" in record.keywords  # the identifier's trailing parts
    assert record.tags == ("优化器",)
    assert record.weight == 0.5


def test_a_record_without_topics_or_tags_has_only_a_title_and_text():
    record = search_record("", "首页", page("<p>欢迎</p>"), tags=["", " "])
    assert (record.title, record.text, record.keywords, record.tags) == ("首页", "欢迎", (), ())


def test_material_front_matter_switch_excludes_a_page():
    assert is_excluded({"search": {"exclude": True}})
    assert not is_excluded({"search": {"boost": 2}})
    assert not is_excluded({"search": "exclude"})
    assert not is_excluded({})


def test_material_front_matter_boost_is_the_text_weight():
    assert search_boost({"search": {"boost": 0.2}}) == 0.2 and search_boost({"search": {"boost": 3}}) == 3.0
    for meta in ({}, {"search": {"exclude": True}}, {"search": {"boost": 0}}, {"search": {"boost": "2"}}):
        assert search_boost(meta) is None
    assert search_boost({"search": {"boost": True}}) is None


def test_titles_come_back_as_plain_text():
    assert plain_title("&lt;script&gt; &amp; AdamW") == "<script> & AdamW"
    assert plain_title(None) == "" and plain_title(2024) == "2024"
