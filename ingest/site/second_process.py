"""A second process for a large build's page-sized work, on the core MkDocs leaves idle.

MkDocs renders pages one after another in one process. Some of what the kb plugin adds needs
nothing but data it already has: the related articles (from every article's text), an article's
description (from its Markdown) and a page's search record (from its HTML). A build of at
least ``FROM_PAGES`` pages hands those to one worker process, and takes each result when it
needs it. A smaller build does them in its own process: starting a process costs more there
than it saves.

The work is pure: the same result either way. If the process cannot start or dies, the work it
did not return is done in the build's own process (``outcome``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from ingest.shared.workers import forkserver_pool

FROM_PAGES = 400

Result = TypeVar("Result")


class SecondProcess:
    def __init__(self, pages: int) -> None:
        self.pool: ProcessPoolExecutor | None = None
        if pages >= FROM_PAGES:
            try:
                # Not a fork: the worker would hold KaTeX's pipes open (ingest/shared/workers.py).
                self.pool = forkserver_pool(1)
            except (OSError, ValueError):
                self.pool = None

    @property
    def running(self) -> bool:
        return self.pool is not None

    def submit(self, function: Callable[..., Result], *arguments) -> Future | None:
        """The work's future, or None when there is no second process (do it here then)."""
        if self.pool is None:
            return None
        try:
            return self.pool.submit(function, *arguments)
        except (BrokenProcessPool, RuntimeError, OSError):
            self.close()
            return None

    def cpu_seconds(self) -> float:
        """The CPU time the second process has used so far; 0 without one."""
        return outcome(self.submit(time.process_time), lambda: 0.0)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def returned(future: Future | None) -> bool:
    """Whether the second process has returned the work's result (not an error, not cancelled)."""
    return future is not None and future.done() and not future.cancelled() and future.exception() is None


def outcome(future: Future | None, here: Callable[[], Result]) -> Result:
    """The future's result; ``here()`` when there is no future or the process died."""
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            pass
    return here()
