"""``$`` and ``$$`` must pair up: an unclosed one makes pymdownx.arithmatex leave the page's math garbled."""

from __future__ import annotations

import re

from ingest.shared.model import Problem
from ingest.site.rules.markdown_source import code_free_lines, is_escaped

DOLLAR = re.compile(r"\${1,2}")


def unclosed_inline_message() -> str:
    return "unbalanced '$': inline math opened here is not closed in the same paragraph (write '\\$' for a dollar sign)"


def math_delimiter_problems(name: str, body: str, body_line: int, lines: list[str] | None = None) -> list[Problem]:
    """``$$`` must pair up across the page and ``$`` within a paragraph; ``\\$`` is a literal dollar.

    Code spans and fenced code blocks are ignored; HTML entities such as ``&#36;`` hold no
    ``$`` character and so never count. Each problem names the line of the unclosed delimiter.
    ``lines``: the body's code-free lines, when the caller has them already.
    """
    problems = []
    display_open: int | None = None  # line of an unclosed '$$'
    inline_open: int | None = None  # line of an unclosed '$'
    for offset, line in enumerate(code_free_lines(body) if lines is None else lines):
        number = body_line + offset
        if not line.strip() and inline_open is not None and display_open is None:
            problems.append(Problem(name, inline_open, unclosed_inline_message()))
            inline_open = None
        for match in DOLLAR.finditer(line):
            if is_escaped(line, match.start()):
                continue
            if match.group() == "$$":
                display_open = number if display_open is None else None
            elif display_open is None:
                inline_open = number if inline_open is None else None
    if display_open is not None:
        problems.append(Problem(name, display_open, "'$$' opens display math that is never closed by another '$$'"))
    if inline_open is not None:
        problems.append(Problem(name, inline_open, unclosed_inline_message()))
    return problems
