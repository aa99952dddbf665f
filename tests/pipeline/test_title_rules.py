"""The rules every title must pass, as the titler applies them and scripts/eval_quality.py measures them."""

import pytest

from ingest.pipeline.title_rules import title_problems


@pytest.mark.parametrize(
    "title",
    [
        "KV Cache：显存估算与 MQA/GQA",
        "LoRA 微调的直觉",
        "How to Solve 'CUDA out of memory' in PyTorch",
        "第七章的习题讲解",  # 第七章 inside, not a section number in front
        "3D 视觉与 NeRF",  # a number that is part of a name
        "1x1 卷积的作用",
        "CoT 为什么有效?",
        "Word2vec, Revisited",
    ],
)
def test_acceptable_titles(title):
    assert title_problems(title) == []


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("目录 1. 什么", "opens with a generic heading"),
        ("常见问题解答", "generic heading"),
        ("5 总结", "generic heading"),
        ("Overview", "generic heading"),
        ("Table of Contents", "generic heading"),
        ("1 KVCache 随着大模型技术的快速发展", "starts with a section number"),
        ("10.1 经验回放", "starts with a section number"),
        ("1.1: Setup of the cluster", "starts with a section number"),
        ("第七章 策略梯度", "starts with a section number"),
        ("一、行为克隆", "starts with a section number"),
        ("Part 2: Label Smoothing", "starts with a section number"),
        ("通常我们训练神经网络模型的时候默认使用…", "ends on '…'"),
        ("Logistic Regression from Scra...", "ends on '...'"),
        ("深度学习偏置的", "ends on '的'"),
        ("A Walkthrough of", "ends on 'of'"),
        ("Training with", "ends on 'with'"),
        ("归一化与", "ends on '与'"),
        ("最近,似乎每个大模型都用了新的激活函数", "opens with a filler"),
        ("In recent years", "opens with a filler"),
        ("本文的任务", "opens with a filler"),
        ("LoRA", "a bare term, not a title"),
        ("暂退法", "a bare term, not a title"),
        ("PyTorch 中,所有神经网络的核心是 autograd 包", "reads as a sentence (comma or full stop inside)"),
        ("空洞卷积(Dilated Convolution", "unbalanced bracket"),
    ],
)
def test_rejected_titles(title, problem):
    assert problem in title_problems(title)


def test_chinese_titles_stop_at_40_characters_english_ones_at_80():
    chinese = "长" * 20 + "标题" * 10 + "长"
    assert title_problems(chinese) == [f"longer than 40 characters ({len(chinese)})"]
    assert title_problems(chinese[:40]) == []
    english = "A Practical Guide to Diffusion Samplers: Fewer Steps, Same Picture, Better Image"
    assert len(english) <= 80 and title_problems(english) == []
    assert title_problems(english + " Today") == [f"longer than 80 characters ({len(english) + 6})"]


def test_a_title_cut_inside_a_word_of_its_excerpt():
    excerpt = "FlashAttention computes exactly the same result as standard attention"
    assert "ends mid-word" in title_problems("FlashAttention computes exactly the same result as stand", excerpt)
    assert "ends mid-word" not in title_problems("FlashAttention computes exactly the same result", excerpt)


@pytest.mark.parametrize("title", ["nn.Xxx 与 nn.functional.xxx 的异同", "梯度消失为什么存在"])
def test_a_word_that_ends_on_a_particle_character_is_not_dangling(title):
    assert title_problems(title) == []


@pytest.mark.parametrize("title", ["注意力机制的", "批归一化与"])
def test_a_particle_at_the_end_dangles(title):
    assert any(problem.startswith("ends on") for problem in title_problems(title))
