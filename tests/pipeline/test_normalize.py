from ingest.pipeline.normalize import comparison_form, is_truncated, skeleton


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
