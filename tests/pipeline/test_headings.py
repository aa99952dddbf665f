"""The headings the scraper glued onto the text, found from the structure of the opening."""

import pytest

from ingest.pipeline.headings import parse_opening, uses_typographic_spacing


def named(text: str) -> list[tuple[str, str, str]]:
    return [(heading.kind, heading.number, heading.text) for heading in parse_opening(text).named]


def body(text: str) -> str:
    return text[parse_opening(text).body_start :]


@pytest.mark.parametrize(
    ("text", "headings", "body_start"),
    [
        # a chapter line and its first numbered section
        (
            "第九章 图像分割 9.1 全卷积网络 分割要给每个像素一个类别",
            [("chapter", "第九章", "图像分割"), ("section", "9.1", "全卷积网络")],
            "分割要",
        ),
        # a Latin term followed by Chinese is one heading; the space after a bare term is spacing
        ("LoRA 微调的直觉 全参数微调要更新所有权重,代价很高", [("title", "", "LoRA 微调的直觉")], "全参数"),
        ("RNN 概述 在前面讲到的DNN和CNN中,训练样本的输入和输出是确定的", [("title", "", "RNN 概述")], "在前面"),
        # a numbered section; a section number and a generic heading never name anything
        ("5.3 暂退法 上一节用 L2 惩罚来约束权重的大小", [("section", "5.3", "暂退法")], "上一节"),
        ("1. 问题是什么 训练一个二十层的全连接网络,损失不动了", [], "训练一个"),
        ("5 总结 前面几节把交叉验证的变体都过了一遍", [], "前面几节"),
        # a question heading keeps its mark
        ("CoT 为什么有效? 最近在做一个数学题问答的项目", [("title", "", "CoT 为什么有效?")], "最近"),
        # a section number, then a Latin term and a sentence: the term is the heading
        ("1 KVCache 大模型的自回归生成是一个 token 一个 token 往外蹦的", [("section", "1", "KVCache")], "大模型"),
        # English title-case headings end where a sentence starts
        (
            "How to Solve 'CUDA out of memory' in PyTorch RuntimeError: CUDA out of memory. Tried",
            [("title", "", "How to Solve 'CUDA out of memory' in PyTorch")],
            "RuntimeError",
        ),
        (
            "Understanding LSTM Gates Without the Diagrams Every LSTM tutorial starts with boxes",
            [("title", "", "Understanding LSTM Gates Without the Diagrams")],
            "Every",
        ),
        (
            "Part 2: Label Smoothing in Practice In part 1 we saw that one-hot targets",
            [("section", "Part 2:", "Label Smoothing in Practice")],
            "In part",
        ),
        ("Overview FlashAttention computes exactly the same result as attention", [], "FlashAttention computes"),
    ],
)
def test_glued_headings(text, headings, body_start):
    assert named(text) == headings
    assert body(text).startswith(body_start)


@pytest.mark.parametrize(
    "text",
    [
        "一般来说,拿到一份几百维的数据,第一件事往往是先做个 PCA 看看。",
        "本文记录一次用 Optuna 给一个中等规模的 CTR 模型做超参搜索的过程。",
        "最近在 32 卡上训一个 13B 的模型,单纯用 DDP 已经放不下了。",
        "In recent years the search for a Transformer replacement has produced many papers.",
        "扩散模型这几年在图像生成上几乎全面取代了 GAN。它的想法说起来非常简单",
        "LoRA 训练完之后,推理时每个被适配的层都要多算一条低秩分支",
        "RLHF 通常包括三个阶段: 有监督微调(SFT) 奖励建模阶段 (Reward Model) RL微调阶段",
        "简介 一个完整的人脸识别系统包含以下几个模块 Face Detection: 人脸检测",
    ],
)
def test_sentences_and_fillers_are_not_headings(text):
    assert named(text) == []


def test_a_table_of_contents_gives_its_top_level_entries():
    opening = parse_opening(
        "目录 1 决策树的基本流程 2 划分选择 2.1 信息增益 2.2 增益率 3 剪枝处理 1 决策树的基本流程 决策树是一类模型"
    )
    assert [entry.text for entry in opening.toc] == ["决策树的基本流程", "划分选择", "剪枝处理"]
    assert (
        named("目录 一、为什么需要 RAG 二、基本流程 三、切块策略 一、为什么需要 RAG 大模型的知识截止于训练数据") == []
    )


def test_english_contents_opener():
    opening = parse_opening(
        "Contents 1. The minimax game 2. Mode collapse 3. Fixes that work 1. The minimax game A GAN is"
    )
    assert [entry.text for entry in opening.toc] == ["The minimax game", "Mode collapse", "Fixes that work"]


def test_questions_and_answers_are_marked_faq():
    assert parse_opening("常见问题解答 Q1:为什么同一个问题问两遍,答案不一样? 因为生成时用的是采样").faq


def test_glued_style_makes_a_space_after_a_heading_with_chinese_a_break():
    assert not uses_typographic_spacing("取代RNN——Transformer 在介绍Transformer前我们来回顾一下RNN的结构")
    assert named("取代RNN——Transformer 在介绍Transformer前我们来回顾一下RNN的结构") == [
        ("title", "", "取代RNN——Transformer")
    ]
    assert uses_typographic_spacing("用 LoRA 微调 大模型 的 时候")
