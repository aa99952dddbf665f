"""The terms of the search index and of a query: they must meet wherever the text holds the query.

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
    SPACE_CHARACTERS,
    compound_parts,
    index_form,
    index_terms,
    query_terms,
)
from tests.conftest import ROOT

WORKER = ROOT / "ingest" / "site" / "search_worker.js"
# Chinese, kana, Latin, digits, identifiers' punctuation, CJK punctuation, spaces.
ALPHABET = "梯度检查点权重衰减的在是一种用时间换显存カナabcXYZ019_.()@#<>&'\"，。（）：、…→ \t\n`"
SPACES = re.compile(f"[{SPACE_CHARACTERS}]+")


def found(query: str, text: str) -> bool:
    """The index's rule: every query term is the start of some indexed term of the page."""
    terms = index_terms(text)
    return all(any(term.startswith(part) for term in terms) for part in query_terms(query))


def test_chinese_is_indexed_as_a_term_at_every_character():
    assert index_terms("梯度检查点") == {"梯度": 1, "度检": 1, "检查": 1, "查点": 1, "点": 1}
    assert query_terms("梯度检查点") == ["梯度", "度检", "检查", "查点"]
    assert query_terms("梯") == ["梯"]


def test_words_are_indexed_without_case_or_punctuation_and_by_their_parts():
    terms = index_terms("调用 torch.nn.functional 与 FlashAttention、expand_as() 和 conv2d，再调 expand_as")
    assert terms["torchnnfunctional"] == 1 and terms["flashattention"] == 1 and terms["conv2d"] == 1
    assert terms["expand_as"] == 2
    assert terms["functional"] == pytest.approx(1 / 3) and terms["attention"] == pytest.approx(1 / 2)
    assert "，" not in terms and "(" not in "".join(terms)


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("nn.functional", ["nn", "functional"]),
        ("FlashAttention", ["flash", "attention"]),
        ("HTTPServer", ["http", "server"]),
        ("expand_as()", ["expand", "as"]),
        ("conv2d", []),
        ("GELU", []),
        ("a.b", []),  # parts of one letter are not worth finding
    ],
)
def test_compound_parts(word, parts):
    assert compound_parts(word) == parts


def test_a_final_sigma_lowers_letter_by_letter():
    assert index_form("ΟΔΟΣ") == "οδοσ"


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


@given(st.text(alphabet=ALPHABET, max_size=60))
def test_any_text_finds_itself(text):
    assert found(text, text)


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
    for query in ("torch.cuda.amp", "expand_as", "Expand_As", "tf_export", "torch", "cuda", "amp"):
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
    queries = ["梯度检查点", "在介绍Transformer前", "nn.functional", "expand_as()", "ΟΔΟΣ", *sample_strings(1500)]
    assert node_worker([["queryTerms", query] for query in queries]) == [query_terms(query) for query in queries]


def test_the_browser_finds_the_parts_the_index_holds():
    words = ["nn.functional", "FlashAttention", "HTTPServer", "expand_as()", "conv2d", "a.b", *sample_strings(1000, 7)]
    assert node_worker([["compoundParts", word] for word in words]) == [compound_parts(word) for word in words]


def test_the_browser_shows_a_text_with_its_spacing():
    texts = ["梯度检查点（Gradient Checkpointing）是一种技术。", "代码 `x` 之间", *sample_strings(500, seed=5)]
    shown = node_worker([["shownText", text] for text in texts])
    assert shown == [SPACES.sub(" ", text).strip(" ") for text in texts]
