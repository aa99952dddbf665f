"""The chunked search index: what it holds for each page, how it is cut, and how it is written."""

from __future__ import annotations

import gzip
import json

import pytest

from ingest.site import search_build
from ingest.site.search_build import (
    KEYWORDS_FIELD,
    OUTPUT_DIR,
    SCORE_LEVELS,
    TITLE_FIELD,
    chunks,
    postings,
    read_index,
    term_score,
    utf16_order,
    write_index,
)
from ingest.site.search_index import SearchRecord


def record(url, title, text, **kwargs):
    return SearchRecord(url=url, title=title, text=text, **kwargs)


RECORDS = [
    record(
        "articles/b/", "梯度检查点", "用时间换显存的技术", keywords=("Gradient checkpointing",), tags=("梯度检查点",)
    ),
    record("articles/a/", "优化器", "AdamW 把权重衰减从梯度中解耦", keywords=("weight decay",)),
    record("topics/t/", "主题", "梯度 梯度 梯度", weight=0.5),
]


def entries(records) -> dict[str, list[tuple[int, int]]]:
    return {term: list(zip(*lists, strict=True)) for term, lists in postings(records).items()}


def test_every_term_lists_its_pages_with_a_score_and_the_fields_holding_it():
    table = entries(RECORDS)
    (page, value), *rest = table["显存"]
    assert (page, value & 3) == (0, 0) and value >> 2 > 0 and not rest
    assert {page for page, _ in table["梯度"]} == {0, 1, 2}
    assert [value & 3 for _, value in table["梯度"] if _ == 0] == [TITLE_FIELD]  # 梯度 is in page 0's title only
    assert [value for page, value in table["weight"]] == [KEYWORDS_FIELD]  # in page 1's keywords only
    assert table["adamw"][0][0] == 1


def test_scores_saturate_with_repetition_and_fall_with_length():
    assert term_score(0, 10, 10) == 0
    assert 0 < term_score(1, 10, 10) < term_score(3, 10, 10) < term_score(30, 10, 10) <= SCORE_LEVELS
    assert term_score(1, 100, 10) < term_score(1, 10, 10)
    assert term_score(0.001, 1000, 1) == 1  # present, however faint, is never 0


def test_a_lighter_page_scores_lower_for_the_same_text():
    pages, (heavy, light) = postings(
        [record("x/", "", "梯度 梯度 梯度"), record("y/", "", "梯度 梯度 梯度", weight=0.5)]
    )["梯度"]
    assert pages == [0, 1] and heavy >> 2 > light >> 2 > 0


def test_chunks_follow_the_browsers_string_order_and_hold_each_term_once(monkeypatch):
    monkeypatch.setattr(search_build, "CHUNK_POSTINGS", 3)
    table = postings(RECORDS)
    cut = chunks(table)
    assert len(cut) > 2
    terms = [term for chunk in cut for term in chunk]
    assert sorted(terms, key=utf16_order) == terms
    assert sorted(terms) == sorted(table) and len(terms) == len(set(terms))
    assert all(sum(len(table[term][0]) for term in chunk[:-1]) < 3 for chunk in cut)


def test_utf16_order_is_javascripts_order():
    # Above U+FFFF, JavaScript compares surrogates (0xD8xx), which sort before U+E000-U+FFFF.
    assert sorted(["\uff10", "\U00020000"], key=utf16_order) == ["\U00020000", "\uff10"]
    assert sorted(["\uff10", "\U00020000"]) == ["\uff10", "\U00020000"]


def test_the_written_index_reads_back_and_says_nothing_per_page_up_front(tmp_path, monkeypatch):
    monkeypatch.setattr(search_build, "CHUNK_POSTINGS", 4)
    written = write_index(RECORDS, tmp_path)
    entry, pages, table = read_index(tmp_path)
    assert entry["pages"] == written.pages == 3 and len(entry["chunks"]) == written.chunks > 1
    assert set(entry) == {"format", "build", "pages", "chunks", "weights"}  # no list of pages to fetch
    assert [page["url"] for page in pages] == ["articles/a/", "articles/b/", "topics/t/"]
    assert pages[1] == {
        "url": "articles/b/",
        "title": "梯度检查点",
        "text": "用时间换显存的技术",
        "tags": ["梯度检查点"],
    }
    assert table == entries(sorted(RECORDS, key=lambda r: r.url))
    chunk = json.loads(gzip.decompress((tmp_path / OUTPUT_DIR / entry["build"] / "t0.gz").read_bytes()))
    assert chunk["terms"][0] == entry["chunks"][0]


def test_a_new_build_replaces_the_old_one_entirely(tmp_path):
    first = write_index(RECORDS, tmp_path)
    second = write_index(RECORDS[:1], tmp_path)
    assert first.build != second.build
    assert sorted(path.name for path in (tmp_path / OUTPUT_DIR).iterdir()) == sorted(["index.json", second.build])
    assert write_index(RECORDS[:1], tmp_path).build == second.build  # the same content, the same name


def test_an_empty_site_has_an_empty_index(tmp_path):
    written = write_index([], tmp_path)
    entry, pages, table = read_index(tmp_path)
    assert (written.pages, entry["chunks"], pages, table) == (0, [], [], {})


@pytest.mark.parametrize("text", ["", "，。！"])
def test_a_page_without_words_is_still_listed(tmp_path, text):
    write_index([record("x/", "标题", text)], tmp_path)
    _, pages, table = read_index(tmp_path)
    assert pages[0]["title"] == "标题" and table["标题"] == [(0, TITLE_FIELD)]
