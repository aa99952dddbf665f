"""Contributors' articles added to the bundled site: one site, built once per run, for every test that needs them."""

from __future__ import annotations

from pathlib import Path

from tests.sitebuild import build_site, make_project

# A contributor's article with no feed provenance: it must take part in topics and related links.
HAND_WRITTEN = """---
title: 手写笔记：强化学习里的回报与价值
tags: [强化学习基础]
---

在强化学习中，智能体与环境交互，依据策略选择动作，获得奖励。回报是折扣奖励之和，
状态价值是从某状态出发的期望回报。蒙特卡洛方法用采样的回报估计价值。
"""
HAND_WRITTEN_PATH = "articles/hand-written-returns/"

# A contributor's article: generated excerpts escape "$", so only hand-written ones carry math.
MATH_ARTICLE = r"""---
title: Adam 的更新公式
tags: [优化器]
---

一阶矩 $m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t$，二阶矩 $v_t$ 同理。更新：

$$
\theta_t = \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}
$$

$$
\begin{aligned}
\hat m_t &= \frac{m_t}{1 - \beta_1^t} \\
\hat v_t &= \frac{v_t}{1 - \beta_2^t}
\end{aligned}
$$
"""

MATH_ARTICLE_PATH = "articles/adam-update-math/"

ARTICLES = {"hand-written-returns.md": HAND_WRITTEN, "adam-update-math.md": MATH_ARTICLE}


def build_contributed_site(folder: Path) -> None:
    """The bundled site plus ``ARTICLES`` under ``docs/articles/``, built with ``--strict``."""
    project = make_project(folder)
    for name, text in ARTICLES.items():
        (project / "docs" / "articles" / name).write_text(text, encoding="utf-8")
    build_site(project)
