"""A progress bar over the ingest's stages on a terminal, and nothing at all when stderr is not one.

A 100,000-entry ingest takes half a minute: a person at a terminal should see it move. Logs,
pipes and CI get no bar (and no carriage returns), only the usual ``FILE:LINE`` lines.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from tqdm import tqdm

DEFAULT_SIZE = (80, 24)


def terminal_size(stream: TextIO) -> tuple[int, int]:
    """Columns and lines; a pseudo-terminal with no size set says 0 x 0, which would hide the bar."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return DEFAULT_SIZE
    return size.columns or DEFAULT_SIZE[0], size.lines or DEFAULT_SIZE[1]


class _Bar(tqdm):
    # No monitor thread: the bar is moved by hand, and a thread would make the fork of
    # dedupe's worker processes unsafe.
    monitor_interval = 0


class StageProgress:
    """Call with each stage's name as it starts; use as a context manager so the bar is cleared."""

    def __init__(self, stages: Sequence[str], stream: TextIO | None = None) -> None:
        stream = stream or sys.stderr
        self.stages = list(stages)
        shown = stream.isatty()
        columns, lines = terminal_size(stream)
        self.bar = _Bar(
            total=len(self.stages),
            desc="ingest",
            unit="stage",
            file=stream,
            disable=not shown,
            ncols=columns,
            nrows=lines,
            leave=False,
            bar_format="{desc:<14} |{bar:24}| {n_fmt}/{total_fmt} stages, {elapsed}",
        )

    def __call__(self, stage: str) -> None:
        self.bar.set_description_str(f"ingest: {stage}", refresh=False)
        self.bar.n = self.stages.index(stage)  # stages done so far
        self.bar.refresh()

    def __enter__(self) -> StageProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.bar.close()
