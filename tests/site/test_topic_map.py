import random
import xml.etree.ElementTree as ET
from itertools import combinations

from bs4 import BeautifulSoup

from ingest.shared.taxonomy import Section, Taxonomy, Topic
from ingest.site.library import LibraryArticle
from ingest.site.topic_map import (
    LABEL_FONT,
    LABEL_WIDTH,
    TOPIC_MAP_MARKER,
    layout,
    radius,
    render_svg,
    size_step,
    step_label,
    text_width,
    topic_map_block,
    topic_map_svg,
    wrap_label,
)

SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"


def topic(topic_id: str, zh: str, section: str) -> Topic:
    return Topic(topic_id, zh, topic_id.title(), section, (), "描述")


def tiny_taxonomy() -> Taxonomy:
    sections = [
        Section("basics", "基础", "Basics"),
        Section("models", "模型", "Models"),
        Section("other", "其他", "Other"),
    ]
    topics = [
        topic("activation", "激活函数", "basics"),
        topic("optimizer", "优化器", "basics"),
        topic("rnn", "循环神经网络", "models"),
        topic("transformer", "Transformer", "models"),
        topic("attention", "注意力机制与 FlashAttention", "models"),
        topic("uncategorized", "待分类", "other"),
    ]
    return Taxonomy("taxonomy.yml", sections, topics)


def article(name: str, *topics: str) -> LibraryArticle:
    return LibraryArticle(path=f"articles/{name}.md", id=name, title=name, topics=list(topics))


LIBRARY = [
    article("a1", "activation"),
    article("a2", "activation"),
    article("a3", "activation", "optimizer"),
    article("r1", "rnn", "transformer"),
    article("r2", "rnn", "transformer"),
    article("t1", "transformer", "attention"),
    article("t2", "transformer"),
]


def href(topic: Topic) -> str:
    return f"topics/{topic.id}/"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_svg_is_well_formed_xml_with_an_accessible_title():
    root = parse(topic_map_svg(tiny_taxonomy(), LIBRARY, href))
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and "5 个有文章的主题" in title.text
    assert root.get("aria-labelledby") == title.get("id")


def test_one_link_per_visible_topic_with_its_href_title_and_count():
    root = parse(topic_map_svg(tiny_taxonomy(), LIBRARY, href))
    links = root.findall(f".//{SVG}a")
    # xlink:href only: Material's instant navigation fails on SVG links with a plain href.
    assert all(link.get("href") is None for link in links)
    # The empty fallback topic has no page, so no circle either.
    assert [link.get(HREF) for link in links] == [
        "topics/activation/",
        "topics/optimizer/",
        "topics/rnn/",
        "topics/transformer/",
        "topics/attention/",
    ]
    transformer = links[3]
    assert transformer.get("data-count") == "4"
    assert transformer.find(f"{SVG}title").text == "Transformer（Transformer）：4 篇文章"
    assert transformer.find(f"{SVG}circle") is not None
    label = "".join(transformer.find(f"{SVG}text").itertext())
    assert label == "Transformer"


def test_fallback_topic_appears_once_it_has_articles():
    root = parse(topic_map_svg(tiny_taxonomy(), [*LIBRARY, article("u", "uncategorized")], href))
    assert "topics/uncategorized/" in [link.get(HREF) for link in root.findall(f".//{SVG}a")]


def test_circle_sizes_step_at_one_two_five_and_ten_articles():
    assert [size_step(count) for count in (0, 1, 2, 4, 5, 9, 10, 500)] == [0, 1, 2, 2, 3, 3, 4, 4]
    radii = [radius(count) for count in (1, 2, 5, 10)]
    assert radii == sorted(set(radii))  # four distinct, growing sizes
    # Each step at least ~doubles the area, so neighbouring steps tell apart at a glance.
    assert all((bigger / smaller) ** 2 >= 1.8 for smaller, bigger in zip(radii, radii[1:], strict=False))
    assert radius(10) == radius(1000) <= 24.0
    nodes = {node.topic.id: node for node in layout(tiny_taxonomy(), LIBRARY).nodes}
    # 4 articles and 3 articles share a step; 1 article is the smallest circle.
    assert nodes["transformer"].radius == nodes["activation"].radius > nodes["optimizer"].radius
    assert [step_label(step) for step in (1, 2, 3, 4)] == ["1 篇", "2–4 篇", "5–9 篇", "10 篇以上"]


def test_topics_without_articles_stay_off_the_map_and_the_list():
    library = [article("a1", "activation"), article("r1", "rnn")]
    block = topic_map_block(tiny_taxonomy(), library, href)
    root = parse(topic_map_svg(tiny_taxonomy(), library, href))
    assert [link.get(HREF) for link in root.findall(f".//{SVG}a")] == ["topics/activation/", "topics/rnn/"]
    soup = BeautifulSoup(block, "html.parser")
    assert [a["data-topic"] for a in soup.select(".kb-topic-list a")] == ["activation", "rnn"]
    assert [p.get_text() for p in soup.select(".kb-topic-list__section")] == ["基础", "模型"]


def test_narrow_list_has_every_mapped_topic_with_its_count_step_and_link():
    soup = BeautifulSoup(topic_map_block(tiny_taxonomy(), LIBRARY, href), "html.parser")
    links = soup.select(".kb-topic-list a")
    assert [(a["href"], a["data-count"]) for a in links] == [
        ("topics/activation/", "3"),
        ("topics/optimizer/", "1"),
        ("topics/rnn/", "2"),
        ("topics/transformer/", "4"),
        ("topics/attention/", "1"),
    ]
    dots = [a.select_one(".kb-topic-list__dot")["class"][-1] for a in links]
    assert dots == [f"kb-topic-list__dot--{size_step(int(a['data-count']))}" for a in links]
    legend = soup.select_one(".kb-map-legend").get_text()
    assert all(label in legend for label in ("1 篇", "2–4 篇", "5–9 篇", "10 篇以上"))


def test_narrow_list_escapes_names_and_hrefs():
    taxonomy = tiny_taxonomy()
    taxonomy.topics[0] = topic("activation", '<img src=x onerror="alert(1)">激活', "basics")
    block = topic_map_block(taxonomy, LIBRARY, lambda topic: f't/{topic.id}/?a=1&b="2"')
    soup = BeautifulSoup(block, "html.parser")
    first = soup.select_one(".kb-topic-list a")
    assert first["href"] == 't/activation/?a=1&b="2"'
    assert first.find("img") is None and '<img src=x onerror="alert(1)">激活' in first.get_text()


def test_edges_join_exactly_the_topics_that_share_articles():
    root = parse(topic_map_svg(tiny_taxonomy(), LIBRARY, href))
    edges = {edge.get("data-topics"): edge for edge in root.findall(f"{SVG}path")}
    assert set(edges) == {"activation optimizer", "rnn transformer", "transformer attention"}
    assert edges["rnn transformer"].get("data-shared") == "2"
    assert float(edges["rnn transformer"].get("stroke-width")) > float(
        edges["activation optimizer"].get("stroke-width")
    )
    assert "共同文章 2 篇" in edges["rnn transformer"].find(f"{SVG}title").text


def test_output_is_deterministic_and_independent_of_article_order():
    first = topic_map_svg(tiny_taxonomy(), LIBRARY, href)
    shuffled = LIBRARY[:]
    random.Random(5).shuffle(shuffled)
    assert topic_map_svg(tiny_taxonomy(), shuffled, href) == first


def test_no_script_and_nothing_loaded_from_elsewhere():
    svg = topic_map_svg(tiny_taxonomy(), LIBRARY, href)
    lowered = svg.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and " on" not in lowered.replace(" one", "")
    namespaces = ('xmlns="http://www.w3.org/2000/svg"', 'xmlns:xlink="http://www.w3.org/1999/xlink"')
    assert "http" not in lowered.replace(namespaces[0], "").replace(namespaces[1], "")


def test_names_are_escaped():
    taxonomy = tiny_taxonomy()
    taxonomy.topics[0] = topic("activation", "<b>激活&函数", "basics")
    root = parse(topic_map_svg(taxonomy, LIBRARY, lambda topic: f"t/{topic.id}/?a=1&b=2"))
    first = root.findall(f".//{SVG}a")[0]
    assert first.get(HREF) == "t/activation/?a=1&b=2"
    assert "".join(first.find(f"{SVG}text").itertext()) == "<b>激活&函数"


def boxes_overlap(first, second) -> bool:
    return first[0] < second[2] and second[0] < first[2] and first[1] < second[3] and second[1] < first[3]


def assert_labels_apart(topic_map) -> None:
    for node in topic_map.nodes:
        left, top, right, bottom = node.label_box()
        # A label stays inside its own cell: below its circle, within the map.
        assert left >= 0 and right <= topic_map.width and node.y + node.radius < top and bottom <= topic_map.height
    for first, second in combinations(topic_map.nodes, 2):
        assert not boxes_overlap(first.label_box(), second.label_box()), (first.topic.zh, second.topic.zh)
        # Circles never touch either.
        assert (first.x - second.x) ** 2 + (first.y - second.y) ** 2 > (first.radius + second.radius) ** 2


def test_labels_of_the_real_taxonomy_do_not_overlap(taxonomy):
    articles = [
        article(f"x{index}-{copy}", topic.id)
        for index, topic in enumerate(taxonomy.topics)
        for copy in range(index % 4 + 1)
    ]
    topic_map = layout(taxonomy, articles)
    assert len(topic_map.nodes) >= 27
    assert_labels_apart(topic_map)


def test_labels_do_not_overlap_with_many_long_names_in_one_section():
    sections = [Section("s", "一个名字很长很长的分区", "S"), Section("other", "其他", "Other")]
    topics = [topic(f"t{index}", "超长的主题名称" * (index % 4 + 1) + f" Topic{index}", "s") for index in range(40)]
    taxonomy = Taxonomy("taxonomy.yml", sections, [*topics, topic("uncategorized", "待分类", "other")])
    topic_map = layout(taxonomy, [article(f"a{index}", f"t{index}") for index in range(40)])
    assert len(topic_map.nodes) == 40
    assert_labels_apart(topic_map)


def test_wrapped_labels_fit_their_cell():
    for name in (
        "离散评测指标的可导近似",
        "Softmax 损失的归一化与 Margin",
        "超长" * 30,
        "Averyveryverylongenglishword" * 3,
    ):
        lines = wrap_label(name, LABEL_WIDTH, 2)
        assert 1 <= len(lines) <= 2
        assert all(text_width(line, LABEL_FONT) <= LABEL_WIDTH for line in lines)
    assert wrap_label("离散评测指标的可导近似", LABEL_WIDTH, 2) == ("离散评测指标的", "可导近似")
    assert wrap_label("激活函数", LABEL_WIDTH, 2) == ("激活函数",)
    assert wrap_label("超长" * 30, LABEL_WIDTH, 2)[-1].endswith("…")


def test_block_replaces_the_marker_with_raw_html():
    block = topic_map_block(tiny_taxonomy(), LIBRARY, href)
    assert block.startswith('<div class="kb-topic-map">') and block.endswith("</div>")
    assert "\n\n" not in block  # a blank line would end the raw HTML block in Markdown
    assert TOPIC_MAP_MARKER.startswith("<!--")


def test_render_uses_the_given_hrefs():
    topic_map = layout(tiny_taxonomy(), LIBRARY)
    root = parse(render_svg(topic_map, lambda topic: f"../{topic.id}.html"))
    assert root.findall(f".//{SVG}a")[0].get(HREF) == "../activation.html"
