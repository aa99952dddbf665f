import pytest

from ingest.pipeline.tag import Tagger


@pytest.fixture(scope="module")
def tagger(taxonomy):
    return Tagger(taxonomy)


def test_english_term_glued_to_chinese_still_matches(tagger):
    assert "transformer" in tagger.topics_for("在介绍Transformer前我们来回顾一下Transformer的结构与自注意力")


def test_ascii_alias_needs_word_boundaries(tagger):
    assert "rnn" not in tagger.scores("GRNNX 是另一个东西")
    assert tagger.scores("线性RNN模型")["rnn"] > 0


def test_best_topic_comes_first(tagger):
    text = "AdamW目前是大语言模型训练的默认优化器,Adam 与 AdamW 的区别在于权重衰减 weight decay。"
    assert tagger.topics_for(text)[0] == "optimizers"


def test_unrelated_text_matches_nothing(tagger):
    assert tagger.topics_for("今天天气很好,我们去公园散步吧。") == []


def test_match_is_case_insensitive(tagger):
    assert tagger.topics_for("FLASHATTENTION 与 flashattention")[0] == "attention"
