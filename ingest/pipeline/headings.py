"""The headings the scraper glued onto the start of an excerpt, found by their structure.

Scraped excerpts lose their line breaks, so an article's title and first section headings
arrive glued to the running text: ``第七章 语义分割 7.2 U-Net 上一节介绍的…``, ``目录 1. 什么是决策树
1.1 …``, ``LoRA 微调的直觉 全参数微调…``, ``How to Solve 'CUDA out of memory' in PyTorch RuntimeError: …``.
``parse_opening`` splits that start into headings (chapter lines, numbered sections, generic
section names, a title), a table of contents, and the offset where the running text begins.
The tagger weighs aliases in headings above those in the body; the titler builds titles from them.

How a heading's end is found:

- **Chinese**: a heading ends at a space, because Chinese running text has none, except the
  typographic spaces around Latin terms (``用 LoRA 微调``). So a space after a bare Latin term
  (``LoRA 微调的直觉``) does not end a heading; neither does one after a word that cannot end a
  phrase (``在``, ``的``, ``一个``), nor one that would leave a heading too long or too short.
  Sentence punctuation ends the search: a heading never holds a comma or a full stop.
- **English**: a heading is a run of title-case words (small words such as ``of``/``the`` may be
  lowercase, code and numbers are neutral); it ends where a lowercase content word shows that a
  sentence has started, the sentence's first (capitalised) word going back to the body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.pipeline.title_rules import GENERIC_TITLES, starts_with_filler


def words(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists read better so)."""
    return frozenset(text.split())


CJK = "\u3400-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
MAX_HEADING_CHARS = 40  # a title heading with a subtitle ("SD 原理拆解：为什么要在潜空间里做扩散")
MAX_PLAIN_HEADING_CHARS = 28  # one without: longer, it is a sentence
MAX_SECTION_HEADING_CHARS = 24  # a numbered section heading is short ("5.3 暂退法")
MAX_TOC_ENTRY_CHARS = 30
HEAD_WINDOW = 80  # how far into the excerpt the script (Chinese or Latin) of the start is judged

CHAPTER = re.compile(r"第\s*[0-9一二三四五六七八九十百零两]+\s*[章节篇部讲课回卷]")
SECTION_NUMBER = re.compile(
    r"""(?:
        [0-9]{1,3}(?:[.．][0-9]{1,3})+[.．]?[:：]?      # 10.1, 1.1:, 5.3.
      | [0-9]{1,3}[.．、)）][:：]?                       # 1. 1、 1)
      | [0-9]{1,3}[:：]                                  # 1:
      | [0-9]{1,3}(?=\s)                                 # 1 (then a space)
      | [（(][0-9一二三四五六七八九十]{1,3}[)）]           # (1) （二）
      | [一二三四五六七八九十]{1,3}[、.．]                  # 一、
      | (?:part|chapter|section|step|lesson|lecture|unit)\s+(?:[0-9]{1,3}|[ivx]{1,5})\b[:：.]?  # Part 2:
      | q[0-9]{1,2}[:：.]                               # Q1: (a question of an FAQ)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
TOC_OPENER = re.compile(r"(?:目录|目錄|contents|table of contents|outline)\s*[:：]?\s+", re.IGNORECASE)
# A generic heading glued before the text ("概述 ", "Overview ", "原理分析 网络架构: ").
GENERIC_HEADING = re.compile(
    "(?:"
    + "|".join(sorted((re.escape(title) for title in GENERIC_TITLES), key=len, reverse=True))
    + r")(?:\s*[:：]\s*|\s+)(?!(?:to|of|and|for|with|in|on|is|are)\b)",
    re.IGNORECASE,
)
# Ends the search for a Chinese heading: headings hold no comma or full stop, and a colon
# followed by a space introduces running text ("包括三个阶段: 有监督微调…").
SENTENCE_STOP = re.compile(r"[。！？；，,;!?]|[:：]\s|\.(?:\s|$)")
HEADING_ENDING_MARKS = "?？!！"  # a question heading keeps its mark: "CoT 为什么有效?"
CLOSING_MARKS = ")）]】」』”’>》"
# A heading cannot end on a word that needs a continuation.
DANGLING_CHARS = set("的之与和及或并而在是对把被将从向为以于着让使给跟同由等到里上中时后个一也都就还很最又再才已用")
DANGLING_WORDS = (
    "一个",
    "一种",
    "一下",
    "需要",
    "使用",
    "采用",
    "包括",
    "包含",
    "比如",
    "例如",
    "通过",
    "关于",
    "基于",
    "对于",
    "根据",
    "作为",
    "成为",
    "叫做",
    "称为",
    "利用",
    "借助",
    "就是",
    "也是",
    "都是",
    "还是",
    "以及",
    "可以",
    "能够",
)
MEASURE_ENDING = re.compile("[一两几每这那][个种下段些点次条份张位篇步]$")  # "…是对齐:一段": a sentence goes on
MIN_HEADING_UNITS = 4  # a CJK character counts 1, a Latin word 2: "RNN 概述" is a heading, "2015 年" is not
SMALL_WORDS = words(
    """
    a an the and but or nor for so yet of in on at to by from with without into onto over under via vs vs. as
    per than up out off is are was were be been being can could will would may might must should do does did has
    have had it its it's we you they i he she our your their this that these those not no
    """
)
# Words that open a sentence, so a capitalised one ends the heading before it ("... Every LSTM tutorial").
SENTENCE_STARTERS = words(
    """
    a an the this that these those every each most many some all our my your we you it its they if when while
    given suppose during despite although though because since in on at for most here there what how why
    """
)


@dataclass(frozen=True)
class Heading:
    text: str  # as written, without its section number
    start: int  # offsets of ``text`` in the excerpt
    end: int
    number: str = ""  # "5.3", "第七章", "一、" or ""
    kind: str = "title"  # "chapter", "section", "title" or "generic"

    @property
    def generic(self) -> bool:
        return self.kind == "generic"


@dataclass(frozen=True)
class Opening:
    headings: tuple[Heading, ...] = ()
    toc: tuple[Heading, ...] = ()  # top-level entries of a table-of-contents opener
    body_start: int = 0
    faq: bool = False  # the text opens with questions and answers (Q1: …)

    @property
    def named(self) -> tuple[Heading, ...]:
        """The headings that name something (not 引言, 概述, …)."""
        return tuple(heading for heading in self.headings if not heading.generic)

    @property
    def heading_spans(self) -> list[tuple[int, int]]:
        return [(heading.start, heading.end) for heading in self.named]


def is_cjk(char: str) -> bool:
    return bool(char) and bool(CJK_CHAR.match(char))


def is_latin_or_digit(char: str) -> bool:
    return bool(char) and char.isascii() and char.isalnum()


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def is_chinese_start(text: str, position: int) -> bool:
    return bool(CJK_CHAR.search(text, position, position + HEAD_WINDOW))


def uses_typographic_spacing(text: str) -> bool:
    """Whether the author spaces Latin terms inside Chinese (``用 LoRA 微调``) rather than gluing
    them (``用LoRA微调``). Decides what a space after a Latin term means."""
    spaced = len(re.findall(rf"[{CJK}] [A-Za-z0-9]|[A-Za-z0-9] [{CJK}]", text))
    glued = len(re.findall(rf"[{CJK}][A-Za-z0-9]|[A-Za-z0-9][{CJK}]", text))
    return spaced >= glued


def _valid_chinese_heading(heading: str, numbered: bool) -> bool:
    heading = heading.strip()
    if numbered:
        limit = MAX_SECTION_HEADING_CHARS
    else:
        limit = MAX_HEADING_CHARS if re.search("：|——", heading) else MAX_PLAIN_HEADING_CHARS
    if not heading or len(heading) > limit:
        return False
    units = len(CJK_CHAR.findall(heading)) + 2 * len(re.findall(r"[A-Za-z][A-Za-z0-9_\-.+]*", heading))
    if not numbered and units < MIN_HEADING_UNITS:
        return False
    if heading[-1] in DANGLING_CHARS or heading.endswith(DANGLING_WORDS) or MEASURE_ENDING.search(heading):
        return False
    # "…包含以下几个模块": a sentence announcing a list, not a heading
    return not starts_with_filler(heading) and not re.search("以下|如下|下列|下面", heading)


def _chinese_heading_end(text: str, start: int, numbered: bool, spaced_style: bool) -> int | None:
    """Where a Chinese heading starting at ``start`` ends, or None when the start is a sentence."""
    stop = SENTENCE_STOP.search(text, start)
    limit = min(len(text), start + MAX_HEADING_CHARS + 2, stop.start() if stop else len(text))
    if stop and stop.group()[:1] in HEADING_ENDING_MARKS and stop.start() < start + MAX_HEADING_CHARS:
        # "CoT 为什么有效? 最近…": a question heading, if a space (the glue) follows its mark.
        after = stop.end()
        if after >= len(text) or text[after].isspace():
            for space in re.finditer(r"\s+", text[start : stop.start()]):
                candidate = _break_at(text, start, start + space.start(), start + space.end(), numbered, spaced_style)
                if candidate is not None:
                    return candidate
            if _valid_chinese_heading(text[start:after].rstrip("?？!！"), numbered) or numbered:
                return after
            return None
    for space in re.finditer(r"\s+", text[start:limit]):
        candidate = _break_at(text, start, start + space.start(), start + space.end(), numbered, spaced_style)
        if candidate is not None:
            return candidate
    return None


def _break_at(
    text: str, start: int, space_start: int, space_end: int, numbered: bool, spaced_style: bool
) -> int | None:
    left, right = text[space_start - 1 : space_start], text[space_end : space_end + 1]
    if not right:
        return None
    heading = text[start:space_start]
    if is_latin_or_digit(left):
        # "LoRA 微调…", "Scaling Law 笔记": in typographic style a space after a Latin term is
        # spacing. An author who glues terms (`在介绍Transformer前`) spaces only at breaks, after
        # a heading that holds Chinese ("取代RNN——Transformer 在介绍…"), never after a bare term.
        if spaced_style or not CJK_CHAR.search(heading) or not (is_cjk(right) or right.isdigit()):
            return None  # ("DDP Pytorch例子": a space between Latin words is never a break)
    elif is_cjk(left) or left in CLOSING_MARKS or left in "?？!！":
        if not (is_cjk(right) or is_latin_or_digit(right) or right in "“‘\"'(（《「【"):
            return None
        if _lone_term_then_stop(text, space_end):
            return None  # "…全面取代了 GAN。": the space sits inside a sentence
    else:
        return None  # after "+", "—", "、": the heading goes on
    if _valid_chinese_heading(heading, numbered):
        return space_start
    return None


def _lone_term_then_stop(text: str, position: int) -> bool:
    """A single Latin token right before a sentence stop: ``取代了 GAN。``."""
    return bool(re.match(r"[A-Za-z0-9][\w\-.+/]*\s*(?:[。！？；，,;!?]|\.(?:\s|$)|$)", text[position : position + 40]))


def _english_heading_end(text: str, start: int) -> int | None:
    """The end of a run of title-case words starting at ``start``; None if a sentence starts there."""
    tokens = []
    for match in re.finditer(r"'[^']{1,40}'|\"[^\"]{1,40}\"|\([^()]{1,60}\)|\S+", text[start : start + 200]):
        tokens.append((start + match.start(), start + match.end(), match.group()))
    kinds = [_english_kind(token) for _, _, token in tokens]
    end_index = None
    for index, (kind, (_, _, token)) in enumerate(zip(kinds, tokens, strict=True)):
        if kind == "lower":
            end_index = _sentence_start(tokens, kinds, index)
            break
        if token[-1:] in "?!" and index > 0:
            return tokens[index][1]
        if token.endswith(".") and not re.fullmatch(r"[0-9.]+|[A-Za-z]\.|vs\.|[A-Z][a-z]{0,3}\.", token):
            # A full stop: a sentence ran on in capitals ("RuntimeError: CUDA out of memory.").
            end_index = _sentence_start(tokens, kinds, index + 1 if kind == "cap" else index)
            break
    if end_index is None:
        return None
    while end_index > 0 and re.fullmatch(r"[A-Za-z][A-Za-z0-9_.]*[:：]", tokens[end_index - 1][2]):
        end_index -= 1  # "… Networks Q: What does", "… in PyTorch RuntimeError: CUDA…": a label opens the body
    if end_index == 0:
        return None
    return tokens[end_index - 1][1]


def _english_kind(token: str) -> str:
    word = token.strip("\"'“”‘’,:;()[]")
    if not word or not any(char.isalpha() for char in word):
        return "neutral"
    if token[0] in "'\"(“‘" or re.search(r"[_.()/\\]|[0-9]", word) or word.isupper():
        return "cap" if word[0].isupper() else "neutral"
    if word[0].isupper():
        return "cap"
    if word.casefold() in SMALL_WORDS:
        return "small"
    return "lower"


def _sentence_start(tokens: list, kinds: list[str], lower_index: int) -> int | None:
    """The index of the token that opens the sentence whose lowercase word is at ``lower_index``."""
    caps = [index for index in range(lower_index) if kinds[index] == "cap"]
    if not caps:
        return None
    start = caps[-1]
    for index in range(caps[-1] - 1, max(-1, caps[-1] - 3), -1):
        if kinds[index] == "cap" and tokens[index][2].strip("\"'“”").casefold() in SENTENCE_STARTERS:
            start = index
    return start


def _heading_at(text: str, position: int, numbered: bool, spaced_style: bool) -> int | None:
    if is_chinese_start(text, position):
        return _chinese_heading_end(text, position, numbered, spaced_style)
    if numbered:
        end = _english_heading_end(text, position)
        return end
    return _english_heading_end(text, position)


def _generic_heading(text: str, position: int) -> re.Match | None:
    # The match needs a space or colon after the name: "背景减除" is a word, not the heading "背景".
    return GENERIC_HEADING.match(text, position)


def _parse_toc(text: str, position: int) -> tuple[list[Heading], int]:
    """Top-level entries of ``目录 1. 什么是决策树 1.1 … 2. …`` and where the real text starts."""
    markers = []
    for match in re.finditer(r"(?:^|(?<=\s))(" + SECTION_NUMBER.pattern + r")\s*", text[position:], re.I | re.X):
        markers.append((position + match.start(), position + match.end(), match.group(1)))
    entries: list[Heading] = []
    first_number = markers[0][2] if markers else None
    end = position
    for index, (marker_start, text_start, number) in enumerate(markers):
        if marker_start != _skip_spaces(text, end if index else position):
            break  # text between entries that is not an entry: the TOC is over
        next_start = markers[index + 1][0] if index + 1 < len(markers) else len(text)
        entry = text[text_start:next_start].strip()
        if index and number == first_number:
            return entries, marker_start  # the first section starts again: the TOC is over
        if len(entry) > MAX_TOC_ENTRY_CHARS:
            return entries, marker_start
        end = next_start
        if not re.search(r"[0-9][.．][0-9]", number) and entry:
            entries.append(Heading(entry.rstrip("…."), text_start, text_start + len(entry), number.strip(), "section"))
    return entries, len(text) if markers else position


def parse_opening(text: str) -> Opening:
    """Split the start of an excerpt into glued headings and the running text."""
    spaced_style = uses_typographic_spacing(text)
    headings: list[Heading] = []
    toc: list[Heading] = []
    faq = False
    position = _skip_spaces(text, 0)
    for _ in range(8):  # chapter, section, generic headings: a few at most
        position = _skip_spaces(text, position)
        if position >= len(text):
            break
        named = any(not heading.generic for heading in headings)
        toc_match = TOC_OPENER.match(text, position)
        if not toc and not named and toc_match and SECTION_NUMBER.match(text, toc_match.end()):
            headings.append(
                Heading(text[position : toc_match.end()].strip(), position, toc_match.end(), kind="generic")
            )
            entries, position = _parse_toc(text, toc_match.end())
            toc.extend(entries)
            continue
        chapter = CHAPTER.match(text, position)
        if chapter and not named:
            title_start = _skip_spaces(text, chapter.end())
            end = _heading_at(text, title_start, True, spaced_style) or _next_section(text, title_start)
            if end is None:
                break
            headings.append(Heading(text[title_start:end].strip(), title_start, end, chapter.group(), "chapter"))
            position = end
            continue
        number = SECTION_NUMBER.match(text, position)
        after_chapter = bool(headings) and headings[-1].kind == "chapter"
        if number and (after_chapter or not named or _generic_follows(text, number.end())):
            if number.group().casefold().startswith("q"):
                faq = True
                break
            title_start = _skip_spaces(text, number.end())
            generic = _generic_heading(text, title_start)
            if generic:
                headings.append(
                    Heading(generic.group().strip(" :："), title_start, generic.end(), number.group(), "generic")
                )
                position = generic.end()
                continue
            if named and not after_chapter:
                break
            end = _heading_at(text, title_start, True, spaced_style)
            if end is None:
                end = _leading_term_end(text, title_start)
            if end is None:
                break
            headings.append(Heading(text[title_start:end].strip(), title_start, end, number.group().strip(), "section"))
            position = end
            continue
        generic = _generic_heading(text, position)
        if generic:
            headings.append(Heading(generic.group().strip(" :："), position, generic.end(), kind="generic"))
            position = generic.end()
            continue
        if named:
            break
        end = _heading_at(text, position, False, spaced_style)
        if end is None:
            break
        heading = text[position:end].strip()
        if starts_with_filler(heading):
            break
        headings.append(Heading(heading, position, end, kind="title"))
        position = end
    return Opening(tuple(headings), tuple(toc), _skip_spaces(text, position), faq)


def _generic_follows(text: str, position: int) -> bool:
    return bool(_generic_heading(text, _skip_spaces(text, position)))


def _next_section(text: str, position: int) -> int | None:
    """A chapter title runs up to the first numbered section: ``第九章 图像分割 9.1 …``."""
    for match in re.finditer(r"\s+", text[position : position + MAX_HEADING_CHARS]):
        if SECTION_NUMBER.match(text, position + match.end()):
            return position + match.start()
    return None


def _leading_term_end(text: str, position: int) -> int | None:
    """After a section number with no clean heading, a leading Latin term is the heading
    (``1 KVCache 大模型的自回归生成…``, ``5.2 Q-learning 上一节的…``)."""
    match = re.match(r"[A-Za-z][A-Za-z0-9_\-+./]*(?: [A-Z][A-Za-z0-9_\-+./]*)?(?=\s)", text[position:])
    if match and is_cjk(text[position + match.end() + 1 : position + match.end() + 2]):
        return position + match.end()
    return None


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()
