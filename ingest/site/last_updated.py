"""The "最后更新" date under every page, from the one ``git log`` of ``ingest.site.history``.

Material prints ``page.meta.revision_date`` (HTML, unescaped) beside a clock icon titled in the
site's language. A page's date is the day of the last commit that added or changed its file;
a page git has never seen (not committed yet, no history at all, or generated at build time
from taxonomy.yml and the articles) shows the build date instead, as a page made today.

Dates are days in UTC (the build date is too), written the way the site's language writes a
long date (babel, which Material itself depends on: ``2025年1月2日``), inside a ``<time>``
whose ``datetime`` a machine can read.
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

from babel.core import UnknownLocaleError
from babel.dates import format_date

from ingest.site.history import Commit

# The key of page.meta Material's partials/source-file.html reads for "last updated".
META_KEY = "revision_date"


def last_changed(history: list[Commit] | None) -> dict[str, date]:
    """Per docs-relative path, the UTC day of the newest commit that added or changed it."""
    days: dict[str, date] = {}
    for commit in history or ():  # newest first: the first sight of a path is its last change
        day = commit.date.astimezone(UTC).date()
        for path in (*commit.added, *commit.modified):
            days.setdefault(path, day)
    return days


def date_html(day: date, language: str) -> str:
    """``<time datetime="2025-01-02">2025年1月2日</time>``; ISO for a language babel does not know."""
    try:
        label = format_date(day, format="long", locale=language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        label = day.isoformat()
    return f'<time class="kb-last-updated" datetime="{day.isoformat()}">{html.escape(label)}</time>'


class LastUpdated:
    """The date HTML of each page of one build, formatted once per distinct day."""

    def __init__(self, history: list[Commit] | None, built: datetime, language: str) -> None:
        self.days = last_changed(history)
        self.build_day = built.astimezone(UTC).date()
        self.language = language
        self._html: dict[date, str] = {}

    def for_page(self, src_uri: str, generated: bool = False) -> str:
        """A generated page is made by this build (an old file of the same name says nothing about it)."""
        day = self.build_day if generated else self.days.get(src_uri, self.build_day)
        if day not in self._html:
            self._html[day] = date_html(day, self.language)
        return self._html[day]
