"""Writing the Pagefind index with the real binary from the wheel, and reading back what it holds."""

from __future__ import annotations

import pytest

from ingest.site.pagefind_index import (
    PagefindError,
    find_pagefind,
    read_fragments,
    staged_page,
    staged_path,
    write_index,
)
from ingest.site.search_index import SearchRecord
from ingest.site.search_tokens import decode_content, encode_content


def record(url: str, title: str, text: str, **kwargs) -> SearchRecord:
    return SearchRecord(url=url, content=encode_content(text), meta={"title": encode_content(title)}, **kwargs)


@pytest.mark.parametrize(
    ("url", "path"),
    [("", "index.html"), ("articles/x/", "articles/x/index.html"), ("a/b.html", "a/b.html"), ("t/#s", "t/index.html")],
)
def test_each_page_is_staged_where_pagefind_gives_its_url_back(url, path):
    assert str(staged_path(url)) == path


@pytest.mark.parametrize("url", ["../outside/", "/etc/", "a/../../b/"])
def test_a_url_cannot_stage_a_file_outside_the_scratch_folder(url):
    with pytest.raises(PagefindError, match="not a page URL"):
        staged_path(url)


def test_staged_pages_escape_what_they_carry():
    html = staged_page(
        SearchRecord(
            url="x/",
            content='<script>alert("x")</script> &amp;',
            meta={"title": '"><img onerror=1>'},
            filters={"tag": ['a"b']},
        )
    )
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&amp;amp;" in html
    assert 'content="a&quot;b"' in html


def test_the_index_holds_every_record_with_its_text_and_nothing_of_pagefinds_ui(tmp_path):
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "stale.pf_fragment").write_text("from an older build")
    records = [
        record("", "首页", "欢迎来到知识库"),
        record("articles/a/", "梯度检查点", "用时间换显存的技术", filters={"tag": ["梯度检查点"]}),
        record("topics/t/", "优化器", "Adam 与 AdamW", weight=0.5),
        record("empty/", "只有标题", ""),
    ]
    assert write_index(records, site) == 4
    output = site / "pagefind"
    assert (output / "pagefind.js").is_file() and list(output.glob("*.pf_meta"))
    assert not (output / "stale.pf_fragment").exists()
    assert not list(output.glob("pagefind-*ui*")) and not (output / "pagefind-worker.js").exists()
    fragments = {fragment["url"]: fragment for fragment in read_fragments(output)}
    assert set(fragments) == {"/", "/articles/a/", "/topics/t/", "/empty/"}
    article = fragments["/articles/a/"]
    assert decode_content(article["content"]) == "用时间换显存的技术"
    assert decode_content(article["meta"]["title"]) == "梯度检查点"
    assert article["filters"] == {"tag": ["梯度检查点"]}
    assert decode_content(fragments["/empty/"]["content"]) == "只有标题"


def test_a_broken_binary_is_reported_with_its_output(tmp_path):
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'something went wrong' >&2\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(PagefindError, match="exit status 3") as raised:
        write_index([record("", "首页", "文字")], tmp_path / "site", executable=broken)
    assert "something went wrong" in str(raised.value)


def test_a_missing_binary_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-binary"))
    with pytest.raises(PagefindError, match="make setup"):
        find_pagefind()
