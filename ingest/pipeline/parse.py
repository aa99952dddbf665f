"""Read feed dumps into entries, keeping every line's provenance.

The format: a header (``INCOMING TRANSMISSION``, blank, ``LATEST UPDATES``), then one
excerpt per line. Short metadata lines (a category such as ``Python``, a date such as
``2026-01-11``) describe the entry that follows them.

Reading is streamed line by line with a size cap, so a multi-megabyte line costs at most
``MAX_LINE_BYTES`` of memory and is reported instead of ingested.

A dump without the header is still ingested, with a warning: scrapers lose headers, not
entries. A file that cannot be used at all (binary, unreadable) is one rejection.

Every byte is hostile: a line holding a NUL is rejected, control characters and line
separators inside a line become spaces (``ingest.shared.plaintext``), and a file name is
shown with its control characters escaped, in messages and in ``sources`` alike.

Symlinks among the feeds are followed only while they stay inside the project: the
working directory, or the real folder a ``--feeds`` argument names. Anything else (a link
to ``/etc/passwd``, to a folder outside) is refused by name, as ``LINK:0``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.shared.messages import display_name, terminal_safe
from ingest.shared.model import Entry, Problem
from ingest.shared.plaintext import one_line

HEADER_LINES = ("INCOMING TRANSMISSION", "LATEST UPDATES")
MAX_LINE_BYTES = 1 << 20  # 1 MiB: real excerpts are about 1 KB
BINARY_SNIFF_BYTES = 8192
SKIP_READ_BYTES = 1 << 16

DATE_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A category is a short label: no sentence punctuation, at most three words.
CATEGORY_LINE = re.compile(r"^[^\s.,;:!?。，、；：！？…()（）\[\]]+(?: [^\s.,;:!?。，、；：！？…()（）\[\]]+){0,2}$")
MAX_CATEGORY_CHARS = 24


@dataclass
class ParsedFeed:
    entries: list[Entry] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line_number, raw_bytes)``; raw is ``None`` for a line over the size cap."""
    with path.open("rb") as handle:
        number = 0
        while True:
            chunk = handle.readline(MAX_LINE_BYTES + 1)
            if not chunk:
                return
            number += 1
            if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
                # Skip the rest of the oversized line without holding it in memory: small reads,
                # so the skipping never holds more than the first chunk (about 1x the cap).
                while chunk and not chunk.endswith(b"\n"):
                    chunk = handle.readline(SKIP_READ_BYTES)
                yield number, None
                continue
            yield number, chunk.rstrip(b"\n").rstrip(b"\r")


def looks_binary(path: Path) -> bool:
    with path.open("rb") as handle:
        return b"\0" in handle.read(BINARY_SNIFF_BYTES)


def is_date_line(text: str) -> bool:
    if not DATE_LINE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_category_line(text: str) -> bool:
    return len(text) <= MAX_CATEGORY_CHARS and bool(CATEGORY_LINE.match(text))


def feed_name(path: Path) -> str:
    """How entries name their file (``sources``, ``FILE:LINE``): never a control character or line break."""
    return terminal_safe(display_name(path))


def parse_feed(path: Path) -> ParsedFeed:
    """Parse one dump. Never raises on bad content: problems are collected instead."""
    name = feed_name(path)
    try:
        return parse_readable_feed(path, name)
    except OSError as error:
        # Unreadable (permissions, removed meanwhile, I/O error): the whole file is one rejection.
        return ParsedFeed(rejected=[Problem(name, 0, f"cannot read file ({error.strerror or error}): skipped")])


def parse_readable_feed(path: Path, name: str) -> ParsedFeed:
    result = ParsedFeed()
    if path.stat().st_size == 0:
        result.warnings.append(Problem(name, 1, "empty file: no entries"))
        return result
    if looks_binary(path):
        result.rejected.append(Problem(name, 1, "binary file (NUL bytes): not a feed dump, skipped"))
        return result

    category: tuple[int, str] | None = None
    date: tuple[int, str] | None = None
    seen_content = False
    for number, raw in read_lines(path):
        if raw is None:
            result.rejected.append(Problem(name, number, f"line longer than {MAX_LINE_BYTES} bytes: skipped"))
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        nul = raw.find(b"\0")
        if nul >= 0:
            # A NUL past the binary sniff: no text holds one, so the line is not an excerpt.
            result.rejected.append(Problem(name, number, f"NUL byte at column {nul + 1}: line skipped"))
            continue
        try:
            text = one_line(raw.decode("utf-8")).strip()
        except UnicodeDecodeError as error:
            result.rejected.append(
                Problem(name, number, f"undecodable bytes at column {error.start + 1} (not UTF-8): line skipped")
            )
            continue
        if not text:
            continue
        if not seen_content:
            seen_content = True
            if text != HEADER_LINES[0]:
                result.warnings.append(
                    Problem(name, number, "no 'INCOMING TRANSMISSION' header: entries ingested anyway")
                )
        if text in HEADER_LINES:
            continue
        if is_date_line(text):
            date = (number, text)
            continue
        if is_category_line(text):
            category = (number, text)
            continue
        result.entries.append(
            Entry(
                file=name,
                line=number,
                text=text,
                category=category[1] if category else None,
                date=date[1] if date else None,
            )
        )
        category = date = None
    for dangling in (category, date):
        if dangling:
            result.warnings.append(Problem(name, dangling[0], f"metadata line '{dangling[1]}' has no entry after it"))
    if not seen_content and not result.rejected:
        result.warnings.append(Problem(name, 1, "empty file (blank lines only): no entries"))
    return result


def inside(path: Path, roots: list[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def link_name(link: Path) -> str:
    """The link itself (not its target, which ``display_name`` would give), relative to the working directory."""
    try:
        name = link.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        name = link.as_posix()
    return terminal_safe(name)


def link_problem(link: Path, roots: list[Path]) -> Problem | None:
    """Why the symlink ``link`` may not be read as a feed, or ``None`` when it stays inside ``roots``."""
    target = Path(os.path.realpath(link))
    if not inside(target, roots):
        return Problem(
            link_name(link), 0, f"symlink to {terminal_safe(target.as_posix())}, outside the project: skipped"
        )
    if not target.exists():
        return Problem(link_name(link), 0, "broken symlink: skipped")
    return None


def feed_files_in(folder: Path, roots: list[Path], problems: list[Problem]) -> list[Path]:
    """The ``*.txt`` files under ``folder``, following only the symlinks that stay inside ``roots``."""
    files: list[Path] = []
    pending, visited = [folder], set()
    while pending:
        top = pending.pop()
        real = os.path.realpath(top)
        if real in visited:  # a link back up the tree
            continue
        visited.add(real)
        for current, subfolders, names in os.walk(top, onerror=lambda error: None):
            here = Path(current)
            for name in list(subfolders):
                child = here / name
                if child.is_symlink():
                    # os.walk does not descend into links; an allowed one is walked on its own.
                    problem = link_problem(child, roots)
                    if problem:
                        problems.append(problem)
                    else:
                        pending.append(child)
            for name in names:
                child = here / name
                if not name.endswith(".txt"):
                    continue
                if child.is_symlink():
                    problem = link_problem(child, roots)
                    if problem:
                        problems.append(problem)
                        continue
                if child.is_file():
                    files.append(child)
    return files


def collect_feed_files(paths: list[Path], root: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """Expand folders to their ``*.txt`` files; report paths that do not exist and symlinks leaving the project.

    The project is ``root`` (default: the working directory, where ``feeds/`` and ``docs/``
    live); a folder named on the command line is trusted as a root of its own, so links
    between the files of an outside dump folder still work.
    """
    project = Path(os.path.realpath(root or Path.cwd()))
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_symlink():
            problem = link_problem(path, [project])
            if problem:
                problems.append(problem)
                continue
        if path.is_dir():
            files.extend(feed_files_in(path, [project, Path(os.path.realpath(path))], problems))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(terminal_safe(path.as_posix()), 0, "no such file or folder"))
    # Sorting by name makes the output independent of argument and directory order.
    unique = {display_name(file): file for file in files}
    return [unique[name] for name in sorted(unique)], sorted(set(problems), key=lambda problem: problem.file)
