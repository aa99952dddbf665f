"""Each page's search record and terms, made in the build's second process where it has one.

Reading a finished page back as text and cutting that text into terms (``search_index.py``,
``search_build.record_terms``) costs about 2.5 ms a page, a tenth of a 5,000-article build
before it moved off MkDocs' process (``second_process.py``); the build waits only for the
last page's record before it writes the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future

from ingest.site.search_build import RecordTerms, record_terms
from ingest.site.search_index import SearchRecord, search_record
from ingest.site.second_process import SecondProcess, outcome


def record_with_terms(
    url: str, title: str, page_html: str, keywords: tuple[str, ...], tags: tuple[str, ...], weight: float
) -> tuple[SearchRecord, RecordTerms]:
    record = search_record(url, title, page_html, keywords=keywords, tags=tags, weight=weight)
    return record, record_terms(record)


class SearchRecorder:
    """The ``(SearchRecord, RecordTerms)`` of every page added in one build."""

    def __init__(self, process: SecondProcess) -> None:
        self.process = process
        self.made: dict[str, tuple[SearchRecord, RecordTerms]] = {}
        self.pending: dict[str, Future] = {}
        # A page's arguments until its record is back, to make it here if the process dies; not
        # longer, since they hold the page's whole HTML.
        self.arguments: dict[str, tuple] = {}

    def add(
        self,
        source: str,
        url: str,
        title: str,
        page_html: str,
        keywords: Iterable[str],
        tags: Iterable[str],
        weight: float,
    ) -> None:
        self.discard(source)
        arguments = (url, title, page_html, tuple(keywords), tuple(tags), weight)
        future = self.process.submit(record_with_terms, *arguments)
        if future is None:
            self.made[source] = record_with_terms(*arguments)
            return
        self.pending[source] = future
        self.arguments[source] = arguments
        future.add_done_callback(lambda done: self._returned(source, done))

    def _returned(self, source: str, future: Future) -> None:
        # Runs in the pool's own thread: one dict operation, atomic under the GIL.
        if not future.cancelled() and future.exception() is None and self.pending.get(source) is future:
            self.arguments.pop(source, None)

    def discard(self, source: str) -> None:
        self.made.pop(source, None)
        self.pending.pop(source, None)
        self.arguments.pop(source, None)

    def results(self) -> list[tuple[SearchRecord, RecordTerms]]:
        """Every added page's record and terms, once the second process has returned them."""
        for source, future in self.pending.items():
            arguments = self.arguments.get(source, ())
            self.made[source] = outcome(future, lambda: record_with_terms(*arguments))  # noqa: B023 (called at once)
        self.pending, self.arguments = {}, {}
        return list(self.made.values())
