"""Titles an editor would accept, for excerpts that rarely carry one.

Runs after tagging, because a title names the article's subject and the tagger knows it.

1. The headings the scraper glued onto the text (``headings.parse_opening``) come first:
   a chapter with its first section (``第七章 语义分割 7.2 U-Net`` → ``语义分割：U-Net``); the
   author's title (``LoRA 微调的直觉``, ``How to Solve 'CUDA out of memory' in PyTorch``); a
   numbered first section, which names the article only if it names its subject
   (``1.1 为什么需要联邦学习``), otherwise it becomes the subtitle of one
   (``4.3 滑动窗口与数据泄露`` → ``时间序列：滑动窗口与数据泄露``). Section numbers, generic
   headings (引言, 目录, Overview) and filler openers (最近, 本文, In this post) never make a title.
2. Without a usable heading the title is composed: the subject (how the article names its
   primary topic) and the excerpt's key phrases, from a table of contents opener, the other
   taxonomy terms it uses, or keyword extraction (``KV 缓存：MQA 与 GQA``), rather than a
   sentence cut short.
3. Every candidate must pass ``title_rules.title_problems``; a curated override file
   (``titles.yml``: ``article id -> title``) always wins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline.headings import Heading, Opening, is_chinese_start, parse_opening
from ingest.pipeline.keyphrases import english_terms
from ingest.pipeline.tag import TagDecision, match_form
from ingest.pipeline.title_rules import (
    ENGLISH_FILLER,
    FILLER_OPENERS,
    GENERIC_TITLES,
    NUMBERED_NAME,
    SECTION_NUMBER,
    dangling_end,
    is_cjk_title,
    is_generic_title,
    max_title_chars,
    title_problems,
)
from ingest.shared.model import Problem
from ingest.shared.plaintext import breaks_lines, one_line
from ingest.shared.yamlfile import LINE_KEY, line_of, load_yaml

CJK = r"\u3400-\u9fff"
CJK_THEN_LATIN = re.compile(rf"([{CJK}])([A-Za-z0-9@\u0370-\u03ff])")  # Greek too: "与 ε-greedy"
LATIN_THEN_CJK = re.compile(rf"([A-Za-z0-9)\u0370-\u03ff])([{CJK}])")
MAX_PHRASE_CHARS = 18
MAX_SUBJECT_CJK_CHARS = 12  # longer topic names ("隐马尔可夫模型与条件随机场") do not head a title
MAX_SUBJECT_LATIN_CHARS = 32
COMMON_TOPIC_SHARE = 0.1  # a topic named by this share of all texts (大模型, Transformer) is context, not a key phrase
MAX_COMPOSED_CJK_CHARS = 32
MAX_COMPOSED_LATIN_CHARS = 64
CLAUSE_END = re.compile(r"[。！？；，,;!?:：]|\.(?:\s|$)|\.\.\.|…")
TRAILING_GENERIC = re.compile(
    r"\s*(?:introduction|overview|简介|介绍|概述|总结|目录|前言|引言)\s*$",
    re.IGNORECASE,
)
# What the title keeps of a heading's ending marks: a question mark stays, "!" and "。" go.
DROPPED_ENDINGS = "!！。.~～"
# A generic heading glued to the start of a clause ("目录 什么是…", "Overview: …").
LEADING_GENERIC = re.compile(
    r"^(?:" + "|".join(sorted(map(re.escape, GENERIC_TITLES), key=len, reverse=True)) + r")(?:\s+|[:：、])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Subject:
    """What the tagger knows about an article, for its title."""

    name: str  # how the article names its primary topic ("KV缓存", "LoRA", "MQA 与 GQA")
    aliases: tuple[str, ...] = ()  # every way the article names that topic, in match form
    phrases: tuple[str, ...] = ()  # other taxonomy terms it uses, strongest first
    synonyms: tuple[str, ...] = ()  # names that mean the subject itself, never a key phrase of it


@dataclass(frozen=True)
class TitleChoice:
    title: str
    reason: str


def subject_for(decision: TagDecision, text: str, taxonomy) -> Subject | None:
    """How the article names its primary topic, and the other taxonomy terms it uses.

    The name is the topic's own (``激活函数``, ``Activation functions``) when the article uses
    several of its aliases (``ReLU``, ``GELU``, ``SwiGLU``: it is about the family, and those are
    its key phrases), otherwise the article's own word for it (``KV缓存``, ``LoRA``).
    """
    if not decision.topics:
        return None
    topic = taxonomy.topic(decision.topics[0])
    chinese = is_chinese_start(text, 0)
    by_key: dict[str, list] = {}
    for contribution in decision.evidence[topic.id].contributions:
        by_key.setdefault(contribution.match.key, []).append(contribution.match)
    display = _display_name(topic.zh if chinese else topic.en)
    synonyms = {match_form(display).strip(), *_synonyms(topic)}
    instances = [key for key in by_key if key not in synonyms]
    halves = [match_form(part).strip() for part in re.split(r"\s*与\s*", _display_name(topic.zh))]
    both_halves = len(halves) > 1 and all(half in by_key for half in halves)  # "MQA 与 GQA", both discussed
    if both_halves or (
        len(by_key) > 1 and len(display) <= (MAX_SUBJECT_CJK_CHARS if chinese else MAX_SUBJECT_LATIN_CHARS)
    ):
        name = display
        if both_halves:
            instances = [key for key in instances if key not in halves]
    else:

        def prominence(key: str) -> tuple:
            matches = by_key[key]
            return (-max(match.zone_weight for match in matches), -len(matches), min(match.start for match in matches))

        best = sorted(by_key, key=prominence)[0]
        first = min(by_key[best], key=lambda match: (-match.zone_weight, match.start))
        name = text[first.start : first.end].strip()
        instances = [key for key in instances if key != best]
        synonyms.add(best)
    ranked = sorted(
        (
            contribution
            for topic_id, item in decision.evidence.items()
            for contribution in item.contributions
            if not contribution.gloss
            and ((topic_id != topic.id and item.share < COMMON_TOPIC_SHARE) or contribution.match.key in instances)
        ),
        key=lambda contribution: (-contribution.value, contribution.match.start),
    )
    phrases: list[str] = []
    phrase_topics: set[str] = set()
    for contribution in ranked:
        surface = text[contribution.match.start : contribution.match.end].strip()
        owner = contribution.match.topic_ids[0]
        if owner != topic.id and owner in phrase_topics:
            continue  # one phrase per other topic: "He 初始化与权重初始化" says one thing twice
        if surface and surface not in phrases and _same_script(surface, chinese):
            phrases.append(surface)
            phrase_topics.add(owner)
    aliases = tuple(sorted(set(by_key) | synonyms))
    return Subject(name, aliases, tuple(phrases), tuple(sorted(synonyms)))


def _display_name(name: str) -> str:
    """``Rotary position embedding (RoPE)`` -> ``Rotary position embedding``."""
    return re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", name).strip()


def _synonyms(topic) -> frozenset[str]:
    """Names that mean the topic itself, not an instance of it: its names and the initials of
    its English name (PCA, MoE, GAN)."""
    return _synonyms_of_names(topic.zh, topic.en)


@functools.cache  # asked once per article, of a few hundred topics
def _synonyms_of_names(zh: str, en: str) -> frozenset[str]:
    names = {match_form(_display_name(name)).strip() for name in (zh, en)}
    words = re.findall(r"[A-Za-z]+", _display_name(en))
    if len(words) > 1:
        names.add("".join(word[0] for word in words).casefold())
        names.add("".join(word[0] for word in words if word.casefold() not in ("and", "of", "for")).casefold())
    return frozenset(names)


def _same_script(phrase: str, chinese: bool) -> bool:
    """A Chinese title may name Latin terms; an English one holds no Chinese."""
    return chinese or not re.search(r"[\u3400-\u9fff]", phrase)


def space_cjk_and_latin(title: str) -> str:
    """Put a space between Chinese and Latin runs, as Chinese technical writing does."""
    return LATIN_THEN_CJK.sub(r"\1 \2", CJK_THEN_LATIN.sub(r"\1 \2", title))


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,，:：;；-—、")
    stripped = TRAILING_GENERIC.sub("", text).strip(" ,，:：;；-—、")
    if re.search(r"[\s：:]", stripped):  # "… Chinchilla 简介" loses 简介; "RNN 概述" stays a title
        text = stripped
    while text and text[-1] in DROPPED_ENDINGS:
        text = text[:-1].rstrip()
    return space_cjk_and_latin(text)


def _fold(text: str) -> str:
    return re.sub(r"[\s\-_]", "", text.casefold())


def _names_subject(text: str, subject: Subject | None) -> bool:
    """Whether ``text`` names the subject: one of its aliases, or a half of a compound topic
    name (``偏置`` of ``感知机与偏置``)."""
    if subject is None:
        return False
    folded = _fold(text)
    names = [subject.name, *subject.aliases]
    names += [half for name in names for half in re.split(r"\s*(?:与|and)\s*", name) if len(half) >= 2]
    return any(_fold(name) in folded for name in names if name)


def _acceptable(title: str, text: str) -> bool:
    return bool(title) and not title_problems(title, text)


def choose_title(
    text: str,
    subject: Subject | None = None,
    opening: Opening | None = None,
    is_term: Callable[[str], bool] = lambda candidate: False,
    keywords: Callable[[str], list[str]] | None = None,
) -> TitleChoice:
    """The title for excerpt ``text`` and why it was chosen."""
    opening = opening or parse_opening(text)
    chinese = is_chinese_start(text, 0)
    named = opening.named
    chapter = next((heading for heading in named if heading.kind == "chapter"), None)
    section = next((heading for heading in named if heading.kind in ("section", "title")), None)

    if chapter is not None:
        chapter_text = _tidy(chapter.text)
        if section is not None and not is_generic_title(section.text):
            joined = f"{chapter_text}：{_tidy(section.text)}" if chinese else f"{chapter_text}: {_tidy(section.text)}"
            if _acceptable(joined, text):
                return TitleChoice(joined, f"chapter {chapter.number} and its first section {section.number}")
        if _acceptable(chapter_text, text) and not is_term(chapter.text):
            return TitleChoice(chapter_text, f"chapter heading {chapter.number}")

    if section is not None and not opening.toc:
        heading = _tidy(section.text)
        where = f"numbered section {section.number}" if section.number else "the heading glued to the text"
        bare = is_term(re.sub(r"[(（][^()（）]*[)）]", "", section.text).strip())
        if _acceptable(heading, text) and not bare and (not section.number or _names_subject(heading, subject)):
            return TitleChoice(heading, f"{where}: {section.text!r}")
        if subject is not None and _acceptable(heading, text) and not _names_subject(heading, subject):
            composed = _compose(subject.name, [heading], chinese, text)
            if composed:
                return TitleChoice(composed, f"subject {subject.name!r} with {where} as subtitle")
        if bare or (subject is not None and _names_subject(heading, subject)):
            name = heading if bare else subject.name
            phrases = _phrases(text, opening, subject, keywords, chinese, exclude=name)
            composed = _compose(name, phrases, chinese, text)
            if composed:
                return TitleChoice(composed, f"{where} is a bare term {heading!r}; composed with {phrases[:2]}")

    if subject is not None:
        if opening.toc:
            entries = [_tidy(_strip_subject(entry.text, subject)) for entry in opening.toc]
            entries = [entry for entry in entries if entry and not is_generic_title(entry)]
            composed = _compose(subject.name, entries, chinese, text, most=3)
            if composed:
                return TitleChoice(composed, f"subject {subject.name!r} with the table of contents {entries[:3]}")
        phrases = _phrases(text, opening, subject, keywords, chinese, exclude=subject.name)
        composed = _compose(subject.name, phrases, chinese, text)
        if composed:
            return TitleChoice(composed, f"no usable heading; subject {subject.name!r} with key phrases {phrases[:2]}")
        composed = _compose(subject.name, [], chinese, text)
        if composed:
            return TitleChoice(composed, f"no usable heading and no key phrase; the subject's name {subject.name!r}")

    return _fallback(text, opening, chinese, keywords)


def _strip_subject(entry: str, subject: Subject) -> str:
    """``决策树的基本流程`` under the subject ``决策树`` is ``基本流程``; ``什么是梯度累加`` is nothing new."""
    stripped = entry
    for alias in sorted((subject.name, *subject.aliases), key=len, reverse=True):
        pattern = re.compile(re.escape(alias).replace(r"\ ", r"\s*"), re.IGNORECASE)
        stripped = pattern.sub("", stripped, count=1)
        if stripped != entry:
            break
    if stripped == entry:
        return entry
    stripped = re.sub(r"^(?:的|之|中的|里的|\s)+", "", stripped.strip())
    if re.fullmatch(r"(?:什么是|为什么需要|为什么要用|什么叫|何为|是什么|为什么|\s)*", stripped):
        return ""
    return stripped


def _phrases(
    text: str,
    opening: Opening,
    subject: Subject,
    keywords: Callable[[str], list[str]] | None,
    chinese: bool,
    exclude: str,
) -> list[str]:
    """Key phrases for a composed title: the taxonomy terms the text uses; keyword extraction
    over the opening only when the taxonomy finds none (it costs far more than the tagging)."""
    phrases = list(subject.phrases)
    if not _distinct(phrases, exclude, subject):
        body = text[opening.body_start :]
        if chinese and keywords is not None:
            phrases.extend(keywords(body))
        elif not chinese:
            phrases.extend(english_terms(body))
    return _distinct(phrases, exclude, subject)


def _distinct(phrases: Sequence[str], exclude: str, subject: Subject) -> list[str]:
    # A phrase inside the subject's name or holding it says nothing new ("归一化" under "层归一化");
    # the topic's other names are only excluded as they are (a long one may hold a real phrase).
    seen = [_fold(exclude)]
    synonyms = {_fold(alias) for alias in subject.synonyms}
    kept = []
    for phrase in phrases:
        phrase = _tidy(phrase)
        folded = _fold(phrase)
        if not folded or len(phrase) > MAX_PHRASE_CHARS or is_generic_title(phrase) or folded in GENERIC_TITLES:
            continue
        if not (phrase[0].isalnum() or "\u3400" <= phrase[0] <= "\u9fff"):
            continue  # "[CLS]", ".backward()": code, not a phrase for a title
        if folded in synonyms or any(folded in other or other in folded for other in seen if other):
            continue
        seen.append(folded)
        kept.append(phrase)
    return kept


def _compose(name: str, phrases: Sequence[str], chinese: bool, text: str, most: int = 2) -> str | None:
    """``KV 缓存：MQA 与 GQA`` / ``Super-resolution: SRCNN and ESRGAN``, as many phrases as fit."""
    name = _tidy(name)
    if not chinese and name[:1].islower():
        name = name[0].upper() + name[1:]
    for count in range(min(most, len(phrases)), 0, -1):
        chosen = list(phrases[:count])
        if chinese:
            # "检索与重排" already holds a 与: list with 、 only, or the joins read ambiguously.
            joiner = "、" if any(re.search("[与和及]", phrase) for phrase in chosen) else "与"
            tail = chosen[0] if count == 1 else "、".join(chosen[:-1]) + joiner + chosen[-1]
            title = space_cjk_and_latin(f"{name}：{tail}")
        else:
            joiner = ", " if any(" and " in phrase for phrase in chosen) else " and "
            tail = chosen[0] if count == 1 else ", ".join(chosen[:-1]) + joiner + chosen[-1]
            title = f"{name}: {tail}"
        if len(title) <= _composed_limit(title) and _acceptable(title, text):
            return title
    if not phrases and _acceptable(name, text) and _multiword(name):
        return name
    return None


def _composed_limit(title: str) -> int:
    """Composed titles stay well under the hard limits: a name and two short phrases."""
    return MAX_COMPOSED_CJK_CHARS if re.search(r"[\u3400-\u9fff]", title) else MAX_COMPOSED_LATIN_CHARS


def _multiword(name: str) -> bool:
    """A topic's name on its own can title an article ("Direct preference optimization"), a
    single term cannot ("LoRA")."""
    return len(re.findall(r"[A-Za-z]+", name)) >= 2 or len(re.findall(r"[\u3400-\u9fff]", name)) >= 4


def _fallback(text: str, opening: Opening, chinese: bool, keywords) -> TitleChoice:
    """No topic and no heading (an article nothing in the taxonomy fits). Candidates in order of
    preference, the first an editor would accept wins: a named heading, the table of contents,
    one of the opening clauses once a filler opener or section number is dropped, the key terms.
    When none passes, the candidate that breaks the fewest rules."""
    candidates = [(_tidy(heading.text), f"heading {heading.text!r}") for heading in opening.named]
    entries = [_tidy(entry.text) for entry in opening.toc if not is_generic_title(entry.text)]
    if len(entries) >= 2:
        joined = ("、" if chinese else ", ").join(entries[:3])
        candidates.append((space_cjk_and_latin(joined), f"the table of contents {entries[:3]}"))
    body = text[opening.body_start :]
    for clause in CLAUSE_END.split(body)[:4]:
        clause = _tidy(_drop_opener(clause))
        if clause:
            candidates.append((clause, "an opening clause (no topic, no heading)"))
    terms = (keywords(body) if chinese and keywords else english_terms(body))[:3]
    if len(terms) >= 2:
        title = "、".join(terms) if chinese else ", ".join(terms)
        candidates.append((space_cjk_and_latin(title), "key terms (no topic, no heading)"))
    for candidate, reason in candidates:
        if _acceptable(candidate, text):
            return TitleChoice(candidate, reason)
    scored = [(len(title_problems(_cut(c), text)), index, _cut(c), r) for index, (c, r) in enumerate(candidates) if c]
    if not scored:
        return TitleChoice(text.strip()[:20], "the opening, cut (nothing better found)")
    _, _, title, reason = min(scored)
    return TitleChoice(title, f"{reason}, the least bad candidate")


def _drop_opener(clause: str) -> str:
    """``最近大模型…`` → ``大模型…``, ``In recent years transformers…`` → ``transformers…``,
    ``目录 1. 什么是…`` → ``什么是…``: what says how a text begins is not its subject."""
    previous = None
    while clause != previous:
        previous = clause
        clause = clause.strip()
        clause = SECTION_NUMBER.sub("", clause, count=1) if not NUMBERED_NAME.match(clause) else clause
        clause = LEADING_GENERIC.sub("", clause, count=1)
        filler = next((opener for opener in FILLER_OPENERS if clause.startswith(opener)), None)
        if filler:
            clause = clause[len(filler) :]
        else:
            clause = ENGLISH_FILLER.sub("", clause, count=1) if ENGLISH_FILLER.match(clause) else clause
    return clause


def _cut(candidate: str) -> str:
    """A candidate cut to the length limit at a word or character boundary, without a dangling end."""
    limit = max_title_chars(candidate)
    if len(candidate) <= limit:
        return candidate
    cut = candidate[:limit]
    if not is_cjk_title(cut) and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    while cut and dangling_end(cut):
        cut = cut[:-1].rstrip()
    return cut or candidate[:limit]


def guess_title(text: str, subject: Subject | None = None, **hints) -> str:
    return choose_title(text, subject, **hints).title


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


__all__ = ["Heading", "Subject", "TitleChoice", "choose_title", "guess_title", "load_title_overrides"]
