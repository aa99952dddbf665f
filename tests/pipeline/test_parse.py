from ingest.pipeline.parse import collect_feed_files, is_category_line, is_date_line, parse_feed
from tests.conftest import write_feed

ARTICLE = "AdamW目前是大语言模型训练的默认优化器,而大部分资料对Adam跟AdamW区别的介绍都不是很明确..."


def test_header_lines_are_skipped_and_entries_keep_file_and_line(tmp_path):
    feed = write_feed(tmp_path / "a.txt", ARTICLE, "另一篇文章 讲的是梯度检查点(Gradient Checkpointing)的原理...")
    parsed = parse_feed(feed)
    assert [entry.text for entry in parsed.entries] == [
        ARTICLE,
        "另一篇文章 讲的是梯度检查点(Gradient Checkpointing)的原理...",
    ]
    assert [entry.line for entry in parsed.entries] == [4, 5]
    assert parsed.entries[0].source.endswith("a.txt:4")
    assert not parsed.rejected and not parsed.warnings


def test_metadata_lines_belong_to_the_entry_that_follows(tmp_path):
    feed = write_feed(tmp_path / "a.txt", "第一篇没有元数据 这是一段足够长的摘录...", "Python", "2026-01-11", ARTICLE)
    first, second = parse_feed(feed).entries
    assert (first.category, first.date) == (None, None)
    assert (second.category, second.date, second.line) == ("Python", "2026-01-11", 7)


def test_metadata_applies_to_one_entry_only(tmp_path):
    feed = write_feed(tmp_path / "a.txt", "2026-01-11", ARTICLE, "后面这一篇没有日期 这是一段足够长的摘录...")
    first, second = parse_feed(feed).entries
    assert first.date == "2026-01-11" and second.date is None


def test_dangling_metadata_is_a_warning_with_its_line(tmp_path):
    feed = write_feed(tmp_path / "a.txt", ARTICLE, "Python")
    parsed = parse_feed(feed)
    assert len(parsed.entries) == 1
    assert [str(problem) for problem in parsed.warnings] == [
        f"{parsed.entries[0].file}:5: metadata line 'Python' has no entry after it"
    ]


def test_metadata_line_shapes():
    assert is_date_line("2026-01-11")
    assert not is_date_line("2026-13-45")
    assert is_category_line("Python") and is_category_line("深度学习")
    assert not is_category_line(ARTICLE)
    assert not is_category_line("短句,有标点")


def test_folders_expand_to_sorted_txt_files_and_missing_paths_are_reported(tmp_path):
    write_feed(tmp_path / "feeds" / "b.txt", ARTICLE)
    write_feed(tmp_path / "feeds" / "a.txt", ARTICLE)
    (tmp_path / "feeds" / "notes.md").write_text("not a feed")
    files, missing = collect_feed_files([tmp_path / "feeds", tmp_path / "nope.txt"])
    assert [path.name for path in files] == ["a.txt", "b.txt"]
    assert len(missing) == 1 and "no such file" in missing[0].reason
