"""What an editor would refuse in a title: the rules every guessed title must pass.

``title_problems`` is the single statement of those rules. The titler uses it to reject
candidates, and ``scripts/eval_quality.py`` uses it to measure titles, so what is measured is
exactly what is promised:

- at most 40 characters when the title holds Chinese, 80 when it is Latin only;
- never a generic heading (引言, 概述, 目录, 总结, 常见问题, Introduction, Contents, ...);
- never opens with a section number (``10.1``, ``第七章``, ``1.1:``, ``一、``, ``Part 2:``);
- never opens with a filler (最近, 本文, 一般来说, In recent years, In this post);
- is more than a bare term (``LoRA``, ``暂退法``), and a Chinese one holds no comma or full stop;
- never ends on ``…``/``...``, on a clause mark or an open bracket, on a dangling particle
  (的, 之, 与, 和, of, with, and, the, ...), or in the middle of a word of the excerpt.
"""

from __future__ import annotations

import re
import unicodedata


def words(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists read better so)."""
    return frozenset(text.split())


def phrases(text: str) -> frozenset[str]:
    """A set of phrases (they may hold spaces) written as one comma-separated string."""
    return frozenset(phrase.strip() for phrase in text.split(",") if phrase.strip())


MAX_CJK_TITLE_CHARS = 40
MAX_LATIN_TITLE_CHARS = 80
CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MIN_CJK_TITLE_CHARS = 4
CJK_SENTENCE_MARK = re.compile(r"[，,。；;]")

# Headings that name a part of a text, not its subject. A title is generic when, once a section
# number and punctuation are removed, it is one of these: "5 总结" and "常见问题解答" both are.
GENERIC_TITLES = words(
    """
    引言 引言与背景 背景 背景介绍 背景知识 概述 概览 概要 总览 简介 介绍 前言 序言 写在前面 摘要 导读 目录 正文
    总结 小结 结语 结论 总结与展望 展望 后记 附录 参考 参考文献 参考资料 延伸阅读 致谢 常见问题 常见问题解答
    原理 原理分析 推导 公式推导 模型概述 基础概念 基本概念 基础知识 相同点 不同点 区别 联系 优缺点 优点 缺点
    网络架构 模型架构 模型结构 网络结构 实验 实验结果 实验设置 代码 代码实现 实现 示例 例子 应用 应用场景 问题
    问题定义 问题描述 问题设定 问题是什么 动机 方法 思路 核心思想 主要思想 定义 算法流程 步骤 讨论 笔记 学习笔记
    要点 补充 注意事项 本章 本节 本文 上一节 下一节 什么是 问题与动机 核心概念 基本原理 工作原理
    """
) | phrases(
    """
    introduction,intro,overview,background,abstract,summary,conclusion,conclusions,contents,
    table of contents,toc,faq,faqs,frequently asked questions,references,appendix,preface,motivation,
    method,methods,results,experiments,discussion,notes,quick start,getting started,outline,agenda,recap,
    definition,definitions,example,examples,implementation,setup,problem,the problem,key ideas,the idea,
    in summary,wrapping up,final thoughts,conclusion and outlook,what is it,how it works,the objective,
    tl;dr,tldr
    """
)

# Openers that say how the text came about, not what it is about: never the start of a title.
FILLER_OPENERS = (
    "本文",
    "本节",
    "本章",
    "本篇",
    "这篇",
    "这一篇",
    "这一节",
    "上一篇",
    "上一节",
    "上篇",
    "上一章",
    "最近",
    "近期",
    "近年来",
    "一般来说",
    "一般而言",
    "通常",
    "众所周知",
    "我们知道",
    "我们",
    "在开篇中",
    "在上一篇",
    "在上一节",
    "在前面",
    "前面",
    "首先",
    "今天",
    "这是",
    "这里",
)
ENGLISH_FILLER = re.compile(
    r"(?:in recent years|in this (?:post|article|tutorial|note|blog post|series)|as we all know|recently|nowadays|"
    r"these days|today|in the previous (?:post|part|article|section))\b",
    re.IGNORECASE,
)

SECTION_NUMBER = re.compile(
    r"""^\s*(?:
        第\s*[0-9一二三四五六七八九十百零两]+\s*[章节篇部讲课回卷](?=\s|$|[:：、.．])  # 第七章, 第 3 节
      | [0-9]{1,3}(?:\s*[.．]\s*[0-9]{1,3})*\s*(?:[.．、:：)）]|\s|$)  # 10.1, 1.1:, 5 总结, 3)
      | [（(]\s*[0-9一二三四五六七八九十]{1,3}\s*[)）]                # (1), （二）
      | [一二三四五六七八九十]{1,3}\s*[、.．:：]                      # 一、
      | (?:part|chapter|section|step|lesson|lecture|unit)\s*[0-9ivx]+\b  # Part 2, Chapter IV
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A number that is part of a name, not a section number: "3D 视觉", "1x1 卷积", "2D-RoPE".
NUMBERED_NAME = re.compile(r"^\s*[0-9]+(?:[a-zA-Z]|[x×][0-9])")

DANGLING_CJK = tuple("的之与和及或并而且在是对把被将从向为以于了着过让使给跟同由等")
# Words that end on one of those characters and still end a title well ("的异同", "存在").
COMPLETE_WORDS = words(
    """
    异同 相同 不同 共同 协同 等同 认同 目的 总和 求和 饱和 存在 现在 潜在 实在 相对 绝对 行为 方向 双向
    单向 反向 正向 导向 自由 理由 合并 平等 相等 对等 参与 涉及 普及 过了 差异 梯度 意义 区别 原因 理由
    """
)
DANGLING_LATIN = words(
    """
    of with and the a an for to in on at by from or nor is are was were be as that which than into via vs its
    their our your this these those about
    """
)
OPEN_BRACKETS = "([{（【《「『“‘<"
BRACKET_PAIRS = {"(": ")", "[": "]", "{": "}", "（": "）", "【": "】", "《": "》", "「": "」", "『": "』"}
TRAILING_MARKS = tuple(",，、:：;；-—–/\\|·") + ("...", "…", "..")
LAST_LATIN_WORD = re.compile(r"([A-Za-z][A-Za-z0-9_]*)$")
PUNCTUATION_AND_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)


def is_cjk_title(title: str) -> bool:
    return bool(CJK_CHAR.search(title))


def max_title_chars(title: str) -> int:
    return MAX_CJK_TITLE_CHARS if is_cjk_title(title) else MAX_LATIN_TITLE_CHARS


def starts_with_section_number(title: str) -> bool:
    return bool(SECTION_NUMBER.match(title)) and not NUMBERED_NAME.match(title)


def generic_core(title: str) -> str:
    """The title folded for the generic-heading test: no section number, no punctuation or spaces
    at the ends, NFKC and case-folded."""
    folded = unicodedata.normalize("NFKC", title).casefold().strip()
    while True:
        before = folded
        match = SECTION_NUMBER.match(folded)
        if match and not NUMBERED_NAME.match(folded):
            folded = folded[match.end() :]
        folded = folded.strip(" \t.,:;!?-—()[]（）【】、，：；！？。")
        if folded == before:
            return re.sub(r"\s+", " ", folded)


def is_generic_title(title: str) -> bool:
    core = generic_core(title)
    return not core or core in GENERIC_TITLES or core.replace(" ", "") in GENERIC_TITLES


def opens_with_generic_heading(title: str) -> bool:
    """A Chinese generic heading glued before the rest (``目录 1. 什么是决策树``, ``概述 RNN``)."""
    folded = unicodedata.normalize("NFKC", title).casefold().strip()
    head = re.match(r"^([\u3400-\u9fff]+)(?:\s|[0-9])", folded)
    return bool(head) and head.group(1) in GENERIC_TITLES


def dangling_end(title: str) -> str | None:
    """The particle or mark a title would dangle on, if any."""
    stripped = title.rstrip()
    for mark in TRAILING_MARKS:
        if stripped.endswith(mark):
            return mark
    if stripped[-1:] in OPEN_BRACKETS:
        return stripped[-1]
    if (
        stripped[-1:] in DANGLING_CJK
        and len(stripped) > 1
        and CJK_CHAR.match(stripped[-2])
        and stripped[-2:] not in COMPLETE_WORDS
    ):
        return stripped[-1]
    word = LAST_LATIN_WORD.search(stripped)
    if word and word.group(1).casefold() in DANGLING_LATIN and len(stripped) > len(word.group(1)):
        return word.group(1)
    return None


def unbalanced_bracket(title: str) -> bool:
    depth: list[str] = []
    for char in title:
        if char in BRACKET_PAIRS:
            depth.append(BRACKET_PAIRS[char])
        elif char in BRACKET_PAIRS.values() and (not depth or depth.pop() != char):
            return True
    return bool(depth)


def ends_mid_word(title: str, text: str) -> bool:
    """The title's last Latin word appears in the excerpt only as the start of a longer word
    (``Transfor`` of ``Transformer``): the title was cut inside it."""
    word = LAST_LATIN_WORD.search(title.rstrip())
    if not word or not text:
        return False
    needle = word.group(1).casefold()
    haystack = unicodedata.normalize("NFKC", text).casefold()
    occurrences = [match.end() for match in re.finditer(re.escape(needle), haystack)]
    if not occurrences:
        return False
    return all(end < len(haystack) and (haystack[end].isascii() and haystack[end].isalnum()) for end in occurrences)


def starts_with_filler(text: str) -> bool:
    """``最近,``, ``本文``, ``一般来说``, ``In recent years``, ``In this post``, …"""
    stripped = text.lstrip()
    return stripped.startswith(FILLER_OPENERS) or bool(ENGLISH_FILLER.match(stripped))


def is_bare_term(title: str) -> bool:
    """One Latin word (``LoRA``, ``RLHF``) or two or three Chinese characters (``暂退法``): a
    name, not yet a title."""
    stripped = title.strip()
    if is_cjk_title(stripped):
        return not re.search(r"[A-Za-z0-9]", stripped) and len(CJK_CHAR.findall(stripped)) < MIN_CJK_TITLE_CHARS
    return len([word for word in re.split(r"[\s:：,，、/]+", stripped) if word]) < 2


def title_problems(title: str, text: str = "") -> list[str]:
    """Every rule ``title`` breaks, as short reasons; empty when an editor would accept it.
    ``text`` is the excerpt the title was made from, for the mid-word test."""
    title = title.strip()
    if not title:
        return ["empty"]
    problems = []
    limit = max_title_chars(title)
    if len(title) > limit:
        problems.append(f"longer than {limit} characters ({len(title)})")
    if is_generic_title(title):
        problems.append("generic heading")
    elif opens_with_generic_heading(title):
        problems.append("opens with a generic heading")
    if starts_with_section_number(title):
        problems.append("starts with a section number")
    if starts_with_filler(title):
        problems.append("opens with a filler")
    if is_bare_term(title):
        problems.append("a bare term, not a title")
    if is_cjk_title(title) and CJK_SENTENCE_MARK.search(title):
        problems.append("reads as a sentence (comma or full stop inside)")
    dangling = dangling_end(title)
    if dangling:
        problems.append(f"ends on {dangling!r}")
    if unbalanced_bracket(title):
        problems.append("unbalanced bracket")
    if ends_mid_word(title, text):
        problems.append("ends mid-word")
    return problems
