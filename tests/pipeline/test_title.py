import pytest

from ingest.pipeline.title import GENERIC_HEADINGS, guess_title, load_title_overrides, strip_generic_headings


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Quick Start 一个最简单的DDP Pytorch例子! 环境准备 PyTorch(gpu)=1.5", "一个最简单的 DDP Pytorch 例子"),
        (
            "引言与背景 随机逼近(Stochastic Approximation)是一类用于求解寻根或优化问题的随机迭代算法,其特点",
            "随机逼近(Stochastic Approximation)",
        ),
        ("RNN 概述 在前面讲到的DNN和CNN中,训练样本的输入和输出是比较的确定的。", "RNN 概述"),
        (
            "简介 一个完整的人脸识别系统包含以下几个模块 Face Detection: 人脸检测",
            "一个完整的人脸识别系统包含以下几个模块",
        ),
        ("1.深度学习偏置的作用? 我们在学深度学习的时候", "深度学习偏置的作用"),
        ("@tf_export为函数取了个名字! Tensorflow经常看到定义的函数前面加了@tf_export。", "@tf_export 为函数取了个名字"),
    ],
)
def test_guessed_titles(text, title):
    assert guess_title(text) == title


def test_a_title_is_never_a_generic_heading_or_a_bare_opening_word():
    for heading in GENERIC_HEADINGS:
        title = guess_title(f"{heading} 蒙特卡洛方法是强化学习中的重要算法类别,它标志着从基于模型到无模型算法的转变。")
        assert title.casefold() not in GENERIC_HEADINGS
        assert len(title) >= 4


def test_long_opening_sentences_are_shortened():
    title = guess_title("通常我们训练神经网络模型的时候默认使用的数据类型为单精度FP32而且还有很多很多别的内容没有标点")
    assert len(title) <= 32 and title.endswith("…")


def test_generic_headings_are_stripped_repeatedly():
    assert strip_generic_headings("原理分析 网络架构: 本文的任务是目标检测") == "本文的任务是目标检测"


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
