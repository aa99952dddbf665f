from ingest.shared.taxonomy import Section, Taxonomy, Topic
from ingest.site.library import LibraryArticle
from ingest.site.pages import articles_by_topic
from ingest.site.topic_tree import TopicTree


def taxonomy() -> Taxonomy:
    sections = [Section("basics", "基础", "Basics"), Section("other", "其他", "Other")]
    topics = [
        Topic("normalization", "归一化", "Normalization", "basics", (), "."),
        Topic("batch-norm", "批归一化", "BatchNorm", "basics", (), ".", parent="normalization"),
        Topic("layer-norm", "层归一化", "LayerNorm", "basics", (), ".", parent="normalization"),
        Topic("dropout", "Dropout", "Dropout", "basics", (), "."),
        Topic("orphan", "孤儿", "Orphan", "basics", (), ".", parent="missing"),
        Topic("uncategorized", "待分类", "Uncategorized", "other", (), "."),
    ]
    return Taxonomy("taxonomy.yml", sections, topics)


def article(name: str, *topics: str) -> LibraryArticle:
    return LibraryArticle(path=f"articles/{name}.md", id=name, title=name, topics=list(topics))


def tree(*articles: LibraryArticle) -> TopicTree:
    return TopicTree(taxonomy(), articles_by_topic(list(articles)))


def test_a_parent_counts_each_of_its_childrens_articles_once_apart_from_its_own():
    built = tree(
        article("a", "normalization", "batch-norm"),
        article("b", "batch-norm", "layer-norm"),
        article("c", "layer-norm"),
    )
    entry = built.entry("normalization")
    assert [item.path for item in entry.direct] == ["articles/a.md"]
    assert [item.path for item in entry.from_children] == ["articles/b.md", "articles/c.md"]
    assert entry.total == 3 and entry.nests
    assert [child.topic.id for child in entry.children] == ["batch-norm", "layer-norm"]
    assert built.entry("batch-norm").total == 2 and not built.entry("batch-norm").children


def test_a_topic_is_empty_only_when_neither_it_nor_a_child_has_articles():
    built = tree(article("c", "layer-norm"))
    assert not built.entry("normalization").is_empty  # through its child
    assert built.entry("batch-norm").is_empty and built.entry("dropout").is_empty
    assert [entry.topic.id for entry in built.shown()] == ["normalization", "layer-norm"]
    assert built.nesting_ids() == {"normalization"}
    assert [child.topic.id for child in built.entry("normalization").shown_children] == ["layer-norm"]


def test_every_topic_has_an_entry_and_a_child_of_an_unknown_parent_stands_alone():
    built = tree(article("o", "orphan"))
    assert built.parent_of(taxonomy().topic("orphan")) is None
    assert built.parent_of(taxonomy().topic("batch-norm")).id == "normalization"
    assert [entry.topic.id for entry in built.top_level("basics")] == ["normalization", "dropout", "orphan"]
    assert [entry.topic.id for entry in built.shown()] == ["orphan"]
    for topic in taxonomy().topics:
        assert built.entry(topic.id).topic == topic
