"""Seconds the site build spends in the kb plugin's costly parts, for ``scripts/bench.py``.

With ``KB_BUILD_TIMINGS=FILE`` in the environment, the plugin writes ``{"part": seconds}`` to
FILE when the build ends; without it nothing is written (the clock reads cost nanoseconds, so
they stay in every build). A part's time is the sum of its spans across the build, so a part
spread over every page (KaTeX, the search records) is counted as a whole.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENVIRONMENT = "KB_BUILD_TIMINGS"

RELATED = "related"  # finding related articles and writing each article's list
KATEX = "katex"  # starting KaTeX and rendering every page's formulas
TOPIC_PAGES = "topic_pages"  # writing the topic pages and MkDocs' rendering of them
SEARCH_INDEX = "search_index"  # every page's search record and the index files
DESCRIPTIONS = "descriptions"  # each article's description (head metadata, feed)
# CPU seconds of the second process (ingest/site/second_process.py), beside the build: a part it
# does counts above only for the time the build waited for it.
SECOND_PROCESS = "second_process_cpu"


class BuildTimings:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._started: dict[tuple[str, str], float] = {}

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def start(self, name: str, key: str) -> None:
        """Open a span that another event closes (``stop``), such as one page's rendering."""
        self._started[(name, key)] = time.perf_counter()

    def stop(self, name: str, key: str) -> None:
        started = self._started.pop((name, key), None)
        if started is not None:
            self.seconds[name] += time.perf_counter() - started

    def write(self) -> None:
        target = os.environ.get(ENVIRONMENT)
        if target:
            Path(target).write_text(json.dumps(dict(self.seconds), indent=2) + "\n", encoding="utf-8")
