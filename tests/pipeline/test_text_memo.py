"""text_memo: per-text analyses and titles survive a marshal round trip and never trust a bad record."""

from __future__ import annotations

import marshal

from ingest.pipeline.run import topics_and_titles
from ingest.pipeline.tag import Tagger
from ingest.pipeline.text_memo import TextMemo, decode_analysis, encode_analysis
from ingest.pipeline.title import Subject

TEXTS = [
    "3.2 KV缓存的显存占用 推理时每生成一个词都要读一遍 KV 缓存，长上下文下它比权重还大。",
    "Gradient checkpointing trades compute for memory: activations are recomputed in the backward pass.",
    "LoRA 低秩适配：冻结原权重，只训练两个小矩阵，微调大模型的显存开销因此大降。",
]


def test_an_analysis_survives_marshal(taxonomy):
    tagger = Tagger(taxonomy)
    for text in TEXTS:
        opening, matches = tagger.analyse(text)
        restored = decode_analysis(marshal.loads(marshal.dumps(encode_analysis(opening, matches))))
        assert restored == (opening, matches)


def test_a_remembered_corpus_gives_what_a_fresh_one_gives(taxonomy):
    fresh = topics_and_titles(taxonomy, TEXTS)
    first = TextMemo()
    assert topics_and_titles(taxonomy, TEXTS, first) == fresh
    assert first.computed == len(TEXTS)
    again = TextMemo(marshal.loads(marshal.dumps(first.record())))
    assert topics_and_titles(taxonomy, TEXTS, again) == fresh
    assert again.computed == 0


def test_a_title_is_remembered_per_subject():
    memo = TextMemo()
    calls = []

    def compute(title):
        return lambda: calls.append(title) or title

    assert memo.title("text", Subject("LoRA"), compute("a")) == "a"
    assert memo.title("text", Subject("LoRA"), compute("b")) == "a"  # same text, same subject: remembered
    assert memo.title("text", Subject("KV缓存"), compute("c")) == "c"  # another subject: computed afresh
    assert memo.title("text", None, compute("d")) == "d"
    assert calls == ["a", "c", "d"]


def test_a_damaged_record_is_recomputed_not_trusted(taxonomy):
    tagger = Tagger(taxonomy)
    first = TextMemo()
    first.analysis(TEXTS[0], tagger.analyse)
    record = first.record()
    key = next(iter(record["analyses"]))
    for damaged in ({"analyses": {key: ("not", "an", "analysis")}}, {"analyses": [1, 2]}, "garbage", None):
        memo = TextMemo(damaged)
        assert memo.analysis(TEXTS[0], tagger.analyse) == tagger.analyse(TEXTS[0])
        assert memo.computed == 1
    titles = TextMemo({"titles": {b"x": 3}})
    assert titles.title("text", None, lambda: "computed") == "computed"
