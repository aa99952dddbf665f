"""Site search in a real Chromium: each query typed into Material's search box must list its
article among the first three results.

The queries cover what plain Material + jieba misses (see ``ingest/site/search_terms.py``): Chinese
terms, English terms (alone and glued to Chinese), a Chinese name for what an article writes
only in English and the reverse, code identifiers, and case variants. ``CASES`` and
``search_results`` are also used by ``scripts/search_hit_rate.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TOP = 3
MIN_HIT_RATE = 0.95
SEARCH_INPUT = "input.md-search__input"
RESULT_META = ".md-search-result__meta"
RESULT_ITEMS = "li.md-search-result__item"
# Material's Chinese UI. The box says 正在初始化搜索引擎 until the worker has built its index,
# then 键入以开始搜索 while empty; every answer ("12 个符合条件的结果", "没有找到符合条件的结果")
# says 结果.
READY_TEXT = "键入以开始搜索"
ANSWER_WORD = "结果"


@dataclass(frozen=True)
class SearchCase:
    kind: str
    query: str
    expected: str  # the article's URL path under the site root

    def __str__(self) -> str:
        return f"{self.kind}: {self.query}"


ACTIVATION = "articles/activation-functions-a3c003/"
ATTENTION = "articles/flash-attention-552173/"
AUTOGRAD = "articles/pytorch-autograd-ab0c25/"
COMMON_ERRORS = "articles/pytorch-common-errors-49dca9/"
DDP = "articles/distributed-data-parallel-52de1d/"
DETR = "articles/object-detection-f3ded3/"
FACE_SOFTMAX = "articles/face-recognition-c84f65/"
FACE_SYSTEM = "articles/face-recognition-ecc8e9/"
GRADIENT_CHECKPOINTING = "articles/gradient-checkpointing-123078/"
MIXED_PRECISION = "articles/mixed-precision-d6c4fb/"
MONTE_CARLO = "articles/monte-carlo-methods-83812a/"
NN_FUNCTIONAL = "articles/pytorch-nn-vs-functional-399b73/"
OPTIMIZERS = "articles/adam-adamw-3fe259/"
PERCEPTRON = "articles/perceptron-and-bias-474be8/"
RECEPTIVE_FIELD = "articles/receptive-field-41f01f/"
RL_BASICS = "articles/rl-basics-865f82/"
RLHF = "articles/rlhf-dpo-4374d3/"
RNN = "articles/rnn-289975/"
RNN_TO_TRANSFORMER = "articles/rnn-634c53/"
SPP = "articles/spatial-pyramid-pooling-c3d775/"
SSM = "articles/state-space-models-181256/"
STOCHASTIC_APPROXIMATION = "articles/stochastic-approximation-069fc2/"
TENSORFLOW = "articles/tensorflow-internals-0d7c31/"
UPSAMPLING = "articles/upsampling-44c913/"
VLM = "articles/vision-language-models-484023/"

CHINESE = "Chinese term"
ENGLISH = "English term"
GLUED = "English glued to Chinese"
CROSS = "cross-language name"
IDENTIFIER = "identifier"
CASE = "case variant"

CASES = [
    SearchCase(CHINESE, "激活函数", ACTIVATION),
    SearchCase(CHINESE, "梯度检查点", GRADIENT_CHECKPOINTING),
    SearchCase(CHINESE, "混合精度", MIXED_PRECISION),
    SearchCase(CHINESE, "感受野", RECEPTIVE_FIELD),
    SearchCase(CHINESE, "上采样", UPSAMPLING),
    SearchCase(CHINESE, "双线性插值", UPSAMPLING),
    SearchCase(CHINESE, "蒙特卡洛", MONTE_CARLO),
    SearchCase(CHINESE, "随机逼近", STOCHASTIC_APPROXIMATION),
    SearchCase(CHINESE, "直接偏好优化", RLHF),
    SearchCase(CHINESE, "人脸识别", FACE_SYSTEM),
    SearchCase(CHINESE, "网格世界", RL_BASICS),
    SearchCase(CHINESE, "偏函数", TENSORFLOW),
    SearchCase(CHINESE, "多头注意力", ATTENTION),
    SearchCase(CHINESE, "视觉语言模型", VLM),
    SearchCase(CHINESE, "自动求导", AUTOGRAD),
    SearchCase(ENGLISH, "FlashAttention", ATTENTION),
    SearchCase(ENGLISH, "Transformer", RNN_TO_TRANSFORMER),
    SearchCase(ENGLISH, "GELU", ACTIVATION),
    SearchCase(ENGLISH, "AdamW", OPTIMIZERS),
    SearchCase(ENGLISH, "DDP", DDP),
    SearchCase(ENGLISH, "Mamba", SSM),
    SearchCase(ENGLISH, "HiPPO", SSM),
    SearchCase(ENGLISH, "PixelShuffle", UPSAMPLING),
    SearchCase(ENGLISH, "DeepFace", FACE_SOFTMAX),
    SearchCase(ENGLISH, "LFW", FACE_SOFTMAX),
    SearchCase(ENGLISH, "RLHF", RLHF),
    SearchCase(ENGLISH, "autograd", AUTOGRAD),
    SearchCase(ENGLISH, "Gradient Checkpointing", GRADIENT_CHECKPOINTING),
    SearchCase(ENGLISH, "object detection", DETR),
    SearchCase(GLUED, "在介绍Transformer前", RNN_TO_TRANSFORMER),
    SearchCase(GLUED, "FlashAttention的关键创新", ATTENTION),
    SearchCase(GLUED, "一个最简单的DDP", DDP),
    SearchCase(GLUED, "单精度FP32", MIXED_PRECISION),
    SearchCase(GLUED, "线性RNN模型", SSM),
    SearchCase(GLUED, "类似于在线Softmax", ATTENTION),
    SearchCase(CROSS, "循环神经网络", RNN),
    SearchCase(CROSS, "注意力机制", ATTENTION),
    SearchCase(CROSS, "状态空间模型", SSM),
    SearchCase(CROSS, "权重衰减", OPTIMIZERS),
    SearchCase(CROSS, "长短期记忆网络", RNN_TO_TRANSFORMER),
    SearchCase(CROSS, "门控循环单元", RNN_TO_TRANSFORMER),
    SearchCase(CROSS, "空间金字塔池化", SPP),
    SearchCase(CROSS, "装饰器", TENSORFLOW),
    SearchCase(CROSS, "感知机", PERCEPTRON),
    SearchCase(CROSS, "weight decay", OPTIMIZERS),
    SearchCase(CROSS, "recurrent neural network", RNN),
    SearchCase(CROSS, "state space model", SSM),
    SearchCase(CROSS, "attention", ATTENTION),
    SearchCase(CROSS, "Monte Carlo", MONTE_CARLO),
    SearchCase(CROSS, "direct preference optimization", RLHF),
    SearchCase(CROSS, "mixed precision", MIXED_PRECISION),
    SearchCase(CROSS, "activation function", ACTIVATION),
    SearchCase(CROSS, "receptive field", RECEPTIVE_FIELD),
    SearchCase(IDENTIFIER, "expand_as", COMMON_ERRORS),
    SearchCase(IDENTIFIER, "expand_as()", COMMON_ERRORS),
    SearchCase(IDENTIFIER, "tf_export", TENSORFLOW),
    SearchCase(IDENTIFIER, "@tf_export", TENSORFLOW),
    SearchCase(IDENTIFIER, "nn.functional", NN_FUNCTIONAL),
    SearchCase(IDENTIFIER, "nn.Module", NN_FUNCTIONAL),
    SearchCase(IDENTIFIER, "functools.partial", TENSORFLOW),
    SearchCase(IDENTIFIER, "requires_grad", AUTOGRAD),
    SearchCase(IDENTIFIER, "torch.Tensor", AUTOGRAD),
    SearchCase(IDENTIFIER, "batch_size", GRADIENT_CHECKPOINTING),
    SearchCase(IDENTIFIER, "conv2d", NN_FUNCTIONAL),
    SearchCase(IDENTIFIER, ".backward()", AUTOGRAD),
    SearchCase(CASE, "flashattention", ATTENTION),
    SearchCase(CASE, "FLASHATTENTION", ATTENTION),
    SearchCase(CASE, "transformer", RNN_TO_TRANSFORMER),
    SearchCase(CASE, "adamw", OPTIMIZERS),
    SearchCase(CASE, "gelu", ACTIVATION),
    SearchCase(CASE, "mamba", SSM),
    SearchCase(CASE, "ssm", SSM),
    SearchCase(CASE, "Expand_As", COMMON_ERRORS),
    SearchCase(CASE, "TF_Export", TENSORFLOW),
    SearchCase(CASE, "NN.Functional", NN_FUNCTIONAL),
]


def site_path(href: str, site_url: str) -> str:
    """``http://host/base/articles/x/?h=..`` -> ``articles/x/``."""
    base = urlsplit(site_url).path.rstrip("/")
    return urlsplit(href).path.removeprefix(base).lstrip("/")


def open_search(page: Page, site_url: str) -> None:
    """Open the home page's search box and wait for the index: a query typed earlier is lost
    (Material drops answers from before the worker is ready and does not ask again)."""
    page.goto(site_url + "/")
    page.locator(SEARCH_INPUT).click()
    expect(page.locator(RESULT_META)).to_have_text(READY_TEXT)


def search_results(page: Page, site_url: str, query: str) -> list[str]:
    """Type ``query`` into the open search box; the URL paths of the listed pages, best first.

    ``fill`` enters the text the way a paste or an input method does, and the key press gives
    Material the ``keyup`` it searches on. Clearing first makes the answer wait below see only
    this query's results.
    """
    box = page.locator(SEARCH_INPUT)
    meta = page.locator(RESULT_META)
    box.fill("")
    box.press("End")
    expect(meta).to_have_text(READY_TEXT)
    box.fill(query)
    box.press("End")
    expect(meta).to_contain_text(ANSWER_WORD)
    hrefs = page.locator(RESULT_ITEMS).evaluate_all("items => items.map(item => item.querySelector('a').href)")
    return [site_path(href, site_url) for href in hrefs]


def rank_of(case: SearchCase, results: list[str]) -> int | None:
    """1-based position of the expected article, or None when it is not listed."""
    return results.index(case.expected) + 1 if case.expected in results else None


def is_hit(rank: int | None) -> bool:
    return rank is not None and rank <= TOP


def rank_table(rows: list[tuple[SearchCase, int | None]]) -> str:
    """Markdown, one line per query: where its article came."""
    lines = ["| kind | query | expected article | rank | in top 3 |", "| --- | --- | --- | --- | --- |"]
    for case, rank in rows:
        hit = "yes" if is_hit(rank) else "**no**"
        lines.append(f"| {case.kind} | `{case.query}` | `{case.expected}` | {rank or '-'} | {hit} |")
    return "\n".join(lines)


def hit_rate_table(rows: list[tuple[SearchCase, int | None]]) -> str:
    """Markdown: the hit rate per kind of query, then overall."""
    lines = ["| kind of query | article in top 3 |", "| --- | --- |"]
    kinds = list(dict.fromkeys(case.kind for case, _ in rows))
    for kind in [*kinds, None]:
        ranks = [rank for case, rank in rows if kind is None or case.kind == kind]
        hits = sum(map(is_hit, ranks))
        lines.append(f"| {kind or '**all**'} | {hits}/{len(ranks)} ({hits / len(ranks):.0%}) |")
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_query_finds_its_article_in_top_3(page, site_url, case):
    open_search(page, site_url)
    results = search_results(page, site_url, case.query)
    assert case.expected in results[:TOP], f"{case.query!r}: expected {case.expected} in the top {TOP} of {results}"


def test_a_query_without_matches_lists_nothing(page, site_url):
    """The answer wait in ``search_results`` also works when nothing matches (no false top 3)."""
    open_search(page, site_url)
    assert search_results(page, site_url, "zzqxjv") == []


def test_overall_hit_rate(page, site_url, capsys):
    """Every query in one page, as a reader would type them one after another."""
    open_search(page, site_url)
    rows = [(case, rank_of(case, search_results(page, site_url, case.query))) for case in CASES]
    hits = sum(is_hit(rank) for _, rank in rows)
    with capsys.disabled():
        print(f"\nsearch hit rate: {hits}/{len(rows)} queries list their article in the top {TOP}")
        print(hit_rate_table(rows))
    assert hits / len(rows) >= MIN_HIT_RATE, rank_table(rows)
