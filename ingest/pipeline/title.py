"""Readable titles for excerpts, which rarely carry one.

Many excerpts open with a generic section heading (``引言与背景``, ``概述``); those are
skipped. The title is then the opening sentence, shortened to its subject when it is long.
A curated override file (``titles.yml``: ``article id -> title``) always wins.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.shared.model import Problem
from ingest.shared.plaintext import breaks_lines, one_line
from ingest.shared.yamlfile import LINE_KEY, line_of, load_yaml

GENERIC_HEADINGS = (
    "引言与背景",
    "引言",
    "背景",
    "概述",
    "简介",
    "介绍",
    "前言",
    "摘要",
    "导读",
    "原理分析",
    "原理",
    "推导",
    "模型概述",
    "基础概念",
    "相同点",
    "不同点",
    "总结",
    "网络架构",
    "模型架构",
    "quick start",
    "introduction",
    "overview",
    "background",
    "abstract",
    "summary",
)
MAX_TITLE_CHARS = 30
MIN_TITLE_CHARS = 4
MAX_HEADING_CHARS = 24
# A heading ends at a space, unless the space sits between two Latin letters ("Quick Start").
HEADING_BREAK = re.compile(r"(?<![A-Za-z]) | (?![A-Za-z(])")
SUBJECT_FOLLOWERS = ("是", "的", "为")
SENTENCE_END = re.compile(r"[。！？!?；;]|\.\s|\.\.\.|…")
CLAUSE_END = re.compile(r"[,，:：]")
# "随机逼近(Stochastic Approximation)是..." -> "随机逼近(Stochastic Approximation)"
LEADING_TERM = re.compile(r"^([^,，。:：()（）]{1,20}[(（][^()（）]{2,60}[)）])")
CJK = r"\u3400-\u9fff"
CJK_THEN_LATIN = re.compile(rf"([{CJK}])([A-Za-z0-9@])")
LATIN_THEN_CJK = re.compile(rf"([A-Za-z0-9)])([{CJK}])")


def strip_generic_headings(text: str) -> str:
    """Drop generic headings (and a list number such as ``1.``) from the start, repeatedly."""
    remaining = text.strip()
    while True:
        before = remaining
        remaining = re.sub(r"^\d{1,2}[.、]\s*", "", remaining)
        folded = remaining.casefold()  # once, not once per heading: it dominated at 50,000 articles
        for heading in GENERIC_HEADINGS:
            if folded.startswith(heading) and len(remaining) > len(heading):
                following = remaining[len(heading)]
                if following in " :：\u3000" or not following.isascii():
                    remaining = remaining[len(heading) :].lstrip(" :：\u3000")
                    break
        if remaining == before:
            return remaining


def space_cjk_and_latin(title: str) -> str:
    """Put a space between Chinese and Latin runs, as Chinese technical writing does."""
    return LATIN_THEN_CJK.sub(r"\1 \2", CJK_THEN_LATIN.sub(r"\1 \2", title))


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_TITLE_CHARS:
        return sentence
    subject = sentence.split("是", 1)[0]
    if MIN_TITLE_CHARS <= len(subject) <= MAX_TITLE_CHARS and not CLAUSE_END.search(subject):
        return subject
    clause = CLAUSE_END.split(sentence, 1)[0]
    if MIN_TITLE_CHARS <= len(clause) <= MAX_TITLE_CHARS:
        return clause
    return sentence[: MAX_TITLE_CHARS - 1].rstrip() + "…"


def leading_heading(body: str) -> str | None:
    """A short heading the scraper joined to the text with a space (``RNN 概述 在前面...``)."""
    for match in HEADING_BREAK.finditer(body):
        heading, rest = body[: match.start()], body[match.end() :]
        if len(heading) > MAX_HEADING_CHARS or SENTENCE_END.search(heading) or CLAUSE_END.search(heading):
            return None
        if rest[:1] in SUBJECT_FOLLOWERS:
            return None  # "KimiVL 是..." opens a sentence, not a heading
        next_word = rest.split(" ", 1)[0]
        if next_word.casefold() in GENERIC_HEADINGS:
            return f"{heading} {next_word}"
        return heading
    return None


def guess_title(text: str) -> str:
    body = strip_generic_headings(text)
    term = LEADING_TERM.match(body)
    if term:
        candidate = term.group(1)
    else:
        first_sentence = SENTENCE_END.split(body, 1)[0].strip()
        candidate = leading_heading(body) or _shorten(first_sentence)
    candidate = candidate.strip(" ,，:：-—")
    if len(candidate) < MIN_TITLE_CHARS:
        candidate = _shorten(body)
    return space_cjk_and_latin(candidate)


def load_title_overrides(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """``titles.yml`` maps article ids to curated titles. A missing file means no overrides."""
    if not path.exists():
        return {}, []
    data, problem = load_yaml(path)
    if problem:
        return {}, [problem]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem(path.as_posix(), 1, "expected a mapping of article id to title")]
    overrides, problems = {}, []
    for key, value in data.items():
        if key == LINE_KEY:
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(path.as_posix(), line_of(data), f"title for {key!r} must be a non-empty string"))
            continue
        if breaks_lines(value.strip()):
            # Used with spaces instead: a line break in a title would break the pages listing it.
            problems.append(
                Problem(path.as_posix(), line_of(data), f"title for {key!r} holds a line break or control character")
            )
        overrides[str(key)] = one_line(value).strip()
    return overrides, problems
