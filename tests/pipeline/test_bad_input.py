"""Broken feed dumps through the real CLI: each problem is reported, every good entry still lands.

For every fixture: stderr has ``FILE:LINE: message`` (warnings as ``FILE:LINE: warning: ...``)
matching the report, rejections are in the report's ``rejected`` list, every other entry is in
some article's ``sources``, there is no traceback, and the accounting contract holds
(``tests.accounting.run_cli`` asserts the last two on every run).

Documented choices: a file without the ``INCOMING TRANSMISSION`` header is ingested with a
warning (scrapers drop headers, not entries); a whole file that cannot be used (binary,
unreadable, missing path) is one rejection and counts as one entry read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from ingest.pipeline.parse import MAX_LINE_BYTES, parse_feed
from tests.accounting import ROOT, run_cli

HEADER = b"INCOMING TRANSMISSION\n\nLATEST UPDATES\n"
# Distinct articles on distinct topics, so none is merged into another.
GOOD = [
    "注意力机制 attention 的计算方式：先求 Q 与 K 的点积，再做 softmax 归一化得到权重...",
    "优化器 Adam 用一阶矩和二阶矩估计，让每个参数的学习率自适应地调整，收敛更稳定...",
    "混合精度训练用 FP16 做前向和反向计算，用 loss scaling 防止梯度下溢，显存更省…",
    "梯度检查点 Gradient Checkpointing 在前向传播时只保存部分激活值，用重新计算换显存...",
]


def write_lines(path: Path, *lines: str | bytes, header: bytes = HEADER, newline: bytes = b"\n") -> Path:
    """A dump from text or raw byte lines; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = [line if isinstance(line, bytes) else line.encode("utf-8") for line in lines]
    path.write_bytes(header + b"".join(line + newline for line in raw))
    return path


def written_sources(project: Path) -> set[str]:
    sources: set[str] = set()
    for path in (project / "docs" / "articles").glob("*.md"):
        sources.update(frontmatter.load(path)["sources"])
    return sources


def assert_reported(result, report: dict, kind: str, file: str, line: int, fragment: str) -> None:
    """One problem at FILE:LINE in the report's ``kind`` list, printed on stderr exactly."""
    matching = [problem for problem in report[kind] if (problem["file"], problem["line"]) == (file, line)]
    assert len(matching) == 1, report[kind]
    reason = matching[0]["reason"]
    assert fragment in reason
    label = "warning: " if kind == "warnings" else ""
    assert f"{file}:{line}: {label}{reason}" in result.stderr.splitlines(), result.stderr


def test_undecodable_line_is_rejected_by_number_and_its_neighbours_kept(tmp_path):
    write_lines(tmp_path / "feeds/bad.txt", GOOD[0], b"broken \xff\xfe bytes \xc3\x28 here...", GOOD[1], b"\xe6\xb3")
    result, report = run_cli(tmp_path)
    assert result.returncode == 0
    assert_reported(result, report, "rejected", "feeds/bad.txt", 5, "not UTF-8")
    assert_reported(result, report, "rejected", "feeds/bad.txt", 7, "not UTF-8")  # a cut multi-byte character
    assert len(report["rejected"]) == 2
    assert written_sources(tmp_path) == {"feeds/bad.txt:4", "feeds/bad.txt:6"}
    assert (report["entries_read"], report["articles"]) == (4, 2)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"], ids=["zero-bytes", "blank-lines", "bom-only"])
def test_empty_file_is_a_warning(tmp_path, content):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds/empty.txt").write_bytes(content)
    write_lines(tmp_path / "feeds/good.txt", GOOD[0])
    result, report = run_cli(tmp_path, "--strict")
    assert result.returncode == 0, "a warning is not a rejection"
    assert_reported(result, report, "warnings", "feeds/empty.txt", 1, "empty file")
    assert report["rejected"] == []
    assert written_sources(tmp_path) == {"feeds/good.txt:4"}


def test_file_without_header_is_ingested_with_a_warning(tmp_path):
    """The documented choice: the entries are kept, the missing header is a warning."""
    write_lines(tmp_path / "feeds/headless.txt", GOOD[0], "Python", "2026-01-11", GOOD[1], header=b"")
    result, report = run_cli(tmp_path, "--strict")
    assert result.returncode == 0
    assert_reported(result, report, "warnings", "feeds/headless.txt", 1, "no 'INCOMING TRANSMISSION' header")
    assert report["rejected"] == []
    assert written_sources(tmp_path) == {"feeds/headless.txt:1", "feeds/headless.txt:4"}
    metadata = [frontmatter.load(path).metadata for path in (tmp_path / "docs/articles").glob("*.md")]
    assert {(meta.get("category"), meta.get("date")) for meta in metadata} == {(None, None), ("Python", "2026-01-11")}


def test_binary_file_is_rejected_by_name(tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds/image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    write_lines(tmp_path / "feeds/good.txt", GOOD[0], GOOD[1])
    result, report = run_cli(tmp_path)
    assert result.returncode == 0
    assert_reported(result, report, "rejected", "feeds/image.txt", 1, "binary file")
    assert written_sources(tmp_path) == {"feeds/good.txt:4", "feeds/good.txt:5"}
    assert report["entries_read"] == 3, "the binary file counts as one entry read"


def test_multi_megabyte_line_is_rejected_within_the_documented_limit(tmp_path):
    huge = ("很长的一行 " * (8 * MAX_LINE_BYTES // 16)).encode()  # about 8 MiB, no newline inside
    assert len(huge) > 4 * MAX_LINE_BYTES
    write_lines(tmp_path / "feeds/huge.txt", GOOD[0], huge, GOOD[1])
    result, report = run_cli(tmp_path)
    assert result.returncode == 0
    assert_reported(result, report, "rejected", "feeds/huge.txt", 5, f"longer than {MAX_LINE_BYTES} bytes")
    assert written_sources(tmp_path) == {"feeds/huge.txt:4", "feeds/huge.txt:6"}


def test_line_length_limit_is_exact(tmp_path):
    """MAX_LINE_BYTES bytes before the newline are kept, one more is not (a CR counts as one)."""
    at_limit = ("注意力 attention " * 1000).encode()
    at_limit += b"a" * (MAX_LINE_BYTES - len(at_limit))
    lines = [at_limit + b"\n", at_limit + b"b\n", at_limit + b"\r\n", at_limit[:-1] + b"\r\n"]
    feed = tmp_path / "limit.txt"
    feed.write_bytes(HEADER + b"".join(lines))
    parsed = parse_feed(feed)
    assert [(entry.line, len(entry.text.encode())) for entry in parsed.entries] == [
        (4, MAX_LINE_BYTES),
        (7, MAX_LINE_BYTES - 1),
    ]
    assert [problem.line for problem in parsed.rejected] == [5, 6]


# Peak memory of parse_feed on a 64 MiB line, measured in a fresh interpreter.
PARSE_PEAK = """
import sys, tracemalloc
from pathlib import Path
from ingest.pipeline.parse import parse_feed
tracemalloc.start()
parsed = parse_feed(Path(sys.argv[1]))
assert [problem.line for problem in parsed.rejected] == [5] and len(parsed.entries) == 2
print(tracemalloc.get_traced_memory()[1])
"""
# The whole CLI: its peak resident set size in bytes (Linux reports KiB).
CLI_PEAK_RSS = """
import resource, sys
from ingest.cli import main
status = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
sys.exit(status)
"""


def python(project: Path, code: str, *args: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return int(result.stdout.split()[-1])


@pytest.mark.slow
def test_oversized_line_costs_bounded_memory(tmp_path):
    """A complexity bound, not a timing: a line 64x over the cap costs a small multiple of the cap.

    tracemalloc measures the parser exactly (the first capped chunk, briefly twice while read);
    the CLI's peak resident set must not grow by even 4x the cap over the same run without it.
    """
    line_bytes = 64 * MAX_LINE_BYTES
    huge = write_lines(tmp_path / "huge/feeds/a.txt", GOOD[0], b"x" * line_bytes, GOOD[1])
    small = write_lines(tmp_path / "small/feeds/a.txt", GOOD[0], b"x", GOOD[1])
    assert python(tmp_path, PARSE_PEAK, str(huge)) < 3 * MAX_LINE_BYTES  # measured: about 2x

    cli = ["--taxonomy", str(ROOT / "taxonomy.yml"), "run", "--titles", "none.yml"]
    with_huge_line = python(huge.parent.parent, CLI_PEAK_RSS, *cli)
    without = python(small.parent.parent, CLI_PEAK_RSS, *cli)
    assert with_huge_line - without < 4 * MAX_LINE_BYTES, (with_huge_line, without)


def test_crlf_bom_and_both_ellipses(tmp_path):
    """Windows line ends and a BOM are invisible; '...' and '…' copies of one article merge."""
    cut_dots = GOOD[1].removesuffix("...")[:30] + "..."
    cut_char = GOOD[1].removesuffix("...")[:34] + "…"
    write_lines(
        tmp_path / "feeds/windows.txt",
        GOOD[0],
        cut_dots,
        GOOD[2],
        cut_char,
        header=b"\xef\xbb\xbf" + HEADER.replace(b"\n", b"\r\n"),
        newline=b"\r\n",
    )
    result, report = run_cli(tmp_path, "--strict")
    assert result.returncode == 0
    assert report["rejected"] == [] and report["warnings"] == [], "no header warning: the BOM is not part of it"
    assert (report["articles"], report["duplicates_merged"]) == (3, 1)
    assert written_sources(tmp_path) == {f"feeds/windows.txt:{line}" for line in (4, 5, 6, 7)}
    for path in (tmp_path / "docs/articles").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "\r" not in text and "\ufeff" not in text, path
        post = frontmatter.loads(text)
        if "feeds/windows.txt:5" in post["sources"]:
            assert post["sources"] == ["feeds/windows.txt:5", "feeds/windows.txt:7"]
            assert post["truncated"] is True
            assert post.content.strip() == cut_char, "the longer copy is shown, its '…' kept as written"


def test_missing_feed_path_is_rejected_and_the_rest_ingested(tmp_path):
    write_lines(tmp_path / "feeds/good.txt", GOOD[0])
    result, report = run_cli(tmp_path, "--feeds", "feeds", "--feeds", "feeds/typo.txt")
    assert result.returncode == 0
    assert_reported(result, report, "rejected", "feeds/typo.txt", 0, "no such file or folder")
    assert written_sources(tmp_path) == {"feeds/good.txt:4"}
    assert report["entries_read"] == 2


def test_entry_with_no_letters_is_rejected(tmp_path):
    write_lines(tmp_path / "feeds/a.txt", GOOD[0], "…… ，，，。。。 —— !!! ... ……", GOOD[1])
    result, report = run_cli(tmp_path)
    assert_reported(result, report, "rejected", "feeds/a.txt", 5, "no text besides punctuation")
    assert written_sources(tmp_path) == {"feeds/a.txt:4", "feeds/a.txt:6"}


def test_unreadable_file_is_one_rejection_not_a_crash(tmp_path):
    """parse_feed never raises: a path it cannot read (here a folder) is rejected whole."""
    folder = tmp_path / "not-a-file.txt"
    folder.mkdir()
    parsed = parse_feed(folder)
    assert parsed.entries == [] and len(parsed.rejected) == 1
    assert parsed.rejected[0].line == 0 and "cannot read" in parsed.rejected[0].reason


def broken_feeds(project: Path) -> None:
    """Every kind of bad input at once, around good entries."""
    write_lines(project / "feeds/a-bad-bytes.txt", GOOD[0], b"\xff\xfe", GOOD[1])
    (project / "feeds/b-binary.txt").write_bytes(b"\x00\x01\x02")
    (project / "feeds/c-empty.txt").write_bytes(b"")
    write_lines(project / "feeds/d-headless.txt", GOOD[2], header=b"")
    write_lines(project / "feeds/e-huge.txt", b"y" * (2 * MAX_LINE_BYTES), GOOD[3])
    write_lines(project / "feeds/f-crlf.txt", GOOD[3], header=b"\xef\xbb\xbf" + HEADER, newline=b"\r\n")


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_strict_exits_1_on_any_rejection_and_0_otherwise(tmp_path, strict):
    broken_feeds(tmp_path)
    flags = ["--strict"] if strict else []
    result, report = run_cli(tmp_path, *flags)
    assert result.returncode == (1 if strict else 0)
    assert [(problem["file"], problem["line"]) for problem in report["rejected"]] == [
        ("feeds/a-bad-bytes.txt", 5),
        ("feeds/b-binary.txt", 1),
        ("feeds/e-huge.txt", 4),
    ]
    # Good entries: 2 + 1 + 1 + 1 (the CRLF copy of GOOD[3] merges with e-huge's); rejections: 3.
    assert (report["entries_read"], report["articles"], report["duplicates_merged"]) == (8, 4, 1)
    assert written_sources(tmp_path) == {
        "feeds/a-bad-bytes.txt:4",
        "feeds/a-bad-bytes.txt:6",
        "feeds/d-headless.txt:1",
        "feeds/e-huge.txt:5",
        "feeds/f-crlf.txt:4",
    }

    (tmp_path / "feeds/a-bad-bytes.txt").unlink()
    (tmp_path / "feeds/b-binary.txt").unlink()
    (tmp_path / "feeds/e-huge.txt").unlink()
    result, report = run_cli(tmp_path, *flags)
    assert result.returncode == 0, "warnings alone never fail, even with --strict"
    assert report["rejected"] == [] and report["warnings"]
