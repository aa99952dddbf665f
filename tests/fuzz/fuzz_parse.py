"""Fuzz target for the feed parser (``ingest.pipeline.parse.parse_feed``), for atheris/libFuzzer.

Whatever the bytes, ``parse_feed`` must not raise and must account for every line: each
line is exactly one of skipped (blank, header, date or category metadata), an entry (with
its text, stripped, with every control character and line separator made a space), or a
rejection (undecodable, holding a NUL, or over ``MAX_LINE_BYTES``); a file with NUL bytes near
its start is one rejection, an empty one a warning. No entry text ever holds a character that
any reader (``str.splitlines``, YAML, Markdown) takes for a line break.

Run it with ``make fuzz`` (``FUZZ_SECONDS=3600`` for longer), or by hand (atheris is in the
``test`` extra on x86-64 Linux; ``-max_total_time`` in seconds)::

    mkdir -p build/fuzz-corpus
    .venv/bin/python tests/fuzz/fuzz_parse.py build/fuzz-corpus feeds -max_total_time=600 -max_len=65536

``feeds`` seeds the corpus with the bundled dumps; new interesting inputs are saved into
``build/fuzz-corpus``. A crash writes ``crash-<sha1>``; replay it with
``.venv/bin/python tests/fuzz/fuzz_parse.py crash-<sha1>``. Without atheris, the same check runs
under Hypothesis in ``tests/test_fuzz_parse.py`` (part of ``make test``), which also runs
this target for a few thousand inputs when atheris is installed.
"""

from __future__ import annotations

import inspect
import os
import sys
import tempfile
import unicodedata
from pathlib import Path

import ingest.pipeline.parse as parse_module
from ingest.pipeline.parse import (
    BINARY_SNIFF_BYTES,
    HEADER_LINES,
    MAX_LINE_BYTES,
    ParsedFeed,
    is_category_line,
    is_date_line,
    parse_feed,
)
from ingest.shared.plaintext import one_line

BOM = b"\xef\xbb\xbf"


def physical_lines(data: bytes) -> list[bytes]:
    """The lines as the parser numbers them: split at LF only; a final LF ends the last line."""
    pieces = data.split(b"\n")
    if data.endswith(b"\n"):
        pieces.pop()
    return pieces


def expected(data: bytes) -> tuple[set[int], dict[int, str]]:
    """``(rejected line numbers, {entry line number: text})`` for a file that is not binary or empty."""
    rejected: set[int] = set()
    entries: dict[int, str] = {}
    for number, raw in enumerate(physical_lines(data), start=1):
        if len(raw) > MAX_LINE_BYTES:
            rejected.add(number)
            continue
        raw = raw.rstrip(b"\r")
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        if b"\0" in raw:
            rejected.add(number)
            continue
        try:
            text = one_line(raw.decode("utf-8")).strip()
        except UnicodeDecodeError:
            rejected.add(number)
            continue
        if text and text not in HEADER_LINES and not is_date_line(text) and not is_category_line(text):
            entries[number] = text
    return rejected, entries


def assert_accounts_for_every_line(data: bytes, parsed: ParsedFeed) -> None:
    if not data:
        assert not parsed.entries and not parsed.rejected and len(parsed.warnings) == 1
        return
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        assert not parsed.entries and [problem.line for problem in parsed.rejected] == [1]
        return
    rejected, entries = expected(data)
    rejected_lines = [problem.line for problem in parsed.rejected]
    assert sorted(rejected_lines) == sorted(rejected), (rejected_lines, rejected)
    assert {entry.line: entry.text for entry in parsed.entries} == entries
    assert len(parsed.entries) == len(entries), "an entry was produced twice"
    for entry in parsed.entries:  # independently of the parser's own character class
        assert entry.text.splitlines() == [entry.text], entry.text
        assert not any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in entry.text), entry.text
    count = len(physical_lines(data))
    for problem in [*parsed.rejected, *parsed.warnings]:
        assert 1 <= problem.line <= max(count, 1), problem


def check_feed_bytes(data: bytes, folder: Path) -> ParsedFeed:
    """Write ``data`` as a dump in ``folder``, parse it, and check that every line is accounted for."""
    path = folder / f"fuzz-{os.getpid()}.txt"
    path.write_bytes(data)
    try:
        parsed = parse_feed(path)
    finally:
        path.unlink()
    assert_accounts_for_every_line(data, parsed)
    return parsed


def main() -> None:
    import atheris  # only the fuzzer needs it; the Hypothesis test imports this module without it

    # libFuzzer ends the process without running atexit handlers, so no private temp folder:
    # one shared scratch folder (on tmpfs when there is one), each input's file removed at once.
    memory = Path("/dev/shm")
    folder = (memory if memory.is_dir() else Path(tempfile.gettempdir())) / "ingest-fuzz-parse"
    folder.mkdir(exist_ok=True)

    def test_one_input(data: bytes) -> None:
        check_feed_bytes(data, folder)

    # Coverage feedback from the parser itself (instrumented in place), not from this harness.
    for value in vars(parse_module).values():
        if inspect.isfunction(value) and value.__module__ == parse_module.__name__:
            atheris.instrument_func(value)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
