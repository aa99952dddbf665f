"""An article's footer: provenance, topics and related articles, as escaped HTML with the links ``href`` gives."""

from ingest.site.article_footer import article_footer
from ingest.site.related import Related
from tests.site.test_pages import article, html, tiny_taxonomy


def test_footer_of_a_truncated_generated_article_says_where_it_came_from():
    item = article(
        "a",
        "activation",
        "rnn",
        sources=["feeds/000_x.txt:4", "feeds/002_y.txt:8"],
        date="2026-01-11",
        truncated=True,
        generated=True,
    )
    soup = html(article_footer(item, tiny_taxonomy()))
    warning = soup.select_one("div.admonition.warning")
    assert warning is not None and "截断" in warning.get_text()
    info = soup.select_one("div.admonition.info")
    assert info.select_one(".admonition-title").get_text() == "来源"
    assert [li.get_text() for li in info.find_all("li")] == ["feeds/000_x.txt 第 4 行", "feeds/002_y.txt 第 8 行"]
    assert "2026-01-11" in info.get_text() and "自动生成" in info.get_text()
    topic_links = [(a.get_text(), a["href"]) for a in soup.find("strong", string="所属主题：").parent.find_all("a")]
    assert topic_links == [("激活函数", "../topics/activation.md"), ("循环神经网络", "../topics/rnn.md")]


def test_repeated_footer_blocks_are_kept_out_of_search():
    item = article("a", "rnn", sources=["feeds/f.txt:1"], truncated=True, generated=True)
    related = [Related("articles/b.md", "B", 1.0, ("rnn",), 0.0), Related("articles/c.md", "C", 1.0, ("rnn",), 0.0)]
    soup = html(article_footer(item, tiny_taxonomy(), related))
    excluded = soup.select("[data-search-exclude]")
    assert {tuple(element.get("class", [])) or (element.name,) for element in excluded} == {
        ("admonition", "warning"),
        ("admonition", "info"),
        ("h2",),
        ("kb-related",),
    }
    # Material's search parser stops excluding at a nested </div>: none may sit inside another.
    assert all(element.find("div") is None for element in excluded)
    assert soup.find("strong", string="所属主题：").find_parent(attrs={"data-search-exclude": True}) is None


def test_footer_of_a_complete_article_without_date_has_no_truncation_warning():
    item = article("a", "rnn", sources=["feeds/000_x.txt:4"], generated=True)
    soup = html(article_footer(item, tiny_taxonomy()))
    assert soup.select_one("div.admonition.warning") is None
    assert "日期：订阅源未注明" in soup.select_one("div.admonition.info").get_text()


def test_hand_written_article_has_no_provenance_but_keeps_topics_and_related():
    item = article("mine", "optimizer")
    related = [Related("articles/b.md", "B", 0.0, (), 0.0, True, ("basics",))]
    soup = html(article_footer(item, tiny_taxonomy(), related))
    assert soup.select_one("div.admonition") is None
    assert soup.find("strong", string="所属主题：") is not None
    assert soup.find("h2", string="相关文章") is not None


def test_footer_lists_related_articles_with_their_reason():
    item = article("a", "rnn", generated=True, sources=["feeds/f.txt:1"])
    related = [
        Related("articles/b.md", "同主题 *B*", 1.2, ("rnn",), 0.2),
        Related("articles/deep/c.md", "相似的 C", 0.4, (), 0.4),
        Related("articles/d.md", "D", 0.0, (), 0.0, True, ("models",)),
        Related("articles/e.md", "E", 0.0, (), 0.0, True, ()),
    ]
    soup = html(article_footer(item, tiny_taxonomy(), related))
    items = soup.find("h2", string="相关文章").find_next("ul").find_all("li")
    assert [li.a["href"] for li in items] == ["b.md", "deep/c.md", "d.md", "e.md"]
    assert items[0].a.get_text() == "同主题 *B*"  # titles are escaped, not Markdown
    assert [li.small.get_text() if li.small else "" for li in items] == [
        "同属主题：循环神经网络 · 内容相近",
        "内容相近",
        "同属分区：模型",
        "",
    ]


def test_footer_skips_topics_missing_from_the_taxonomy():
    soup = html(article_footer(article("a", "gone", "rnn"), tiny_taxonomy()))
    assert [a.get_text() for a in soup.find("strong", string="所属主题：").parent.find_all("a")] == ["循环神经网络"]
