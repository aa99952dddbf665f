"""Search records made in the second process are the records made here, whatever happens to it."""

from __future__ import annotations

import os

from ingest.site.search_background import BATCH, SearchRecorder, record_with_terms
from ingest.site.second_process import SecondProcess

PAGES = {
    f"articles/page-{number}.md": (
        f"articles/page-{number}/",
        f"第 {number} 篇：FlashAttention",
        f'<article class="md-content__inner md-typeset"><h1>标题</h1><p>分块计算注意力 tile_{number} '
        f"torch.nn.functional.softmax</p><div data-search-exclude>相关文章</div></article>",
        ["注意力机制", "attention"],
        ["注意力机制"],
        1.0 if number % 2 else 0.5,
    )
    for number in range(2 * BATCH + 3)  # two batches handed over, and some pages left for the end
}


def recorded(recorder: SearchRecorder) -> list:
    for source, arguments in PAGES.items():
        recorder.add(source, *arguments)
    return sorted(recorder.results(), key=lambda made: made[0].url)


def made_here() -> list:
    return sorted(
        (record_with_terms(url, title, html, tuple(keywords), tuple(tags), weight)
         for url, title, html, keywords, tags, weight in PAGES.values()),
        key=lambda made: made[0].url,
    )  # fmt: skip


def test_records_from_the_second_process_are_those_made_here(second_process):
    assert second_process.running
    assert recorded(SearchRecorder(second_process)) == made_here()


def test_without_a_second_process_records_are_made_at_once():
    recorder = SearchRecorder(SecondProcess(0))
    recorder.add("articles/page-0.md", *PAGES["articles/page-0.md"])
    assert not recorder.waiting and not recorder.batches and list(recorder.made) == ["articles/page-0.md"]
    assert recorder.results() == made_here()[:1]


def test_a_dead_second_process_loses_no_record(second_process):
    recorder = SearchRecorder(second_process)
    first = list(PAGES.items())[:BATCH]
    for source, arguments in first:
        recorder.add(source, *arguments)
    second_process.submit(os._exit, 1)  # the process dies with records still to make
    for source, arguments in list(PAGES.items())[BATCH:]:
        recorder.add(source, *arguments)
    assert sorted(recorder.results(), key=lambda made: made[0].url) == made_here()


def test_a_page_added_again_or_discarded_is_indexed_as_it_was_last(second_process):
    recorder = SearchRecorder(second_process)
    url, title, html, keywords, tags, weight = PAGES["articles/page-1.md"]
    recorder.add("articles/page-1.md", url, "旧标题", html, keywords, tags, weight)
    recorder.add("articles/page-1.md", url, title, html, keywords, tags, weight)
    recorder.add("articles/page-2.md", *PAGES["articles/page-2.md"])
    recorder.discard("articles/page-2.md")
    [(record, _)] = recorder.results()
    assert record.title == title
    assert not recorder.waiting and not recorder.batches  # no page's HTML is held once its record is back


def test_a_page_added_again_after_its_batch_was_handed_over_keeps_only_its_last_record(second_process):
    recorder = SearchRecorder(second_process)
    for source, arguments in list(PAGES.items())[:BATCH]:
        recorder.add(source, *arguments)
    assert recorder.batches and not recorder.waiting  # the first batch is with the process
    url, _, html, keywords, tags, weight = PAGES["articles/page-0.md"]
    recorder.add("articles/page-0.md", url, "改过的标题", html, keywords, tags, weight)
    recorder.discard("articles/page-1.md")
    made = {record.url: record for record, _ in recorder.results()}
    assert made["articles/page-0/"].title == "改过的标题"
    assert "articles/page-1/" not in made and len(made) == BATCH - 1
