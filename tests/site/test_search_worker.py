"""The search worker's engine under Node, against an index written by ``search_build``: which
pages a query finds, in which order, and what the result list is given to show."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from ingest.site import search_build
from ingest.site.search_build import WORKER_SCRIPT, write_index
from ingest.site.search_index import SearchRecord

# A site folder's layout, as the worker finds the index from its own URL.
HARNESS = """
const { pathToFileURL } = require("url");
const fs = require("fs");
const site = process.argv[1];
globalThis.self = { location: { href: pathToFileURL(site + "/assets/javascripts/workers/search.js").href } };
globalThis.fetch = async (url) => {
  const path = decodeURIComponent(new URL(url).pathname);
  const bytes = fs.readFileSync(path);
  return { ok: true, url: String(url), arrayBuffer: async () => bytes, json: async () => JSON.parse(bytes) };
};
const worker = require(process.argv[2]);
let input = "";
process.stdin.on("data", (data) => (input += data));
process.stdin.on("end", async () => {
  const out = [];
  for (const query of JSON.parse(input)) out.push((await worker.search(query)).items.map((group) => group[0]));
  process.stdout.write(JSON.stringify(out));
});
"""

PAGES = [
    SearchRecord("articles/flash/", "FlashAttention：分块计算", "FlashAttention 借助在线 Softmax 分块计算注意力。"),
    SearchRecord("articles/rnn/", "循环网络", "RNN 与 LSTM 的区别。", keywords=("循环神经网络", "RNN")),
    SearchRecord(
        "articles/ckpt/", "显存优化", "梯度检查点用时间换显存，transformer 训练时常用。", tags=("梯度检查点",)
    ),
    SearchRecord("topics/ckpt/", "梯度检查点", "梯度检查点的简介。", weight=0.5),
    SearchRecord("articles/x/", "<script>alert(1)</script>", 'a < b & "c" 梯度 <img src=x onerror=alert(2)>'),
    SearchRecord("articles/a/", "A", "a single letter a"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    # Small chunks, so lookups cross chunk boundaries as they do on a large site.
    original = search_build.CHUNK_POSTINGS
    search_build.CHUNK_POSTINGS = 5
    try:
        write_index(PAGES, folder)
    finally:
        search_build.CHUNK_POSTINGS = original
    return folder


def search(site, *queries: str) -> list[list[dict]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: run `make setup` (it installs Node.js for KaTeX)")
    result = subprocess.run(
        [node, "-e", HARNESS, str(site), str(WORKER_SCRIPT)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def urls(items: list[dict]) -> list[str]:
    return [item["location"] for item in items]


def test_a_term_in_the_title_ranks_its_page_first(site):
    [found] = search(site, "梯度检查点")
    assert urls(found)[:2] == ["topics/ckpt/", "articles/ckpt/"]
    assert "<mark>梯度检查点</mark>" in found[0]["title"]
    assert found[1]["tags"] == ["梯度检查点"]


def test_every_query_term_must_match(site):
    neither, both = search(site, "梯度 rnn", "梯度 显存")
    assert neither == []
    assert urls(both) == ["articles/ckpt/"]


def test_a_typed_start_finds_the_word_and_a_single_letter_only_itself(site):
    flash, letter, word_part = search(site, "flashatt", "a", "attention")
    assert urls(flash) == ["articles/flash/"]
    assert set(urls(letter)) == {"articles/a/", "articles/x/"}  # "a" alone, not every word starting with a
    assert urls(word_part) == ["articles/flash/"]  # a part of FlashAttention


def test_a_longer_word_finds_the_indexed_word_it_starts_with(site):
    assert urls(search(site, "transformers")[0]) == ["articles/ckpt/"]


def test_topic_names_find_a_page_that_never_writes_them(site):
    found = search(site, "循环神经网络")[0]
    assert urls(found) == ["articles/rnn/"]
    assert "<mark>" not in found[0]["text"]  # nothing in its text to mark


def test_a_single_chinese_character_finds_the_words_it_starts(site):
    assert set(urls(search(site, "梯")[0])) == {"topics/ckpt/", "articles/ckpt/", "articles/x/"}


def test_nothing_is_found_for_an_unknown_word_or_no_words(site):
    assert search(site, "zzqxjv", "", "，。") == [[], [], []]


def test_what_the_page_says_is_escaped_never_markup(site):
    [found] = search(site, "梯度 onerror")
    [item] = found
    assert "<script>" not in item["title"] and "&#60;script&#62;" in item["title"]
    assert "<img" not in item["text"] and "&#60;img" in item["text"]
    assert item["text"].startswith("<p>") and "<mark>梯度</mark>" in item["text"]
    assert item["terms"] == {"梯度": True, "onerror": True}
