"""Every article under ``docs/articles/``, generated or hand-written, as the site sees it.

Topic pages, navigation, related articles and search all read this one list, so
hand-written articles take part in everything generated ones do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.shared.frontmatter_io import read_page
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.model import Problem
from ingest.shared.taxonomy import Taxonomy


@dataclass
class LibraryArticle:
    path: str  # relative to docs, posix
    id: str
    title: str
    topics: list[str]
    sources: list[str] = field(default_factory=list)
    date: str | None = None
    truncated: bool = False
    generated: bool = False
    body: str = ""
    description: str | None = None  # front matter `description`, plain text, when it is a string

    @property
    def url_stem(self) -> str:
        return Path(self.path).with_suffix("").as_posix()


def scan_articles(docs: Path, taxonomy: Taxonomy) -> tuple[list[LibraryArticle], list[Problem]]:
    """Read every article's front matter. Unreadable files are reported, the rest still listed."""
    articles: list[LibraryArticle] = []
    problems: list[Problem] = []
    folder = docs / ARTICLES_DIR
    if not folder.exists():
        return articles, problems
    for path in sorted(folder.rglob("*.md")):
        if path.name == "index.md":
            continue
        page, problem = read_page(path)
        if problem:
            problems.append(problem)
            continue
        meta = page.meta
        topics = []
        for tag in meta.get("tags") or []:
            topic = taxonomy.lookup(str(tag))
            if topic and topic.id not in topics:
                topics.append(topic.id)
        relative = path.relative_to(docs).as_posix()
        articles.append(
            LibraryArticle(
                path=relative,
                id=str(meta.get("id") or Path(relative).stem),
                title=str(meta.get("title") or Path(relative).stem),
                topics=topics,
                sources=[str(source) for source in meta.get("sources") or []],
                date=str(meta["date"]) if meta.get("date") else None,
                truncated=bool(meta.get("truncated")),
                generated=bool(meta.get("generated")),
                body=page.body,
                description=meta["description"] if isinstance(meta.get("description"), str) else None,
            )
        )
    return articles, problems
