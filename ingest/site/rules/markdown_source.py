"""Reading Markdown source line by line, the way the rules need it: code left out, links found."""

from __future__ import annotations

import re

CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# A link target may hold balanced parentheses ("javascript:f()", "a_(b).md"), as Python-Markdown reads it.
INLINE_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|(?:[^()\s]|\([^()\s]*\))+)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")


def code_free_lines(body: str) -> list[str]:
    """The body's lines with fenced code blocks blanked and code spans replaced by spaces."""
    lines = []
    fence: str | None = None
    for line in body.split("\n"):
        opener = CODE_FENCE.match(line)
        if fence is None and opener:
            fence = opener.group(1)
            lines.append("")
        elif fence is not None:
            closer = CODE_FENCE.match(line)
            if closer and closer.group(1)[0] == fence[0] and len(closer.group(1)) >= len(fence):
                fence = None
            lines.append("")
        else:
            lines.append(CODE_SPAN.sub(lambda match: " " * len(match.group()), line))
    return lines


def is_escaped(line: str, position: int) -> bool:
    backslashes = 0
    while position - backslashes - 1 >= 0 and line[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def link_targets(body: str, body_line: int) -> list[tuple[int, str]]:
    """``(line, target)`` of every Markdown link, image and autolink outside code."""
    return link_targets_of_lines(code_free_lines(body), body_line)


def link_targets_of_lines(lines: list[str], body_line: int) -> list[tuple[int, str]]:
    targets = []
    for offset, line in enumerate(lines):
        for pattern in (INLINE_LINK, REFERENCE_LINK, AUTOLINK):
            for match in pattern.finditer(line):
                targets.append((body_line + offset, match.group(1).strip("<>")))
    return targets
