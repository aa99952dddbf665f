"""Each page's search record and terms, made in the build's second process where it has one.

Reading a finished page back as text and cutting that text into terms (``search_index.py``,
``search_build.record_terms``) costs about 2.5 ms a page, a tenth of a 5,000-article build
before it moved off MkDocs' process (``second_process.py``); the build waits only for the
last pages' records before it writes the index. Pages go to the process ``BATCH`` at a time:
handing over one task costs the build about 0.4 ms, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future

from ingest.site.search_build import RecordTerms, record_terms
from ingest.site.search_index import SearchRecord, search_record
from ingest.site.second_process import SecondProcess, outcome, returned

BATCH = 25

Made = tuple[SearchRecord, RecordTerms]


def record_with_terms(
    url: str, title: str, page_html: str, keywords: tuple[str, ...], tags: tuple[str, ...], weight: float
) -> Made:
    record = search_record(url, title, page_html, keywords=keywords, tags=tags, weight=weight)
    return record, record_terms(record)


def records_with_terms(pages: list[tuple]) -> list[Made]:
    """``record_with_terms`` of each page's arguments: one task for the second process."""
    return [record_with_terms(*arguments) for arguments in pages]


class SearchRecorder:
    """The ``(SearchRecord, RecordTerms)`` of every page added in one build."""

    def __init__(self, process: SecondProcess) -> None:
        self.process = process
        self.made: dict[str, Made] = {}
        # Pages not yet handed over, and batches handed over: (their sources, their arguments, the
        # future). The arguments are kept to make the records here if the process dies; a batch
        # is dropped once its records are back, since the arguments hold each page's whole HTML.
        self.waiting: dict[str, tuple] = {}
        self.batches: list[tuple[list[str | None], list[tuple], Future | None]] = []

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
        if not self.process.running:
            self.made[source] = record_with_terms(*arguments)
            return
        self.waiting[source] = arguments
        if len(self.waiting) >= BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        sources, pages = list(self.waiting), list(self.waiting.values())
        self.waiting = {}
        self._collect_returned()
        self.batches.append((sources, pages, self.process.submit(records_with_terms, pages)))

    def _collect_returned(self) -> None:
        """Take the records of the batches already back, freeing their pages' HTML."""
        pending = []
        for batch in self.batches:
            if returned(batch[2]):
                self._take(batch)
            else:
                pending.append(batch)
        self.batches = pending

    def _take(self, batch: tuple[list[str | None], list[tuple], Future | None]) -> None:
        sources, pages, future = batch
        for source, made in zip(sources, outcome(future, lambda: records_with_terms(pages)), strict=True):
            if source is not None:
                self.made[source] = made

    def discard(self, source: str) -> None:
        """Forget a page (excluded from search, or added again)."""
        self.made.pop(source, None)
        self.waiting.pop(source, None)
        for sources, _, _ in self.batches:
            if source in sources:  # its batch's record is dropped when taken
                sources[sources.index(source)] = None

    def results(self) -> list[Made]:
        """Every added page's record and terms, once the second process has returned them."""
        if self.waiting:
            self._hand_over()
        for batch in self.batches:
            self._take(batch)
        self.batches = []
        return list(self.made.values())
