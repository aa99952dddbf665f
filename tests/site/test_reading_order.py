from types import SimpleNamespace

from ingest.site.reading_order import reading_key, tag_order, title_order


def test_names_sort_by_pinyin_not_by_code_point():
    names = ["优化器", "人脸识别", "激活函数", "注意力机制", "循环神经网络", "分布式训练"]
    assert sorted(names) != sorted(names, key=reading_key)  # code point order differs from reading order
    assert sorted(names, key=reading_key) == [
        "分布式训练",
        "激活函数",
        "人脸识别",
        "循环神经网络",
        "优化器",
        "注意力机制",
    ]


def test_latin_names_sort_among_the_pinyin_and_heteronyms_use_phrases():
    names = ["Transformer", "PyTorch 自动求导", "长短期记忆", "重复采样", "重要性采样", "上采样"]
    # 长短期 reads chang and 重复 chong (both under C), 重要 zhong (under Z, last).
    assert sorted(names, key=reading_key) == [
        "长短期记忆",
        "重复采样",
        "PyTorch 自动求导",
        "上采样",
        "Transformer",
        "重要性采样",
    ]


def test_material_adapters_read_tags_and_escaped_titles():
    assert tag_order(SimpleNamespace(name="优化器")) == reading_key("优化器")
    mapping = SimpleNamespace(item=SimpleNamespace(title="A &amp; B"))
    assert title_order(mapping) == reading_key("A & B")
