"""``python -m ingest check``: what contributors edit, judged by the rules the strict site build applies.

The rules live in ``ingest.site.rules`` (source rules), ``ingest.site.math_render`` (KaTeX) and
``ingest.site.rules.links`` (anchors); the ``kb`` plugin calls the same functions while MkDocs
builds, so a pull request gets the same ``FILE:LINE: message`` from pre-commit, from this
command and from CI's ``mkdocs build --strict`` (``tests/contributor/test_check_build_agreement.py``
runs every kind of mistake through both).

This module only gathers the inputs: the pages under ``docs/`` (and any named outside it), the
taxonomy, the manifest, and, for formulas and anchors, each page rendered with the site's
Markdown configuration (``ingest.site.site_markdown``) and one KaTeX process, as the build does.
It also checks what only the ingest reads (``titles.yml``, the manifest's own validity).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.contributor.published_topics import default_record_path, published_topic_problems
from ingest.pipeline.manifest import check_manifest
from ingest.pipeline.title import load_title_overrides
from ingest.shared.docs_files import docs_files_on_disk, find_docs_files, is_inside
from ingest.shared.messages import display_name
from ingest.shared.model import Problem
from ingest.shared.ownership import read_ownership
from ingest.shared.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from ingest.site.article_footer import article_markdown
from ingest.site.feeds import FEED_PATH
from ingest.site.library import LibraryArticle, library_articles
from ingest.site.maintainer import uncategorized_page
from ingest.site.math_render import (
    KatexRenderer,
    MathSetupError,
    find_katex,
    formula_line,
    formula_problem_lines,
    render_math,
)
from ingest.site.pages import (
    ALL_ARTICLES_PAGE,
    UNCATEGORIZED_PAGE,
    all_articles_page,
    articles_by_topic,
    navigation_pages,
    topic_formula_line,
    topic_math_html,
    topic_page,
    topic_page_path,
)
from ingest.site.recent import RECENT_PAGE
from ingest.site.related import find_related
from ingest.site.rules.links import anchor_problems, fragment_links
from ingest.site.rules.review import Findings, SiteContext, review_pages
from ingest.site.rules.taxonomy import taxonomy_problems
from ingest.site.site_markdown import SiteMarkdown, anchor_ids, load_site_markdown
from ingest.site.site_nav import site_navigation
from ingest.site.source_pages import SourcePage, read_source_page
from ingest.site.topic_tree import TopicTree

MATH_MARKERS = ("$", "\\(", "\\[", "\\begin")
TAGS_MARKER = "<!-- material/tags -->"  # Material's tags plugin fills this page in: its anchors are its own


@dataclass
class CheckReport:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    articles: int = 0  # articles among the files reported on

    def summary(self) -> str:
        noun = "article" if self.articles == 1 else "articles"
        line = f"{self.articles} {noun}, {len(self.errors)} problem{'' if len(self.errors) == 1 else 's'}"
        if self.warnings:
            line += f", {len(self.warnings)} warning{'' if len(self.warnings) == 1 else 's'}"
        return line


# --------------------------------------------------------------------------- inputs


def check_taxonomy(path: Path) -> tuple[Taxonomy | None, list[Problem]]:
    try:
        taxonomy = load_taxonomy(path)
    except TaxonomyError as error:
        return None, list(error.problems)
    return taxonomy, taxonomy_problems(taxonomy)


def check_published_topics(taxonomy: Taxonomy | None, taxonomy_path: Path, record: Path | None) -> list[Problem]:
    """Every published topic id still answers (a topic's id or former id), every topic is recorded."""
    if taxonomy is None:
        return []
    return published_topic_problems(record or default_record_path(taxonomy_path), taxonomy)


def check_titles(path: Path) -> list[Problem]:
    _, problems = load_title_overrides(path)
    return problems


def selected_files(paths: list[Path], docs: Path, docs_markdown: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The Markdown files named by ``paths``; a folder inside ``docs`` gives what the docs walk found in it."""
    files, problems = [], []
    docs_absolute = docs.absolute()
    for path in paths:
        if path.is_dir():
            folder = path.absolute()
            if is_inside(folder, docs_absolute):
                files.extend(found for found in docs_markdown if is_inside(found.absolute(), folder))
            else:
                files.extend(sorted(found for found in path.rglob("*.md") if found.is_file()))
        elif path.suffix == ".md" and path.is_file():
            files.append(path)
        elif not path.exists():
            problems.append(Problem(display_name(path), 0, "no such file or folder"))
    return files, problems


def generated_pages(taxonomy: Taxonomy | None, articles: list[LibraryArticle]) -> dict[str, Callable[[], str] | None]:
    """``docs-relative path -> its Markdown`` for every page the site build adds (``None``: not rendered here)."""
    # The 最近更新 page is made from git history and the feed is XML: link targets, never judged for anchors.
    unjudged = {RECENT_PAGE: None, FEED_PATH: None}
    if taxonomy is None:  # the topic pages are unknown; the index of all articles is always there
        return {ALL_ARTICLES_PAGE: lambda: "", **unjudged}
    tree = TopicTree(taxonomy, articles_by_topic(articles))
    pages: dict[str, Callable[[], str] | None] = {
        ALL_ARTICLES_PAGE: lambda: all_articles_page(taxonomy, articles),
        UNCATEGORIZED_PAGE: lambda: uncategorized_page(taxonomy, articles),
    }
    pages.update(unjudged)
    # Every topic has a page (an empty one is only left out of the navigation), as the build makes them.
    for topic in taxonomy.topics:
        pages[topic_page_path(topic.id)] = lambda topic=topic: topic_page(topic, tree)
    return pages


# --------------------------------------------------------------------------- rendered checks


class RenderedChecks:
    """Formulas and anchors, judged on pages rendered as the build renders them; set up on first need."""

    def __init__(self, config_file: Path, taxonomy: Taxonomy | None, articles: list[LibraryArticle]):
        self.config_file = config_file
        self.taxonomy = taxonomy
        self.articles = {article.path: article for article in articles}
        self.all_articles = articles
        self.markdown: SiteMarkdown | None = None
        self.katex: KatexRenderer | None = None
        self.related = None
        self.setup_problems: list[Problem] = []
        self.html_cache: dict[str, str | None] = {}

    def site_markdown(self) -> SiteMarkdown | None:
        if self.markdown is None and not self.setup_problems:
            self.markdown, problem = load_site_markdown(self.config_file)
            if problem:
                self.setup_problems.append(problem)
        return self.markdown

    def renderer(self) -> KatexRenderer | None:
        if self.katex is None and not any("KaTeX" in problem.reason for problem in self.setup_problems):
            try:
                self.katex = KatexRenderer(find_katex(self.config_file.parent))
                self.katex.start()
            except MathSetupError as error:
                self.katex = None
                self.setup_problems.append(Problem(self.config_file.as_posix(), 0, f"cannot check formulas: {error}"))
        return self.katex

    def page_markdown(self, page: SourcePage) -> str:
        article = self.articles.get(page.relative or "")
        if article is None or self.taxonomy is None:
            return page.body
        if self.related is None:
            self.related = find_related(self.all_articles, {topic.id: topic.section for topic in self.taxonomy.topics})
        return article_markdown(page.body, article, self.taxonomy, self.related.for_article(article.path))

    def html(self, key: str, markdown_text: Callable[[], str]) -> str | None:
        if key not in self.html_cache:
            converter = self.site_markdown()
            self.html_cache[key] = converter.html(markdown_text()) if converter else None
        return self.html_cache[key]

    def formula_problems(self, name: str, key: str, markdown_text: Callable[[], str], line_for) -> list[Problem]:
        page_html = self.html(key, markdown_text)
        renderer = self.renderer() if page_html is not None and 'class="arithmatex"' in page_html else None
        if renderer is None:
            return []
        _, problems = render_math(page_html, renderer)
        return formula_problem_lines(name, problems, line_for)

    def close(self) -> None:
        if self.katex is not None:
            self.katex.close()


def page_formula_problems(checks: RenderedChecks, page: SourcePage) -> list[Problem]:
    if page.text is None or (page.front_matter is None and page.problems):
        return []
    if not any(marker in page.body for marker in MATH_MARKERS):
        return []
    return checks.formula_problems(
        page.name,
        page.relative or page.name,
        lambda: checks.page_markdown(page),
        lambda formula: formula_line(formula, page.body, page.body_line),
    )


def taxonomy_formula_problems(checks: RenderedChecks, generated: dict[str, Callable[[], str]]) -> list[Problem]:
    """KaTeX over every formula the topic pages show (descriptions and key formulas), named by taxonomy line."""
    taxonomy = checks.taxonomy
    problems = []
    for topic in taxonomy.topics:
        if topic_page_path(topic.id) not in generated:
            continue
        page_html = topic_math_html(topic)
        renderer = checks.renderer() if 'class="arithmatex"' in page_html else None
        if renderer is not None:
            _, found = render_math(page_html, renderer)
            problems += formula_problem_lines(
                taxonomy.path, found, lambda formula, topic=topic: topic_formula_line(topic, formula.tex)
            )
    return problems


def page_anchor_problems(
    checks: RenderedChecks,
    page: SourcePage,
    docs_pages: set[str],
    pages_by_relative: dict[str, SourcePage],
    generated: dict[str, Callable[[], str]],
) -> list[Problem]:
    if page.text is None or not fragment_links(page, docs_pages):
        return []

    def anchors_of(relative: str) -> set[str] | None:
        if relative in generated:
            markdown_text = generated[relative]
            if markdown_text is None:
                return None
        elif relative in pages_by_relative:
            target = pages_by_relative[relative]
            if target.text is None or TAGS_MARKER in target.body:
                return None
            markdown_text = lambda: checks.page_markdown(target)  # noqa: E731
        else:
            return None
        page_html = checks.html(relative, markdown_text)
        return anchor_ids(page_html) if page_html is not None else None

    return anchor_problems(page, docs_pages, anchors_of)


# --------------------------------------------------------------------------- whole runs


def run_check(
    paths: list[Path],
    docs: Path,
    taxonomy_path: Path,
    titles_path: Path,
    config_file: Path = Path("mkdocs.yml"),
    published_path: Path | None = None,
) -> CheckReport:
    """Everything ``python -m ingest check`` reports, sorted by file and line.

    ``paths`` (files or folders; empty means all of ``docs``) are the files reported on, but
    duplicates and links are judged against every page under ``docs``, so checking only the
    files a commit changed still catches a clash with an existing article. The taxonomy and
    titles are always checked; naming the taxonomy checks every article's tags too.
    ``published_path`` is the record of published topic ids (default: ``published-topics.txt``
    beside the taxonomy).
    """
    taxonomy, errors = check_taxonomy(taxonomy_path)
    errors += check_published_topics(taxonomy, taxonomy_path, published_path)
    errors += check_titles(titles_path)
    _, manifest_problems = check_manifest(docs)
    errors += manifest_problems
    ownership, _ = read_ownership(docs)  # an unreadable manifest is among the problems above, reported once

    found = find_docs_files(docs)
    errors += found.problems
    warnings = list(found.warnings)
    if any(path.absolute() == taxonomy_path.absolute() for path in paths):
        paths = [*paths, docs]  # a renamed or removed topic can break any article's tags
    selected, missing = selected_files(paths or [docs], docs, found.markdown)
    errors += missing

    cwd = Path.cwd().resolve()
    pages_by_path: dict[Path, SourcePage] = {}
    for path in [*found.markdown, *selected]:
        key = Path(os.path.abspath(path))
        if key not in pages_by_path:
            pages_by_path[key] = read_source_page(key, docs, ownership, cwd)
    pages = list(pages_by_path.values())
    reported = {Path(os.path.abspath(path)) for path in selected}
    articles, _ = library_articles(pages, taxonomy) if taxonomy is not None else ([], [])

    generated = generated_pages(taxonomy, articles)
    docs_pages = docs_files_on_disk(docs) | set(generated)
    site_pages = navigation_pages(site_navigation(taxonomy, articles)) if taxonomy is not None else None
    findings = review_pages(pages, reported, SiteContext(taxonomy, docs_pages, site_pages))

    checks = RenderedChecks(config_file, taxonomy, articles)
    rendered = Findings()
    pages_by_relative = {page.relative: page for page in pages if page.relative}
    try:
        if taxonomy is not None:
            rendered.errors += taxonomy_formula_problems(checks, generated)
        for page in pages:
            if page.path in reported:
                rendered.errors += page_formula_problems(checks, page)
                rendered.errors += page_anchor_problems(checks, page, docs_pages, pages_by_relative, generated)
    finally:
        checks.close()
    rendered.errors += checks.setup_problems

    everything = Findings([*errors, *findings.errors, *rendered.errors], [*warnings, *findings.warnings]).sorted()
    reported_articles = sum(1 for page in pages if page.path in reported and page.is_article)
    return CheckReport(everything.errors, everything.warnings, reported_articles)


def check_project(
    paths: list[Path],
    docs: Path,
    taxonomy_path: Path,
    titles_path: Path,
    config_file: Path = Path("mkdocs.yml"),
    published_path: Path | None = None,
) -> list[Problem]:
    """The errors of ``run_check`` (what fails ``check`` and the strict build)."""
    return run_check(paths, docs, taxonomy_path, titles_path, config_file, published_path).errors
