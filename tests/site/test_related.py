import random

from ingest.site.library import LibraryArticle
from ingest.site.related import RelatedSettings, comparison_tokens, find_related

SECTIONS = {"adam": "training", "sgd": "training", "dropout": "training", "rnn": "models", "cnn": "models"}

# Unrelated texts: no two of them share a two-character shingle worth speaking of.
TEXTS = {
    "moment": "Adam 用一阶矩和二阶矩估计自适应地调整每个参数的学习率，偏差修正让早期估计不至于过小。",
    "decay": "权重衰减与 L2 正则在带动量的优化器里并不等价，AdamW 把衰减从梯度更新中解耦出来。",
    "gate": "长短期记忆网络用输入门、遗忘门和输出门控制细胞状态，缓解了梯度消失的问题。",
    "kernel": "卷积核在图像上滑动，共享权重让参数量与输入尺寸无关，池化层再逐步缩小特征图。",
    "mask": "随机丢弃神经元相当于训练很多共享参数的子网络，推理时按保留概率缩放激活值。",
    "batch": "小批量随机梯度下降每一步只看一部分样本，噪声反而帮助模型跳出尖锐的极小值。",
}


def article(name: str, topics: list[str], body: str, title: str | None = None) -> LibraryArticle:
    return LibraryArticle(path=f"articles/{name}.md", id=name, title=title or name, topics=topics, body=body)


def related_paths(articles, path, **settings):
    index = find_related(articles, SECTIONS, RelatedSettings(**settings))
    return [related.path for related in index.for_article(path)]


def test_shared_topic_ranks_above_other_topics():
    articles = [
        article("a", ["adam"], TEXTS["moment"]),
        article("b", ["rnn"], TEXTS["gate"]),
        article("c", ["adam"], TEXTS["decay"]),
        article("d", ["cnn"], TEXTS["kernel"]),
    ]
    ranked = related_paths(articles, "articles/a.md")
    assert ranked[0] == "articles/c.md"
    first = find_related(articles, SECTIONS).for_article("articles/a.md")[0]
    assert first.shared_topics == ("adam",) and not first.fallback


def test_similar_text_ranks_above_dissimilar_text_in_the_same_topic():
    near_copy = TEXTS["moment"].replace("过小", "太小") + "实践中默认超参数通常就够用。"
    articles = [
        article("a", ["adam"], TEXTS["moment"]),
        article("b", ["adam"], TEXTS["decay"]),
        article("c", ["adam"], near_copy),
        article("d", ["adam"], TEXTS["batch"]),
    ]
    ranked = related_paths(articles, "articles/a.md")
    assert ranked[0] == "articles/c.md"
    assert set(ranked[1:]) == {"articles/b.md", "articles/d.md"}


def test_similar_text_is_found_across_topics():
    """No shared topic and no fallback needed: only the text links the two articles."""
    copy = TEXTS["mask"] + "这是同一段讲解的另一个版本。"
    articles = [
        article("a", ["dropout"], TEXTS["mask"]),
        article("b", ["cnn"], copy),
        article("c", ["dropout"], TEXTS["batch"]),
        article("d", ["dropout"], TEXTS["moment"]),
        article("e", ["cnn"], TEXTS["kernel"]),
        article("f", ["cnn"], TEXTS["gate"]),
    ]
    related = find_related(articles, SECTIONS).for_article("articles/a.md")
    by_path = {item.path: item for item in related}
    assert "articles/b.md" in by_path
    assert by_path["articles/b.md"].text_similarity > 0.5
    assert not by_path["articles/b.md"].fallback
    assert by_path["articles/b.md"].shared_topics == ()


def test_never_links_to_itself_and_everyone_gets_at_least_two():
    articles = [article(name, [topic], TEXTS[name]) for name, topic in zip(TEXTS, SECTIONS, strict=False)]
    index = find_related(articles, SECTIONS)
    for item in articles:
        paths = [related.path for related in index.for_article(item.path)]
        assert item.path not in paths
        assert len(paths) >= 2
        assert len(paths) == len(set(paths))


def test_fallback_prefers_the_same_section():
    articles = [
        article("a", ["adam"], TEXTS["moment"]),
        article("b", ["rnn"], TEXTS["gate"]),
        article("c", ["sgd"], TEXTS["batch"]),
        article("d", ["cnn"], TEXTS["kernel"]),
    ]
    related = find_related(articles, SECTIONS).for_article("articles/a.md")
    assert related[0].path == "articles/c.md"
    assert related[0].fallback and related[0].shared_sections == ("training",)
    assert len(related) == 2


def test_articles_without_topics_or_text_still_get_links():
    articles = [article("a", [], ""), article("b", [], ""), article("c", ["unknown-topic"], "")]
    index = find_related(articles, SECTIONS)
    assert all(len(index.for_article(item.path)) == 2 for item in articles)


def test_two_articles_link_to_each_other_only():
    articles = [article("a", ["adam"], TEXTS["moment"]), article("b", ["rnn"], TEXTS["gate"])]
    index = find_related(articles, SECTIONS)
    assert [related.path for related in index.for_article("articles/a.md")] == ["articles/b.md"]
    assert [related.path for related in index.for_article("articles/b.md")] == ["articles/a.md"]


def test_output_does_not_depend_on_input_order():
    articles = [article(f"x{i:02d}", [list(SECTIONS)[i % 5]], TEXTS[list(TEXTS)[i % 6]] + str(i)) for i in range(30)]
    expected = find_related(articles, SECTIONS).by_path
    shuffled = articles[:]
    random.Random(3).shuffle(shuffled)
    assert find_related(shuffled, SECTIONS).by_path == expected


def test_ties_are_broken_by_path():
    articles = [article(name, ["adam"], "") for name in ("d", "b", "a", "c")]
    ranked = related_paths(articles, "articles/a.md")
    assert ranked == ["articles/b.md", "articles/c.md", "articles/d.md"]


def test_limit_caps_the_list():
    articles = [article(f"n{i}", ["adam"], TEXTS["moment"] + str(i)) for i in range(10)]
    assert len(related_paths(articles, "articles/n0.md", limit=3)) == 3


def test_comparison_ignores_markup_escapes_and_dropped_formula_markers():
    body = (
        '损失 <span class="kb-dropped" title="抓取时这里的公式丢失了">公式缺失</span> '
        "用 &lt;Adam&gt; 和 \\*AdamW\\* 优化 <!-- 写作提示 -->"
    )
    tokens = comparison_tokens(article("a", [], body, title="Expand_as 报错"))
    assert tokens == ["expand", "as", "报", "错", "损", "失", "用", "adam", "和", "adamw", "优", "化"]


def scaling_library(count: int, identical: bool = False) -> list[LibraryArticle]:
    """``count`` articles in one topic (and one section): the case that must not go quadratic."""
    rng = random.Random(count)
    characters = [chr(0x4E00 + offset) for offset in range(3000)]

    def text() -> str:
        return "".join(rng.choice(characters) for _ in range(80))

    shared_text = text()
    return [article(f"a{index:05d}", ["adam"], shared_text if identical else text()) for index in range(count)]


def test_candidate_comparisons_grow_linearly_in_one_big_topic():
    small = find_related(scaling_library(1000), SECTIONS)
    large = find_related(scaling_library(4000), SECTIONS)
    # Four times the articles: all pairs would cost 16 times as much; bounded groups about 4 times.
    assert large.pairs_scored / small.pairs_scored < 5
    assert large.pairs_scored < 4000 * 2 * RelatedSettings().window
    assert all(len(links) >= 2 for links in large.by_path.values())


def test_identical_texts_do_not_make_lsh_buckets_quadratic():
    """Every band of every article falls in one bucket; the per-group window keeps it linear."""
    keep_all_shingles = RelatedSettings(common_shingle_share=1.0)
    small = find_related(scaling_library(500, identical=True), SECTIONS, keep_all_shingles)
    large = find_related(scaling_library(2000, identical=True), SECTIONS, keep_all_shingles)
    assert large.pairs_scored / small.pairs_scored < 5
    assert large.for_article("articles/a00000.md")[0].text_similarity > 0.9  # only the titles differ


def test_shingles_common_to_most_articles_are_ignored():
    boilerplate = "本文选自某技术博客的最新更新页面，由抓取程序自动整理，版权归原作者所有。"
    articles = [article(f"n{i:02d}", ["adam"], boilerplate + text) for i, text in enumerate(TEXTS.values())]
    articles += [article(f"m{i:02d}", ["rnn"], boilerplate + f"第{i}篇") for i in range(20)]

    def best_similarity(settings: RelatedSettings) -> float:
        return max(
            related.text_similarity for related in find_related(articles, SECTIONS, settings).by_path["articles/n00.md"]
        )

    assert best_similarity(RelatedSettings(common_shingle_share=1.0)) > 0.2  # the boilerplate alone
    assert best_similarity(RelatedSettings()) < 0.05
