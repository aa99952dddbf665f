"""Key terms of an excerpt, for titles composed when the excerpt has no heading.

Chinese: jieba's TF-IDF keyword extraction (``jieba.analyse``), with the taxonomy's Chinese
aliases added to jieba's dictionary so that terms stay whole (``梯度累积``, not ``梯度`` +
``累积``). English: term statistics, i.e. how often a non-stop word occurs, with a bonus for
acronyms and CamelCase names (``SRCNN``, ``PyTorch``), which are what titles name.

jieba loads its dictionary once, lazily (about a second), and only when a title needs it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache


def words(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists read better so)."""
    return frozenset(text.split())


ENGLISH_STOP_WORDS = words(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just like may me might more most much must my no nor
    not now of off on once only or other our out over own same she should so some such than that the their them
    then there these they this those through to too under until up us very was we were what when where which
    while who whom why will with would you your yours one two three first second new way ways use used using
    uses make makes made get gets got often every many even still well need needs needed thing things lot really
    actually simply just fact case cases part parts step steps idea ideas post article paper section example
    question answer does doesn don't it's that's there's let's we're you're i'm
    """
)
GENERIC_ACRONYMS = words(
    """
    gpu gpus cpu cpus ram api apis url io os ok faq tl;dr usa pdf html json csv
    """
)
CHINESE_STOP_WORDS = words(
    """
    我们 你们 他们 这个 那个 这些 那些 一个 一种 一些 这里 那里 这样 那样 什么 怎么 如何 为什么 因为 所以 但是
    然后 如果 虽然 可以 需要 没有 不是 就是 还是 或者 以及 而且 并且 通过 进行 使用 得到 一下 一点 其实 比如
    例如 这种 那种 问题 方法 时候 地方 东西 部分 情况 结果 时间 本文 这篇 一篇 文章 介绍 所有 每个 之后 之前
    第一 第二 两个 几个 很多 非常 比较 直接 主要 一般 通常 可能 已经 开始 现在 目前 同时 之间 里面 其中 整个
    只有 不同 相同 以下 以上 下面 上面 来说 来看 看看 一样 一次 这次 记录 整理 总结 笔记 学习 理解 我们的 自己
    大家 首先 最后 公式缺失 代码缺失 公式 代码
    """
)
KEYWORD_WINDOW = 160  # characters read by jieba: its cost grows quickly with the length
MIN_KEYWORD_CJK_CHARS = 3
MIN_KEYWORD_OCCURRENCES = 2  # a word the excerpt uses once is rarely what it is about
PLACEHOLDERS = re.compile(r"\[(?:公式|Math|代码)\]", re.IGNORECASE)
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#]*(?:[-'][A-Za-z0-9]+)*")


def english_terms(text: str, limit: int = 8) -> list[str]:
    """Salient terms of an English excerpt: names (acronyms, CamelCase, with digits) and words
    that recur. A plain word used once says little about the article and is left out."""
    counts: Counter = Counter()
    surface: dict[str, str] = {}
    first: dict[str, int] = {}
    for index, match in enumerate(ENGLISH_WORD.finditer(PLACEHOLDERS.sub(" ", text))):
        word = match.group()
        key = word.casefold()
        if key in ENGLISH_STOP_WORDS or len(key) < 3:
            continue
        counts[key] += 1
        first.setdefault(key, index)
        # Keep the form that shows a name: "SRCNN" over "srcnn", "PyTorch" over "pytorch".
        if key not in surface or (word != key and not surface[key][1:].islower()):
            surface[key] = word

    def salience(key: str) -> tuple:
        word = surface[key]
        named = word.isupper() or bool(re.search(r"[a-z][A-Z]|[0-9]", word))
        return (-(counts[key] * (2 if named else 1)), first[key])

    def salient(key: str) -> bool:
        # Names only: acronyms and CamelCase (SRCNN, vLLM, PyTorch), not math (t+1, k-1) and
        # not everyday acronyms. Plain words, even recurring ones, rarely make a title's phrase.
        word = surface[key]
        if key in GENERIC_ACRONYMS or re.search(r"[+\-]|^[a-z]+[0-9]*$", word):
            return False
        return (word.isupper() and len(word) >= 3) or bool(re.search(r"[a-z][A-Z]", word))

    return [surface[key] for key in sorted(filter(salient, counts), key=salience)[:limit]]


class ChineseKeywords:
    """jieba TF-IDF keywords, with the taxonomy's terms in jieba's dictionary."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self.terms = tuple(sorted({term for term in terms if re.search(r"[\u3400-\u9fff]", term)}))

    def __call__(self, text: str, limit: int = 8) -> list[str]:
        extractor = _extractor(self.terms)
        text = PLACEHOLDERS.sub(" ", text)
        words = extractor.extract_tags(text[:KEYWORD_WINDOW], topK=limit * 3)
        kept = []
        for word in words:
            word = word.strip()
            if word in CHINESE_STOP_WORDS or word.isdigit() or text.count(word) < MIN_KEYWORD_OCCURRENCES:
                continue
            # Two-character words are mostly everyday ones (网络, 模型, 集上); taxonomy terms stay.
            if word not in self.terms and len(re.findall(r"[\u3400-\u9fff]", word)) < MIN_KEYWORD_CJK_CHARS:
                continue
            kept.append(word)
        return kept[:limit]


@lru_cache(maxsize=4)
def _extractor(terms: tuple[str, ...]):
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO to stderr
    tokenizer = jieba.Tokenizer()
    for term in terms:
        tokenizer.add_word(term, freq=20000)
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = tokenizer
    return extractor
