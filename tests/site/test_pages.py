import markdown
from bs4 import BeautifulSoup

from ingest.shared.taxonomy import Section, Taxonomy, Topic
from ingest.site.library import LibraryArticle
from ingest.site.pages import (
    ALL_ARTICLES_PAGE,
    all_articles_page,
    article_footer,
    articles_by_topic,
    navigation,
    related_topics,
    relative_link,
    topic_page,
    topic_page_path,
    visible_topics,
)
from ingest.site.related import Related

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "pymdownx.arithmatex", "pymdownx.superfences"]


def tiny_taxonomy() -> Taxonomy:
    sections = [
        Section("basics", "基础", "Basics"),
        Section("models", "模型", "Models"),
        Section("other", "其他", "Other"),
    ]
    topics = [
        Topic("activation", "激活函数", "Activation", "basics", ("GELU",), "激活函数的简介。"),
        Topic("optimizer", "优化器", "Optimizer", "basics", (), "优化器的简介。"),
        Topic("rnn", "循环神经网络", "RNN", "models", (), "RNN 的简介。"),
        Topic("transformer", "Transformer", "Transformer", "models", (), "Transformer 的简介。"),
        Topic("uncategorized", "待分类", "Uncategorized", "other", (), "待分类。"),
    ]
    return Taxonomy("taxonomy.yml", sections, topics)


def article(name: str, *topics: str, **fields) -> LibraryArticle:
    return LibraryArticle(
        path=f"articles/{name}.md", id=name, title=fields.pop("title", name), topics=list(topics), **fields
    )


def html(text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(text, extensions=EXTENSIONS), "html.parser")


def test_relative_links_work_from_any_folder():
    assert relative_link("articles/a.md", "topics/rnn.md") == "../topics/rnn.md"
    assert relative_link("articles/deep/a.md", "articles/b.md") == "../b.md"
    assert relative_link("topics/rnn.md", "topics/transformer.md") == "transformer.md"
    assert relative_link("index.md", "topics/rnn.md") == "topics/rnn.md"


def test_topic_page_lists_every_article_with_the_count_and_related_topics():
    members = [
        article("r1", "rnn", "transformer", title="RNN 概述"),
        article("r2", "rnn", title="手写的 RNN 笔记"),  # hand-written: not generated, no sources
        article("r3", "rnn", "transformer", "activation", title="门控"),
    ]
    soup = html(topic_page(tiny_taxonomy().topic("rnn"), tiny_taxonomy(), members).split("---", 2)[2])
    assert "共 3 篇文章" in soup.get_text()
    assert soup.find("h2", string="文章（3）") is not None
    article_links = [a["href"] for a in soup.find("h2", string="文章（3）").find_next("ul").find_all("a")]
    assert article_links == ["../articles/r1.md", "../articles/r2.md", "../articles/r3.md"]
    related = soup.find("h2", string="相关主题").find_next("ul")
    assert [(a.get_text(), a["href"]) for a in related.find_all("a")] == [
        ("Transformer", "transformer.md"),
        ("激活函数", "activation.md"),
    ]
    assert "共同文章 2 篇" in related.get_text()


def test_related_topics_are_ordered_by_shared_articles_then_taxonomy():
    members = [
        article("a", "rnn", "activation"),
        article("b", "rnn", "transformer"),
        article("c", "rnn", "transformer"),
    ]
    ranked = related_topics(tiny_taxonomy().topic("rnn"), tiny_taxonomy(), members)
    assert [(topic.id, count) for topic, count in ranked] == [("transformer", 2), ("activation", 1)]


def test_topic_page_without_shared_articles_still_links_its_section():
    text = topic_page(tiny_taxonomy().topic("optimizer"), tiny_taxonomy(), [])
    soup = html(text.split("---", 2)[2])
    assert "暂无文章" in soup.get_text()
    assert "与本主题有共同文章" not in soup.get_text()
    assert [a["href"] for a in soup.find("h2", string="相关主题").find_next("p").find_all("a")] == ["activation.md"]


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


def test_navigation_and_index_pages_cover_every_visible_topic():
    library = [article("a", "activation"), article("b", "rnn", "transformer")]
    taxonomy = tiny_taxonomy()
    shown = visible_topics(taxonomy, articles_by_topic(library))
    assert "uncategorized" not in [topic.id for topic in shown]
    nav = navigation(taxonomy, library)
    nav_pages = [page for entry in nav for value in entry.values() if isinstance(value, list) for page in value]
    assert {next(iter(page.values())) for page in nav_pages} == {topic_page_path(topic.id) for topic in shown}
    assert {"全部文章": ALL_ARTICLES_PAGE} in nav
    index = html(all_articles_page(taxonomy, library).split("---", 2)[2])
    assert index.find("h1").get_text() == "全部文章（2）"
