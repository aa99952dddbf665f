"""What a build reuses from the one before it: exact reuse by key, and the documented dirty exceptions."""

from __future__ import annotations

from ingest.site.rebuild_memo import CarriedOver, RebuildMemo


def test_a_value_is_computed_once_and_reused_by_the_next_build():
    memo, calls = CarriedOver(), []

    def compute():
        calls.append(1)
        return len(calls)

    assert memo.get("a", compute) == 1
    assert memo.get("a", compute) == 1  # same build
    memo.next_build()
    assert memo.get("a", compute) == 1 and memo.reused == 1
    assert memo.get("b", compute) == 2
    assert calls == [1, 1]


def test_what_a_build_did_not_use_is_dropped():
    memo = CarriedOver()
    memo.get("old bytes", lambda: "old page")
    memo.next_build()
    memo.get("new bytes", lambda: "new page")  # the file was edited: its old bytes are never asked for
    memo.next_build()
    assert memo.get("old bytes", lambda: "read again") == "read again"


def test_a_context_token_stays_while_the_context_is_equal():
    memo = RebuildMemo()
    first = memo.context_token("review", frozenset({"a.md", "b.md"}))
    assert memo.context_token("review", frozenset({"b.md", "a.md"})) is first
    changed = memo.context_token("review", frozenset({"a.md"}))
    assert changed is not first
    assert memo.context_token("other", frozenset({"a.md"})) is not changed


def test_related_articles_are_kept_only_while_the_fingerprint_is_the_same():
    memo, runs = RebuildMemo(), []

    def compute():
        runs.append(1)
        return f"related {len(runs)}"

    assert memo.related_for_dirty(("a.md", "标题", ("ddp",)), compute) == "related 1"
    assert memo.related_for_dirty(("a.md", "标题", ("ddp",)), compute) == "related 1"
    assert memo.related_for_dirty(("a.md", "新标题", ("ddp",)), compute) == "related 2"


def test_a_generated_page_is_unchanged_only_with_the_same_content_and_its_page_on_disk(tmp_path):
    memo = RebuildMemo()
    page = tmp_path / "topics" / "ddp" / "index.html"
    assert not memo.generated_unchanged("topics/ddp.md", "# DDP", page)  # first build
    assert not memo.generated_unchanged("topics/ddp.md", "# DDP", page)  # never written
    page.parent.mkdir(parents=True)
    page.write_text("<html>", encoding="utf-8")
    assert memo.generated_unchanged("topics/ddp.md", "# DDP", page)
    assert not memo.generated_unchanged("topics/ddp.md", "# DDP, 2 articles", page)
