"""Ids and file names must be unique among all articles, sub-folders included.

File names are compared case-insensitively: ``Adam.md`` and ``adam.md`` are one file on macOS
and Windows checkouts, and ``ingest takeover NAME`` must find exactly one article.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ingest.shared.model import Problem
from ingest.site.source_pages import SourcePage


def duplicate_problems(pages: list[SourcePage], reported: set[Path]) -> list[Problem]:
    """Clashes among ``pages``; only pages in ``reported`` get a problem (others are named as the clash)."""
    by_id: dict[str, list[SourcePage]] = defaultdict(list)
    by_slug: dict[str, list[SourcePage]] = defaultdict(list)
    for page in pages:
        if not page.is_article:
            continue
        by_slug[page.path.stem.casefold()].append(page)
        article_id = page.meta.get("id")
        if isinstance(article_id, str | int) and not isinstance(article_id, bool) and str(article_id).strip():
            by_id[str(article_id)].append(page)
    problems = []
    for kind, groups in (("id", by_id), ("slug", by_slug)):
        for value, members in groups.items():
            if len(members) < 2:
                continue
            for member in members:
                if member.path not in reported:
                    continue
                others = ", ".join(other.name for other in members if other is not member)
                line = member.front_matter.key_lines.get("id", 1) if kind == "id" and member.front_matter else 1
                problems.append(Problem(member.name, line, f"duplicate {kind} {value!r}: also used by {others}"))
    return problems
