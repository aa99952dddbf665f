"""YAML loading that remembers line numbers, so problems can be reported as ``FILE:LINE``.

Aliases are refused: a few hundred bytes of nested aliases ("billion laughs") expand to
gigabytes, and neither taxonomy.yml nor titles.yml needs them.

libyaml's parser (``yaml.CSafeLoader``) reads the 192-topic taxonomy in a tenth of the pure-Python
parser's time, and every ingest, check and build reads it: the file's events are scanned for an
alias first (in C too), then composed. Without libyaml the pure-Python loader does both.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ingest.shared.model import Problem

LINE_KEY = "__line__"


def _alias_refused(event: yaml.AliasEvent) -> yaml.composer.ComposerError:
    return yaml.composer.ComposerError(
        None,
        None,
        f"the alias '*{event.anchor}' is not allowed (aliases and '<<' merges can expand without bound); "
        "write the value out",
        event.start_mark,
    )


class _LineNumbers:
    """Stores each mapping's 1-based start line under ``__line__`` (mixed into both loaders)."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


class LineLoader(_LineNumbers, yaml.SafeLoader):
    """A safe loader that stores each mapping's start line and refuses aliases as it composes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _alias_refused(self.peek_event())
        return super().compose_node(parent, index)


CSafeLoader = getattr(yaml, "CSafeLoader", None)

if CSafeLoader is not None:

    class FastLineLoader(_LineNumbers, CSafeLoader):
        """``LineLoader`` on libyaml's parser; aliases are refused by ``_refuse_aliases`` before composing."""


def _refuse_aliases(text: str) -> None:
    for event in yaml.parse(text, Loader=CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _alias_refused(event)


def _load(text: str) -> object:
    if CSafeLoader is None:
        return yaml.load(text, Loader=LineLoader)
    _refuse_aliases(text)
    return yaml.load(text, Loader=FastLineLoader)


def load_yaml(path: Path) -> tuple[object, Problem | None]:
    """Parse a YAML file; on failure return the problem with the line the parser stopped at."""
    name = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, Problem(name, 0, "file not found")
    except UnicodeDecodeError as error:
        return None, Problem(name, 1, f"not UTF-8 ({error.reason})")
    try:
        return _load(text), None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        return None, Problem(name, line, f"invalid YAML: {reason}")


def line_of(mapping: object, default: int = 1) -> int:
    return mapping.get(LINE_KEY, default) if isinstance(mapping, dict) else default
