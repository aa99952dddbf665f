"""A tiny project for the contributor tests: a two-topic taxonomy, a two-entry feed, a docs folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.pipeline.run import run_ingest
from ingest.shared.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent

TAXONOMY = """\
sections:
  - id: training
    zh: 训练
    en: Training
  - id: other
    zh: 其他
    en: Other
topics:
  - id: optimizers
    zh: 优化器
    en: Optimizers
    section: training
    aliases: [优化器, Adam, SGD]
    description: 更新参数的算法，例如 $\\theta \\leftarrow \\theta - \\eta g$。
  - id: attention
    zh: 注意力机制
    en: Attention
    section: training
    aliases: [注意力, attention]
    description: 按相关程度加权求和。
  - id: uncategorized
    zh: 待分类
    en: Uncategorized
    section: other
    aliases: []
    description: 尚未匹配到任何主题的文章。
"""

FEED = """\
INCOMING TRANSMISSION

LATEST UPDATES
优化器 Adam 的更新规则结合了动量和自适应学习率，是训练深度网络最常用的方法之一，本文推导它的偏差修正项...
2026-01-11
注意力机制让模型在每一步都能查看输入序列的全部位置，并按相关程度加权求和，从而摆脱固定长度向量的瓶颈...
"""


PUBLISHED_TOPICS = "# the topic ids this tiny site has published\noptimizers\nattention\nuncategorized\n"


def write_project(root: Path) -> Path:
    """``root`` with taxonomy.yml and its published-topics.txt, an empty titles.yml, feeds/feed.txt,
    an empty docs/, and the site's mkdocs.yml and KaTeX (``check`` renders formulas as the build does)."""
    (root / "feeds").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    if (ROOT / "node_modules").exists() and not (root / "node_modules").exists():
        (root / "node_modules").symlink_to(ROOT / "node_modules")
    (root / "docs").mkdir(exist_ok=True)
    (root / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    (root / "published-topics.txt").write_text(PUBLISHED_TOPICS, encoding="utf-8")
    (root / "titles.yml").write_text("", encoding="utf-8")
    (root / "feeds" / "feed.txt").write_text(FEED, encoding="utf-8")
    return root


def ingest(root: Path):
    """Run the real pipeline on the project; returns the report."""
    return run_ingest([root / "feeds"], root / "docs", load_taxonomy(root / "taxonomy.yml"), root / "titles.yml")


def write_article(root: Path, name: str, text: str) -> Path:
    path = root / "docs" / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
