"""The tagger: matching (boundaries, case, overlaps) and the ranking of evidence, on tiny inputs.

Most tests use a small taxonomy written here, so that each one shows a single rule; a few check
the real taxonomy.yml on the kind of text it must handle.
"""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.pipeline.tag import (
    CHILD_SHARE,
    Tagger,
    fold_with_offsets,
    is_case_sensitive,
    match_form,
)
from ingest.shared.taxonomy import Section, Taxonomy, Topic


def topic(topic_id: str, *aliases: str, parent: str | None = None, description: str = "") -> Topic:
    return Topic(
        id=topic_id,
        zh=aliases[0],
        en=f"Topic {topic_id}",
        section="s",
        aliases=tuple(aliases[1:]),
        description=description or f"{topic_id} 的描述。",
        parent=parent,
    )


def tiny(*topics: Topic) -> Tagger:
    everything = [*topics, topic("uncategorized", "待分类")]
    return Tagger(Taxonomy("tiny.yml", [Section("s", "节", "Section")], everything))


@pytest.fixture(scope="module")
def tagger(taxonomy):
    return Tagger(taxonomy)


# -- matching ---------------------------------------------------------------------------------


def test_english_term_glued_to_chinese_still_matches(tagger):
    assert "transformer" in tagger.topics_for("在介绍Transformer前我们来回顾一下Transformer的结构与自注意力")


def test_ascii_alias_needs_word_boundaries(tagger):
    assert "rnn" not in tagger.scores("GRNNX 是另一个东西")
    assert tagger.scores("用RNN建模序列")["rnn"] > 0


def test_a_plural_s_matches_but_not_a_longer_word():
    gat = tiny(topic("gat", "图注意力网络", "GAT"), topic("gates", "门控", "forget gate"))
    assert gat.scores("Two GATs compared")["gat"] > 0
    assert "gat" not in gat.scores("Understanding LSTM Gates Without the Diagrams")


def test_short_aliases_with_capitals_match_only_as_written():
    norm = tiny(topic("layer-norm", "层归一化", "LN"), topic("zero", "零冗余", "ZeRO"))
    assert norm.scores("为什么 Transformer 用 LN 而不是 BN")["layer-norm"] > 0
    assert "layer-norm" not in norm.scores("损失是 ln(1 + x) 的形式")
    assert norm.scores("ZeRO 的三个阶段")["zero"] > 0
    assert "zero" not in norm.scores("set the gradient to zero before the step")
    assert is_case_sensitive("RoPE") and is_case_sensitive("GAT") and not is_case_sensitive("Transformer")
    assert not is_case_sensitive("dropout") and not is_case_sensitive("Mamba")


def test_overlapping_aliases_count_for_the_longest_only():
    attention = tiny(
        topic("attention", "注意力机制", "注意力"),
        topic("multi-head", "多头注意力", parent="attention"),
        topic("normalization", "归一化层", "归一化"),
        topic("batch-norm", "批量归一化", parent="normalization"),
    )
    scores = attention.scores("多头注意力的实现细节 先看批量归一化")
    assert scores["multi-head"] > 0 and scores["batch-norm"] > 0
    assert "attention" not in scores and "normalization" not in scores


def test_spacing_case_and_hyphens_do_not_hide_an_alias():
    cache = tiny(topic("kv-cache", "KV缓存", "fine-tuning"))
    assert cache.scores("显存几乎全被 KV 缓存吃掉了")["kv-cache"] > 0
    assert cache.scores("full Fine Tuning of the model")["kv-cache"] > 0


def test_unrelated_text_matches_nothing(tagger):
    assert tagger.topics_for("今天天气很好,我们去公园散步吧。") == []


def test_match_is_case_insensitive_for_long_names(tagger):
    assert tagger.topics_for("FLASHATTENTION 与 flashattention")[0] == "flash-attention"


@given(st.text(alphabet="ab C-D\u3000Ｅ中文 \t–ßİ", max_size=16))
def test_match_form_is_the_folded_text_without_offsets(text):
    folded, offsets = fold_with_offsets(text)
    assert match_form(text) == folded
    assert len(offsets) == len(folded) and offsets == sorted(offsets)


# -- ranking -----------------------------------------------------------------------------------


def test_a_heading_outweighs_passing_mentions():
    tags = tiny(topic("lora", "低秩适配", "LoRA"), topic("quant", "量化", "INT4"))
    decision = tags.decision_for("LoRA 微调的直觉 全参数微调太贵,有人先用 INT4 存权重,再看 INT4 的误差。")
    assert decision.topics[0] == "lora"
    assert {match.zone for match in decision.matches if match.key == "lora"} == {"heading"}


def test_a_rare_alias_outweighs_one_every_article_uses():
    tags = tiny(topic("llm", "大模型", "LLMs"), topic("rms-norm", "均方根归一化", "RMSNorm"))
    corpus = [f"第 {index} 篇: 大模型 的训练与 LLMs 的推理" for index in range(12)]
    corpus.append("Why Modern LLMs Switched to RMSNorm If you open the source of a model")
    decision = tags.tag_texts(corpus)[-1]
    assert decision.topics[0] == "rms-norm"
    assert decision.evidence["rms-norm"].contributions[0].rarity > decision.evidence["llm"].contributions[0].rarity


def test_a_specific_topic_beats_its_parent_with_comparable_evidence():
    tags = tiny(topic("optimizers", "优化器", "梯度下降"), topic("adamw", "AdamW", parent="optimizers"))
    decision = tags.decision_for("几种优化器的比较: AdamW 把权重衰减解耦。" + "中间的正文。" * 20 + "梯度下降很常见。")
    parent, child = decision.score("optimizers"), decision.score("adamw")
    assert CHILD_SHARE * parent <= child < parent
    assert decision.topics[0] == "adamw" and "more specific" in decision.reasons["adamw"]


def test_a_parent_named_in_the_heading_keeps_its_place():
    tags = tiny(topic("rlhf", "人类反馈强化学习", "RLHF"), topic("reward", "奖励模型", parent="rlhf"))
    decision = tags.decision_for("RLHF 第三步:用强化学习优化策略 拿到奖励模型之后,奖励模型要和策略一起放进显存。")
    assert decision.topics[0] == "rlhf"


def test_a_survey_of_the_children_belongs_to_the_parent():
    tags = tiny(
        topic("normalization", "归一化层", "规范化层"),
        topic("batch-norm", "批量归一化", "BatchNorm", parent="normalization"),
        topic("layer-norm", "层归一化", "LayerNorm", parent="normalization"),
        topic("group-norm", "组归一化", "GroupNorm", "InstanceNorm", parent="normalization"),
    )
    decision = tags.decision_for("概述 归一化层种类越来越多:BatchNorm、LayerNorm、InstanceNorm、GroupNorm。")
    assert decision.topics[0] == "normalization"
    assert "survey" in decision.reasons["normalization"]


def test_a_secondary_topic_needs_more_than_one_passing_mention():
    tags = tiny(topic("vae", "变分自编码器", "VAE", "ELBO"), topic("gan", "生成对抗网络", "GAN"))
    text = (
        "变分自编码器:从 ELBO 说起 VAE 的目标是学一个规整的潜空间,ELBO 分为两项。" + "很长的正文。" * 20 + "GAN 不同。"
    )
    decision = tags.decision_for(text)
    assert decision.topics == ["vae"]
    assert decision.reasons["gan"].startswith("dropped")


def test_a_translation_in_brackets_is_one_mention():
    tags = tiny(topic("dpo", "直接偏好优化", "DPO"))
    decision = tags.decision_for("背景 直接偏好优化(DPO)是一种对齐方法。")
    contributions = decision.evidence["dpo"].contributions
    assert [contribution.gloss for contribution in contributions] == [False, True]
    assert decision.evidence["dpo"].mentions == 1


def test_decisions_do_not_depend_on_the_order_of_the_corpus(tagger):
    texts = [
        "RoPE 的直觉 旋转位置编码这两年几乎成了大模型的默认选择",
        "KV Cache 的显存压力 自回归生成时每生成一个 token 都要用到之前所有 token 的 K 和 V",
        "Focal Loss 解决的是什么问题 在一阶段目标检测器里,候选框很多",
        "BPE 分词算法详解 为什么需要子词 按词切分会遇到词表爆炸",
    ]
    forward = {text: decision.topics for text, decision in zip(texts, tagger.tag_texts(texts), strict=True)}
    shuffled = texts[:]
    random.Random(3).shuffle(shuffled)
    backward = {text: decision.topics for text, decision in zip(shuffled, tagger.tag_texts(shuffled), strict=True)}
    assert forward == backward


@pytest.mark.parametrize(
    ("text", "primary"),
    [
        ("多头注意力的实现细节 先复习一下缩放点积注意力:给定查询 Q、键 K 和值 V", "multi-head-attention"),
        ("BPE 分词算法详解 BPE 从单个字符开始,反复合并语料中最常见的相邻符号对,直到词表够大", "bpe"),
        ("为什么 Transformer 用 LN 而不是 BN 这个问题面试里经常被问到。LayerNorm 对单个样本归一化", "layer-norm"),
        ("Focal Loss 解决的是什么问题 在一阶段目标检测器里,一张图上会铺上成千上万个候选框", "focal-loss"),
        (
            "A Gentle Introduction to Pipeline Parallelism Suppose your model has 48 transformer layers",
            "pipeline-parallelism",
        ),
    ],
)
def test_real_taxonomy_picks_the_specific_subject(tagger, text, primary):
    assert tagger.topics_for(text)[0] == primary
