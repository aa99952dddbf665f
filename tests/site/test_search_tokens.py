"""The words of the search index and of a query: they must meet, and turn back into the text.

The browser half (``ingest/site/search_worker.js``) is run under Node on the same strings,
since the index (Python) and the query (JavaScript) must cut text identically.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.site.search_tokens import (
    CJK_RUN,
    GLUE,
    SPACE_CHARACTERS,
    decode_content,
    encode_content,
    index_form,
    query_terms,
)
from tests.conftest import ROOT

WORKER = ROOT / "ingest" / "site" / "search_worker.js"
# Chinese, kana, Latin, digits, identifiers' punctuation, CJK punctuation, spaces, the marker.
ALPHABET = "梯度检查点权重衰减的在是一种用时间换显存カナabcXYZ019_.()@#<>&'\"，。（）：、…→ \t\n`"
SPACES = re.compile(f"[{SPACE_CHARACTERS}]+")


def normalized_spaces(text: str) -> str:
    return SPACES.sub(" ", text).strip(" ")


def indexed_words(text: str) -> list[str]:
    """What Pagefind indexes from ``encode_content(text)``: each word's letters and digits."""
    return [index_form(word) for word in encode_content(text).split(" ")]


def found(query: str, text: str) -> bool:
    """Pagefind's rule: every query term is the start of some indexed word of the page."""
    words = [word for word in indexed_words(text) if word]
    return all(any(word.startswith(term) for word in words) for term in query_terms(query))


@pytest.mark.parametrize(
    "text",
    [
        "梯度检查点（Gradient Checkpointing）是一种用时间换显存的技术。",
        "在介绍Transformer前，先看 nn.functional.conv2d 与 expand_as() 的区别",
        "代码 `x` 与 ``y`` 之间",
        "<script>alert(1)</script> 与 $5 到 $10",
        "前",
        "",
    ],
)
def test_the_shown_text_is_the_text_indexed(text):
    assert decode_content(encode_content(text)) == text


@given(st.text(alphabet=ALPHABET, max_size=60))
def test_any_text_round_trips_with_its_spacing(text):
    assert decode_content(encode_content(text)) == normalized_spaces(text)


def test_chinese_is_indexed_as_a_word_at_every_character():
    assert encode_content("梯度检查点") == "梯度 度检 检查 查点 点"
    assert query_terms("梯度检查点") == ["梯度", "度检", "检查", "查点"]
    assert query_terms("梯") == ["梯"]


def test_the_marker_says_no_space_followed_and_adds_no_indexed_word():
    content = encode_content("前，是Transformer的")
    assert content == "前` ，` 是` Transformer` 的"
    assert indexed_words("前，是Transformer的") == ["前", "", "是", "transformer", "的"]
    assert all(GLUE not in word for word in indexed_words("a`b ``c` 的`"))


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("在介绍Transformer前", ["在介", "介绍", "transformer", "前"]),
        ("nn.functional", ["nnfunctional"]),
        ("expand_as()", ["expand_as"]),
        ("@tf_export", ["tf_export"]),
        (".backward()", ["backward"]),
        ("Weight Decay", ["weight", "decay"]),
        ("单精度FP32", ["单精", "精度", "fp32"]),
        ("ＦＬＡＳＨ", ["flash"]),  # full-width letters, as a Chinese input method may type them
        ("  ，。 ", []),
    ],
)
def test_query_terms_are_what_the_index_holds(query, terms):
    assert query_terms(query) == terms


@given(st.text(alphabet="梯度检查点权重衰减的在是一种时间", min_size=1, max_size=30), st.data())
def test_every_piece_of_a_chinese_run_finds_the_text(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert found(text[start:end], f"开头{text}结尾")


def test_every_chinese_taxonomy_name_is_found_whole_in_running_text(taxonomy):
    names = {run for topic in taxonomy.topics for name in topic.names for run in CJK_RUN.findall(name)}
    assert {"梯度检查点", "权重衰减", "循环神经网络"} <= names
    for name in sorted(names):
        text = f"我们在这里讨论{name}以及其他内容"
        assert found(name, text), name
        assert not found(name + "鑫", text), name  # and not a longer term the text does not hold


def test_a_query_missing_from_the_text_is_not_found():
    assert not found("权重衰减", "权重的衰减项")
    assert found("权重", "权重的衰减项")


def test_identifiers_are_found_whole_and_by_their_start():
    text = "调用 torch.cuda.amp 与 expand_as() 和 tf_export"
    for query in ("torch.cuda.amp", "expand_as", "Expand_As", "tf_export", "torch"):
        assert found(query, text), query


def node_worker(calls: list[list]) -> list:
    """Run ``[function, argument]`` calls against the worker's functions in Node."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: run `make setup` (it installs Node.js for KaTeX)")
    script = (
        f"const worker = require({json.dumps(str(WORKER))});"
        "let input = ''; process.stdin.on('data', d => input += d);"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify("
        "JSON.parse(input).map(([name, arg]) => worker[name](arg)))));"
    )
    result = subprocess.run(
        [node, "-e", script], input=json.dumps(calls), capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sample_strings(count: int, seed: int = 12) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_the_browser_cuts_queries_as_the_index_does():
    queries = [
        "梯度检查点",
        "在介绍Transformer前",
        "nn.functional",
        "expand_as()",
        "ΟΔΟΣ",  # a final sigma lower-cases as the index does, letter by letter
        *sample_strings(1500),
    ]
    assert node_worker([["queryTerms", query] for query in queries]) == [query_terms(query) for query in queries]


def test_the_browser_turns_indexed_words_back_into_the_same_text():
    texts = ["梯度检查点（Gradient Checkpointing）是一种技术。", "代码 `x` 之间", *sample_strings(1500, seed=5)]
    contents = [encode_content(text) for text in texts]
    assert node_worker([["decodeContent", content] for content in contents]) == [
        decode_content(content) for content in contents
    ]
