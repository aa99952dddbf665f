from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.pipeline import normalize
from ingest.pipeline.normalize import TextForms, comparison_form, is_truncated, skeleton, text_forms, text_forms_of


def test_truncation_markers_are_removed_and_detected():
    assert comparison_form("一段文字...") == "一段文字"
    assert comparison_form("一段文字…") == "一段文字"
    assert is_truncated("一段文字…") and is_truncated("text... ")
    assert not is_truncated("完整的句子。")


def test_whitespace_is_folded_and_nfkc_applied():
    assert comparison_form("  Ａｄａｍ\u3000 与\tAdamW  ") == "Adam 与 AdamW"


def test_skeleton_ignores_punctuation_width_spacing_and_case():
    half = "AdamW,目前是默认优化器! (LLM)"
    full = "adamw，目前是默认优化器！ （LLM）"
    assert skeleton(half) == skeleton(full) == "adamw目前是默认优化器llm"


def test_truncated_copy_skeleton_is_a_prefix():
    full = "梯度检查点(Gradient Checkpointing) 大模型的参数量巨大,即使将batch_size设置为1。"
    cut = "梯度检查点(Gradient Checkpointing) 大模型的参数量…"
    assert skeleton(full).startswith(skeleton(cut))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=12))
def test_batch_forms_equal_the_forms_of_each_text(texts):
    """The numpy batch keeps exactly what ``[^\\W_]`` keeps, beyond the BMP and across batch boundaries."""
    expected = [TextForms(skeleton(text), is_truncated(text)) for text in texts]
    assert text_forms_of(texts) == expected == [text_forms(text) for text in texts]


def test_batches_split_anywhere_give_the_same_forms(monkeypatch):
    texts = ["注意力机制……", "ＡＢＣ，ｄｅｆ...", "𝔸𝔹 12_3 𠀀😀", "", "x" * 50, "Straße ﬁ İ ①"]
    whole = text_forms_of(texts)
    monkeypatch.setattr(normalize, "_BATCH_CHARS", 3)
    assert text_forms_of(texts) == whole
    assert whole[0] == TextForms("注意力机制", True) and whole[2].skeleton == "ab123𠀀"
