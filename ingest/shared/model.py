"""Plain data passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One excerpt line of a feed dump, with where it came from."""

    file: str
    line: int
    text: str
    category: str | None = None
    date: str | None = None

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """Something the ingest could not use or wants a human to look at."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class Article:
    """One distinct article: the most complete copy plus every source it was seen in."""

    id: str
    text: str
    skeleton: str
    truncated: bool
    entries: list[Entry]
    topics: list[str] = field(default_factory=list)
    title: str = ""
    slug: str = ""

    @property
    def sources(self) -> list[str]:
        return [entry.source for entry in self.entries]

    @property
    def date(self) -> str | None:
        dates = sorted({entry.date for entry in self.entries if entry.date})
        return dates[0] if dates else None

    @property
    def category(self) -> str | None:
        categories = sorted({entry.category for entry in self.entries if entry.category})
        return categories[0] if categories else None
