"""What a build reuses from the build before it in the same process (``mkdocs serve``'s rebuilds).

MkDocs keeps a plugin object from one rebuild to the next when it has an ``on_startup`` handler, so
the kb plugin holds one ``RebuildMemo`` for the whole ``mkdocs serve`` session. An edit under
``mkdocs serve --dirty`` changes one or two files of thousands: reading, parsing and checking every
other source page again, and rendering every generated page again, is what made a rebuild take half
a minute at 5,000 articles.

Every reuse here is keyed by everything its value is computed from (a page's bytes, the taxonomy
file's bytes, a generated page's content), so a reused value is the value a fresh build would
compute. The one exception is ``related_for_dirty``, documented there.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class CarriedOver(Generic[Key, Value]):
    """Values by key, each computed once: a build reuses what the build before it computed.

    What a build does not ask for is dropped at the next ``next_build``, so an edited file's old
    values do not pile up over a long session.
    """

    def __init__(self) -> None:
        self._before: dict[Key, Value] = {}
        self._now: dict[Key, Value] = {}
        self.reused = 0  # since the last next_build: for tests and timings

    def get(self, key: Key, compute: Callable[[], Value]) -> Value:
        if key in self._now:
            return self._now[key]
        if key in self._before:
            value = self._before[key]
            self.reused += 1
        else:
            value = compute()
        self._now[key] = value
        return value

    def next_build(self) -> None:
        self._before, self._now = self._now, {}
        self.reused = 0


class RebuildMemo:
    """Everything one ``mkdocs serve`` session carries from build to build."""

    def __init__(self) -> None:
        # (path, name, relative, bytes, owned by the ingest) -> SourcePage
        self.source_pages: CarriedOver = CarriedOver()
        # (taxonomy path, its bytes) -> Taxonomy
        self.taxonomies: CarriedOver = CarriedOver()
        # (page object id, context key) -> (page, findings): the page is kept so its id stays its own
        self.reviews: CarriedOver = CarriedOver()
        # (own description, body) -> description
        self.descriptions: CarriedOver = CarriedOver()
        # SearchRecord -> RecordTerms; swapped by the search index's writer, which may run after the build
        self.search_terms: CarriedOver = CarriedOver()
        # generated page path -> its content in the last build
        self.generated_content: dict[str, str] = {}
        self._related: tuple[Hashable, object] | None = None
        self._contexts: dict[str, tuple[Hashable, object]] = {}

    def next_build(self) -> None:
        for memo in (self.source_pages, self.taxonomies, self.reviews, self.descriptions):
            memo.next_build()

    def context_token(self, name: str, key: Hashable) -> object:
        """One object per distinct ``key`` of a kind, the same as the last build's while ``key`` is equal.

        A memo keyed by a page and a large context (every link target) would compare the context once
        per page; keyed by this token, it is compared once per build.
        """
        before = self._contexts.get(name)
        if before is not None and before[0] == key:
            return before[1]
        token = object()
        self._contexts[name] = (key, token)
        return token

    def related_for_dirty(self, fingerprint: Hashable, compute: Callable[[], Value]) -> Value:
        """Related articles of the last build while no article was added, removed, retitled or retagged.

        Only for ``--dirty`` rebuilds. There MkDocs re-renders only the edited pages, and every other
        page keeps the links of the build before it anyway (MkDocs warns that a dirty build's links
        may be stale). Text similarity also weighs in, so an edit to an article's text alone would
        move its links a little: recomputing them for every article on every keystroke's save cost
        more than the rest of the rebuild. A full ``mkdocs build`` (and ``mkdocs serve`` without
        ``--dirty``) always computes them afresh.
        """
        if self._related is not None and self._related[0] == fingerprint:
            return self._related[1]  # type: ignore[return-value]
        value = compute()
        self._related = (fingerprint, value)
        return value

    def generated_unchanged(self, path: str, content: str, dest: Path) -> bool:
        """Whether ``path``'s content is the same as in the last build, whose page is still on disk."""
        unchanged = self.generated_content.get(path) == content and dest.is_file()
        self.generated_content[path] = content
        return unchanged
