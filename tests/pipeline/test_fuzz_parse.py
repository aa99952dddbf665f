"""The parser's fuzz target, driven by Hypothesis (always) and by atheris (when installed).

``tests/fuzz/fuzz_parse.py`` holds the check: ``parse_feed`` never raises and accounts for every
line. Hypothesis feeds it raw bytes and byte soups built from feed-like pieces (header and
metadata lines, invalid UTF-8, BOMs, CRs, NULs, whitespace); atheris, a coverage-guided fuzzer,
gets a short bounded run. Longer fuzzing: see that file's docstring.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.fuzz_parse import assert_accounts_for_every_line, check_feed_bytes

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "tests" / "fuzz" / "fuzz_parse.py"
PIECES = [
    b"INCOMING TRANSMISSION",
    b"LATEST UPDATES",
    b"",
    b"Python",
    b"2026-01-11",
    b"2026-02-30",
    "注意力机制的一段摘录，讲的是 softmax...".encode(),
    "混合精度训练…".encode(),
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xe6\xb3",
    b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
    b"\x00",
    b"\r",
    b"\x85",
    "\u2028".encode(),
    b"\t \x0b\x0c",
    b"...",
]
LINE = st.lists(st.sampled_from(PIECES) | st.binary(max_size=8), max_size=6).map(b"".join)
SOUP = st.tuples(st.lists(LINE, max_size=12), st.sampled_from([b"\n", b"\r\n", b"\n\n"])).map(
    lambda parts: parts[1].join(parts[0])
)
MEMORY_BACKED_TEMP = Path("/dev/shm")


def check(data: bytes) -> None:
    with tempfile.TemporaryDirectory(dir=MEMORY_BACKED_TEMP if MEMORY_BACKED_TEMP.is_dir() else None) as folder:
        check_feed_bytes(data, Path(folder))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_never_raise_and_every_line_is_accounted_for(data):
    check(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOUP)
def test_feed_like_byte_soup_never_raises_and_every_line_is_accounted_for(data):
    check(data)


def test_check_catches_a_lost_line(tmp_path):
    """The check itself can fail: a parser that dropped an entry would be caught."""
    data = "INCOMING TRANSMISSION\n\nLATEST UPDATES\n第一篇摘录的正文内容...\n第二篇摘录的正文内容...\n".encode()
    parsed = check_feed_bytes(data, tmp_path)
    parsed.entries.pop()
    with pytest.raises(AssertionError):
        assert_accounts_for_every_line(data, parsed)


# The fuzzer: `make test-slow` (CI runs it too), and longer under `make fuzz`.
@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_atheris_fuzzes_the_parser_for_a_bounded_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = [str(ROOT / "feeds")] if (ROOT / "feeds").is_dir() else []
    result = subprocess.run(
        [sys.executable, str(TARGET), str(corpus), *seeds, "-runs=20000", "-max_len=4096", "-seed=1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done 20000 runs" in result.stderr
    assert not list(tmp_path.glob("crash-*"))
