"""Every source rule over a set of pages, as ``check`` and the site build both run them.

``review_pages`` is pure: it reads nothing itself. The caller gives the pages (``SourcePage``s read
with ``ingest.site.source_pages``) and a ``SiteContext`` with what the rules judge against.
What needs rendered pages (KaTeX, anchors) is judged separately, by the same functions, once
each side has its HTML: ``ingest.site.rules.links.anchor_problems`` and
``ingest.site.math_render.formula_problems``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.shared.model import Problem
from ingest.shared.taxonomy import Taxonomy
from ingest.site.rules.body import raw_html_warnings, title_heading_warnings
from ingest.site.rules.duplicates import duplicate_problems
from ingest.site.rules.front_matter import article_problems, page_front_matter_problems
from ingest.site.rules.links import link_problems
from ingest.site.rules.math_delimiters import math_delimiter_problems
from ingest.site.rules.placement import file_name_problems, multimarkdown_meta_problems, placement_problems
from ingest.site.source_pages import SourcePage


@dataclass
class SiteContext:
    taxonomy: Taxonomy | None
    docs_pages: set[str]  # every file under docs/ and every page the build generates (link targets)
    site_pages: set[str] | None  # pages the navigation lists; None when it is unknown (broken taxonomy)


@dataclass
class Findings:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, other: Findings) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def sorted(self) -> Findings:
        def order(problems: list[Problem]) -> list[Problem]:
            return sorted(set(problems), key=lambda problem: (problem.file, problem.line, problem.reason))

        return Findings(order(self.errors), order(self.warnings))


def review_page(page: SourcePage, context: SiteContext) -> Findings:
    """The rules one page meets on its own."""
    findings = Findings(errors=list(page.problems))
    if page.text is None:
        return findings
    findings.errors += placement_problems(page, context.site_pages)
    findings.errors += file_name_problems(page)
    findings.errors += multimarkdown_meta_problems(page)
    if page.front_matter is None and page.problems:
        return findings  # refused front matter: the body is not judged until it is fixed
    findings.errors += page_front_matter_problems(page, context.taxonomy)
    if page.is_article:
        findings.errors += article_problems(page, context.taxonomy)
        findings.warnings += title_heading_warnings(page)
    findings.errors += math_delimiter_problems(page.name, page.body, page.body_line, page.code_free_lines)
    findings.errors += link_problems(page, context.docs_pages)
    findings.warnings += raw_html_warnings(page)
    return findings


def review_pages(
    pages: list[SourcePage],
    reported: set[Path],
    context: SiteContext,
    review_one: Callable[[SourcePage, SiteContext], Findings] = review_page,
) -> Findings:
    """The rules for the pages in ``reported`` (paths as in ``pages``), clashes judged against all ``pages``.

    ``review_one`` is ``review_page`` or a memo of it (``mkdocs serve`` keeps the findings of
    unchanged pages from one rebuild to the next)."""
    findings = Findings()
    for page in pages:
        if page.path in reported:
            findings.add(review_one(page, context))
    findings.errors += duplicate_problems(pages, reported)
    return findings.sorted()
