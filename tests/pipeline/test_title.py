"""Guessed titles: headings first, then a title composed around the subject, and never one that
breaks ``title_rules``. Every case is an excerpt written for this test, cut as the scraper cuts."""

import pytest

from ingest.pipeline.title import Subject, choose_title, guess_title, load_title_overrides
from ingest.pipeline.title_rules import GENERIC_TITLES, title_problems

KV_CACHE = Subject("KV Cache", ("kvcache", "kv cache"), ("MQA", "GQA"))


@pytest.mark.parametrize(
    ("text", "subject", "title"),
    [
        ("第七章 语义分割 7.2 U-Net 是一种编码器-解码器结构的网络,最早用于医学图像。", None, "语义分割：U-Net"),
        ("LoRA 微调的直觉 低秩适配冻结预训练权重,只训练两个小矩阵。", Subject("LoRA", ("lora",)), "LoRA 微调的直觉"),
        (
            "4.3 滑动窗口与数据泄露 在时间序列预测中,切分训练集时要注意...",
            Subject("时间序列", ("时间序列",)),
            "时间序列：滑动窗口与数据泄露",
        ),
        (
            "1 KVCache 随着大模型技术的快速发展与火爆,推理成本越来越受关注。KV 缓存保存了历史 token 的键和值。",
            KV_CACHE,
            "KV Cache：MQA 与 GQA",
        ),
        ("Quick Start 一个最简单的DDP Pytorch例子! 环境准备 PyTorch(gpu)=1.5", None, "一个最简单的 DDP Pytorch 例子"),
    ],
)
def test_headings_and_subjects_make_the_title(text, subject, title):
    assert guess_title(text, subject) == title


@pytest.mark.parametrize(
    "text",
    [
        "目录 1. 什么是 LoRA 2. 低秩分解 3. 实验",
        "In recent years, transformers have replaced recurrent networks for most sequence tasks.",
        "最近,大家都在讨论量子退火算法在组合优化里的应用。量子比特的相干时间...",
        "常见问题解答 Q1: 为什么 BatchNorm 在小批量时效果差? 因为统计量估计不准。",
    ],
)
def test_without_a_topic_fillers_and_generic_openers_are_dropped(text):
    title = guess_title(text)
    assert not title.startswith(("目录", "In recent years", "最近", "常见问题")), title
    assert not title.endswith(("…", "...")), title


@pytest.mark.parametrize("heading", sorted(GENERIC_TITLES)[:40])
def test_a_generic_heading_never_becomes_the_title(heading):
    text = f"{heading} 蒙特卡洛方法是强化学习中的重要算法类别,它标志着从基于模型到无模型算法的转变。"
    title = guess_title(text, Subject("蒙特卡洛方法", ("蒙特卡洛方法",)))
    assert title.casefold() not in GENERIC_TITLES and not title.casefold().startswith(heading.casefold() + " ")
    assert title_problems(title, text) == [], title


def test_every_choice_says_why():
    choice = choose_title("第七章 语义分割 7.2 U-Net 是一种编码器-解码器结构的网络。")
    assert "chapter" in choice.reason


def test_overrides_load_and_bad_values_are_reported(tmp_path):
    path = tmp_path / "titles.yml"
    path.write_text("abc123: 好标题\nbad: ''\n", encoding="utf-8")
    overrides, problems = load_title_overrides(path)
    assert overrides == {"abc123": "好标题"}
    assert len(problems) == 1 and "'bad'" in problems[0].reason


def test_broken_override_file_names_its_line(tmp_path):
    path = tmp_path / "titles.yml"
    path.write_text("a: ok\nb: [unclosed\n", encoding="utf-8")
    overrides, problems = load_title_overrides(path)
    assert overrides == {}
    assert str(problems[0]).startswith(f"{path.as_posix()}:") and "invalid YAML" in problems[0].reason


def test_missing_override_file_means_no_overrides(tmp_path):
    assert load_title_overrides(tmp_path / "none.yml") == ({}, [])
