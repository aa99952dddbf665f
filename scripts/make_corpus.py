"""Write synthetic feed dumps in the real format, knowing exactly how many distinct articles they hold.

    python scripts/make_corpus.py --entries 100000 --out build/corpus --seed 1 [--files 4] [--articles N]
        [--extra-entries 1000 --extra-out build/new-dump]

The dumps look like the bundled ones: the ``INCOMING TRANSMISSION`` / ``LATEST UPDATES`` header,
one excerpt per line, and now and then a category (``Python``) and a date line before an entry.
Articles mix Chinese and English ML prose built around the taxonomy's aliases (so the ingest tags
them), with the scraper's ``[公式]``/``[Math]``/``[代码]`` placeholders, 300-1000 characters each.

Every article is written at least once; the remaining entries are copies of random articles:
exact copies, copies cut short with ``...`` or ``…``, full-width punctuation and doubled-space
variants. Some pairs of distinct articles share a whole paragraph.

The distinct count is true by construction, not measured with the ingest. The generator keeps
the conditions under which "same article" is decidable at all:

* every copy differs from its article only in punctuation and spacing, or is a prefix of it;
* a cut copy keeps more letters than any other article shares with this one at its start
  (the first distinguishing character), so no cut copy could belong to two articles, and never
  fewer than ``MIN_CUT_LETTERS``;
* shared paragraphs never open an article, and stay short enough that two articles sharing one
  remain far apart as whole texts (checked: ``MAX_SHARED_JACCARD``).

The manifest (``manifest.json`` next to the dumps, also printed as JSON) gives the counts.

``--extra-entries N --extra-out DIR`` also writes the next dump of the same blog: N more entries
of the same article set (new articles among them) in one file in DIR, the way a new dump adds
to the old ones. ``articles`` then counts the articles of ``--out`` alone and
``articles_with_extra`` those of both folders together.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "taxonomy.yml"

HEADER = ("INCOMING TRANSMISSION", "", "LATEST UPDATES")
MIN_ARTICLE_CHARS = 300
MAX_ARTICLE_CHARS = 1000
MIN_CUT_LETTERS = 40  # well above the ingest's 12-character minimum for a truncated copy
SHINGLE_CHARS = 5
MAX_SHARED_JACCARD = 0.5  # far below the ingest's 0.85 near-duplicate threshold
DEFAULT_COPIES_PER_ARTICLE = 2.0  # the bundled dumps: 51 entries, 28 articles
SHARED_PARAGRAPH_SHARE = 0.06  # of articles, paired with another article
SCRAPER_CUT_SHARE = 0.7  # most excerpts in the real dumps end in "..."

COPY_KINDS = {  # kind -> weight among the extra copies of an article
    "exact": 35,
    "truncated": 35,
    "fullwidth": 14,
    "spaced": 10,
    "fullwidth_truncated": 6,
}
FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})

GENERIC_HEADINGS = ("引言与背景", "概述", "简介", "背景", "原理分析", "推导", "模型概述", "基础概念", "相同点")
CATEGORIES = ("Python", "PyTorch", "深度学习", "机器学习", "强化学习", "计算机视觉", "NLP")

GOALS = (
    "降低训练时的显存占用",
    "加快模型收敛",
    "缓解梯度消失问题",
    "提高泛化能力",
    "减少通信开销",
    "稳定训练过程",
    "提升长序列建模能力",
    "让模型学到更鲁棒的特征",
    "估计一个未知的期望值",
    "在不知道目标函数表达式的情况下求根",
    "把图像恢复到原分辨率",
    "在多卡之间同步梯度",
    "减少推理延迟",
    "对齐模型输出与人类偏好",
)
FEATURES = (
    "不需要目标函数的解析表达式",
    "计算量随序列长度线性增长",
    "可以在线学习,每获得一个新样本就更新估计值",
    "对超参数不太敏感",
    "实现简单,几行代码就能完成",
    "能够处理带有随机噪声的观测数据",
    "参数量小但表达能力强",
    "与现有框架兼容性好",
    "数值上更加稳定",
    "在大模型上效果尤其明显",
)
CONTEXTS = (
    "大语言模型训练",
    "语义分割",
    "目标检测任务",
    "多模态推理",
    "在线学习场景",
    "分布式训练集群",
    "移动端部署",
    "人脸验证系统",
    "策略评估",
    "长文本建模",
)
STEPS = (
    "先训练一个奖励模型来判断哪个回答更好",
    "然后用强化学习让语言模型去最大化这个奖励",
    "把输入切分成若干个小块分别计算",
    "在前向传播时只保存部分中间结果",
    "用平均后的梯度更新自己的参数",
    "对每个样本计算损失并求和",
    "把学习率按余弦曲线逐渐衰减",
    "对特征做归一化再计算相似度",
)
SUBHEADINGS = ("基本原理", "大白话原理", "实验设置", "代码实现", "均值估计问题", "核心思想", "小结", "Quick Start")
ENGLISH_VERBS = ("computes", "approximates", "replaces", "normalizes", "rescales", "aggregates")
ENGLISH_OBJECTS = ("the hidden state", "every token", "the gradient", "each feature map", "the loss", "the logits")
LATEX_SURVIVORS = (r"\{x_i\}_{i=1}^n", r"w_{k+1} = w_k - a_k g(w_k)", r"\mathbb{E}[X]", r"h_t = A h_{t-1} + B x_t")


def load_terms(taxonomy: Path) -> list[tuple[str, ...]]:
    """Each topic's names, so that an article built from them gets tagged with that topic."""
    data = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    terms = []
    for topic in data["topics"]:
        names = tuple(dict.fromkeys([topic["zh"], topic["en"], *topic["aliases"]]))
        if topic["aliases"]:
            terms.append(names)
    return terms


def letters(text: str) -> str:
    """What stays of a text once spacing, punctuation and width are ignored: letters and digits only."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())


def shingle_set(text: str) -> set[str]:
    core = letters(text)
    return {core[i : i + SHINGLE_CHARS] for i in range(max(1, len(core) - SHINGLE_CHARS + 1))}


def jaccard(first: str, second: str) -> float:
    a, b = shingle_set(first), shingle_set(second)
    return len(a & b) / len(a | b)


class ProseWriter:
    """Sentences of Chinese ML prose with English terms, numbers and the scraper's placeholders."""

    def __init__(self, rng: random.Random, terms: list[tuple[str, ...]]) -> None:
        self.rng = rng
        self.terms = terms

    def number(self) -> str:
        return self.rng.choice(
            (
                str(self.rng.randint(2, 4096)),
                f"{self.rng.randint(1, 9)}e-{self.rng.randint(2, 6)}",
                f"0.{self.rng.randint(1, 9999):04d}",
                f"{self.rng.randint(1, 70)}B",
            )
        )

    def learning_rate(self) -> str:
        return f"{self.rng.randint(1, 9)}e-{self.rng.randint(2, 6)}"

    def sentence(self, term: str, other: str) -> str:
        rng = self.rng
        pick = rng.choice
        templates = (
            lambda: f"{term}是一类用于{pick(GOALS)}的方法,其特点是{pick(FEATURES)}。",
            lambda: f"在{pick(CONTEXTS)}中,{term}通常与{other}一起使用,用来{pick(GOALS)}。",
            lambda: f"考虑一个包含 {rng.randint(2, 100000)} 个样本的数据集 [公式] ,目标是最小化 [公式] 。",
            lambda: (
                f"实验中学习率设为 {self.learning_rate()},batch size 为 {rng.randint(8, 1024)},"
                f"共训练 {rng.randint(3, 300)} 个 epoch。"
            ),
            lambda: f"The {term} {pick(ENGLISH_VERBS)} {pick(ENGLISH_OBJECTS)} in [Math] time, unlike {other}.",
            lambda: f"[代码] 上面的代码展示了如何在 PyTorch 中实现{term},大约只需要 {rng.randint(5, 80)} 行。",
            lambda: f"1. {pick(STEPS)} 1. {pick(STEPS)}",
            lambda: f"{term}的核心优势在于: {pick(FEATURES)} {pick(FEATURES)}",
            lambda: f"为什么{term}在{pick(CONTEXTS)}里这么常见?因为它{pick(FEATURES)}。",
            lambda: f"记样本为 {pick(LATEX_SURVIVORS)},第 {rng.randint(1, 64)} 步的更新只依赖当前的估计值。",
            lambda: f"{pick(SUBHEADINGS)} 假如我们有 {rng.randint(2, 512)} 张显卡,{pick(STEPS)}。",
            lambda: f"与{other}相比,{term}在 {self.number()} 参数规模下{pick(FEATURES)}。",
            lambda: f"这里的 [公式] 表示第 {rng.randint(1, 99)} 层的输出,{term}把它映射为 [公式] 。",
        )
        return pick(templates)()

    def opening(self, term: str, other: str) -> str:
        """A distinctive first sentence: the topic's term plus details no other article shares."""
        heading = self.rng.choice(GENERIC_HEADINGS) + " " if self.rng.random() < 0.35 else ""
        year = self.rng.randint(1950, 2025)
        return (
            f"{heading}{term}({other})最早在 {year} 年被提出,"
            f"如今在{self.rng.choice(CONTEXTS)}中被用来{self.rng.choice(GOALS)},"
            f"本文第 {self.rng.randint(1, 999)} 节给出一个 {self.number()} 规模的例子。"
        )

    def paragraph(self, term: str, other: str, min_chars: int) -> str:
        sentences = []
        while sum(map(len, sentences)) < min_chars:
            sentences.append(self.sentence(term, other))
        return " ".join(sentences)

    def topic_terms(self) -> tuple[str, str]:
        names = self.rng.choice(self.terms)
        term = self.rng.choice(names)
        other = self.rng.choice([name for name in names if name != term] or [term])
        return term, other


@dataclass
class Article:
    text: str  # the most complete copy: what the ingest should keep
    min_cut_letters: int = MIN_CUT_LETTERS
    copies: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)


def compose(writer: ProseWriter, shared: str | None = None) -> str:
    """One article's most complete text; a shared paragraph goes after the (unique) opening."""
    rng = writer.rng
    term, other = writer.topic_terms()
    target = rng.randint(MIN_ARTICLE_CHARS, MAX_ARTICLE_CHARS - 20)
    if shared:
        target = max(target, 4 * len(shared))
    parts = [writer.opening(term, other)]
    if shared:
        parts.append(writer.paragraph(term, other, 40))
        parts.append(shared)
    while len(" ".join(parts)) < target:
        parts.append(writer.paragraph(term, other, 60))
    text = " ".join(parts)
    must_keep = len(" ".join(parts[:3])) + 1 if shared else len(parts[0])
    if rng.random() < SCRAPER_CUT_SHARE:
        cut = max(min(target, MAX_ARTICLE_CHARS - 3), must_keep)
        return text[:cut].rstrip() + "..."
    return text[: MAX_ARTICLE_CHARS - 3].rstrip() if len(text) > MAX_ARTICLE_CHARS else text


def shared_paragraph(writer: ProseWriter) -> str:
    term, other = writer.topic_terms()
    return writer.paragraph(term, other, writer.rng.randint(80, 140))


def set_cut_limits(articles: list[Article]) -> None:
    """A cut copy must keep at least one letter more than any other article shares with it at the start."""
    order = sorted(range(len(articles)), key=lambda index: letters(articles[index].text))
    cores = [letters(articles[index].text) for index in order]
    for rank, index in enumerate(order):
        shared = 0
        for neighbour in (rank - 1, rank + 1):
            if 0 <= neighbour < len(cores):
                shared = max(shared, common_prefix(cores[rank], cores[neighbour]))
        if shared >= len(cores[rank]) - 1:
            raise ValueError("an article is a prefix of another: not a distinct article")
        articles[index].min_cut_letters = max(MIN_CUT_LETTERS, shared + 1)


def common_prefix(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


def cut_copy(rng: random.Random, text: str, min_letters: int) -> str:
    """``text`` cut at a random point that keeps at least ``min_letters`` letters, marked as cut."""
    body = text.removesuffix("...")
    kept = 0
    earliest = len(body)
    for position, char in enumerate(body):
        kept += len(letters(char))
        if kept >= min_letters:
            earliest = position + 1
            break
    latest = max(earliest, len(body) - 1)
    cut = rng.randint(earliest, latest)
    marker = rng.choice(("...", "...", "…"))
    return body[:cut].rstrip() + marker


def doubled_spaces(rng: random.Random, text: str) -> str:
    pieces = text.split(" ")
    return "".join(
        piece + (rng.choice(("  ", " ", " ")) if i < len(pieces) - 1 else "") for i, piece in enumerate(pieces)
    )


def make_copy(rng: random.Random, article: Article, kind: str) -> str:
    if kind == "exact":
        return article.text
    if kind == "truncated":
        return cut_copy(rng, article.text, article.min_cut_letters)
    if kind == "fullwidth":
        return article.text.translate(FULL_WIDTH)
    if kind == "spaced":
        return doubled_spaces(rng, article.text)
    if kind == "fullwidth_truncated":
        return cut_copy(rng, article.text, article.min_cut_letters).translate(FULL_WIDTH)
    raise ValueError(kind)


def make_articles(rng: random.Random, writer: ProseWriter, count: int) -> tuple[list[Article], int]:
    pairs = int(count * SHARED_PARAGRAPH_SHARE / 2)
    articles: list[Article] = []
    for _ in range(pairs):
        paragraph = shared_paragraph(writer)
        first, second = compose(writer, paragraph), compose(writer, paragraph)
        if jaccard(first, second) > MAX_SHARED_JACCARD:
            raise ValueError("articles sharing a paragraph came out too similar")
        articles += [Article(first), Article(second)]
    while len(articles) < count:
        articles.append(Article(compose(writer)))
    rng.shuffle(articles)
    set_cut_limits(articles)
    return articles, pairs


def distribute_copies(rng: random.Random, articles: list[Article], entries: int) -> None:
    """Every article appears once (sometimes only cut short); the other entries are copies."""
    for article in articles:
        first_kind = "exact" if rng.random() < 0.8 else "truncated"
        article.copies.append((first_kind, make_copy(rng, article, first_kind)))
    kinds, weights = list(COPY_KINDS), list(COPY_KINDS.values())
    for _ in range(entries - len(articles)):
        article = rng.choice(articles)
        kind = rng.choices(kinds, weights)[0]
        article.copies.append((kind, make_copy(rng, article, kind)))


def dump_lines(rng: random.Random, entries: list[str]) -> list[str]:
    lines = list(HEADER)
    for text in entries:
        if rng.random() < 0.08:
            lines.append(rng.choice(CATEGORIES))
        if rng.random() < 0.1:
            lines.append(f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        lines.append(text)
    return lines


def write_corpus(
    entries: int,
    out: Path,
    seed: int,
    files: int = 4,
    articles: int | None = None,
    extra_entries: int = 0,
    extra_out: Path | None = None,
) -> dict:
    if entries < 1 or files < 1 or extra_entries < 0:
        raise ValueError("--entries and --files must be at least 1, --extra-entries at least 0")
    if extra_entries and extra_out is None:
        raise ValueError("--extra-entries needs --extra-out")
    total = entries + extra_entries
    article_count = articles if articles is not None else max(1, round(total / DEFAULT_COPIES_PER_ARTICLE))
    if not 1 <= article_count <= total:
        raise ValueError("--articles must be between 1 and --entries")
    rng = random.Random(seed)
    writer = ProseWriter(rng, load_terms(TAXONOMY))
    made, pairs = make_articles(rng, writer, article_count)
    distribute_copies(rng, made, total)

    copies = [(number, kind, text) for number, article in enumerate(made) for kind, text in article.copies]
    rng.shuffle(copies)
    main, extra = copies[:entries], copies[entries:]
    out.mkdir(parents=True, exist_ok=True)
    names = []
    per_file = -(-len(main) // files)
    for number in range(files):
        chunk = [text for _, _, text in main[number * per_file : (number + 1) * per_file]]
        name = f"{number:03d}_{rng.getrandbits(64):016x}.txt"
        (out / name).write_text("\n".join(dump_lines(rng, chunk)) + "\n", encoding="utf-8")
        names.append(name)

    kind_counts = {kind: 0 for kind in ("exact", *COPY_KINDS)}
    for _, kind, _ in main:
        kind_counts[kind] += 1
    manifest = {
        "entries": len(main),
        # Every copy of an article is its text, a cut or a punctuation variant of it, so the
        # articles of a set of dumps are those with at least one copy in them.
        "articles": len({number for number, _, _ in main}),
        "duplicates": len(main) - len({number for number, _, _ in main}),
        "shared_paragraph_pairs": pairs,
        "copy_kinds": kind_counts,
        "seed": seed,
        "files": names,
    }
    if extra_out is not None and extra:
        extra_out.mkdir(parents=True, exist_ok=True)
        name = f"{files:03d}_{rng.getrandbits(64):016x}.txt"
        (extra_out / name).write_text(
            "\n".join(dump_lines(rng, [text for _, _, text in extra])) + "\n", encoding="utf-8"
        )
        manifest.update(
            extra_entries=len(extra),
            extra_file=name,
            articles_with_extra=len({number for number, _, _ in copies}),
            new_articles_in_extra=len({number for number, _, _ in copies}) - manifest["articles"],
        )
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, required=True, help="number of excerpt lines to write")
    parser.add_argument("--out", type=Path, required=True, help="folder for the dumps and manifest.json")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same corpus)")
    parser.add_argument("--files", type=int, default=4, help="number of dump files (default 4)")
    parser.add_argument(
        "--articles", type=int, help=f"distinct articles (default: entries / {DEFAULT_COPIES_PER_ARTICLE:g})"
    )
    parser.add_argument("--extra-entries", type=int, default=0, help="entries of one more dump of the same articles")
    parser.add_argument("--extra-out", type=Path, help="folder for that extra dump (kept apart from --out)")
    args = parser.parse_args(argv)
    try:
        manifest = write_corpus(
            args.entries, args.out, args.seed, args.files, args.articles, args.extra_entries, args.extra_out
        )
    except ValueError as error:
        print(f"make_corpus: {error}", file=sys.stderr)
        return 2
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
