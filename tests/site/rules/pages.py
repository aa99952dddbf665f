"""Build a ``SourcePage`` from text, for the rule tests."""

from __future__ import annotations

from pathlib import Path

from ingest.shared.frontmatter_io import split_front_matter
from ingest.site.source_pages import SourcePage


def source_page(text: str, relative: str = "articles/a.md", owned: bool = False) -> SourcePage:
    name = f"docs/{relative}"
    front_matter, problems = split_front_matter(name, text)
    return SourcePage(Path(name), name, relative, text, front_matter, problems, owned)
