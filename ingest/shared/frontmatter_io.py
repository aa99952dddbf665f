"""Read an article's YAML front matter with ``FILE:LINE`` errors: the one parser for the ingest,
the checker and the site plugin.

It splits pages exactly as MkDocs does (same pattern) and keeps each key's line, which the
checker needs to point at a wrong tag; libyaml parses when available, as in MkDocs.

YAML aliases are refused before anything is built: a 545-byte "billion laughs" block of
nested aliases expands to gigabytes, and front matter never needs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.shared.model import Problem

# The same pattern as ``mkdocs.utils.meta.YAML_RE``, so both agree on what front matter is.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
OPENING_FENCE = re.compile(r"^-{3}[ \t]*\n")
# libyaml when available, as MkDocs uses: the pure-Python parser is ~10x slower on big sites.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER_FIRST_LINE = 2  # the opening '---' is line 1


@dataclass
class FrontMatter:
    data: dict
    key_lines: dict[str, int]  # top-level key -> 1-based line in the file
    item_lines: dict[str, list[int]]  # top-level key -> line of each item of a list value
    body: str
    body_line: int  # 1-based line of the file where the body starts


@dataclass
class Page:
    path: Path
    meta: dict
    body: str
    body_line: int  # 1-based line where the body starts, for messages about the body


def parse_page(path: Path, text: str) -> tuple[Page | None, Problem | None]:
    """The page's metadata and body; a page without front matter has empty metadata."""
    front_matter, problems = split_front_matter(path.as_posix(), text)
    if front_matter is None:
        return (None, problems[0]) if problems else (Page(path, {}, text, 1), None)
    return Page(path, front_matter.data, front_matter.body, front_matter.body_line), None


def split_front_matter(name: str, text: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse the YAML block at the top of ``text``; ``(None, [])`` when there is none."""
    match = FRONT_MATTER.match(text)
    if not match:
        if OPENING_FENCE.match(text):
            return None, [Problem(name, 1, "front matter opened with '---' is never closed by a '---' line")]
        return None, []
    body_line = text[: match.end()].count("\n") + 1
    alias = first_alias(match.group(1)) if "*" in match.group(1) else None  # no alias without a '*'

    if alias is not None:
        line, anchor = alias
        return None, [Problem(name, line + FRONT_MATTER_FIRST_LINE, alias_message(anchor))]
    loader = YAML_LOADER(match.group(1))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + FRONT_MATTER_FIRST_LINE if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
        if context and context_mark and context_mark.line != getattr(mark, "line", None):
            reason += f" ({context} at line {context_mark.line + FRONT_MATTER_FIRST_LINE})"
        return None, [Problem(name, line, f"front matter is not valid YAML: {reason}")]
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        # Valid syntax, impossible value (``date: 2026-13-01``): PyYAML fails while building it.
        return None, [Problem(name, invalid_value_line(match.group(1)), f"front matter has an invalid value: {error}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return None, [Problem(name, FRONT_MATTER_FIRST_LINE, "front matter must be a mapping of 'key: value' lines")]
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    problems: list[Problem] = []
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + FRONT_MATTER_FIRST_LINE
        if key in key_lines:
            problems.append(Problem(name, line, f"'{key}' is given twice (first at line {key_lines[key]})"))
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = [item.start_mark.line + FRONT_MATTER_FIRST_LINE for item in value_node.value]
    return FrontMatter(data, key_lines, item_lines, text[match.end() :], body_line), problems


def alias_message(anchor: str | None) -> str:
    return (
        f"front matter uses the YAML alias '*{anchor}': aliases (and '<<' merges) are not allowed in front "
        "matter; write the value out"
    )


def first_alias(yaml_text: str) -> tuple[int, str | None] | None:
    """``(0-based line, anchor name)`` of the first alias in ``yaml_text``, read as events only.

    Events are a flat stream: an alias is one event however much it would expand to, so this
    costs the same as reading the text. Syntax errors are left for the real parse to report.
    """
    loader = YAML_LOADER(yaml_text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line, event.anchor
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def invalid_value_line(front_matter_text: str) -> int:
    """The line of the first value PyYAML cannot build, found by building the values one at a time."""
    node = yaml.compose(front_matter_text, Loader=yaml.SafeLoader)
    for _, value_node in node.value if isinstance(node, yaml.MappingNode) else []:
        loader = yaml.SafeLoader("")
        try:
            loader.construct_object(value_node, deep=True)
        except (ValueError, TypeError, OverflowError, RecursionError):
            return value_node.start_mark.line + FRONT_MATTER_FIRST_LINE
        finally:
            loader.dispose()
    return 1


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
