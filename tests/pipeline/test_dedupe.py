from ingest.pipeline.dedupe import MIN_PREFIX_CHARS, dedupe
from ingest.shared.model import Entry

FULL = (
    "引言与背景 随机逼近(Stochastic Approximation)是一类用于求解寻根或优化问题的随机迭代算法,"
    "其特点是不需要知道目标函数或其导数的表达式。随机逼近的核心优势在于能够处理带有随机噪声的观测数据。"
)
SHARED = "均值估计问题 考虑一个随机变量 X ,我们的目标是估计 E[X] 。假设我们有一个独立同分布的样本序列,那么期望值可以近似为样本平均。"


def entry(text, line=4, file="a.txt"):
    return Entry(file=file, line=line, text=text)


def test_exact_copies_become_one_article_with_all_sources():
    [article] = dedupe([entry(FULL, 4, "b.txt"), entry(FULL, 9, "a.txt")])
    assert article.sources == ["a.txt:9", "b.txt:4"]
    assert article.text == FULL and not article.truncated


def test_copies_truncated_with_three_dots_and_ellipsis_merge_into_the_full_text():
    entries = [entry(FULL[:60] + "...", 4), entry(FULL[:90] + "…", 5), entry(FULL, 6, "b.txt")]
    [article] = dedupe(entries)
    assert article.text == FULL
    assert not article.truncated
    assert len(article.sources) == 3


def test_when_only_truncated_copies_exist_the_longest_wins_and_is_marked():
    [article] = dedupe([entry(FULL[:60] + "...", 4), entry(FULL[:90] + "…", 5)])
    assert article.text == FULL[:90] + "…"
    assert article.truncated


def test_full_width_punctuation_and_spacing_variants_merge():
    variant = FULL.replace(",", "，").replace("(", "（").replace(")", "）").replace(" ", "  ")
    articles = dedupe([entry(FULL, 4), entry(variant, 5)])
    assert len(articles) == 1
    assert len(articles[0].sources) == 2


def test_articles_sharing_a_paragraph_stay_distinct():
    first = "引言与背景 蒙特卡洛方法是强化学习中的重要算法类别,它标志着从基于模型到无模型算法的转变。" + SHARED
    second = FULL + SHARED
    articles = dedupe([entry(first, 4), entry(second, 5)])
    assert len(articles) == 2


def test_a_prefix_shared_by_two_articles_joins_only_one_of_them():
    opening = SHARED
    first = opening + " 第一篇继续讲蒙特卡洛方法如何估计状态价值,以及首次访问与每次访问的区别。"
    second = opening + " 第二篇继续讲随机逼近与 Robbins-Monro 算法的收敛条件和步长选择。"
    articles = dedupe([entry(first, 4), entry(second, 5), entry(opening + "...", 6)])
    assert len(articles) == 2
    assert sorted(len(article.sources) for article in articles) == [1, 2]


def test_a_very_short_prefix_does_not_claim_an_article():
    short = FULL[: MIN_PREFIX_CHARS - 6] + "..."
    assert len(dedupe([entry(FULL, 4), entry(short, 5)])) == 2


def test_near_duplicate_with_a_changed_character_merges():
    edited = FULL.replace("随机迭代算法", "随机叠代算法")
    assert len(dedupe([entry(FULL, 4), entry(edited, 5)])) == 1


def test_result_does_not_depend_on_entry_order():
    entries = [entry(FULL, 4), entry(FULL[:70] + "...", 5, "b.txt"), entry(SHARED, 6)]
    forward = [(a.id, a.text, a.sources) for a in dedupe(entries)]
    backward = [(a.id, a.text, a.sources) for a in dedupe(list(reversed(entries)))]
    assert forward == backward


def test_id_is_stable_when_a_longer_copy_arrives():
    [short] = dedupe([entry(FULL[:80] + "...", 4)])
    [long] = dedupe([entry(FULL[:80] + "...", 4), entry(FULL, 5)])
    assert short.id == long.id
