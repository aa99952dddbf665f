"""Every article under ``docs/articles/``, generated or hand-written, as the site sees it.

Topic pages, navigation, related articles and search all read this one list, so
hand-written articles take part in everything generated ones do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.shared.docs_files import find_docs_files
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.model import Problem
from ingest.shared.ownership import read_ownership
from ingest.shared.taxonomy import Taxonomy
from ingest.site.source_pages import SourcePage, read_source_page


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
    """Read every article under ``docs/articles/`` (sub-folders too). Unreadable files are reported, the rest listed."""
    found = find_docs_files(docs, ARTICLES_DIR)
    ownership, _ = read_ownership(docs)
    pages = [read_source_page(path, docs, ownership) for path in found.markdown]
    articles, problems = library_articles(pages, taxonomy)
    return articles, [*found.problems, *problems]


def library_articles(pages: list[SourcePage], taxonomy: Taxonomy) -> tuple[list[LibraryArticle], list[Problem]]:
    """The articles among ``pages``, with what the site shows of each; a page whose front matter was
    refused is left out and its first problem returned."""
    articles: list[LibraryArticle] = []
    problems: list[Problem] = []
    for page in pages:
        if not page.is_article or Path(page.relative).name == "index.md":
            continue
        if page.front_matter is None and page.problems:
            problems.append(page.problems[0])
            continue
        articles.append(library_article(page, taxonomy))
    return articles, problems


def text_or(value: object, default: str) -> str:
    return value if isinstance(value, str) and value.strip() else default


def library_article(page: SourcePage, taxonomy: Taxonomy) -> LibraryArticle:
    meta, relative = page.meta, page.relative
    stem = Path(relative).stem
    topics = []
    tags = meta.get("tags")
    for tag in tags if isinstance(tags, list) else []:
        topic = taxonomy.lookup(str(tag)) if isinstance(tag, str | int | float) else None
        if topic and topic.id not in topics:
            topics.append(topic.id)
    sources = meta.get("sources")
    article_id = meta.get("id")
    return LibraryArticle(
        path=relative,
        id=str(article_id) if isinstance(article_id, str | int) and str(article_id).strip() else stem,
        title=text_or(meta.get("title"), stem),
        topics=topics,
        sources=[source for source in sources if isinstance(source, str)] if isinstance(sources, list) else [],
        date=str(meta["date"]) if meta.get("date") else None,
        truncated=meta.get("truncated") is True,
        generated=meta.get("generated") is True,
        body=page.body,
        description=meta["description"] if isinstance(meta.get("description"), str) else None,
    )
