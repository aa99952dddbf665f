"""Read an article's YAML front matter (python-frontmatter) with ``FILE:LINE`` errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from ingest.model import Problem


@dataclass
class Page:
    path: Path
    meta: dict
    body: str
    body_line: int  # 1-based line where the body starts, for messages about the body


def parse_page(path: Path, text: str) -> tuple[Page | None, Problem | None]:
    name = path.as_posix()
    try:
        meta, body = frontmatter.parse(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # +2: the opening '---' fence is line 1 and marks are 0-based.
        line = mark.line + 2 if mark else 1
        return None, Problem(name, line, f"front matter is not valid YAML: {getattr(error, 'problem', None) or error}")
    except ValueError as error:
        # Valid YAML syntax holding an impossible value, e.g. ``date: 2026-13-01``.
        return None, Problem(name, 1, f"front matter has an invalid value: {error}")
    if not isinstance(meta, dict):
        return None, Problem(name, 1, "front matter must be a mapping")
    header_lines = text[: len(text) - len(body)].count("\n") if body else text.count("\n")
    return Page(path, dict(meta), body, header_lines + 1), None


def read_page(path: Path) -> tuple[Page | None, Problem | None]:
    try:
        # utf-8-sig, as MkDocs reads pages: editors on Windows often start a file with a BOM,
        # which would otherwise hide the front matter (and a taken-over article's id).
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return None, Problem(path.as_posix(), 1, f"not UTF-8 ({error.reason})")
    except OSError as error:
        return None, Problem(path.as_posix(), 0, f"cannot read: {error.strerror}")
    return parse_page(path, text)
