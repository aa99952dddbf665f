import markdown
import yaml
from bs4 import BeautifulSoup

from ingest.shared.taxonomy import Section, Taxonomy, Topic
from ingest.site.library import LibraryArticle
from ingest.site.pages import (
    ALL_ARTICLES_PAGE,
    TOPIC_PAGE_SEARCH_BOOST,
    UNCATEGORIZED_PAGE,
    all_articles_page,
    articles_by_topic,
    navigation,
    nesting_ids,
    related_topics,
    relative_link,
    topic_page,
    topic_page_path,
    visible_topics,
)
from ingest.site.topic_tree import TopicTree

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
        Topic("normalization", "归一化", "Normalization", "basics", (), "归一化的简介。"),
        Topic("batch-norm", "批归一化", "BatchNorm", "basics", (), "BN。", parent="normalization"),
        Topic("layer-norm", "层归一化", "LayerNorm", "basics", (), "LN。", parent="normalization"),
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


def page_for(topic_id: str, library: list[LibraryArticle], taxonomy: Taxonomy | None = None) -> str:
    taxonomy = taxonomy or tiny_taxonomy()
    return topic_page(taxonomy.topic(topic_id), TopicTree(taxonomy, articles_by_topic(library)))


def body(page: str) -> BeautifulSoup:
    return html(page.split("---", 2)[2])


def front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---", 2)[1])


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
    soup = body(page_for("rnn", members))
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


def test_an_empty_topic_page_links_the_non_empty_topics_of_its_section_and_stays_out_of_search():
    page = page_for("optimizer", [article("a", "activation"), article("b", "rnn")])
    soup = body(page)
    assert "暂无文章" in soup.get_text()
    assert "与本主题有共同文章" not in soup.get_text()
    # normalization and its children are empty: no link to them from the section's list
    assert [a["href"] for a in soup.find("h2", string="相关主题").find_next("p").find_all("a")] == ["activation.md"]
    assert front_matter(page) == {"title": "优化器", "search": {"exclude": True}}


def test_a_topic_page_with_articles_weighs_less_than_articles_in_search():
    assert front_matter(page_for("rnn", [article("a", "rnn")]))["search"] == {"boost": TOPIC_PAGE_SEARCH_BOOST}
    assert 0 < TOPIC_PAGE_SEARCH_BOOST < 1


def test_a_parent_page_lists_its_own_articles_then_each_childs_with_counts_that_tell_them_apart():
    library = [
        article("n1", "normalization", title="归一化综述"),
        article("b1", "batch-norm", title="BN 的训练与推理"),
        article("both", "batch-norm", "layer-norm", title="BN 与 LN 对比"),
        article("n2", "normalization", "layer-norm", title="也直接标了归一化"),
    ]
    soup = body(page_for("normalization", library))
    text = soup.get_text()
    assert "共 4 篇文章（本主题 2 篇，来自子主题 2 篇）" in text
    children = soup.find("h2", string="子主题").find_next("ul")
    assert [(a.get_text(), a["href"]) for a in children.find_all("a")] == [
        ("批归一化", "batch-norm.md"),
        ("层归一化", "layer-norm.md"),
    ]
    assert [li.get_text() for li in children.find_all("li")] == ["批归一化（2 篇）", "层归一化（2 篇）"]
    heading = soup.find("h2", string="文章（4）")
    assert [a.get_text() for a in heading.find_next("ul").find_all("a")] == ["也直接标了归一化", "归一化综述"]
    groups = {h3.find("a").get_text(): [a.get_text() for a in h3.find_next("ul").find_all("a")] for h3 in soup("h3")}
    # n2 is the parent's own article: not repeated under 层归一化; an article of two children is under both
    assert groups == {"批归一化": ["BN 与 LN 对比", "BN 的训练与推理"], "层归一化": ["BN 与 LN 对比"]}
    assert [h3.get_text() for h3 in soup("h3")] == ["来自子主题 批归一化（2）", "来自子主题 层归一化（1）"]


def test_a_parent_without_articles_of_its_own_says_so_and_an_empty_child_is_still_linked():
    soup = body(page_for("normalization", [article("b1", "batch-norm", title="BN")]))
    assert "共 1 篇文章（本主题 0 篇，来自子主题 1 篇）" in soup.get_text()
    assert "本主题没有直接标注的文章" in soup.get_text()
    assert [li.get_text() for li in soup.find("h2", string="子主题").find_next("ul")("li")] == [
        "批归一化（1 篇）",
        "层归一化（暂无文章）",
    ]


def test_a_child_page_links_its_parent_and_its_non_empty_siblings():
    library = [article("b1", "batch-norm"), article("l1", "layer-norm"), article("a", "activation")]
    soup = body(page_for("batch-norm", library))
    where = soup.find("p", string=lambda text: text and "所属分区" in text) or soup.find("p")
    assert [(a.get_text(), a["href"]) for a in where("a")] == [("归一化", "normalization.md")]
    related = soup.find("h2", string="相关主题").find_next("p")
    assert related.get_text().startswith("「归一化」下的其他子主题")
    assert [a["href"] for a in related("a")] == ["layer-norm.md"]


def test_the_fallback_topic_page_points_maintainers_to_their_page():
    soup = body(page_for("uncategorized", [article("u", "uncategorized")]))
    links = [a["href"] for a in soup("a")]
    assert relative_link(topic_page_path("uncategorized"), UNCATEGORIZED_PAGE) in links


def nav_topic_pages(nav: list) -> list[str]:
    pages = []

    def walk(value):
        if isinstance(value, str):
            pages.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(nav)
    return [page for page in pages if page.startswith("topics/")]


def test_navigation_nests_sections_parents_and_children_and_leaves_empty_topics_out():
    library = [
        article("a", "activation"),
        article("b", "rnn", "transformer"),
        article("bn", "batch-norm"),
        article("bn2", "batch-norm", "normalization"),
    ]
    taxonomy = tiny_taxonomy()
    nav = navigation(taxonomy, library)
    basics = next(entry["基础"] for entry in nav if "基础" in entry)
    assert basics == [
        {"激活函数（1）": "topics/activation.md"},
        # the parent's page first (navigation.indexes makes it the section's link), then its
        # non-empty children; 层归一化 and 优化器 are empty
        {"归一化（2）": ["topics/normalization.md", {"批归一化（2）": "topics/batch-norm.md"}]},
    ]
    assert nesting_ids(taxonomy, library) == {"normalization"}
    shown = visible_topics(taxonomy, articles_by_topic(library))
    assert [topic.id for topic in shown] == ["activation", "normalization", "batch-norm", "rnn", "transformer"]
    assert sorted(nav_topic_pages(nav)) == sorted(topic_page_path(topic.id) for topic in shown)


def test_a_parent_whose_children_are_empty_is_a_plain_entry():
    nav = navigation(tiny_taxonomy(), [article("n", "normalization")])
    assert {"基础": [{"归一化（1）": "topics/normalization.md"}]} in nav
    assert nesting_ids(tiny_taxonomy(), [article("n", "normalization")]) == set()


def test_navigation_and_index_pages_cover_every_visible_topic():
    library = [article("a", "activation"), article("b", "rnn", "transformer")]
    taxonomy = tiny_taxonomy()
    shown = visible_topics(taxonomy, articles_by_topic(library))
    assert "uncategorized" not in [topic.id for topic in shown]
    nav = navigation(taxonomy, library)
    assert set(nav_topic_pages(nav)) == {topic_page_path(topic.id) for topic in shown}
    assert {"全部文章": ALL_ARTICLES_PAGE} in nav
    index = html(all_articles_page(taxonomy, library).split("---", 2)[2])
    assert index.find("h1").get_text() == "全部文章（2）"
    assert UNCATEGORIZED_PAGE in [a["href"] for a in index("a")]


def test_the_all_articles_page_names_a_child_topics_parent():
    index = html(all_articles_page(tiny_taxonomy(), [article("bn", "batch-norm")]).split("---", 2)[2])
    assert [h3.get_text(" ", strip=True) for h3 in index("h3")] == ["批归一化 归一化 （1）"]
